/**
 * Human gates and maintenance windows inside orchestrations (deterministic: time from
 * `context.df.currentUtcDateTime`, waits with durable timers and external events).
 *
 * A workflow waiting for a decision shows it in its custom status under `waitingFor` (what, why, since when, until
 * when, who may decide, how to answer). The decision arrives as the external event `decision`
 * (`{ gate, decision: approve|reject, comment, principal, decidedAt }`, raised by `POST
 * /api/runbooks/decisions/{instanceId}` or `autopilot decide`): the event, with the decider's principal, is kept in
 * the orchestration history. A decision for another gate is ignored. No decision before the gate's timeout: its
 * `onTimeout` applies (reject by default).
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  DISRUPTIVE_GATES,
  GATE_DESCRIPTIONS,
  gateSettings,
  nextWindow,
  type GateName,
  type GatePolicy,
} from '../policy/gates';
import { addSeconds } from '../policy/time';
import type { Orchestration } from './durable-helpers';

export const DECISION_EVENT = 'decision';
/** Error message prefix when a gate was rejected (callers turn it into a refusal). */
export const GATE_REJECTED = 'GateRejected';

export interface DecisionEvent {
  gate: string;
  decision: 'approve' | 'reject';
  comment?: string;
  principal?: { id?: string; name?: string; identityProvider?: string };
  decidedAt?: string;
}

export interface PendingDecision {
  gate: GateName;
  what: string;
  why: string;
  since: string;
  timeoutAt: string;
  onTimeout: 'approve' | 'reject';
  /** Roles or groups that may decide; empty: anyone allowed to call the runbooks. */
  approvers: string[];
  instanceId: string;
  answer: { route: string; body: { gate: GateName; decision: 'approve|reject'; comment: string } };
  reminders: number;
}

export interface DecisionRecord {
  gate: GateName;
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
  at: string;
  timedOut: boolean;
}

export interface GateRequest {
  gate: GateName;
  /** What will happen when approved (one line). */
  what: string;
  /** Why a decision is needed (defaults to the gate's description). */
  why?: string;
  /** Shown next to `waitingFor` in the custom status (progress of the workflow). */
  status?: Record<string, unknown>;
  /** Overrides the gate's reminder interval. */
  reminderMinutes?: number;
}

function describePrincipal(p: DecisionEvent['principal']): string {
  if (!p) return 'anonymous (no principal)';
  return p.name ? `${p.name}${p.id ? ` (${p.id})` : ''}` : p.id ?? 'anonymous (no principal)';
}

/** Waits for a decision on one gate; returns it (a timeout yields the gate's `onTimeout`). */
export function* awaitDecision(context: OrchestrationContext, policy: GatePolicy, request: GateRequest): Orchestration<DecisionRecord> {
  const settings = gateSettings(policy, request.gate);
  const since = context.df.currentUtcDateTime;
  const timeoutAt = addSeconds(since, settings.timeoutMinutes * 60);
  const reminderMinutes = request.reminderMinutes ?? settings.reminderMinutes;
  const pending: PendingDecision = {
    gate: request.gate,
    what: request.what,
    why: request.why ?? GATE_DESCRIPTIONS[request.gate],
    since: since.toISOString(),
    timeoutAt: timeoutAt.toISOString(),
    onTimeout: settings.onTimeout,
    approvers: settings.approvers,
    instanceId: context.df.instanceId,
    answer: {
      route: `POST /api/runbooks/decisions/${encodeURIComponent(context.df.instanceId)}`,
      body: { gate: request.gate, decision: 'approve|reject', comment: '...' },
    },
    reminders: 0,
  };
  const show = () => context.df.setCustomStatus({ ...(request.status ?? {}), doing: `Waiting for a decision: ${request.gate}`, waitingFor: { ...pending } });
  show();
  if (!context.df.isReplaying) context.log(`Waiting for a decision on ${request.gate} until ${pending.timeoutAt}: ${request.what}`);
  while (true) {
    // Fresh tasks each round (a timer reused across rounds would be scheduled again); the losers are cancelled.
    const event = context.df.waitForExternalEvent(DECISION_EVENT);
    const timeout = context.df.createTimer(timeoutAt);
    const now = context.df.currentUtcDateTime;
    const reminderAt = reminderMinutes > 0 ? addSeconds(now, reminderMinutes * 60) : undefined;
    const reminder = reminderAt && reminderAt.getTime() < timeoutAt.getTime() ? context.df.createTimer(reminderAt) : undefined;
    const tasks: Task[] = [event, timeout, ...(reminder ? [reminder] : [])];
    const winner = yield context.df.Task.any(tasks);
    if (winner !== timeout && !timeout.isCompleted) timeout.cancel();
    if (winner === event) {
      if (reminder && !reminder.isCompleted) reminder.cancel();
      const d = (event.result ?? {}) as DecisionEvent;
      if (String(d.gate ?? '').toLowerCase() !== request.gate.toLowerCase() || (d.decision !== 'approve' && d.decision !== 'reject')) {
        if (!context.df.isReplaying) context.log(`Ignored a decision for gate '${String(d.gate)}' while waiting on ${request.gate}`);
        continue;
      }
      const record: DecisionRecord = {
        gate: request.gate,
        decision: d.decision,
        by: describePrincipal(d.principal),
        ...(d.comment ? { comment: d.comment } : {}),
        at: context.df.currentUtcDateTime.toISOString(),
        timedOut: false,
      };
      context.df.setCustomStatus({ ...(request.status ?? {}), doing: `Decision on ${request.gate}: ${record.decision} by ${record.by}`, lastDecision: record });
      return record;
    }
    if (winner === timeout) {
      if (reminder && !reminder.isCompleted) reminder.cancel();
      const record: DecisionRecord = {
        gate: request.gate,
        decision: settings.onTimeout,
        by: 'timeout',
        comment: `No decision within ${settings.timeoutMinutes} minute(s): ${settings.onTimeout} (the gate's onTimeout).`,
        at: context.df.currentUtcDateTime.toISOString(),
        timedOut: true,
      };
      context.df.setCustomStatus({ ...(request.status ?? {}), doing: `Decision on ${request.gate}: ${record.decision} (timeout)`, lastDecision: record });
      return record;
    }
    // A reminder: still waiting.
    pending.reminders += 1;
    show();
    if (!context.df.isReplaying) context.log(`Reminder ${pending.reminders}: still waiting for a decision on ${request.gate} (${request.what}); times out at ${pending.timeoutAt}`);
  }
}

