/**
 * How activities are defined and registered. An activity is one idempotent ARM step: read, then act.
 * Expected outcomes (not found, refused by Azure) come back as data (`{ ok: false, code, message }`); only faults
 * worth retrying (429, 5xx, 409 busy, network) are thrown, so `callActivityWithRetry` retries them.
 */
import * as df from 'durable-functions';
import { mapArmError } from '../azure/arm-errors';
import { getDependencies, type Dependencies } from '../azure/dependencies';
import { loggerFor, processLogger, type InvocationLike, type Logger } from '../observability/logger';

export type Failure = { ok: false; code: string; message: string; status?: number };
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

export interface ActivityDefinition<I = any, R = any> {
  name: string;
  run(input: I, deps: Dependencies, log: Logger): Promise<R>;
}

export function defineActivity<I, R>(name: string, run: (input: I, deps: Dependencies, log: Logger) => Promise<R>): ActivityDefinition<I, R> {
  return { name, run };
}

export function failure(code: string, message: string, status?: number): Failure {
  return { ok: false, code, message, ...(status !== undefined ? { status } : {}) };
}

/** Runs an activity body: retryable faults are rethrown (as plain messages), other ARM errors become data. */
export async function runActivity<I, R>(def: ActivityDefinition<I, R>, input: I, deps: Dependencies, context?: InvocationLike): Promise<R | Failure> {
  const cacheId = typeof (input as { cacheId?: unknown } | undefined)?.cacheId === 'string' ? (input as { cacheId: string }).cacheId : undefined;
  const log = context ? loggerFor(context, { operation: def.name, cacheId }) : processLogger({ operation: def.name, cacheId });
  try {
    return await def.run(input, deps, log);
  } catch (e) {
    const mapped = mapArmError(e);
    const retrying = mapped.retryable && mapped.kind !== 'lro-failed';
    log.warn(`${def.name}: ${mapped.code} (${mapped.status ?? 'no status'}): ${mapped.message}${retrying ? ' (retried)' : ''}`, { outcome: retrying ? 'retry' : 'failed', code: mapped.code });
    // A long-running operation that ended Failed is an outcome, not a fault to retry: the step fails at once with
    // ARM's error (another attempt would start a new operation; the workflow's compensation decides).
    if (mapped.kind === 'lro-failed') return failure(mapped.code, `The operation ended Failed: ${mapped.message}`);
    if (mapped.retryable) {
      const retryAfter = mapped.retryAfterMs !== undefined ? ` retry-after-ms=${mapped.retryAfterMs}` : '';
      throw new Error(`${def.name}: ${mapped.code} (${mapped.status ?? 'no status'}): ${mapped.message}${retryAfter}`);
    }
    return failure(mapped.code, mapped.message, mapped.status);
  }
}

export function registerActivity(def: ActivityDefinition): void {
  df.app.activity(def.name, { handler: (input: unknown, context) => runActivity(def, input, getDependencies(), context) });
}
