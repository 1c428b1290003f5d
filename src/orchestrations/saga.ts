/**
 * Compensation for every write (the saga of a workflow).
 *
 * - A write step registers its undo BEFORE it runs (`register`), under a key: registering the same key again (a
 *   step that runs another round after a 409 busy) keeps one undo, so an unlink registers exactly one relink.
 * - A step whose goal is reached discharges its undo (`discharge`): the relink step discharges the relink.
 * - On failure the undos run in reverse order (`compensate`), each with its OWN retry budget on durable timers
 *   (`withBudget`: minutes to hours, from `settings.compensation`), not the step's few quick retries: a 300-second
 *   ARM outage or a persistent throttle outlasts a step, not a compensation. Durable timers and the orchestration's
 *   history make this survive host crashes (replay resumes the compensation where it was).
 * - An undo that cannot finish within its budget is escalated: recorded as a finding for a human (`geo-relink-failed`,
 *   `cache-unreachable`, `endpoint-half-configured`) in the workflow's result and custom status, never only in an
 *   error text.
 *
 * Everything here yields only `context.df` tasks (deterministic).
 */
import type { OrchestrationContext } from 'durable-functions';
import { COMPENSATION_DEFAULTS, type CompensationSettings, type RuntimeSettings } from '../azure/settings';
import { addSeconds, isAfterOrAt } from '../policy/time';
import type { Orchestration } from './durable-helpers';

/** Rules a compensation escalates to when it cannot finish: a human must act. */
export type EscalationRule = 'geo-relink-failed' | 'cache-unreachable' | 'endpoint-half-configured';

export interface Escalation {
  rule: EscalationRule;
  severity: 'high';
  /** What is wrong and what a human should do. */
  message: string;
  cacheId: string;
  resourceId?: string;
}

interface Undo {
  key: string;
  what: string;
  run: () => Orchestration<unknown>;
  escalate?: (error: string) => Escalation;
}

export function compensationSettings(settings: RuntimeSettings): CompensationSettings {
  return settings.compensation ?? COMPENSATION_DEFAULTS;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `Retry-After` carried in an activity's error message (`retry-after-ms=N`), when ARM sent one. */
export function retryAfterSecondsOf(message: string): number | undefined {
  const m = /retry-after-ms=(\d+)/i.exec(message);
  return m ? Math.ceil(Number(m[1]) / 1000) : undefined;
}

/**
 * Runs `body` until it succeeds, waiting on durable timers between attempts (first wait, doubling, capped; at least
 * the Retry-After ARM asked for), until the compensation budget is spent: then throws the last error.
 */
export function* withBudget<T>(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  what: string,
  body: () => Orchestration<T>,
): Orchestration<T> {
  const budget = compensationSettings(settings);
  const deadline = addSeconds(context.df.currentUtcDateTime, budget.budgetSeconds);
  let wait = budget.firstRetrySeconds;
  for (let attempt = 1; ; attempt++) {
    try {
      return yield* body();
    } catch (e) {
      const message = messageOf(e);
      const delay = Math.max(wait, retryAfterSecondsOf(message) ?? 0);
      const next = addSeconds(context.df.currentUtcDateTime, delay);
      if (isAfterOrAt(next, deadline)) {
        throw new Error(`${what}: not done after ${attempt} attempt(s) within the compensation budget of ${budget.budgetSeconds} s: ${message}`);
      }
      if (!context.df.isReplaying) context.log(`${what}: attempt ${attempt} failed (${message}); next attempt in ${delay} s`);
      yield context.df.createTimer(next);
      wait = Math.min(wait * 2, budget.maxRetrySeconds);
    }
  }
}

export class Saga {
  private readonly undos: Undo[] = [];
  /** Compensations that failed (with their last error). */
  readonly errors: string[] = [];
  /** What a human must decide (compensations that could not finish). */
  readonly escalations: Escalation[] = [];

  /** Registers an undo before its write runs; a second registration under the same key is ignored. */
  register(key: string, what: string, run: () => Orchestration<unknown>, escalate?: (error: string) => Escalation): void {
    const k = key.toLowerCase();
    if (this.undos.some((u) => u.key === k)) return;
    this.undos.push({ key: k, what, run, escalate });
  }

  /** The forward path reached what the undo would restore: forget it. */
  discharge(key: string): void {
    const k = key.toLowerCase();
    const i = this.undos.findIndex((u) => u.key === k);
    if (i >= 0) this.undos.splice(i, 1);
  }

  has(key: string): boolean {
    return this.undos.some((u) => u.key === key.toLowerCase());
  }

  get pending(): string[] {
    return this.undos.map((u) => u.what);
  }

  /** Runs the registered undos in reverse order, each with the compensation budget; never throws. */
  *compensate(context: OrchestrationContext, settings: RuntimeSettings): Orchestration<void> {
    while (this.undos.length > 0) {
      const undo = this.undos.pop()!;
      try {
        yield* withBudget(context, settings, undo.what, undo.run);
      } catch (e) {
        const message = messageOf(e);
        this.errors.push(message);
        if (undo.escalate) this.escalations.push(undo.escalate(message));
      }
    }
  }
}
