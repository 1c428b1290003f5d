/**
 * Wire and state types of the embedded Durable host.
 *
 * History events use DurableTask.Core's serialization, which is what the Durable extension hands to the
 * JavaScript replay engine: PascalCase fields, a numeric `EventType`, `EventId` (the sequence id for
 * TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated, -1 otherwise), `IsPlayed`, an ISO
 * `Timestamp`, and results as JSON text.
 */

export const HistoryEventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;
export type HistoryEventType = (typeof HistoryEventType)[keyof typeof HistoryEventType];

const EVENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(HistoryEventType).map(([k, v]) => [v, k]),
);

/** `TaskScheduled`, `TimerFired`, ... for a numeric event type. */
export function historyEventName(type: number): string {
  return EVENT_NAMES[type] ?? `Unknown(${type})`;
}

export interface ParentInstance {
  InstanceId: string;
  ExecutionId: string;
  TaskScheduleId: number;
  Name: string;
}

/** One DurableTask.Core history event (only the fields this host uses). */
export interface HistoryEvent {
  EventType: HistoryEventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  /** Function name (ExecutionStarted, TaskScheduled, SubOrchestrationInstanceCreated) or event name (EventRaised). */
  Name?: string;
  /** JSON text. */
  Input?: string | null;
  /** JSON text (completions) or the failure/terminate text. */
  Result?: string | null;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  /** Child instance id (SubOrchestrationInstanceCreated). */
  InstanceId?: string;
  /** ExecutionStarted of a sub-orchestration. */
  ParentInstance?: ParentInstance | null;
  OrchestrationInstance?: { InstanceId: string; ExecutionId: string };
  /** ExecutionCompleted. */
  OrchestrationStatus?: RuntimeStatus;
}

/** Action types of the out-of-proc protocol (durable-functions `ActionType`). */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

const ACTION_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ActionType).map(([k, v]) => [v, k]));
export function actionTypeName(type: number): string {
  return ACTION_NAMES[type] ?? `Unknown(${type})`;
}

/** RetryOptions as durable-functions serializes them into an action. */
export interface RetryOptionsWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** An action object as returned in `OrchestratorState.actions` (JSON). */
export interface ActionWire {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptionsWire;
  instanceId?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: ActionWire[];
}

/** `OrchestratorState` returned by the durable-functions replay engine. */
export interface OrchestratorStateWire {
  isDone: boolean;
  actions: ActionWire[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Canceled'
  | 'Terminated'
  | 'Suspended';

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set<RuntimeStatus>([
  'Completed',
  'Failed',
  'Terminated',
  'Canceled',
]);

/** Statuses that refuse a new start with the same instance id (extension default: NonRunningStates overridable). */
export const RUNNING_STATUSES: ReadonlySet<RuntimeStatus> = new Set<RuntimeStatus>([
  'Pending',
  'Running',
  'ContinuedAsNew',
  'Suspended',
]);

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Mirrors durable-functions' `DurableOrchestrationStatus`. */
export interface OrchestrationStatus {
  name: string;
  instanceId: string;
  createdTime: Date;
  lastUpdatedTime: Date;
  input: unknown;
  output: unknown;
  runtimeStatus: RuntimeStatus;
  customStatus?: unknown;
  history?: unknown[];
}

/** What a scheduled task slot is, as DurableTask.Core sees it. */
export type SlotKind = 'activity' | 'timer' | 'subOrchestration';

/**
 * One scheduling action produced by the orchestrator, in the order the replay produces them. The retry
 * protocol and long timers add host-allocated sequence ids (retry timers, re-attempts, timer segments).
 */
export interface Slot {
  kind: SlotKind;
  /** Activity or orchestrator name. */
  name?: string;
  /** Sequence id of the first TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated. */
  firstId: number;
  /** Sequence id of the current attempt (retries) or current timer segment (long timers). */
  currentId: number;
  /** JSON text of the input (activities, sub-orchestrations), kept to re-schedule retries. */
  input?: string | null;
  /** Sub-orchestration instance id requested by the orchestrator (undefined = default id). */
  requestedInstanceId?: string;
  /** Sub-orchestration instance id of the current attempt. */
  childInstanceId?: string;
  retry?: {
    options: RetryOptionsWire;
    /** Attempts started so far. */
    attempts: number;
    firstAttemptAt: string;
    /** Sequence id of the pending retry timer, if any. */
    timerId?: number;
  };
  longTimer?: { finalFireAt: string };
  /** Timer canceled by the orchestrator (Task.any + cancel). */
  canceled?: boolean;
}

export interface ActivityWorkItem {
  executionId: string;
  taskScheduledId: number;
  name: string;
  /** JSON text, or null when the orchestrator passed no input. */
  input: string | null;
}

export interface TimerWorkItem {
  executionId: string;
  timerId: number;
  fireAt: string;
}

export interface ParentRef {
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
  name: string;
}

/** Messages for other instances, kept until the target has durably received them. */
export type OutboxMessage =
  | {
      kind: 'startChild';
      id: string;
      target: string;
      name: string;
      input: string;
      parent: ParentRef;
    }
  | {
      kind: 'notifyParent';
      id: string;
      target: string;
      targetExecutionId: string;
      event: HistoryEvent;
    };

/** The persisted state of one orchestration instance (one JSON file per instance). */
export interface InstanceRecord {
  formatVersion: 1;
  instanceId: string;
  executionId: string;
  name: string;
  /** JSON text. */
  input: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text of the output (for Failed/Terminated: a JSON string with the reason). */
  output: string | null;
  /** JSON text. */
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  parent: ParentRef | null;
  history: HistoryEvent[];
  /** Messages delivered to the instance but not yet processed by an episode. */
  inbox: HistoryEvent[];
  slots: Slot[];
  nextSequenceId: number;
  activities: ActivityWorkItem[];
  timers: TimerWorkItem[];
  outbox: OutboxMessage[];
  episodes: number;
}
