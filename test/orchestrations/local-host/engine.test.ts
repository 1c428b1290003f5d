/**
 * The local host's durable engine, through the real durable-functions replay engine: the Durable extension's
 * rules it re-applies (non-determinism check, retry-timer protocol, sub-orchestrations, continueAsNew,
 * external events, terminate, purge, singleton starts) on a virtual clock.
 */
import * as path from 'node:path';
import {
  HistoryEventType as ET,
  historyEventName,
  startLocalHost,
  type HistoryEvent,
  type LocalHost,
  type OrchestrationStatus,
} from '../../../src/local/host';
import { testState } from './app/test-app';

const APP = path.join(__dirname, 'app', 'test-app.ts');
const START = '2026-01-01T00:00:00.000Z';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ appModule: APP, clock: 'virtual', virtualStartTime: START });
});

afterAll(async () => {
  await host.stop();
});

beforeEach(() => testState.reset());

/** "TaskScheduled#0(StepA)", "TimerFired->1", ... without the episode markers. */
function steps(history: HistoryEvent[]): string[] {
  return history
    .filter((e) => e.EventType !== ET.OrchestratorStarted && e.EventType !== ET.OrchestratorCompleted)
    .map((e) => {
      const id = e.EventId >= 0 ? `#${e.EventId}` : '';
      const ref = e.TaskScheduledId !== undefined ? `->${e.TaskScheduledId}` : e.TimerId !== undefined ? `->${e.TimerId}` : '';
      const name = e.Name && e.EventType !== ET.ExecutionStarted ? `(${e.Name})` : '';
      return `${historyEventName(e.EventType)}${id}${ref}${name}`;
    });
}

