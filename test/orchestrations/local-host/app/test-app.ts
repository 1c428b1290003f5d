/**
 * A small app in the product's shape (v4 programming model + durable-functions v3) that the local host's own
 * tests load. `testState` lets tests steer and observe it (the host requires this same module instance).
 */
import { app, type EventGridEvent, type HttpRequest, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, OrchestrationContext, OrchestrationHandler } from 'durable-functions';

export const testState = {
  flip: 0,
  replays: new Map<string, number>(),
  calls: new Map<string, number>(),
  activeConcurrent: 0,
  maxConcurrent: 0,
  events: [] as unknown[],
  ticks: [] as Timer[],
  hookLog: [] as string[],
  childAttempts: new Map<string, Set<string>>(),
  reset(): void {
    this.childAttempts.clear();
    this.flip = 0;
    this.replays.clear();
    this.calls.clear();
    this.activeConcurrent = 0;
    this.maxConcurrent = 0;
    this.events.length = 0;
    this.ticks.length = 0;
    this.hookLog.length = 0;
  },
};

function count(key: string): number {
  const n = (testState.calls.get(key) ?? 0) + 1;
  testState.calls.set(key, n);
  return n;
}

function countReplay(key: string): number {
  const n = (testState.replays.get(key) ?? 0) + 1;
  testState.replays.set(key, n);
  return n;
}

// ---------------------------------------------------------------- activities
df.app.activity('Echo', { handler: (input: unknown) => input });
df.app.activity('Hello', { handler: (name: string) => `Hello ${name}` });
df.app.activity('StepA', { handler: () => 'A' });
df.app.activity('WhoCalls', { handler: (_input: unknown, context: InvocationContext) => context.triggerMetadata?.instanceId });
df.app.activity('StepB', { handler: () => 'B' });
df.app.activity('TypeOf', { handler: (input: unknown) => (input === undefined ? 'undefined' : input === null ? 'null' : typeof input) });
df.app.activity('AlwaysFails', {
  handler: () => {
    count('AlwaysFails');
    throw new Error('boom');
  },
});
df.app.activity('FailsTimes', {
  handler: (input: { key: string; times: number }) => {
    const n = count(`FailsTimes:${input.key}`);
    if (n <= input.times) throw new Error(`failure ${n}`);
    return `ok after ${n}`;
  },
});
df.app.activity('Concurrent', {
  handler: async (i: number) => {
    testState.activeConcurrent++;
    testState.maxConcurrent = Math.max(testState.maxConcurrent, testState.activeConcurrent);
    await new Promise((r) => setTimeout(r, 15));
    testState.activeConcurrent--;
    return i;
  },
});

// ---------------------------------------------------------------- orchestrations
const sequence: OrchestrationHandler = function* (context: OrchestrationContext) {
  const names = context.df.getInput<string[]>() ?? [];
  const out: string[] = [];
  for (const n of names) out.push(yield context.df.callActivity('Hello', n));
  return out;
};
df.app.orchestration('Sequence', sequence);

df.app.orchestration('FanOut', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  const results: number[] = yield context.df.Task.all(Array.from({ length: n }, (_, i) => context.df.callActivity('Echo', i)));
  return results.reduce((a, b) => a + b, 0);
});

df.app.orchestration('ConcurrentFanOut', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  const results: number[] = yield context.df.Task.all(Array.from({ length: n }, (_, i) => context.df.callActivity('Concurrent', i)));
  return results.length;
});

df.app.orchestration('Inputs', function* (context: OrchestrationContext) {
  const kinds: string[] = [];
  kinds.push(yield context.df.callActivity('TypeOf'));
  kinds.push(yield context.df.callActivity('TypeOf', null));
  kinds.push(yield context.df.callActivity('TypeOf', 'text'));
  kinds.push(yield context.df.callActivity('TypeOf', 42));
  const echoed: unknown = yield context.df.callActivity('Echo', '{"looks":"like json"}');
  return { kinds, echoed };
});

// Branches on a value that changes between replays: the extension's replay check must fail it.
df.app.orchestration('NonDeterministic', function* (context: OrchestrationContext) {
  testState.flip++;
  const first: string = yield context.df.callActivity(testState.flip % 2 === 1 ? 'StepA' : 'StepB');
  const second: string = yield context.df.callActivity('StepA');
  return [first, second];
});

