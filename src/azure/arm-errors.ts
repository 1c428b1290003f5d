/**
 * ARM error mapping, done once: turn whatever the SDK threw into data an activity can return or rethrow.
 *
 * Inputs seen in practice:
 * - `RestError` (@azure/core-rest-pipeline): `statusCode`, `code` (ARM `error.code`, or a Node/network code such as
 *   `ECONNREFUSED` / `REQUEST_SEND_ERROR` when there was no response), `message`, `response.headers`.
 * - The plain `Error` a failed long-running operation gives: "The long-running operation has failed. CODE. MESSAGE"
 *   (core-lro 2.x and 3.x), or "Operation was canceled".
 * - Anything else (strings, objects with `statusCode`/`code`).
 *
 * Retryable: 429, 408, 5xx (except 501/505), 409/412/423 that mean "busy", ARM's retryable codes whatever the status,
 * and network errors. Not retryable: 400, 401, 403, 404, other 409s.
 */

export type ArmErrorKind =
  | 'not-found'
  | 'conflict-busy'
  | 'throttled'
  | 'transient'
  | 'bad-request'
  | 'forbidden'
  | 'lro-failed'
  | 'unknown';

export interface ArmErrorInfo {
  /** HTTP status when there was a response. */
  status?: number;
  /** ARM error code (`ResourceNotFound`, `AnotherOperationInProgress`, ...), a network code, or a synthetic one. */
  code: string;
  message: string;
  retryable: boolean;
  kind: ArmErrorKind;
  /** From `Retry-After` / `retry-after-ms` / `x-ms-retry-after-ms` on the response, when present. */
  retryAfterMs?: number;
}

/** ARM codes for "the resource or its parent does not exist". */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set(
  ['ResourceNotFound', 'ResourceGroupNotFound', 'ParentResourceNotFound', 'NotFound', 'SubscriptionNotFound'].map((c) =>
    c.toLowerCase(),
  ),
);

/** ARM codes that mean "busy, try again later" whatever the status code. */
export const BUSY_CODES: ReadonlySet<string> = new Set(
  [
    'AnotherOperationInProgress',
    'OperationNotAllowedDueToAnotherOperation',
    'RetryableErrorDueToAnotherOperation',
    'RetryableError',
    'ReferencedResourceNotProvisioned',
    'ResourceBusy',
    'Busy',
    'PreconditionFailed',
    'OperationPreempted',
    'InProgress',
  ].map((c) => c.toLowerCase()),
);

/** Codes of a transient service failure. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(
  ['InternalServerError', 'ServiceUnavailable', 'GatewayTimeout', 'BadGateway', 'InternalError', 'OperationTimedOut', 'Timeout', 'TooManyRequests', 'SubscriptionRequestsThrottled'].map(
    (c) => c.toLowerCase(),
  ),
);

/** Node / pipeline codes of an error without a response. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'REQUEST_SEND_ERROR',
]);

/** Messages of a 409 that means "busy" when the code is generic (`Conflict`). */
const BUSY_MESSAGE = /\b(busy|in progress|another operation|try again later|retry later|is being updated|currently (?:being )?(?:updat|process|scal|link))/i;

const LRO_FAILED = /^The long-running operation has failed(?:\. ([^\s.]+)\. ([\s\S]*))?$/;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined | null } };
}

