/**
 * The durable engine: the part of "Functions host + Durable extension + DurableTask.Core" that runs
 * orchestrations, around the real durable-functions replay engine.
 *
 * Each episode feeds the orchestrator the extension's out-of-proc payload (full history with past events
 * marked played, an OrchestratorStarted event and the new messages), reads back the `OrchestratorState`, then
 * re-applies what DurableTask.Core guarantees: the non-determinism check, sequence ids, the retry-timer
 * protocol of callActivityWithRetry / callSubOrchestratorWithRetry, long-timer segments, sub-orchestration
 * ids and failure propagation, continueAsNew, external events, custom status, suspend/resume and terminate.
 *
 * Scheduling: activities run concurrently up to a bound; episodes of one instance never overlap. Messages
 * are batched into one episode except when a message makes the host allocate sequence ids (retry timers,
 * re-attempts, timer segments): such a message is delivered alone, so the ids the host assigns are the ids
 * the JavaScript side assigns.
 *
 * Durability (write-ahead): an instance file is written after each episode, before any work that episode
 * started is dispatched; completions and incoming messages are written in coalesced batches; messages to
 * other instances sit in the sender's outbox until the receiver's file holds them. After a crash every
 * unfinished instance resumes: in-flight activities run again (at-least-once, as in Azure), work whose
 * completion was written is never redone.
 */
import * as crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock, ClockTimer } from './clock';
import { errorMessage, typedDataToJsonText, type FunctionInvoker, type InvokeOutcome, type LogLine } from './invoker';
import type { FunctionRegistry } from './registry';
import {
  checkDeterminism,
  computeRetryDelay,
  findContinueAsNew,
  flattenActions,
  kindOfAction,
  nextTimerSegment,
  OrchestrationRuleError,
  processedInputToJson,
  MAXIMUM_SHORT_TIMER_MS,
} from './replay-rules';
import type { DurableStore } from './store';
import {
  ActionType,
  actionTypeName,
  HistoryEventType as ET,
  isTerminal,
  RUNNING_STATUSES,
  type ActivityWorkItem,
  type HistoryEvent,
  type InstanceRecord,
  type OrchestrationStatus,
  type OrchestratorStateWire,
  type OutboxMessage,
  type ParentRef,
  type RuntimeStatus,
  type Slot,
  type TimerWorkItem,
} from './types';

const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';
const MAX_BATCH = 100;
const MAX_INSTANCE_ID_LENGTH = 256;

/** An error of the durable HTTP API / client operations, with the HTTP status the extension answers. */
export class DurableApiError extends Error {
  override readonly name = 'DurableApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EngineOptions {
  registry: FunctionRegistry;
  invoker: FunctionInvoker;
  store: DurableStore;
  clock: Clock;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  log: LogLine;
}

interface LiveInstance {
  rec: InstanceRecord;
  /** Sequence id -> index in rec.slots (current attempts, retry timers, timer segments). */
  ids: Map<number, number>;
  running: boolean;
  timerHandles: Map<number, ClockTimer>;
}

interface QueuedActivity extends ActivityWorkItem {
  instanceId: string;
}

interface EpisodePlan {
  scheduling: HistoryEvent[];
  activities: ActivityWorkItem[];
  timers: TimerWorkItem[];
  outbox: OutboxMessage[];
  cancelTimers: number[];
}