df.app.orchestration('ReturnsEarlyOnReplay', function* (context: OrchestrationContext) {
  if (countReplay(`early:${context.df.instanceId}`) > 1) return 'skipped';
  yield context.df.callActivity('StepA');
  return 'ran';
});

df.app.orchestration('TimerOnReplay', function* (context: OrchestrationContext) {
  if (countReplay(`timer:${context.df.instanceId}`) > 1) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
  } else {
    yield context.df.callActivity('StepA');
  }
  return 'done';
});

df.app.orchestration('WhoCallsOrchestrator', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('WhoCalls');
});

df.app.orchestration('Deterministic', function* (context: OrchestrationContext) {
  const a: string = yield context.df.callActivity('StepA');
  const b: string = yield context.df.callActivity('StepB');
  return a + b;
});

df.app.orchestration('RetryExhausted', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;
  try {
    yield context.df.callActivityWithRetry('AlwaysFails', retry);
    return 'unexpected';
  } catch (e) {
    return `caught: ${(e as Error).message}`;
  }
});

df.app.orchestration('RetryThenSucceed', function* (context: OrchestrationContext) {
  const input = context.df.getInput<{ key: string; times: number }>();
  return yield context.df.callActivityWithRetry('FailsTimes', new df.RetryOptions(500, 5), input);
});

df.app.orchestration('RetryParallel', function* (context: OrchestrationContext) {
  const key = context.df.getInput<string>();
  const retry = new df.RetryOptions(100, 4);
  return yield context.df.Task.all([
    context.df.callActivityWithRetry('FailsTimes', retry, { key: `${key}-1`, times: 1 }),
    context.df.callActivityWithRetry('FailsTimes', retry, { key: `${key}-2`, times: 2 }),
    context.df.callActivity('Echo', 'plain'),
    context.df.callActivityWithRetry('FailsTimes', retry, { key: `${key}-3`, times: 0 }),
  ]);
});

df.app.orchestration('Child', function* (context: OrchestrationContext) {
  const name = context.df.getInput<string>();
  return yield context.df.callActivity('Hello', name);
});

df.app.orchestration('FailingChild', function* (context: OrchestrationContext) {
  yield context.df.callActivity('StepA');
  throw new Error('child boom');
});

df.app.orchestration('ParentCatches', function* (context: OrchestrationContext) {
  const hello: string = yield context.df.callSubOrchestrator('Child', 'sub');
  try {
    yield context.df.callSubOrchestrator('FailingChild', undefined, `${context.df.instanceId}-failing`);
    return 'unexpected';
  } catch (e) {
    return { hello, caught: (e as Error).message };
  }
});

df.app.orchestration('ParentUncaught', function* (context: OrchestrationContext) {
  return yield context.df.callSubOrchestrator('FailingChild');
});

df.app.orchestration('Sweep', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  const results: string[] = yield context.df.Task.all(
    Array.from({ length: n }, (_, i) => context.df.callSubOrchestrator('Child', `c${i}`, `${context.df.instanceId}-child-${i}`)),
  );
  return results.length;
});

// Fails in its first attempt: each retry attempt is a new child instance; the attempt number is the
// position of this instance id among the ids seen for the parent (stable across replays).
df.app.orchestration('FlakyChildThrows', function* (context: OrchestrationContext) {
  const key = context.df.parentInstanceId ?? '';
  const seen = testState.childAttempts.get(key) ?? new Set<string>();
  seen.add(context.df.instanceId);
  testState.childAttempts.set(key, seen);
  const attempt = [...seen].indexOf(context.df.instanceId) + 1;
  yield context.df.callActivity('StepA');
  if (attempt < 2) throw new Error(`child attempt ${attempt} failed`);
  return `child ok at attempt ${attempt}`;
});

df.app.orchestration('SubWithRetry', function* (context: OrchestrationContext) {
  return yield context.df.callSubOrchestratorWithRetry('FlakyChildThrows', new df.RetryOptions(1000, 3));
});

df.app.orchestration('TimerThenEcho', function* (context: OrchestrationContext) {
  const start = context.df.currentUtcDateTime.toISOString();
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3600_000));
  const after = context.df.currentUtcDateTime.toISOString();
  return { start, after };
});

