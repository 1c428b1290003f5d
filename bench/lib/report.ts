/**
 * What every benchmark module returns, and the targets it checks. A benchmark measures figures, then checks
 * some of them against targets (PASS/FAIL); `npm run bench` exits non-zero when any target fails.
 */

export interface Figure {
  /** Stable key for `--json` consumers, e.g. `getCache.sequential.p95Ms`. */
  key: string;
  label: string;
  value: number;
  unit: string;
}

export interface Check {
  key: string;
  /** Human wording of the target, e.g. `sweep of 1,000 caches under 60 s`. */
  target: string;
  value: number;
  unit: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  limit: number;
  pass: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  /** Wall time of the whole module (setup included). */
  durationMs: number;
  figures: Figure[];
  checks: Check[];
  notes: string[];
  /** Set when the module could not finish; the runner counts it as a failed target. */
  error?: string;
}

/** Collects the figures and checks of one benchmark module. */
export class Recorder {
  readonly figures: Figure[] = [];
  readonly checks: Check[] = [];
  readonly notes: string[] = [];

  figure(key: string, label: string, value: number, unit: string): number {
    this.figures.push({ key, label, value, unit });
    return value;
  }

  check(key: string, target: string, value: number, op: Check['op'], limit: number, unit = ''): boolean {
    const pass = compare(value, op, limit);
    this.checks.push({ key, target, value, unit, op, limit, pass });
    return pass;
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

export function compare(value: number, op: Check['op'], limit: number): boolean {
  if (!Number.isFinite(value)) return false;
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
  }
}

/** Progress lines go to stderr so that `--json` keeps stdout to one JSON document. */
export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