/** FIFO queue with O(1) shift. */
class Queue<T> {
  #items: T[] = [];
  #head = 0;
  get length(): number {
    return this.#items.length - this.#head;
  }
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

function newExecutionId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

function parseJsonText(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Validation of instance ids, as the Durable extension applies it. */
export function validateInstanceId(instanceId: string): void {
  if (instanceId.length === 0) throw new DurableApiError(400, 'Instance ID must not be empty.');
  if (instanceId.startsWith('@')) throw new DurableApiError(400, 'Orchestration instance ids must not start with @.');
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    throw new DurableApiError(400, `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(instanceId)) {
    throw new DurableApiError(400, `Instance ID '${instanceId}' contains invalid characters.`);
  }
}

/** `Details` of a TaskFailed event: the serialized cause (an approximation of the extension's JSON). */
function serializeCause(error: unknown): string {
  const e = error instanceof Error ? error : undefined;
  return JSON.stringify({
    ClassName: e?.name ?? typeof error,
    Message: errorMessage(error),
    StackTrace: e?.stack ?? null,
  });
}

export class DurableEngine extends EventEmitter {
  readonly #o: EngineOptions;
  readonly #instances = new Map<string, LiveInstance>();
  readonly #ready = new Set<string>();
  readonly #activityQueue = new Queue<QueuedActivity>();
  /** Activities queued (not started) per instance. */
  readonly #queuedPerInstance = new Map<string, number>();
  readonly #dirty = new Set<string>();
  #afterFlush: Array<() => void> = [];
  readonly #outboxInFlight = new Set<string>();
  readonly #episodes = new Set<Promise<void>>();
  #activitiesInFlight = 0;
  #episodesInFlight = 0;
  #pumpScheduled = false;
  #flushScheduled = false;
  #started = false;
  #stopped = false;

  constructor(options: EngineOptions) {
    super();
    this.setMaxListeners(0);
    this.#o = options;
  }

  // #region lifecycle

  /** Load persisted instances and resume every unfinished one. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const rec of this.#o.store.loadAll()) {
      const live: LiveInstance = { rec, ids: new Map(), running: false, timerHandles: new Map() };
      this.#rebuildIds(live);
      this.#instances.set(rec.instanceId, live);
    }
    for (const live of this.#instances.values()) {
      const rec = live.rec;
      if (!isTerminal(rec.runtimeStatus)) {
        for (const a of rec.activities) this.#queueActivity({ ...a, instanceId: rec.instanceId });
        for (const t of rec.timers) this.#armTimer(live, t);
        if (this.#isRunnable(live)) this.#ready.add(rec.instanceId);
      }
      this.#deliverOutbox(live);
    }
    if (this.#instances.size > 0) {
      const unfinished = [...this.#instances.values()].filter((l) => !isTerminal(l.rec.runtimeStatus)).length;
      this.#o.log(`durable: loaded ${this.#instances.size} instance(s) from ${this.#o.store.location}, ${unfinished} unfinished`);
    }
    this.#schedulePump();
  }

  /** Stop dispatching; write what is pending; in-flight activities are abandoned (they run again on restart). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const live of this.#instances.values()) {
      for (const h of live.timerHandles.values()) h.cancel();
      live.timerHandles.clear();
    }
    await Promise.allSettled([...this.#episodes]);
    this.#flush();
    this.#o.store.close();
    this.emit('changed');
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  // #endregion

  // #region client operations

  /** Start an orchestration (DurableClient.startNew). Returns the instance id. */
  startNew(name: string, options: { instanceId?: string; inputJson?: string | null } = {}): string {
    this.#assertRunning();
    const fn = this.#o.registry.getWithTrigger(name, 'orchestrationTrigger');
    if (!fn) {
      throw new DurableApiError(400, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const instanceId = options.instanceId ?? newExecutionId();
    validateInstanceId(instanceId);
    const existing = this.#instances.get(instanceId);
    if (existing && RUNNING_STATUSES.has(existing.rec.runtimeStatus)) {
      throw new DurableApiError(409, `An Orchestration instance with the status ${existing.rec.runtimeStatus} already exists.`);
    }
    const live = this.#createInstance(name, instanceId, options.inputJson ?? null, null);
    this.#o.store.save(live.rec);
    this.#schedulePump();
    return instanceId;
  }

  raiseEvent(instanceId: string, eventName: string, dataJson: string | null): void {
    this.#assertRunning();
    if (!eventName) throw new DurableApiError(400, 'eventName must be a valid string.');
    const live = this.#require(instanceId);
    if (isTerminal(live.rec.runtimeStatus)) {
      throw new DurableApiError(410, `The orchestration instance '${instanceId}' has already completed.`);
    }
    this.#enqueue(live, this.#event(ET.EventRaised, { Name: eventName, Input: dataJson }));
  }

  terminate(instanceId: string, reason: string): void {
    this.#assertRunning();
    const live = this.#require(instanceId);
    if (isTerminal(live.rec.runtimeStatus)) {
      throw new DurableApiError(410, `The orchestration instance '${instanceId}' has already completed.`);
    }
    this.#enqueue(live, this.#event(ET.ExecutionTerminated, { Input: reason }));
  }

  suspend(instanceId: string, reason: string): void {
    this.#assertRunning();
    const live = this.#require(instanceId);
    if (isTerminal(live.rec.runtimeStatus)) {
      throw new DurableApiError(410, `The orchestration instance '${instanceId}' has already completed.`);
    }
    this.#enqueue(live, this.#event(ET.ExecutionSuspended, { Reason: reason }));
  }

  resume(instanceId: string, reason: string): void {
    this.#assertRunning();
    const live = this.#require(instanceId);
    if (isTerminal(live.rec.runtimeStatus)) {
      throw new DurableApiError(410, `The orchestration instance '${instanceId}' has already completed.`);
    }
    this.#enqueue(live, this.#event(ET.ExecutionResumed, { Reason: reason }));
  }

  /** Delete a terminal instance and its history. Returns false when it does not exist. */
  purge(instanceId: string): boolean {
    const live = this.#instances.get(instanceId);
    if (!live) return false;
    if (!isTerminal(live.rec.runtimeStatus) || live.running) {
      throw new DurableApiError(
        412,
        `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${live.rec.runtimeStatus}`,
      );
    }
    this.#dropInstance(live);
    return true;
  }

  record(instanceId: string): InstanceRecord | undefined {
    return this.#instances.get(instanceId)?.rec;
  }

  records(): InstanceRecord[] {
    return [...this.#instances.values()].map((l) => l.rec);
  }

  status(instanceId: string, options: { showInput?: boolean; showHistory?: boolean } = {}): OrchestrationStatus | undefined {
    const rec = this.record(instanceId);
    return rec ? toOrchestrationStatus(rec, options) : undefined;
  }

  /** True while anything is queued, running or waiting to be written (timers not counted). */
  isBusy(): boolean {
    return (
      this.#episodesInFlight > 0 ||
      this.#activitiesInFlight > 0 ||
      this.#ready.size > 0 ||
      this.#activityQueue.length > 0 ||
      this.#dirty.size > 0 ||
      this.#afterFlush.length > 0 ||
      this.#outboxInFlight.size > 0
    );
  }

  /** No orchestration pending or running (waiting instances count as running) and no work in flight. */
  isIdle(): boolean {
    if (this.isBusy()) return false;
    for (const live of this.#instances.values()) {
      const s = live.rec.runtimeStatus;
      if (s === 'Pending' || s === 'Running' || s === 'ContinuedAsNew') return false;
    }
    return true;
  }

  // #endregion

  // #region scheduling

  #assertRunning(): void {
    if (this.#stopped) throw new DurableApiError(503, 'The local host is stopping.');
  }

  #require(instanceId: string): LiveInstance {
    const live = this.#instances.get(instanceId);
    if (!live) throw new DurableApiError(404, `No instance with ID '${instanceId}' found.`);
    return live;
  }

  #now(): string {
    return new Date(this.#o.clock.now()).toISOString();
  }

  #event(type: ET, props: Partial<HistoryEvent> = {}, eventId = -1): HistoryEvent {
    return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: this.#now(), ...props };
  }

  #enqueue(live: LiveInstance, event: HistoryEvent): void {
    live.rec.inbox.push(event);
    this.#markDirty(live);
    if (this.#isRunnable(live)) this.#ready.add(live.rec.instanceId);
    this.#schedulePump();
  }

  #isRunnable(live: LiveInstance): boolean {
    const rec = live.rec;
    if (live.running || isTerminal(rec.runtimeStatus) || rec.inbox.length === 0) return false;
    if (rec.runtimeStatus === 'Suspended') {
      return rec.inbox.some((e) => e.EventType === ET.ExecutionResumed || e.EventType === ET.ExecutionTerminated);
    }
    return true;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#stopped) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#stopped) return;
    while (this.#activitiesInFlight < this.#o.maxConcurrentActivities && this.#activityQueue.length > 0) {
      const item = this.#activityQueue.shift()!;
      this.#countQueued(item.instanceId, -1);
      const owner = this.#instances.get(item.instanceId);
      if (!owner || owner.rec.executionId !== item.executionId || isTerminal(owner.rec.runtimeStatus)) continue;
      void this.#runActivity(item);
    }
    for (const id of this.#ready) {
      if (this.#episodesInFlight >= this.#o.maxConcurrentOrchestrations) break;
      // While scheduled activities of an instance still wait for a slot, its completions keep accumulating
      // and one later episode replays the history once for all of them (as a queue-based backend batches
      // the messages of a work item).
      if (this.#queuedPerInstance.has(id)) continue;
      this.#ready.delete(id);
      const live = this.#instances.get(id);
      if (!live || !this.#isRunnable(live)) continue;
      const p = this.#runEpisode(live);
      this.#episodes.add(p);
      void p.finally(() => this.#episodes.delete(p));
    }
    this.emit('changed');
    this.#o.clock.poke();
  }

  #queueActivity(item: QueuedActivity): void {
    this.#activityQueue.push(item);
    this.#countQueued(item.instanceId, 1);
  }

  #countQueued(instanceId: string, delta: number): void {
    const n = (this.#queuedPerInstance.get(instanceId) ?? 0) + delta;
    if (n > 0) this.#queuedPerInstance.set(instanceId, n);
    else this.#queuedPerInstance.delete(instanceId);
  }

  #markDirty(live: LiveInstance, afterPersist?: () => void): void {
    this.#dirty.add(live.rec.instanceId);
    if (afterPersist) this.#afterFlush.push(afterPersist);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  /** Write every dirty instance, then run what waited for those writes. */
  #flush(): void {
    const ids = [...this.#dirty];
    this.#dirty.clear();
    const callbacks = this.#afterFlush;
    this.#afterFlush = [];
    try {
      for (const id of ids) {
        const live = this.#instances.get(id);
        if (live) this.#o.store.save(live.rec);
      }
    } catch (e) {
      this.#o.log(`durable: could not write state: ${errorMessage(e)}`);
      return;
    }
    if (this.#stopped) return;
    for (const cb of callbacks) cb();
    this.#schedulePump();
  }

  #armTimer(live: LiveInstance, timer: TimerWorkItem): void {
    const instanceId = live.rec.instanceId;
    const handle = this.#o.clock.schedule(Date.parse(timer.fireAt), () =>
      this.#fireTimer(instanceId, timer.executionId, timer.timerId),
    );
    live.timerHandles.set(timer.timerId, handle);
  }

  #fireTimer(instanceId: string, executionId: string, timerId: number): void {
    if (this.#stopped) return;
    const live = this.#instances.get(instanceId);
    if (!live || live.rec.executionId !== executionId || isTerminal(live.rec.runtimeStatus)) return;
    const idx = live.rec.timers.findIndex((t) => t.timerId === timerId && t.executionId === executionId);
    if (idx < 0) return;
    const [timer] = live.rec.timers.splice(idx, 1);
    live.timerHandles.delete(timerId);
    this.#enqueue(live, this.#event(ET.TimerFired, { TimerId: timerId, FireAt: timer!.fireAt }));
  }

  #cancelTimers(live: LiveInstance): void {
    for (const h of live.timerHandles.values()) h.cancel();
    live.timerHandles.clear();
  }

  // #endregion

  // #region activities

  async #runActivity(item: QueuedActivity): Promise<void> {
    this.#activitiesInFlight++;
    try {
      const fn = this.#o.registry.getWithTrigger(item.name, 'activityTrigger');
      let completion: HistoryEvent;
      if (!fn) {
        completion = this.#event(ET.TaskFailed, {
          TaskScheduledId: item.taskScheduledId,
          Reason: `Activity function '${item.name}' does not exist.`,
          Details: '',
        });
      } else {
        const outcome = await this.#o.invoker.invokeFunction(fn, item.input === null ? undefined : { json: item.input }, {
          // The activity trigger's binding data (context.triggerMetadata.instanceId).
          triggerMetadata: { instanceId: { json: JSON.stringify(item.instanceId) } },
        });
        completion =
          outcome.error !== undefined
            ? this.#event(ET.TaskFailed, {
                TaskScheduledId: item.taskScheduledId,
                Reason: `Activity function '${item.name}' failed: ${errorMessage(outcome.error)}`,
                Details: serializeCause(outcome.error),
              })
            : this.#event(ET.TaskCompleted, {
                TaskScheduledId: item.taskScheduledId,
                Result: typedDataToJsonText(outcome.response?.returnValue),
              });
      }
      if (this.#stopped) return;
      const live = this.#instances.get(item.instanceId);
      if (!live || live.rec.executionId !== item.executionId || isTerminal(live.rec.runtimeStatus)) return;
      const idx = live.rec.activities.findIndex(
        (a) => a.taskScheduledId === item.taskScheduledId && a.executionId === item.executionId,
      );
      if (idx < 0) return;
      live.rec.activities.splice(idx, 1);
      this.#enqueue(live, completion);
    } catch (e) {
      this.#o.log(`durable: activity ${item.name} of ${item.instanceId} could not run: ${errorMessage(e)}`);
    } finally {
      this.#activitiesInFlight--;
      this.#schedulePump();
    }
  }

  // #endregion

  // #region episodes

  async #runEpisode(live: LiveInstance): Promise<void> {
    const rec = live.rec;
    live.running = true;
    this.#episodesInFlight++;
    try {
      const now = this.#o.clock.now();
      const nowIso = new Date(now).toISOString();

      const termination = rec.inbox.find((e) => e.EventType === ET.ExecutionTerminated);
      if (termination) {
        this.#applyTermination(live, termination, nowIso);
        return;
      }
      if (rec.runtimeStatus === 'Suspended') {
        const at = rec.inbox.findIndex((e) => e.EventType === ET.ExecutionResumed);
        if (at >= 0) this.#applyControl(live, at, 'Running', nowIso);
        return;
      }
      const first = rec.inbox[0];
      if (!first) return;
      if (first.EventType === ET.ExecutionSuspended) {
        this.#applyControl(live, 0, 'Suspended', nowIso);
        return;
      }
      if (first.EventType === ET.ExecutionResumed) {
        rec.inbox.shift(); // not suspended: nothing to resume
        this.#markDirty(live);
        return;
      }

      const batch = this.#selectBatch(live);
      const started = this.#event(ET.OrchestratorStarted);
      started.Timestamp = nowIso;
      const fn = this.#o.registry.getWithTrigger(rec.name, 'orchestrationTrigger');
      if (!fn) {
        this.#commitEpisode(live, batch, started, {
          invocationFailure: `The function '${rec.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        });
        return;
      }
      const payload = {
        history: rec.history.concat([started], batch),
        input: parseJsonText(rec.input),
        instanceId: rec.instanceId,
        isReplaying: rec.history.length > 0,
        parentInstanceId: rec.parent?.instanceId ?? null,
        upperSchemaVersion: 1,
        upperSchemaVersionNew: 3,
        longRunningTimerIntervalDuration: '3.00:00:00',
        maximumShortTimerDuration: '6.00:00:00',
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
      };
      const executionId = rec.executionId;
      const outcome = await this.#o.invoker.invokeFunction(fn, { string: JSON.stringify(payload) });
      if (this.#stopped || this.#instances.get(rec.instanceId) !== live || rec.executionId !== executionId) return;
      this.#commitEpisode(live, batch, started, { outcome });
    } catch (e) {
      this.#o.log(`durable: episode of ${rec.instanceId} failed in the host: ${e instanceof Error ? e.stack : String(e)}`);
      if (!this.#stopped && !isTerminal(rec.runtimeStatus)) {
        try {
          const started = this.#event(ET.OrchestratorStarted);
          this.#finish(live, [started], 'Failed', `Local host error while running orchestrator '${rec.name}': ${errorMessage(e)}`);
        } catch (e2) {
          this.#o.log(`durable: could not record the failure of ${rec.instanceId}: ${errorMessage(e2)}`);
        }
      }
    } finally {
      live.running = false;
      this.#episodesInFlight--;
      if (this.#isRunnable(live)) this.#ready.add(rec.instanceId);
      this.#schedulePump();
    }
  }

  /**
   * Messages for one episode: a prefix of the inbox, stopping at control messages and never putting a
   * message that makes the host allocate sequence ids behind another message.
   */
  #selectBatch(live: LiveInstance): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    for (const e of live.rec.inbox) {
      if (e.EventType === ET.ExecutionSuspended || e.EventType === ET.ExecutionResumed || e.EventType === ET.ExecutionTerminated) {
        break;
      }
      const allocating = this.#allocatesIds(live, e);
      if (allocating && out.length > 0) break;
      out.push(e);
      if (allocating || out.length >= MAX_BATCH) break;
    }
    return out;
  }

  #allocatesIds(live: LiveInstance, e: HistoryEvent): boolean {
    let id: number | undefined;
    if (e.EventType === ET.TaskFailed || e.EventType === ET.SubOrchestrationInstanceFailed) id = e.TaskScheduledId;
    else if (e.EventType === ET.TimerFired) id = e.TimerId;
    if (id === undefined) return false;
    const idx = live.ids.get(id);
    const slot = idx === undefined ? undefined : live.rec.slots[idx];
    return !!slot && (!!slot.retry || !!slot.longTimer);
  }

  #applyControl(live: LiveInstance, inboxIndex: number, status: RuntimeStatus, nowIso: string): void {
    const rec = live.rec;
    const [event] = rec.inbox.splice(inboxIndex, 1);
    const started = this.#event(ET.OrchestratorStarted);
    started.Timestamp = nowIso;
    this.#appendHistory(rec, [started, event!, this.#event(ET.OrchestratorCompleted)]);
    rec.runtimeStatus = status;
    rec.lastUpdatedTime = nowIso;
    this.#markDirty(live);
    this.#emitStatus(rec);
  }

  #applyTermination(live: LiveInstance, termination: HistoryEvent, nowIso: string): void {
    const rec = live.rec;
    rec.inbox = rec.inbox.filter((e) => e !== termination);
    const started = this.#event(ET.OrchestratorStarted);
    started.Timestamp = nowIso;
    const reason = termination.Input ?? '';
    this.#finish(live, [started, termination], 'Terminated', reason);
  }

  #commitEpisode(
    live: LiveInstance,
    batch: HistoryEvent[],
    started: HistoryEvent,
    result: { outcome?: InvokeOutcome; invocationFailure?: string },
  ): void {
    const rec = live.rec;
    const now = Date.parse(started.Timestamp);
    let state: OrchestratorStateWire | undefined;
    let failure = result.invocationFailure;
    const outcome = result.outcome;
    if (outcome) {
      if (outcome.error !== undefined) {
        const message = errorMessage(outcome.error);
        const at = message.indexOf(OUT_OF_PROC_DATA);
        let userError = message;
        if (at >= 0) {
          try {
            state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as OrchestratorStateWire;
          } catch {
            state = undefined;
          }
          // The message prefix is JSON.stringify(orchestratorReturned); the extension reads state.error.
          userError = state?.error ?? message.slice(0, at);
        }
        failure = `Orchestrator function '${rec.name}' failed: ${userError}`;
      } else {
        state = parseJsonText(typedDataToJsonText(outcome.response?.returnValue)) as OrchestratorStateWire;
        if (!state || typeof state !== 'object' || !Array.isArray(state.actions)) {
          failure = `Orchestrator function '${rec.name}' failed: the function did not return an orchestrator state (is it registered with df.app.orchestration?).`;
          state = undefined;
        }
      }
    }

    const plan: EpisodePlan = { scheduling: [], activities: [], timers: [], outbox: [], cancelTimers: [] };
    if (state) {
      try {
        this.#planActions(live, state, batch, now, plan);
      } catch (e) {
        if (!(e instanceof OrchestrationRuleError)) throw e;
        failure = e.message; // the extension's own failure (non-determinism, unknown function) comes first
      }
    }

    rec.inbox.splice(0, batch.length);
    rec.episodes++;
    if (rec.runtimeStatus === 'Pending' || rec.runtimeStatus === 'ContinuedAsNew') rec.runtimeStatus = 'Running';
    if (state && state.customStatus !== undefined && state.customStatus !== null) {
      rec.customStatus = JSON.stringify(state.customStatus);
    }
    const appended: HistoryEvent[] = [started, ...batch];
    rec.lastUpdatedTime = started.Timestamp;

    if (failure !== undefined) {
      this.#finish(live, appended, 'Failed', failure);
      return;
    }
    appended.push(...plan.scheduling);
    for (const timerId of plan.cancelTimers) {
      const idx = rec.timers.findIndex((t) => t.timerId === timerId);
      if (idx >= 0) rec.timers.splice(idx, 1);
      live.timerHandles.get(timerId)?.cancel();
      live.timerHandles.delete(timerId);
    }
    if (state!.isDone) {
      const can = findContinueAsNew(state!.actions);
      if (can) this.#continueAsNew(live, appended, processedInputToJson(can.input));
      else this.#finish(live, appended, 'Completed', JSON.stringify(state!.output ?? null));
      return;
    }
    appended.push(this.#event(ET.OrchestratorCompleted));
    this.#appendHistory(rec, appended);
    rec.activities.push(...plan.activities);
    rec.timers.push(...plan.timers);
    rec.outbox.push(...plan.outbox);
    // Write-ahead: the episode is on disk before the work it started is dispatched.
    this.#o.store.save(rec);
    this.#dirty.delete(rec.instanceId);
    for (const a of plan.activities) this.#queueActivity({ ...a, instanceId: rec.instanceId });
    for (const t of plan.timers) this.#armTimer(live, t);
    this.#deliverOutbox(live);
  }

  /** Non-determinism check, retry protocol and long timers for the delivered messages, then the new actions. */
  #planActions(live: LiveInstance, state: OrchestratorStateWire, batch: HistoryEvent[], now: number, plan: EpisodePlan): void {
    const rec = live.rec;
    const leaves = flattenActions(state.actions);
    const mismatch = checkDeterminism(rec.slots, leaves);
    if (mismatch) throw new OrchestrationRuleError(mismatch);
    for (let i = 0; i < rec.slots.length; i++) {
      const slot = rec.slots[i]!;
      if (slot.kind === 'timer' && leaves[i]!.isCanceled && !slot.canceled) {
        slot.canceled = true;
        plan.cancelTimers.push(slot.currentId);
      }
    }

    const nowIso = new Date(now).toISOString();
    for (const e of batch) {
      if (e.EventType === ET.TaskFailed || e.EventType === ET.SubOrchestrationInstanceFailed) {
        const idx = live.ids.get(e.TaskScheduledId ?? -1);
        const slot = idx === undefined ? undefined : rec.slots[idx];
        if (!slot?.retry || slot.currentId !== e.TaskScheduledId) continue;
        const delay = computeRetryDelay(slot.retry.options, slot.retry.attempts - 1, Date.parse(slot.retry.firstAttemptAt), now);
        if (delay > 0) {
          const timerId = rec.nextSequenceId++;
          slot.retry.timerId = timerId;
          live.ids.set(timerId, idx!);
          const fireAt = new Date(now + delay).toISOString();
          plan.scheduling.push(this.#event(ET.TimerCreated, { FireAt: fireAt }, timerId));
          plan.timers.push({ executionId: rec.executionId, timerId, fireAt });
        } else {
          this.#o.log(
            `durable: ${rec.instanceId}: retryTimeoutInMilliseconds elapsed for '${slot.name ?? ''}': DurableTask.Core stops retrying without a timer and durable-functions waits for one (azure-functions-durable-js#629), so this instance will not progress.`,
          );
        }
      } else if (e.EventType === ET.TimerFired) {
        const idx = live.ids.get(e.TimerId ?? -1);
        const slot = idx === undefined ? undefined : rec.slots[idx];
        if (!slot) continue;
        if (slot.retry && slot.retry.timerId === e.TimerId) {
          slot.retry.timerId = undefined;
          if (slot.retry.attempts < slot.retry.options.maxNumberOfAttempts) {
            slot.retry.attempts++;
            const id = rec.nextSequenceId++;
            slot.currentId = id;
            live.ids.set(id, idx!);
            this.#scheduleSlot(live, slot, id, now, plan);
          }
        } else if (slot.longTimer && slot.currentId === e.TimerId) {
          const finalAt = Date.parse(slot.longTimer.finalFireAt);
          if (finalAt > now) {
            const id = rec.nextSequenceId++;
            slot.currentId = id;
            live.ids.set(id, idx!);
            this.#scheduleSlot(live, slot, id, now, plan);
          }
        }
      }
    }

    for (let i = rec.slots.length; i < leaves.length; i++) {
      const a = leaves[i]!;
      const kind = kindOfAction(a.actionType);
      if (!kind) {
        throw new OrchestrationRuleError(
          `Orchestrator function '${rec.name}' failed: ${actionTypeName(a.actionType)} is not supported by the local host (durable entities, critical sections and callHttp are not implemented).`,
        );
      }
      const id = rec.nextSequenceId++;
      const slot: Slot = { kind, firstId: id, currentId: id };
      if (kind === 'activity') {
        slot.name = a.functionName;
        slot.input = processedInputToJson(a.input);
      } else if (kind === 'subOrchestration') {
        slot.name = a.functionName;
        slot.input = JSON.stringify(a.input ?? null);
        if (a.instanceId) slot.requestedInstanceId = a.instanceId;
      } else {
        const fireAt = Date.parse(a.fireAt ?? '');
        if (Number.isNaN(fireAt)) throw new OrchestrationRuleError(`Orchestrator function '${rec.name}' failed: invalid timer fireAt '${String(a.fireAt)}'.`);
        if (fireAt - now > MAXIMUM_SHORT_TIMER_MS) slot.longTimer = { finalFireAt: new Date(fireAt).toISOString() };
        slot.input = new Date(fireAt).toISOString();
        if (a.isCanceled) slot.canceled = true;
      }
      if (a.retryOptions && (a.actionType === ActionType.CallActivityWithRetry || a.actionType === ActionType.CallSubOrchestratorWithRetry)) {
        slot.retry = { options: a.retryOptions, attempts: 1, firstAttemptAt: nowIso };
      }
      rec.slots.push(slot);
      live.ids.set(id, rec.slots.length - 1);
      this.#scheduleSlot(live, slot, id, now, plan);
    }
  }

  /** TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated for one attempt or timer segment. */
  #scheduleSlot(live: LiveInstance, slot: Slot, id: number, now: number, plan: EpisodePlan): void {
    const rec = live.rec;
    switch (slot.kind) {
      case 'activity': {
        const name = slot.name ?? '';
        if (!this.#o.registry.getWithTrigger(name, 'activityTrigger')) {
          throw new OrchestrationRuleError(
            `Orchestrator function '${rec.name}' failed: The function '${name}' doesn't exist, is disabled, or is not an activity function.`,
          );
        }
        plan.scheduling.push(this.#event(ET.TaskScheduled, { Name: name, Input: slot.input ?? null }, id));
        plan.activities.push({ executionId: rec.executionId, taskScheduledId: id, name, input: slot.input ?? null });
        return;
      }
      case 'timer': {
        const finalAt = Date.parse(slot.longTimer?.finalFireAt ?? slot.input ?? '');
        const fireAt = new Date(slot.longTimer ? nextTimerSegment(finalAt, now) : finalAt).toISOString();
        plan.scheduling.push(this.#event(ET.TimerCreated, { FireAt: fireAt }, id));
        if (!slot.canceled) plan.timers.push({ executionId: rec.executionId, timerId: id, fireAt });
        return;
      }
      case 'subOrchestration': {
        const name = slot.name ?? '';
        if (!this.#o.registry.getWithTrigger(name, 'orchestrationTrigger')) {
          throw new OrchestrationRuleError(
            `Orchestrator function '${rec.name}' failed: The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
          );
        }
        const childId = slot.requestedInstanceId ?? `${rec.executionId}:${id}`;
        if (childId.toLowerCase() === rec.instanceId.toLowerCase() || (rec.parent && childId.toLowerCase() === rec.parent.instanceId.toLowerCase())) {
          throw new OrchestrationRuleError(
            `Orchestrator function '${rec.name}' failed: The instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration.`,
          );
        }
        slot.childInstanceId = childId;
        plan.scheduling.push(
          this.#event(ET.SubOrchestrationInstanceCreated, { Name: name, InstanceId: childId, Input: slot.input ?? 'null' }, id),
        );
        plan.outbox.push({
          kind: 'startChild',
          id: crypto.randomUUID(),
          target: childId,
          name,
          input: slot.input ?? 'null',
          parent: { instanceId: rec.instanceId, executionId: rec.executionId, taskScheduledId: id, name: rec.name },
        });
        return;
      }
    }
  }

  #continueAsNew(live: LiveInstance, appended: HistoryEvent[], inputJson: string | null): void {
    const rec = live.rec;
    appended.push(this.#event(ET.ExecutionCompleted, { OrchestrationStatus: 'ContinuedAsNew', Result: inputJson }));
    appended.push(this.#event(ET.OrchestratorCompleted));
    this.#cancelTimers(live);
    const carried = rec.inbox.filter(
      (e) =>
        e.EventType === ET.EventRaised ||
        e.EventType === ET.ExecutionSuspended ||
        e.EventType === ET.ExecutionResumed ||
        e.EventType === ET.ExecutionTerminated,
    );
    rec.executionId = newExecutionId();
    rec.input = inputJson ?? 'null';
    rec.history = [];
    rec.slots = [];
    live.ids.clear();
    rec.nextSequenceId = 0;
    rec.activities = [];
    rec.timers = [];
    rec.output = null;
    rec.customStatus = null;
    rec.runtimeStatus = 'ContinuedAsNew';
    rec.inbox = [this.#executionStarted(rec), ...carried];
    this.#o.store.save(rec);
    this.#dirty.delete(rec.instanceId);
    this.#deliverOutbox(live);
    this.#emitStatus(rec);
  }

  /** Completed / Failed / Terminated: history, output, dropped work, parent notification. */
  #finish(live: LiveInstance, appended: HistoryEvent[], status: 'Completed' | 'Failed' | 'Terminated', outputOrReason: string): void {
    const rec = live.rec;
    appended.push(this.#event(ET.ExecutionCompleted, { OrchestrationStatus: status, Result: outputOrReason }));
    appended.push(this.#event(ET.OrchestratorCompleted));
    this.#appendHistory(rec, appended);
    rec.runtimeStatus = status;
    rec.output = status === 'Completed' ? outputOrReason : JSON.stringify(outputOrReason);
    rec.lastUpdatedTime = appended[0]!.Timestamp;
    rec.inbox = [];
    rec.activities = [];
    rec.timers = [];
    this.#cancelTimers(live);
    if (rec.parent) {
      const event =
        status === 'Completed'
          ? this.#event(ET.SubOrchestrationInstanceCompleted, { TaskScheduledId: rec.parent.taskScheduledId, Result: outputOrReason })
          : this.#event(ET.SubOrchestrationInstanceFailed, {
              TaskScheduledId: rec.parent.taskScheduledId,
              Reason: outputOrReason,
              Details: '',
            });
      rec.outbox.push({
        kind: 'notifyParent',
        id: crypto.randomUUID(),
        target: rec.parent.instanceId,
        targetExecutionId: rec.parent.executionId,
        event,
      });
    }
    this.#o.store.save(rec);
    this.#dirty.delete(rec.instanceId);
    this.#deliverOutbox(live);
    this.#emitStatus(rec);
  }

  #appendHistory(rec: InstanceRecord, events: HistoryEvent[]): void {
    for (const e of events) {
      e.IsPlayed = true;
      rec.history.push(e);
    }
  }

  #emitStatus(rec: InstanceRecord): void {
    this.emit('status', rec.instanceId, rec.runtimeStatus);
  }

  // #endregion

  // #region instances and messages

  #executionStarted(rec: InstanceRecord): HistoryEvent {
    return this.#event(ET.ExecutionStarted, {
      Name: rec.name,
      Input: rec.input,
      OrchestrationInstance: { InstanceId: rec.instanceId, ExecutionId: rec.executionId },
      ParentInstance: rec.parent
        ? {
            InstanceId: rec.parent.instanceId,
            ExecutionId: rec.parent.executionId,
            TaskScheduleId: rec.parent.taskScheduledId,
            Name: rec.parent.name,
          }
        : null,
    });
  }

  #createInstance(name: string, instanceId: string, inputJson: string | null, parent: ParentRef | null): LiveInstance {
    const previous = this.#instances.get(instanceId);
    if (previous) this.#cancelTimers(previous);
    const nowIso = this.#now();
    const rec: InstanceRecord = {
      formatVersion: 1,
      instanceId,
      executionId: newExecutionId(),
      name,
      input: inputJson ?? 'null',
      runtimeStatus: 'Pending',
      output: null,
      customStatus: null,
      createdTime: nowIso,
      lastUpdatedTime: nowIso,
      parent,
      history: [],
      inbox: [],
      slots: [],
      nextSequenceId: 0,
      activities: [],
      timers: [],
      // A restarted instance keeps undelivered messages of its previous run (e.g. its parent notification).
      outbox: previous ? previous.rec.outbox : [],
      episodes: 0,
    };
    rec.inbox.push(this.#executionStarted(rec));
    const live: LiveInstance = { rec, ids: new Map(), running: false, timerHandles: new Map() };
    this.#instances.set(instanceId, live);
    this.#ready.add(instanceId);
    this.#emitStatus(rec);
    return live;
  }

  #dropInstance(live: LiveInstance): void {
    this.#cancelTimers(live);
    this.#instances.delete(live.rec.instanceId);
    this.#ready.delete(live.rec.instanceId);
    this.#dirty.delete(live.rec.instanceId);
    this.#o.store.remove(live.rec.instanceId);
    this.#emitStatus(live.rec);
  }

  #rebuildIds(live: LiveInstance): void {
    live.ids.clear();
    live.rec.slots.forEach((slot, idx) => {
      live.ids.set(slot.firstId, idx);
      live.ids.set(slot.currentId, idx);
      if (slot.retry?.timerId !== undefined) live.ids.set(slot.retry.timerId, idx);
    });
    // Retry timers and earlier attempts are referenced by history too.
    for (const e of live.rec.history) {
      if (e.EventType === ET.TaskScheduled || e.EventType === ET.TimerCreated || e.EventType === ET.SubOrchestrationInstanceCreated) {
        if (!live.ids.has(e.EventId)) {
          const idx = live.rec.slots.findIndex((s) => s.currentId === e.EventId || s.retry?.timerId === e.EventId);
          if (idx >= 0) live.ids.set(e.EventId, idx);
        }
      }
    }
  }

  /** Deliver the outbox of `source`; each message leaves the outbox once the receiver has been written. */
  #deliverOutbox(source: LiveInstance): void {
    for (const msg of [...source.rec.outbox]) {
      if (this.#outboxInFlight.has(msg.id)) continue;
      this.#outboxInFlight.add(msg.id);
      const sourceId = source.rec.instanceId;
      const ack = (): void => {
        this.#outboxInFlight.delete(msg.id);
        const current = this.#instances.get(sourceId);
        if (!current) return;
        const idx = current.rec.outbox.findIndex((m) => m.id === msg.id);
        if (idx >= 0) {
          current.rec.outbox.splice(idx, 1);
          this.#markDirty(current);
        }
      };
      if (msg.kind === 'startChild') this.#deliverStart(msg, ack);
      else this.#deliverNotification(msg, ack);
    }
  }

  #deliverStart(msg: Extract<OutboxMessage, { kind: 'startChild' }>, ack: () => void): void {
    const existing = this.#instances.get(msg.target);
    const p = msg.parent;
    if (
      existing?.rec.parent &&
      existing.rec.parent.instanceId === p.instanceId &&
      existing.rec.parent.executionId === p.executionId &&
      existing.rec.parent.taskScheduledId === p.taskScheduledId
    ) {
      ack(); // created before a restart
      return;
    }
    if (existing && RUNNING_STATUSES.has(existing.rec.runtimeStatus)) {
      const parent = this.#instances.get(p.instanceId);
      if (parent && parent.rec.executionId === p.executionId && !isTerminal(parent.rec.runtimeStatus)) {
        this.#deliverToParent(
          parent,
          this.#event(ET.SubOrchestrationInstanceFailed, {
            TaskScheduledId: p.taskScheduledId,
            Reason: `An Orchestration instance with the status ${existing.rec.runtimeStatus} already exists.`,
            Details: '',
          }),
          ack,
        );
      } else {
        ack();
      }
      return;
    }
    const child = this.#createInstance(msg.name, msg.target, msg.input, p);
    this.#markDirty(child, ack);
    this.#schedulePump();
  }

  #deliverNotification(msg: Extract<OutboxMessage, { kind: 'notifyParent' }>, ack: () => void): void {
    const parent = this.#instances.get(msg.target);
    if (!parent || parent.rec.executionId !== msg.targetExecutionId || isTerminal(parent.rec.runtimeStatus)) {
      ack();
      return;
    }
    this.#deliverToParent(parent, { ...msg.event, Timestamp: this.#now() }, ack);
  }

  #deliverToParent(parent: LiveInstance, event: HistoryEvent, ack: () => void): void {
    const same = (e: HistoryEvent): boolean =>
      (e.EventType === ET.SubOrchestrationInstanceCompleted || e.EventType === ET.SubOrchestrationInstanceFailed) &&
      e.TaskScheduledId === event.TaskScheduledId;
    if (parent.rec.inbox.some(same) || parent.rec.history.some(same)) {
      ack(); // already delivered before a restart
      return;
    }
    parent.rec.inbox.push(event);
    this.#markDirty(parent, ack);
    if (this.#isRunnable(parent)) this.#ready.add(parent.rec.instanceId);
    this.#schedulePump();
  }

  // #endregion
}

/** DurableOrchestrationStatus-like view of an instance. */
export function toOrchestrationStatus(
  rec: InstanceRecord,
  options: { showInput?: boolean; showHistory?: boolean } = {},
): OrchestrationStatus {
  const status: OrchestrationStatus = {
    name: rec.name,
    instanceId: rec.instanceId,
    createdTime: new Date(rec.createdTime),
    lastUpdatedTime: new Date(rec.lastUpdatedTime),
    input: options.showInput === false ? null : parseJsonText(rec.input),
    output: parseJsonText(rec.output),
    runtimeStatus: rec.runtimeStatus,
    customStatus: parseJsonText(rec.customStatus),
  };
  if (options.showHistory) status.history = rec.history.map((e) => ({ ...e }));
  return status;
}