/** Poll the instance until `predicate` holds (bounded). */
async function until(instanceId: string, predicate: (s: OrchestrationStatus) => boolean): Promise<OrchestrationStatus> {
  for (let i = 0; i < 2000; i++) {
    const s = await host.getStatus(instanceId);
    if (s && predicate(s)) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${instanceId} never reached the expected state`);
}

async function run(name: string, input?: unknown, instanceId?: string) {
  const id = await host.startNew(name, { input, instanceId });
  const status = await host.waitForCompletion(id, { timeoutMs: 20_000 });
  return { id, status };
}

describe('replay through the real durable-functions engine', () => {
  test('a sequence of activities completes with their results in order', async () => {
    const { id, status } = await run('Sequence', ['Tokyo', 'Seattle', 'London']);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    expect(status.input).toEqual(['Tokyo', 'Seattle', 'London']);
    expect(steps(await host.history(id))).toEqual([
      'ExecutionStarted',
      'TaskScheduled#0(Hello)',
      'TaskCompleted->0',
      'TaskScheduled#1(Hello)',
      'TaskCompleted->1',
      'TaskScheduled#2(Hello)',
      'TaskCompleted->2',
      'ExecutionCompleted',
    ]);
  });

  test('activity inputs arrive as the orchestrator passed them (none, null, strings, numbers)', async () => {
    const { status } = await run('Inputs');
    expect(status.output).toEqual({ kinds: ['undefined', 'null', 'string', 'number'], echoed: '{"looks":"like json"}' });
  });

  test('fan-out / fan-in keeps call order and gives each task its own sequence id', async () => {
    const { id, status } = await run('FanOut', 25);
    expect(status.output).toBe(300);
    const scheduled = (await host.history(id)).filter((e) => e.EventType === ET.TaskScheduled).map((e) => e.EventId);
    expect(scheduled).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  test("an activity sees its orchestration's instance id in triggerMetadata", async () => {
    const { status } = await run('WhoCallsOrchestrator', undefined, '1234');
    expect(status.output).toBe('1234');
  });

  test('pre- and post-invocation hooks run around functions', async () => {
    await run('Deterministic');
    expect(testState.hookLog).toEqual(['pre:StepB', 'post:StepB=B']);
  });

  test('newGuid is deterministic across replays', async () => {
    const first = await run('Guids', undefined, 'guids-1');
    await host.purge('guids-1');
    const second = await run('Guids', undefined, 'guids-1');
    expect(first.status.runtimeStatus).toBe('Completed');
    expect(first.status.output).toEqual(second.status.output);
  });
});

describe("the extension's non-determinism check", () => {
  test('a different activity at the same sequence number fails the instance with DurableTask.Core\'s message', async () => {
    const { id, status } = await run('NonDeterministic');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe(
      "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'StepA', but the current orchestration replay instead scheduled an activity task named 'StepB' with this sequence number.  Was a change made to the orchestrator code after this instance had already started running?",
    );
    // StepB never ran: the failing replay's actions are not scheduled.
    expect((await host.history(id)).filter((e) => e.EventType === ET.TaskScheduled).map((e) => e.Name)).toEqual(['StepA']);
  });

  test('a replay that no longer schedules an earlier task fails', async () => {
    const { status } = await run('ReturnsEarlyOnReplay');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task with sequence ID 0 and name 'StepA' \(version ''\), but the current replay execution hasn't \(yet\?\) scheduled this task\./,
    );
  });

  test('a timer where an activity was scheduled fails', async () => {
    const { status } = await run('TimerOnReplay');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toContain(
      "scheduled an activity task with sequence number 0 named 'StepA', but the current orchestration replay instead produced a CreateTimerOrchestratorAction action",
    );
  });

  test('a deterministic orchestrator replays without complaint', async () => {
    const { status } = await run('Deterministic');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'AB' });
  });

  test('an unknown activity fails the orchestration like ThrowIfFunctionDoesNotExist', async () => {
    const { status } = await run('UsesMissingActivity');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe(
      "Orchestrator function 'UsesMissingActivity' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function.",
    );
  });
});

describe('callActivityWithRetry', () => {
  test("exhausted retries reach the orchestrator's catch after the RetryInterceptor timers", async () => {
    const { id, status } = await run('RetryExhausted');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toMatch(/^caught: Activity function 'AlwaysFails' failed: boom \n /);
    expect(testState.calls.get('AlwaysFails')).toBe(3);
    const history = await host.history(id);
    expect(steps(history)).toEqual([
      'ExecutionStarted',
      'TaskScheduled#0(AlwaysFails)',
      'TaskFailed->0',
      'TimerCreated#1',
      'TimerFired->1',
      'TaskScheduled#2(AlwaysFails)',
      'TaskFailed->2',
      'TimerCreated#3',
      'TimerFired->3',
      'TaskScheduled#4(AlwaysFails)',
      'TaskFailed->4',
      'TimerCreated#5',
      'TimerFired->5',
      'ExecutionCompleted',
    ]);
    // Back-off: first * coefficient^attempt (1 s, 2 s, 4 s), on the virtual clock.
    const created = history.filter((e) => e.EventType === ET.TimerCreated);
    const delays = created.map((t) => Date.parse(t.FireAt!) - Date.parse(t.Timestamp));
    expect(delays).toEqual([1000, 2000, 4000]);
  });

  test('a retried activity that recovers returns its result', async () => {
    const { status } = await run('RetryThenSucceed', { key: 'recover', times: 2 });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'ok after 3' });
  });

  test('parallel retries keep sequence ids consistent with the JavaScript side', async () => {
    const { id, status } = await run('RetryParallel', 'par');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['ok after 2', 'ok after 3', 'plain', 'ok after 1']);
    const ids = (await host.history(id)).filter((e) => e.EventId >= 0).map((e) => e.EventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('sub-orchestrations', () => {
  test('failure propagates to the parent, which can catch it; default child ids are <executionId>:<seq>', async () => {
    const { id, status } = await run('ParentCatches');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toMatchObject({ hello: 'Hello sub' });
    expect((status.output as { caught: string }).caught).toMatch(/^Orchestrator function 'FailingChild' failed: child boom/);
    const created = (await host.history(id)).filter((e) => e.EventType === ET.SubOrchestrationInstanceCreated);
    expect(created.map((e) => e.Name)).toEqual(['Child', 'FailingChild']);
    expect(created[0]!.InstanceId).toMatch(/^[0-9a-f]{32}:0$/);
    expect(created[1]!.InstanceId).toBe(`${id}-failing`);
    const child = await host.getStatus(created[1]!.InstanceId!);
    expect(child?.runtimeStatus).toBe('Failed');
  });

  test('an uncaught child failure fails the parent', async () => {
    const { status } = await run('ParentUncaught');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/^Orchestrator function 'ParentUncaught' failed: Orchestrator function 'FailingChild' failed: child boom/);
  });

  test('callSubOrchestratorWithRetry starts a new child per attempt', async () => {
    const { id, status } = await run('SubWithRetry');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'child ok at attempt 2' });
    expect(steps(await host.history(id))).toEqual([
      'ExecutionStarted',
      'SubOrchestrationInstanceCreated#0(FlakyChildThrows)',
      'SubOrchestrationInstanceFailed->0',
      'TimerCreated#1',
      'TimerFired->1',
      'SubOrchestrationInstanceCreated#2(FlakyChildThrows)',
      'SubOrchestrationInstanceCompleted->2',
      'ExecutionCompleted',
    ]);
  });

  test('a sweep fanning out to many sub-orchestrations completes', async () => {
    const { id, status } = await run('Sweep', 150);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 150 });
    const children = await host.listInstances({ runtimeStatus: ['Completed'] });
    expect(children.filter((c) => c.instanceId.startsWith(`${id}-child-`))).toHaveLength(150);
  });
});

describe('timers, events, continueAsNew, terminate, purge', () => {
  test('a durable timer advances the virtual clock and currentUtcDateTime', async () => {
    const { status } = await run('TimerThenEcho');
    const out = status.output as { start: string; after: string };
    expect(Date.parse(out.after) - Date.parse(out.start)).toBe(3600_000);
  });

  test('a timer longer than 6 days is split into 3-day segments as the extension does', async () => {
    const { id, status } = await run('LongTimer');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 240 });
    const timers = (await host.history(id)).filter((e) => e.EventType === ET.TimerCreated);
    // 10 days: 3 d segments while more than 6 d remain, then the final fire time.
    expect(timers.map((t) => t.EventId)).toEqual([0, 1, 2]);
    expect(timers.map((t) => (Date.parse(t.FireAt!) - Date.parse(timers[0]!.Timestamp)) / 3600_000)).toEqual([72, 144, 240]);
    expect((await host.history(id)).find((e) => e.EventType === ET.TaskScheduled)?.EventId).toBe(3);
  });

  test('an external event resumes the orchestrator; custom status follows', async () => {
    const id = await host.startNew('WaitForApproval', { instanceId: 'approval-1' });
    let status = await until(id, (s) => s.runtimeStatus === 'Running');
    expect(status).toMatchObject({ runtimeStatus: 'Running', customStatus: { step: 'waiting' } });
    await host.raiseEvent(id, 'approval', { by: 'ops' });
    status = await host.waitForCompletion(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { by: 'ops' }, customStatus: { step: 'approved' } });
  });

  test('an event raised before the orchestrator waits for it is buffered', async () => {
    host.clock.pause();
    try {
      const id = await host.startNew('ApprovalOrTimeout');
      await host.raiseEvent(id, 'approval', 'early');
      const status = await host.waitForCompletion(id);
      expect(status.output).toEqual({ approved: 'early' });
    } finally {
      host.clock.resume();
    }
  });

  test('Task.any(timer, event): the timer wins when no event comes', async () => {
    const { status } = await run('ApprovalOrTimeout');
    expect(status.output).toBe('timed out');
  });

  test('continueAsNew restarts with the new input and a fresh history', async () => {
    const { id, status } = await run('Eternal', { round: 0, max: 3 });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'stopped at round 3', input: { round: 3, max: 3 } });
    const history = await host.history(id);
    expect(steps(history)).toEqual(['ExecutionStarted', 'TimerCreated#0', 'TimerFired->0', 'ExecutionCompleted']);
  });

  test('terminate ends a waiting instance with the reason; raising events then answers 410', async () => {
    const id = await host.startNew('WaitForApproval');
    await host.terminate(id, 'no longer needed');
    const status = await host.getStatus(id);
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
    await expect(host.raiseEvent(id, 'approval', 1)).rejects.toMatchObject({ status: 410 });
  });

  test('purge deletes a finished instance; a running one cannot be purged', async () => {
    const id = await host.startNew('WaitForApproval');
    await expect(host.purge(id)).rejects.toMatchObject({ status: 412 });
    await host.terminate(id, 'done');
    await host.purge(id);
    expect(await host.getStatus(id)).toBeUndefined();
  });
});

describe('scheduling', () => {
  test('activities run concurrently up to maxConcurrentActivities', async () => {
    const bounded = await startLocalHost({ appModule: APP, clock: 'virtual', maxConcurrentActivities: 3 });
    try {
      const id = await bounded.startNew('ConcurrentFanOut', { input: 12 });
      expect((await bounded.waitForCompletion(id)).output).toBe(12);
      expect(testState.maxConcurrent).toBe(3);
    } finally {
      await bounded.stop();
    }
    testState.maxConcurrent = 0;
    const id = await host.startNew('ConcurrentFanOut', { input: 20 });
    await host.waitForCompletion(id);
    expect(testState.maxConcurrent).toBe(8); // the default, as maxConcurrentActivityFunctions in host.json
  });

  test('idle() resolves once nothing is pending or running', async () => {
    const ids = await Promise.all([host.startNew('FanOut', { input: 5 }), host.startNew('TimerThenEcho')]);
    await host.idle();
    for (const id of ids) expect((await host.getStatus(id))?.runtimeStatus).toBe('Completed');
  });
});

describe('singleton starts', () => {
  test('a start with the id of a running instance is refused; after it ends the id can be reused', async () => {
    const id = await host.startNew('WaitForApproval', { instanceId: 'singleton-1' });
    await expect(host.startNew('WaitForApproval', { instanceId: 'singleton-1' })).rejects.toThrow(
      /An Orchestration instance with the status (Pending|Running) already exists\./,
    );
    await host.raiseEvent(id, 'approval', 'first');
    expect((await host.waitForCompletion(id)).output).toBe('first');
    await host.startNew('Sequence', { instanceId: 'singleton-1', input: ['again'] });
    expect((await host.waitForCompletion('singleton-1')).output).toEqual(['Hello again']);
  });

  test('an unknown orchestrator and invalid instance ids are refused', async () => {
    await expect(host.startNew('NoSuchOrchestrator')).rejects.toMatchObject({ status: 400 });
    await expect(host.startNew('Sequence', { instanceId: '@entity' })).rejects.toMatchObject({ status: 400 });
    await expect(host.startNew('Sequence', { instanceId: 'a/b' })).rejects.toMatchObject({ status: 400 });
  });
});