df.app.orchestration('LongTimer', function* (context: OrchestrationContext) {
  const start = context.df.currentUtcDateTime.getTime();
  yield context.df.createTimer(new Date(start + 10 * 24 * 3600_000));
  yield context.df.callActivity('StepA');
  return (context.df.currentUtcDateTime.getTime() - start) / 3600_000;
});

df.app.orchestration('WaitForApproval', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ step: 'waiting' });
  const approval: unknown = yield context.df.waitForExternalEvent('approval');
  context.df.setCustomStatus({ step: 'approved' });
  return approval;
});

df.app.orchestration('ApprovalOrTimeout', function* (context: OrchestrationContext) {
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 24 * 3600_000));
  const approval = context.df.waitForExternalEvent('approval');
  const winner: unknown = yield context.df.Task.any([timer, approval]);
  if (winner === approval) {
    timer.cancel();
    return { approved: approval.result };
  }
  return 'timed out';
});

df.app.orchestration('Eternal', function* (context: OrchestrationContext) {
  const state = context.df.getInput<{ round: number; max: number }>();
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  if (state.round >= state.max) return `stopped at round ${state.round}`;
  context.df.continueAsNew({ round: state.round + 1, max: state.max });
  return undefined;
});

df.app.orchestration('UsesMissingActivity', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('NoSuchActivity');
});

df.app.orchestration('Guids', function* (context: OrchestrationContext) {
  const a = context.df.newGuid(context.df.instanceId);
  yield context.df.callActivity('StepA');
  const b = context.df.newGuid(context.df.instanceId);
  return [a, b];
});

// ---------------------------------------------------------------- triggers
df.app.client.http('httpStart', {
  route: 'orchestrators/{name}/{id?}',
  methods: ['POST'],
  handler: async (req: HttpRequest, client: DurableClient, context: InvocationContext) => {
    const text = await req.text();
    const input: unknown = text.length > 0 ? JSON.parse(text) : undefined;
    const id = await client.startNew(req.params.name!, { instanceId: req.params.id, input });
    context.log(`started ${req.params.name} as ${id}`);
    return client.createCheckStatusResponse(req, id);
  },
});

df.app.client.http('httpStatus', {
  route: 'status/{id}',
  methods: ['GET'],
  handler: async (req: HttpRequest, client: DurableClient) => {
    try {
      const status = await client.getStatus(req.params.id!);
      return { jsonBody: { runtimeStatus: status.runtimeStatus, output: status.output } };
    } catch (e) {
      return { status: 404, jsonBody: { error: (e as Error).message } };
    }
  },
});

app.http('httpHello', {
  route: 'hello/{name:alpha}/{times:int?}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (req: HttpRequest) => ({
    status: 200,
    jsonBody: { hello: req.params.name, times: req.params.times ?? null, q: req.query.get('q') },
    headers: { 'x-hello': 'yes' },
  }),
});

app.http('httpHelloLiteral', {
  route: 'hello/world',
  methods: ['GET'],
  handler: async () => ({ jsonBody: { literal: true } }),
});

app.http('httpThrows', {
  route: 'throws',
  handler: async () => {
    throw new Error('http boom');
  },
});

df.app.client.eventGrid('eventGridStart', {
  handler: async (event: EventGridEvent, client: DurableClient, context: InvocationContext) => {
    testState.events.push(event);
    const subject = String(event.subject ?? (event as unknown as { source?: string }).source ?? 'none');
    const id = `eg-${subject.split('/').filter(Boolean).pop() ?? 'none'}`;
    try {
      await client.startNew('Sequence', { instanceId: id, input: [subject.split('/').pop() ?? ''] });
    } catch (e) {
      context.warn(`already running: ${(e as Error).message}`);
    }
  },
});

df.app.client.timer('timerTick', {
  schedule: '*/1 * * * * *',
  handler: async (timer: Timer, client: DurableClient) => {
    testState.ticks.push(timer);
    try {
      await client.getStatus('tick-singleton');
    } catch {
      await client.startNew('Sequence', { instanceId: 'tick-singleton', input: ['tick'] });
    }
  },
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.functionName === 'StepB') testState.hookLog.push('pre:StepB');
});
app.hook.postInvocation((context) => {
  if (context.invocationContext.functionName === 'StepB') testState.hookLog.push(`post:StepB=${String(context.result)}`);
});