export interface WindowRecord {
  gate: GateName;
  waited: boolean;
  /** When the step was allowed to run. */
  runsAt: string;
}

/** The next time the step may run: now, or the opening of the next maintenance window (undefined: no windows). */
export function windowFor(context: OrchestrationContext, policy: GatePolicy, gate: GateName): { runsAt: Date; open: boolean } | undefined {
  if (!DISRUPTIVE_GATES.includes(gate)) return undefined;
  return nextWindow(policy.maintenanceWindows, context.df.currentUtcDateTime);
}

/** A disruptive step waits on a durable timer until a maintenance window is open. */
export function* awaitMaintenanceWindow(
  context: OrchestrationContext,
  policy: GatePolicy,
  gate: GateName,
  what: string,
  status: Record<string, unknown> = {},
): Orchestration<WindowRecord> {
  const w = windowFor(context, policy, gate);
  if (!w || w.open) return { gate, waited: false, runsAt: context.df.currentUtcDateTime.toISOString() };
  context.df.setCustomStatus({ ...status, doing: `Waiting for the maintenance window at ${w.runsAt.toISOString()}: ${what}`, waitingForWindow: { gate, what, runsAt: w.runsAt.toISOString() } });
  if (!context.df.isReplaying) context.log(`${what}: waits for the maintenance window opening at ${w.runsAt.toISOString()}`);
  yield context.df.createTimer(w.runsAt);
  return { gate, waited: true, runsAt: w.runsAt.toISOString() };
}

export interface GateOutcome {
  approved: boolean;
  decision?: DecisionRecord;
  window?: WindowRecord;
  message: string;
}

/**
 * The gate of one disruptive step: a decision when the gate is on (`required`, default: the policy lists it),
 * then a maintenance window when the step is disruptive. Rejected: nothing runs.
 */
export function* passGate(
  context: OrchestrationContext,
  policy: GatePolicy,
  request: GateRequest & { required?: boolean },
): Orchestration<GateOutcome> {
  const required = request.required ?? !!policy.approvals?.[request.gate];
  let decision: DecisionRecord | undefined;
  if (required) {
    decision = yield* awaitDecision(context, policy, request);
    if (decision.decision === 'reject') {
      return {
        approved: false,
        decision,
        message: `${GATE_REJECTED}: ${request.gate} was rejected by ${decision.by}${decision.comment ? ` (${decision.comment})` : ''}; ${request.what} did not run.`,
      };
    }
  }
  const window = yield* awaitMaintenanceWindow(context, policy, request.gate, request.what, request.status);
  return {
    approved: true,
    ...(decision ? { decision } : {}),
    window,
    message: `${request.gate}: ${decision ? `approved by ${decision.by}` : 'no approval needed'}${window.waited ? `; ran in the maintenance window at ${window.runsAt}` : ''}.`,
  };
}
