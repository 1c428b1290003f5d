/**
 * Request faults: answer the next N matching requests with an error (and/or delay them), or every matching request
 * during a time window (an outage, a persistent throttle).
 */
export interface RequestMatcher {
  method?: string;
  /** Regex, case-insensitive, matched on the decoded request path. */
  pathPattern: string;
  /** Regex, case-insensitive, matched on the raw request body (e.g. `publicNetworkAccess` to pick one PATCH). */
  bodyPattern?: string;
}

export interface FaultSpec extends RequestMatcher {
  /** Status to answer with; a status below 400 only delays the request (with latencyMs) and lets it through. */
  status: number;
  code: string;
  message?: string;
  /** How many matching requests the fault applies to (default 1; ignored when `durationSeconds` is set). */
  count?: number;
  /**
   * A window: every matching request fails for this many seconds on the emulator's clock (`ctx.now`, which a test
   * may drive with a virtual clock), counted from the first request that matches `startOn` (default: the fault's
   * own matcher). E.g. a 300-second ARM outage starting at a given write:
   * `{ pathPattern: '.*', status: 503, code: 'ServiceUnavailable', durationSeconds: 300, startOn: { method: 'PUT', pathPattern: 'privateEndpoints/' } }`.
   */
  durationSeconds?: number;
  startOn?: RequestMatcher;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

interface CompiledMatcher {
  method?: string;
  path: RegExp;
  body?: RegExp;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  match: CompiledMatcher;
  trigger?: CompiledMatcher;
  /** Windows: the end of the window once it started (ms since the epoch on the emulator's clock). */
  until?: number;
}

function compile(m: RequestMatcher): CompiledMatcher {
  if (typeof m.pathPattern !== 'string') throw new Error('pathPattern is required');
  return {
    ...(m.method ? { method: m.method.toUpperCase() } : {}),
    path: new RegExp(m.pathPattern, 'i'),
    ...(m.bodyPattern ? { body: new RegExp(m.bodyPattern, 'is') } : {}),
  };
}

function matches(m: CompiledMatcher, method: string, path: string, body: string): boolean {
  return (!m.method || m.method === method.toUpperCase()) && m.path.test(path) && (!m.body || m.body.test(body));
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(f: FaultSpec): void {
    const windowed = typeof f.durationSeconds === 'number' && f.durationSeconds > 0;
    this.faults.push({
      spec: { ...f },
      remaining: windowed ? Number.POSITIVE_INFINITY : f.count ?? 1,
      match: compile(f),
      ...(windowed && f.startOn ? { trigger: compile(f.startOn) } : {}),
    });
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string, body = ''): FaultSpec | undefined {
    const now = this.now();
    const windowed = (x: ActiveFault) => typeof x.spec.durationSeconds === 'number' && x.spec.durationSeconds > 0;
    // Windows start at their trigger.
    for (const x of this.faults) {
      if (windowed(x) && x.until === undefined && matches(x.trigger ?? x.match, method, path, body)) x.until = now + x.spec.durationSeconds! * 1000;
    }
    this.faults = this.faults.filter((x) => x.remaining > 0 && (x.until === undefined || x.until > now));
    const f = this.faults.find((x) => (!windowed(x) || x.until !== undefined) && matches(x.match, method, path, body));
    if (!f) return undefined;
    f.remaining -= 1;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f.spec;
  }

  pending(): FaultSpec[] {
    const now = this.now();
    return this.faults
      .filter((x) => x.until === undefined || x.until > now)
      .map((x) =>
        x.until !== undefined
          ? { ...x.spec, durationSeconds: Math.max(0, Math.ceil((x.until - now) / 1000)) }
          : Number.isFinite(x.remaining)
            ? { ...x.spec, count: x.remaining }
            : { ...x.spec },
      );
  }

  clear(): void {
    this.faults = [];
  }
}
