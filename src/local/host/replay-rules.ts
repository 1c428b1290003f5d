/**
 * What the Durable extension (DurableTask.Core) adds on top of the JavaScript replay engine:
 * flattening the returned actions, the non-determinism check, and the retry-timer arithmetic.
 *
 * Message texts follow DurableTask.Core's TaskOrchestrationContext (HandleTaskScheduledEvent,
 * HandleTimerCreatedEvent, HandleSubOrchestrationCreatedEvent) and NonDeterministicOrchestrationException.
 */
import { ActionType, actionTypeName, type ActionWire, type RetryOptionsWire, type Slot, type SlotKind } from './types';

/** The extension's default for RetryOptions.MaxRetryInterval. */
export const DEFAULT_MAX_RETRY_INTERVAL_MS = 6 * 24 * 3600_000;
/** Timers longer than this are split (extension's maximumShortTimerDuration, "6.00:00:00"). */
export const MAXIMUM_SHORT_TIMER_MS = 6 * 24 * 3600_000;
/** Length of one segment of a long timer (extension's longRunningTimerIntervalDuration, "3.00:00:00"). */
export const LONG_RUNNING_TIMER_INTERVAL_MS = 3 * 24 * 3600_000;

const NON_DETERMINISTIC = 'Non-Deterministic workflow detected: ';
const CHANGED = 'Was a change made to the orchestrator code after this instance had already started running?';

/** The orchestration must fail with this message (the extension's own failures, not the orchestrator's). */
export class OrchestrationRuleError extends Error {
  override readonly name = 'OrchestrationRuleError';
}

/**
 * Leaves of the action list in production order: compound WhenAll/WhenAny are walked depth-first, which is
 * also the order in which durable-functions assigns sequence numbers. External-event waits consume no
 * sequence number and continueAsNew is not a task, so both are left out.
 */
export function flattenActions(actions: ActionWire[][] | undefined): ActionWire[] {
  const out: ActionWire[] = [];
  const walk = (a: ActionWire): void => {
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny) {
      for (const c of a.compoundActions ?? []) walk(c);
    } else if (a.actionType !== ActionType.WaitForExternalEvent && a.actionType !== ActionType.ContinueAsNew) {
      out.push(a);
    }
  };
  for (const group of actions ?? []) for (const a of group ?? []) walk(a);
  return out;
}

/** The continueAsNew action, if the orchestrator called it. */
export function findContinueAsNew(actions: ActionWire[][] | undefined): ActionWire | undefined {
  for (const group of actions ?? []) {
    for (const a of group ?? []) if (a.actionType === ActionType.ContinueAsNew) return a;
  }
  return undefined;
}

/** Slot kind of an action, or undefined for actions this host does not implement (entities, callHttp). */
export function kindOfAction(actionType: number): SlotKind | undefined {
  switch (actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return 'activity';
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return 'subOrchestration';
    case ActionType.CreateTimer:
      return 'timer';
    default:
      return undefined;
  }
}

/** DurableTask.Core's class name of the action an orchestrator produced. */
function coreActionClass(actionType: number): string {
  switch (kindOfAction(actionType)) {
    case 'activity':
      return 'ScheduleTaskOrchestratorAction';
    case 'timer':
      return 'CreateTimerOrchestratorAction';
    case 'subOrchestration':
      return 'CreateSubOrchestrationAction';
    default:
      return `${actionTypeName(actionType)}Action`;
  }
}

function missing(slot: Slot): string {
  switch (slot.kind) {
    case 'activity':
      return `A previous execution of this orchestration scheduled an activity task with sequence ID ${slot.firstId} and name '${slot.name ?? ''}' (version ''), but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
    case 'timer':
      return `A previous execution of this orchestration scheduled a timer task with sequence number ${slot.firstId} but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
    case 'subOrchestration':
      return `A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID ${slot.firstId} and name '${slot.name ?? ''}' (version '', instance ID '${slot.childInstanceId ?? ''}'), but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
  }
}

function otherType(slot: Slot, produced: ActionWire): string {
  const cls = coreActionClass(produced.actionType);
  switch (slot.kind) {
    case 'activity':
      return `A previous execution of this orchestration scheduled an activity task with sequence number ${slot.firstId} named '${slot.name ?? ''}', but the current orchestration replay instead produced a ${cls} action with this sequence number. ${CHANGED}`;
    case 'timer':
      return `A previous execution of this orchestration scheduled a timer task with sequence number ${slot.firstId} named but the current orchestration replay instead produced a ${cls} action with this sequence number. ${CHANGED}`;
    case 'subOrchestration':
      return `A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID ${slot.firstId} and name '${slot.name ?? ''}' (version '', instance ID '${slot.childInstanceId ?? ''}'), but the current orchestration replay instead produced a ${cls} action at this sequence number. ${CHANGED}`;
  }
}

function otherName(slot: Slot, produced: ActionWire): string {
  if (slot.kind === 'subOrchestration') {
    return `A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID ${slot.firstId} and name '${slot.name ?? ''}' (version '', instance ID '${slot.childInstanceId ?? ''}'), but the current orchestration replay instead scheduled a sub-orchestration task with name ${produced.functionName ?? ''} at this sequence number. ${CHANGED}`;
  }
  // DurableTask.Core's text has two spaces before "Was a change".
  return `A previous execution of this orchestration scheduled an activity task with sequence number ${slot.firstId} named '${slot.name ?? ''}', but the current orchestration replay instead scheduled an activity task named '${produced.functionName ?? ''}' with this sequence number.  ${CHANGED}`;
}

/**
 * Compare what the replay produced with what history says was scheduled (by position, kind and
 * case-insensitive name), as DurableTask.Core does while replaying TaskScheduled / TimerCreated /
 * SubOrchestrationInstanceCreated events. Returns the failure message, or undefined when consistent.
 */
export function checkDeterminism(slots: readonly Slot[], leaves: readonly ActionWire[]): string | undefined {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const produced = leaves[i];
    if (!produced) return NON_DETERMINISTIC + missing(slot);
    if (kindOfAction(produced.actionType) !== slot.kind) return NON_DETERMINISTIC + otherType(slot, produced);
    if (slot.kind !== 'timer' && (produced.functionName ?? '').toLowerCase() !== (slot.name ?? '').toLowerCase()) {
      return NON_DETERMINISTIC + otherName(slot, produced);
    }
  }
  return undefined;
}

/**
 * Delay before the next attempt, as DurableTask.Core's RetryInterceptor computes it after a failed attempt
 * (`attemptIndex` is 0 for the first attempt). 0 means "give up without a timer" (retryTimeout elapsed).
 */
export function computeRetryDelay(options: RetryOptionsWire, attemptIndex: number, firstAttemptAt: number, now: number): number {
  const timeout = options.retryTimeoutInMilliseconds;
  if (typeof timeout === 'number' && !(now < firstAttemptAt + timeout)) return 0;
  const next = options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient ?? 1, attemptIndex);
  const max = options.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS;
  return next < max ? next : max;
}

/** Fire time of the next segment of a (possibly long) timer, as durable-functions' LongTimerTask computes it. */
export function nextTimerSegment(finalFireAt: number, now: number): number {
  return finalFireAt - now > MAXIMUM_SHORT_TIMER_MS ? now + LONG_RUNNING_TIMER_INTERVAL_MS : finalFireAt;
}

/** JSON text of an input that durable-functions passed through `Utils.processInput` (strings arrive JSON-encoded). */
export function processedInputToJson(input: unknown): string | null {
  if (input === undefined) return null;
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
      return input;
    } catch {
      return JSON.stringify(input);
    }
  }
  return JSON.stringify(input);
}
