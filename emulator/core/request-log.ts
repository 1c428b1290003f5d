export interface RequestLogEntry {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  apiVersion: string | null;
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** The `error.code` of an error response. */
  errorCode?: string;
  /** The parsed JSON body of a write (PUT/PATCH/POST), for tests that need what was asked (e.g. RBAC mapping). */
  body?: unknown;
}

/** The ARM requests the emulator answered (control routes under /_emulator/ are not logged). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly max = 10_000) {}

  add(e: RequestLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  all(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
