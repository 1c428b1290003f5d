/**
 * Request faults: answer the next N matching requests with an error (and/or delay them), or every matching request
 * during a time window (an outage).
 */
export interface FaultSpec {
  method?: string;
  /** Regex, case-insensitive, matched on the decoded request path. */
  pathPattern: string;
  /** Status to answer with; a status below 400 only delays the request (with latencyMs) and lets it through. */
  status: number;
  code: string;
  message?: string;
  /** How many matching requests the fault applies to (default 1; ignored when `durationSeconds` is set). */
  count?: number;
  /**
   * An outage: every matching request fails from the moment the fault is injected until this many seconds have
   * passed on the emulator's clock (`ctx.now`, which tests may drive with a virtual clock).
   */
  durationSeconds?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
  regex: RegExp;
  /** Outages: end of the window (ms since the epoch on the emulator's clock). */
  until?: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(f: FaultSpec): void {
    if (typeof f.pathPattern !== 'string') throw new Error('pathPattern is required');
    const regex = new RegExp(f.pathPattern, 'i');
    const windowed = typeof f.durationSeconds === 'number' && f.durationSeconds > 0;
    this.faults.push({
      ...f,
      remaining: windowed ? Number.POSITIVE_INFINITY : f.count ?? 1,
      regex,
      ...(windowed ? { until: this.now() + f.durationSeconds! * 1000 } : {}),
    });
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const now = this.now();
    this.faults = this.faults.filter((x) => x.remaining > 0 && (x.until === undefined || x.until > now));
    const f = this.faults.find((x) => (!x.method || x.method.toUpperCase() === method.toUpperCase()) && x.regex.test(path));
    if (!f) return undefined;
    f.remaining -= 1;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    const { remaining: _r, regex: _x, until: _u, ...spec } = f;
    return spec;
  }

  pending(): FaultSpec[] {
    const now = this.now();
    return this.faults
      .filter((x) => x.until === undefined || x.until > now)
      .map(({ remaining, regex: _x, until, ...spec }) =>
        until !== undefined ? { ...spec, durationSeconds: Math.max(0, Math.ceil((until - now) / 1000)) } : { ...spec, count: remaining },
      );
  }

  clear(): void {
    this.faults = [];
  }
}
