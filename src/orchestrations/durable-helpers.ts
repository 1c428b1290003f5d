/**
 * Small generator helpers shared by the orchestrators. Everything here yields only `context.df` tasks.
 */
import * as df from 'durable-functions';
import { orchestrationLogger, type Logger } from '../observability/logger';
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

/** Progress reported through the custom status: phase k of n (n fixed up front) and what it is doing. */
export interface Progress {
  step: number;
  of: number;
  doing: string;
  cacheId?: string;
  done?: string[];
  /** Work counted only once known (a plan's steps) is shown as items of the current phase: the phase total never changes. */
  items?: { done: number; total: number };
}

/**
 * The phases of a workflow, counted against a total fixed when the workflow starts (`[2/4]` never becomes `[2/5]`).
 * `beginItems(n)` makes the next `next()` calls items of the current phase (`[3/4] ... (2/5)`), e.g. the steps of a
 * plan. Each step is logged once (replay-safe) with the cache, the instance and the step as dimensions.
 */
export class ProgressReporter {
  private step = 0;
  private readonly done: string[] = [];
  private items: { done: number; total: number } | undefined;
  private current: string | undefined;
  private readonly log: Logger;
  constructor(
    private readonly context: OrchestrationContext,
    private readonly total: number,
    private readonly cacheId?: string,
  ) {
    this.log = orchestrationLogger(context, { cacheId });
  }

  /** Kept for callers that grew the total: now the extra work becomes items of the current phase. */
  setTotal(total: number): void {
    this.beginItems(Math.max(0, total - this.step));
  }

  /** The next `count` calls of `next()` are items of the current phase. */
  beginItems(count: number): void {
    this.items = count > 0 ? { done: 0, total: count } : undefined;
  }

  endItems(): void {
    this.items = undefined;
  }

  next(doing: string): void {
    if (this.current) this.done.push(this.current);
    if (this.items && this.items.done < this.items.total) this.items = { ...this.items, done: this.items.done + 1 };
    else {
      this.items = undefined;
      this.step = Math.min(this.step + 1, this.total);
    }
    this.current = doing;
    const status: Progress = { step: this.step, of: this.total, doing, cacheId: this.cacheId, done: [...this.done], ...(this.items ? { items: this.items } : {}) };
    this.context.df.setCustomStatus(status);
    const counter = `[${this.step}/${this.total}]${this.items ? ` (${this.items.done}/${this.items.total})` : ''}`;
    this.log.info(`${counter} ${doing}`, { step: doing.split(' ')[0], stepIndex: this.step, stepTotal: this.total });
  }
}
