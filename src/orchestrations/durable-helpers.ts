/**
 * Small generator helpers shared by the orchestrators. Everything here yields only `context.df` tasks.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { addSeconds, isAfterOrAt } from '../policy/time';

export type Orchestration<T> = Generator<Task, T, any>;

/** Retry policy for activities: bounded by attempt count (never retryTimeoutInMilliseconds: known hang). */
export function retryOptions(settings: RuntimeSettings): df.RetryOptions {
  const r = new df.RetryOptions(settings.activityRetry.firstRetryIntervalMs, settings.activityRetry.maxNumberOfAttempts);
  r.backoffCoefficient = settings.activityRetry.backoffCoefficient;
  r.maxRetryIntervalInMilliseconds = 5 * 60_000;
  return r;
}

export function* callActivity<T>(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  name: string,
  input: unknown,
): Orchestration<T> {
  return (yield context.df.callActivityWithRetry(name, retryOptions(settings), input)) as T;
}

/**
 * A read activity that came back `{ ok: false }` (403, 400, ...) is a failure, never "not found": only a 404 makes
 * a read answer `exists: false`.
 */
export function throwIfFailed(activity: string, value: unknown): void {
  const v = value as { ok?: unknown; code?: string; message?: string } | undefined;
  if (v && typeof v === 'object' && v.ok === false) throw new Error(`${activity} failed: ${v.code ?? 'Error'}: ${v.message ?? ''}`);
}

/**
 * Polls a read activity on durable timers until `done` says so, or the operation timeout passes (then throws).
 */
export function* pollUntil<T>(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  what: string,
  name: string,
  input: unknown,
  done: (value: T) => boolean,
): Orchestration<T> {
  const deadline = addSeconds(context.df.currentUtcDateTime, settings.operationTimeoutSeconds);
  while (true) {
    const value: T = yield* callActivity<T>(context, settings, name, input);
    throwIfFailed(name, value);
    if (done(value)) return value;
    if (isAfterOrAt(context.df.currentUtcDateTime, deadline)) {
      throw new Error(`Timed out after ${settings.operationTimeoutSeconds} s waiting until ${what}`);
    }
    yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, settings.pollIntervalSeconds));
  }
}

const SETTLED_STATES = new Set(['succeeded', 'failed', 'canceled']);

/** A provisioning state in which Azure accepts changes again (not Creating, Updating, Linking, Unlinking...). */
export function isSettled(provisioningState: string | undefined): boolean {
  return SETTLED_STATES.has(String(provisioningState ?? '').toLowerCase());
}

/** Progress reported through the custom status: step k of n and what it is doing. */
export interface Progress {
  step: number;
  of: number;
  doing: string;
  cacheId?: string;
  done?: string[];
}

export class ProgressReporter {
  private step = 0;
  private readonly done: string[] = [];
  constructor(
    private readonly context: OrchestrationContext,
    private total: number,
    private readonly cacheId?: string,
  ) {}

  /** Grows the plan once it is known (e.g. 3 fixed steps + the steps of a plan). */
  setTotal(total: number): void {
    this.total = Math.max(total, this.step);
  }

  next(doing: string): void {
    if (this.step > 0 && this.current) this.done.push(this.current);
    this.step = Math.min(this.step + 1, this.total);
    this.current = doing;
    const status: Progress = { step: this.step, of: this.total, doing, cacheId: this.cacheId, done: [...this.done] };
    this.context.df.setCustomStatus(status);
    if (!this.context.df.isReplaying) this.context.log(`[${this.step}/${this.total}] ${doing}`);
  }

  private current: string | undefined;
}
