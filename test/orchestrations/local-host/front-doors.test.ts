/**
 * The local host's front doors over real HTTP: HTTP triggers, the Durable extension's routes as the real
 * DurableClient and curl use them, the Event Grid webhook with its validation handshake, the admin endpoint,
 * and timer triggers on their NCRONTAB schedule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSchedule, startLocalHost, type LocalHost } from '../../../src/local/host';
import { testState } from './app/test-app';

const APP = path.join(__dirname, 'app', 'test-app.ts');
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'eventgrid');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ appModule: APP, clock: 'virtual' });
});

afterAll(async () => {
  await host.stop();
});

beforeEach(() => testState.reset());

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never met');
}

describe('HTTP triggers and the durable HTTP API', () => {
  test('POST /api/... starts through the real DurableClient; createCheckStatusResponse URLs answer over HTTP', async () => {
    const res = await fetch(`${host.url}/api/orchestrators/Sequence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(['Oslo']),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(
      ['id', 'purgeHistoryDeleteUri', 'restartPostUri', 'resumePostUri', 'rewindPostUri', 'sendEventPostUri', 'statusQueryGetUri', 'suspendPostUri', 'terminatePostUri'].sort(),
    );
    expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(body.statusQueryGetUri!.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${body.id}?`)).toBe(true);

    const done = await poll(
      () => fetch(body.statusQueryGetUri!),
      (r) => r.status === 200,
    );
    const status = (await done.json()) as Record<string, unknown>;
    expect(status).toMatchObject({ name: 'Sequence', instanceId: body.id, runtimeStatus: 'Completed', input: ['Oslo'], output: ['Hello Oslo'] });
    expect(status.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const withHistory = (await (await fetch(`${body.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`)).json()) as {
      historyEvents: Array<Record<string, unknown>>;
    };
    expect(withHistory.historyEvents.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted']);
    expect(withHistory.historyEvents[1]).toMatchObject({ FunctionName: 'Hello', Result: 'Hello Oslo' });

    const purge = await fetch(body.purgeHistoryDeleteUri!, { method: 'DELETE' });
    expect(purge.status).toBe(200);
    expect(await purge.json()).toEqual({ instancesDeleted: 1 });
    expect((await fetch(body.statusQueryGetUri!)).status).toBe(404);
  });

  test('sendEventPostUri and terminatePostUri work with plain HTTP', async () => {
    const start = await fetch(`${host.url}/api/orchestrators/WaitForApproval/http-approval`, { method: 'POST' });
    const urls = (await start.json()) as Record<string, string>;
    expect(urls.id).toBe('http-approval');
    const running = await fetch(urls.statusQueryGetUri!);
    expect(running.status).toBe(202);
    const raised = await fetch(urls.sendEventPostUri!.replace('{eventName}', 'approval'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: true }),
    });
    expect(raised.status).toBe(202);
    expect((await host.waitForCompletion('http-approval')).output).toEqual({ ok: true });

    const other = (await (await fetch(`${host.url}/api/orchestrators/WaitForApproval`, { method: 'POST' })).json()) as Record<string, string>;
    const terminate = await fetch(other.terminatePostUri!.replace('{text}', 'stop%20it'), { method: 'POST' });
    expect(terminate.status).toBe(202);
    expect(await host.waitForCompletion(other.id!)).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop it' });
    expect((await fetch(other.terminatePostUri!.replace('{text}', 'again'), { method: 'POST' })).status).toBe(410);
  });

  test('the real DurableClient round trip: startNew (singleton), getStatus, raiseEvent, terminate, purge, query', async () => {
    const client = host.durableClient();
    const id = await client.startNew('WaitForApproval', { instanceId: 'client-1' });
    expect(id).toBe('client-1');
    await expect(client.startNew('WaitForApproval', { instanceId: 'client-1' })).rejects.toThrow(
      /unexpected status code: 409.*already exists/,
    );
    const status = await client.getStatus('client-1');
    expect(['Pending', 'Running']).toContain(status.runtimeStatus);
    await client.raiseEvent('client-1', 'approval', 'yes');
    expect((await host.waitForCompletion('client-1')).output).toBe('yes');
    const done = await client.getStatus('client-1');
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 'yes', customStatus: { step: 'approved' } });

    const second = await client.startNew('WaitForApproval');
    await client.terminate(second, 'ops');
    await host.waitForCompletion(second);
    const completed = await client.getStatusBy({ runtimeStatus: ['Completed' as never] });
    expect(completed.map((s) => s.instanceId)).toContain('client-1');
    expect(await client.purgeInstanceHistory('client-1')).toEqual({ instancesDeleted: 1 });
    await expect(client.getStatus('client-1')).rejects.toThrow(/HTTP 404/);
    expect(await client.purgeInstanceHistory('client-1')).toEqual({ instancesDeleted: 0 });
  });

  test('suspend holds events until resume', async () => {
    const client = host.durableClient();
    const id = await client.startNew('WaitForApproval');
    await poll(() => host.getStatus(id), (s) => s?.runtimeStatus === 'Running');
    await client.suspend(id, 'maintenance');
    await poll(() => host.getStatus(id), (s) => s?.runtimeStatus === 'Suspended');
    await client.raiseEvent(id, 'approval', 'held');
    await host.idle(); // a suspended instance does not count as running: the event just waits
    expect((await host.getStatus(id))?.runtimeStatus).toBe('Suspended');
    await client.resume(id, 'done');
    expect(await host.waitForCompletion(id)).toMatchObject({ runtimeStatus: 'Completed', output: 'held' });
  });

  test('a function started through a front door gets a working df.getClient(context)', async () => {
    const id = await host.startNew('Sequence', { input: ['x'] });
    await host.waitForCompletion(id);
    const res = await fetch(`${host.url}/api/status/${id}`);
    expect(await res.json()).toEqual({ runtimeStatus: 'Completed', output: ['Hello x'] });
    const missing = await fetch(`${host.url}/api/status/nope`);
    expect(missing.status).toBe(404);
  });

  test('route templates: parameters, constraints, optional segments, literal precedence, methods', async () => {
    const hello = await fetch(`${host.url}/api/hello/bob/3?q=x`);
    expect(hello.status).toBe(200);
    expect(hello.headers.get('x-hello')).toBe('yes');
    expect(await hello.json()).toEqual({ hello: 'bob', times: '3', q: 'x' });
    expect(await (await fetch(`${host.url}/api/hello/alice`)).json()).toEqual({ hello: 'alice', times: null, q: null });
    expect(await (await fetch(`${host.url}/api/HELLO/World`)).json()).toEqual({ literal: true });
    expect((await fetch(`${host.url}/api/hello/b0b`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/hello/bob/three`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/hello/bob`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${host.url}/api/throws`)).status).toBe(500);
  });

  test('functions() reports triggers, routes, methods, auth levels and schedules', () => {
    const byName = new Map(host.functions().map((f) => [f.name, f]));
    expect(byName.get('httpHello')).toEqual({
      name: 'httpHello',
      trigger: 'httpTrigger',
      route: 'hello/{name:alpha}/{times:int?}',
      methods: ['GET'],
      authLevel: 'function',
    });
    expect(byName.get('httpStart')).toMatchObject({ methods: ['POST'], authLevel: 'anonymous' });
    expect(byName.get('timerTick')).toEqual({ name: 'timerTick', trigger: 'timerTrigger', schedule: '*/1 * * * * *' });
    expect(byName.get('Sequence')?.trigger).toBe('orchestrationTrigger');
    expect(byName.get('Hello')?.trigger).toBe('activityTrigger');
    expect(byName.get('eventGridStart')?.trigger).toBe('eventGridTrigger');
  });

  test('the durable API answers 400 for an unknown orchestrator and 404 for unknown instances', async () => {
    const bad = await fetch(`${host.url}/runtime/webhooks/durabletask/orchestrators/Nope`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ Message: "The function 'Nope' doesn't exist, is disabled, or is not an orchestrator function." });
    expect((await fetch(`${host.url}/durabletask/instances/missing`)).status).toBe(404);
    expect((await fetch(`${host.url}/durabletask/instances/missing/raiseEvent/x`, { method: 'POST' })).status).toBe(404);
  });
});

