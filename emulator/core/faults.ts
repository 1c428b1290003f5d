/** Request faults: answer the next N matching requests with an error (and/or delay them). */
export interface FaultSpec {
  method?: string;
  /** Regex, case-insensitive, matched on the decoded request path. */
  pathPattern: string;
  /** Status to answer with; a status below 400 only delays the request (with latencyMs) and lets it through. */
  status: number;
  code: string;
  message?: string;
  /** How many matching requests the fault applies to (default 1). */
  count?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
  regex: RegExp;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(f: FaultSpec): void {
    if (typeof f.pathPattern !== 'string') throw new Error('pathPattern is required');
    const regex = new RegExp(f.pathPattern, 'i');
    this.faults.push({ ...f, remaining: f.count ?? 1, regex });
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const f = this.faults.find(
      (x) => x.remaining > 0 && (!x.method || x.method.toUpperCase() === method.toUpperCase()) && x.regex.test(path),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    const { remaining: _r, regex: _x, ...spec } = f;
    return spec;
  }

  pending(): FaultSpec[] {
    return this.faults.map(({ remaining, regex: _x, ...spec }) => ({ ...spec, count: remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}