function retryAfterOf(e: ErrorLike): number | undefined {
  const get = e.response?.headers?.get?.bind(e.response.headers);
  if (!get) return undefined;
  // x-autopilot-retry-after-ms: a Retry-After the client deferred to a durable timer (clients.ts).
  for (const [header, scale] of [['retry-after-ms', 1], ['x-ms-retry-after-ms', 1], ['x-autopilot-retry-after-ms', 1], ['retry-after', 1000]] as const) {
    const raw = get(header);
    if (raw === undefined || raw === null || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return Math.round(n * scale);
  }
  return undefined;
}

function classifyStatus(status: number, code: string, message: string): { kind: ArmErrorKind; retryable: boolean } {
  const c = code.toLowerCase();
  if (status === 404 || (NOT_FOUND_CODES.has(c) && status < 500)) return { kind: 'not-found', retryable: false };
  if (status === 429) return { kind: 'throttled', retryable: true };
  if (BUSY_CODES.has(c) && status < 500) return { kind: 'conflict-busy', retryable: true };
  if (status === 409 || status === 423) {
    return BUSY_MESSAGE.test(message) ? { kind: 'conflict-busy', retryable: true } : { kind: 'bad-request', retryable: false };
  }
  if (status === 412) return { kind: 'conflict-busy', retryable: true };
  if (status === 408) return { kind: 'transient', retryable: true };
  if (status === 401 || status === 403) return { kind: 'forbidden', retryable: false };
  if (status === 501 || status === 505) return { kind: 'bad-request', retryable: false };
  if (status >= 500) return { kind: 'transient', retryable: true };
  if (status >= 400) return { kind: 'bad-request', retryable: false };
  // A 1xx/2xx/3xx the operation does not accept (e.g. 202 on a Redis PEC DELETE).
  return { kind: 'unknown', retryable: false };
}

/** Whether an LRO failure code is worth another attempt. */
function lroRetryable(code: string, message: string): boolean {
  const c = code.toLowerCase();
  if (BUSY_CODES.has(c) || TRANSIENT_CODES.has(c)) return true;
  return c === 'conflict' && BUSY_MESSAGE.test(message);
}

/** Map anything thrown by an SDK call to `ArmErrorInfo`. Never throws. */
export function mapArmError(error: unknown): ArmErrorInfo {
  if (error === null || error === undefined) {
    return { code: 'Unknown', message: String(error), retryable: false, kind: 'unknown' };
  }
  if (typeof error !== 'object') {
    return { code: 'Unknown', message: String(error), retryable: false, kind: 'unknown' };
  }
  const e = error as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' && e.code.length > 0 ? e.code : undefined;
  const rawStatus = typeof e.statusCode === 'number' ? e.statusCode : typeof e.response?.status === 'number' ? e.response.status : undefined;

  if (rawStatus !== undefined) {
    const finalCode = code ?? `Http${rawStatus}`;
    const { kind, retryable } = classifyStatus(rawStatus, finalCode, message);
    const info: ArmErrorInfo = { status: rawStatus, code: finalCode, message, retryable, kind };
    const retryAfterMs = retryAfterOf(e);
    if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
    return info;
  }

  const lro = LRO_FAILED.exec(message);
  if (lro) {
    const lroCode = lro[1] ?? 'OperationFailed';
    const lroMessage = lro[2] ?? message;
    const info: ArmErrorInfo = { code: lroCode, message: lroMessage, retryable: lroRetryable(lroCode, lroMessage), kind: 'lro-failed' };
    return info;
  }
  if (message === 'Operation was canceled' || e.name === 'PollerCancelledError') {
    return { code: 'OperationCanceled', message, retryable: false, kind: 'lro-failed' };
  }
  if (e.name === 'AbortError') {
    return { code: 'Aborted', message, retryable: false, kind: 'unknown' };
  }
  if (code && NETWORK_CODES.has(code.toUpperCase())) {
    return { code, message, retryable: true, kind: 'transient' };
  }
  return { code: code ?? 'Unknown', message, retryable: false, kind: 'unknown' };
}

/** 404 / ResourceNotFound (also when a long-running operation failed with a not-found code). */
export function isNotFound(error: unknown): boolean {
  const info = mapArmError(error);
  return info.kind === 'not-found' || (info.kind === 'lro-failed' && NOT_FOUND_CODES.has(info.code.toLowerCase()));
}

export function isRetryable(error: unknown): boolean {
  return mapArmError(error).retryable;
}

/** `CODE (status): message`, for logs and activity results. */
export function describeArmError(error: unknown): string {
  const i = mapArmError(error);
  return `${i.code}${i.status !== undefined ? ` (${i.status})` : ''}: ${i.message}`;
}

/** Awaits an ARM read; a 404 (resource or parent not found) gives `undefined`, any other error is rethrown. */
export async function ifExists<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