describe('Event Grid webhook', () => {
  const webhook = (fn: string): string => `${host.url}/runtime/webhooks/eventgrid?functionName=${fn}`;

  test('the subscription validation handshake (Event Grid schema) is answered by the host, not the function', async () => {
    const body = fixture('eventgrid-subscription-validation-event.json');
    const res = await fetch(webhook('eventGridStart'), {
      method: 'POST',
      headers: { 'aeg-event-type': 'SubscriptionValidation', 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ validationResponse: (JSON.parse(body) as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode });
    expect(testState.events).toHaveLength(0);
  });

  test('the CloudEvents handshake (OPTIONS with WebHook-Request-Origin) is answered too', async () => {
    const res = await fetch(webhook('eventGridStart'), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    expect((await fetch(webhook('eventGridStart'), { method: 'OPTIONS' })).status).toBe(400);
  });

  test('notifications invoke the function once per event (Event Grid schema and CloudEvents)', async () => {
    const single = await fetch(webhook('eventGridStart'), {
      method: 'POST',
      headers: { 'aeg-event-type': 'Notification' },
      body: `[${fixture('arm-eventgridschema-resource-write-success.json')}]`,
    });
    expect(single.status).toBe(202);
    expect(testState.events).toHaveLength(1);
    expect(testState.events[0]).toMatchObject({ eventType: 'Microsoft.Resources.ResourceWriteSuccess' });

    const batch = await fetch(webhook('eventGridStart'), {
      method: 'POST',
      headers: { 'aeg-event-type': 'Notification', 'content-type': 'application/cloudevents-batch+json' },
      body: fixture('constructed/delivery-body-batch.cloudevents.json'),
    });
    expect(batch.status).toBe(202);
    const cloud = await fetch(webhook('eventGridStart'), {
      method: 'POST',
      headers: { 'aeg-event-type': 'Notification', 'content-type': 'application/cloudevents+json' },
      body: fixture('arm-cloudevents-resource-write-success.json'),
    });
    expect(cloud.status).toBe(202);
    expect(testState.events).toHaveLength(4);
    await host.waitForCompletion('eg-pe-redis-contoso-prod');
    expect((await host.getStatus('eg-pe-redis-contoso-prod'))?.output).toEqual(['Hello pe-redis-contoso-prod']);
  });

  test('an unknown function is 404, a missing event type header 400', async () => {
    expect((await fetch(webhook('nope'), { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: '[]' })).status).toBe(404);
    expect((await fetch(webhook('httpHello'), { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: '[]' })).status).toBe(404);
    expect((await fetch(webhook('eventGridStart'), { method: 'POST', body: '[]' })).status).toBe(400);
  });
});

describe('admin endpoint and timer triggers', () => {
  test('POST /admin/functions/<name> runs a non-HTTP function now', async () => {
    const res = await fetch(`${host.url}/admin/functions/timerTick`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    await poll(async () => testState.ticks.length, (n) => n >= 1);
    expect(testState.ticks[0]).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
    expect((await fetch(`${host.url}/admin/functions/httpHello`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await fetch(`${host.url}/admin/functions/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    await host.runFunction('timerTick');
    expect(testState.ticks).toHaveLength(2);
    await expect(host.runFunction('Sequence')).rejects.toThrow(/non-HTTP, non-durable/);
  });

  test('a timer trigger fires on its 6-field schedule (virtual clock: one second apart)', async () => {
    const timed = await startLocalHost({ appModule: APP, clock: 'virtual', enableTimers: true, virtualStartTime: '2026-03-01T00:00:00.250Z' });
    try {
      await poll(async () => testState.ticks.length, (n) => n >= 3);
    } finally {
      await timed.stop();
    }
    const [first, second] = testState.ticks;
    expect(first!.scheduleStatus!.next).toBe('2026-03-01T00:00:02.000Z');
    expect(Date.parse(second!.scheduleStatus!.next) - Date.parse(first!.scheduleStatus!.next)).toBe(1000);
  });

  test('a timer trigger fires on the real clock', async () => {
    const timed = await startLocalHost({ appModule: APP, clock: 'real', enableTimers: true });
    try {
      await poll(async () => testState.ticks.length, (n) => n >= 1);
    } finally {
      await timed.stop();
    }
    expect(testState.ticks[0]!.isPastDue).toBe(false);
  });

  test('schedules: six NCRONTAB fields or a TimeSpan; five-field cron is refused like the host does', () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    expect(new Date(parseSchedule('0 */5 * * * *').next(at)).toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(new Date(parseSchedule('30 0 2 * * *').next(at)).toISOString()).toBe('2026-01-01T02:00:30.000Z');
    expect(parseSchedule('00:10:00').next(at) - at).toBe(600_000);
    expect(parseSchedule('%SWEEP_SCHEDULE%', { SWEEP_SCHEDULE: '0 0 * * * *' }).expression).toBe('0 0 * * * *');
    expect(() => parseSchedule('0 */5 * * *')).toThrow("The schedule expression '0 */5 * * *' was not recognized as a valid cron expression or timespan string.");
    expect(() => parseSchedule('not a schedule')).toThrow(/not recognized/);
  });
});
