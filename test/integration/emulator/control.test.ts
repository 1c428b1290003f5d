/**
 * Emulator controls: request faults, operation faults, ARM-style throttling (and how the real SDK's retry
 * policy reacts), the request log, snapshot/restore/reset, settings, the /_emulator/ HTTP routes and the CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { ArmResource } from '../../../emulator/core/types';
import { startTestEmulator, FAST_POLL_MS, type TestEmulator } from '../../support/emulator';

/** Response bodies are untyped JSON in tests. */
const json = (r: Response): Promise<any> => r.json();

const SUB = '11111111-1111-1111-1111-111111111111';
const SUB2 = '22222222-2222-2222-2222-222222222222';
const RG = 'rg1';
const POLL = { updateIntervalInMs: FAST_POLL_MS };

function cache(sub: string, name: string, extra: Record<string, unknown> = {}): ArmResource {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Cache/Redis/${name}`,
    name,
    type: 'Microsoft.Cache/Redis',
    location: 'East US',
    properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, ...extra },
  };
}

const estate = { resources: [cache(SUB, 'c1'), cache(SUB, 'c2'), cache(SUB2, 'other')] };

async function failure(p: Promise<unknown>): Promise<any> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!e) throw new Error('expected the call to fail');
  return e;
}

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator(estate);
});
afterEach(async () => {
  await t.close();
});
const redis = (sub = SUB) => t.clients.redis(sub).redis;

describe('request faults', () => {
  test('a 503 with Retry-After is retried by the SDK and the call succeeds', async () => {
    t.emu.control.injectFault({ method: 'GET', pathPattern: '/redis/c1$', status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0 });
    const c = await redis().get(RG, 'c1');
    expect(c.name).toBe('c1');
    expect(t.emu.control.requests().map((r) => r.status)).toEqual([503, 200]);
  });

  test('a 500 is retried with the SDK backoff (count 2 -> third attempt succeeds)', async () => {
    t.emu.control.injectFault({ pathPattern: 'redis/c1', status: 500, code: 'InternalServerError', count: 2 });
    await redis().get(RG, 'c1');
    expect(t.emu.control.requests().map((r) => r.status)).toEqual([500, 500, 200]);
  });

  test('a 409 is not retried: RestError with the injected code and message', async () => {
    t.emu.control.injectFault({ method: 'PATCH', pathPattern: 'redis/c1', status: 409, code: 'Conflict', message: 'Busy, injected.' });
    const e = await failure(redis().beginUpdateAndWait(RG, 'c1', { enableNonSslPort: true }, POLL));
    expect([e.statusCode, e.code, e.message]).toEqual([409, 'Conflict', 'Busy, injected.']);
    expect(t.emu.control.requests()).toHaveLength(1);
    // the fault is used up; the method filter kept GETs untouched
    expect((await redis().beginUpdateAndWait(RG, 'c1', { enableNonSslPort: true }, POLL)).enableNonSslPort).toBe(true);
  });

  test('the path pattern is a case-insensitive regex on the decoded path; other requests pass', async () => {
    t.emu.control.injectFault({ pathPattern: 'REDIS/C2$', status: 404, code: 'ResourceNotFound' });
    await redis().get(RG, 'c1');
    const e = await failure(redis().get(RG, 'c2'));
    expect([e.statusCode, e.code]).toEqual([404, 'ResourceNotFound']);
  });

  test('latency delays the matching request (recorded in the log) and lets it through when status < 400', async () => {
    t.emu.control.injectFault({ pathPattern: 'redis/c1', status: 200, code: 'Latency', latencyMs: 150 });
    await redis().get(RG, 'c1');
    const [entry] = t.emu.control.requests();
    expect(entry.status).toBe(200);
    expect(entry.durationMs).toBeGreaterThanOrEqual(150);
  });
});

describe('operation faults', () => {
  test('failNextOperation makes a delete end Failed: the poller rejects and the cache is left Failed', async () => {
    t.emu.control.failNextOperation({ resourcePattern: 'Redis/c2$', code: 'DeleteFailed', message: 'Could not delete the cache.' });
    const e = await failure(redis().beginDeleteAndWait(RG, 'c2', POLL));
    expect(e.code).toBe('DeleteFailed');
    expect(e.statusCode).toBe(400);
    expect((await redis().get(RG, 'c2')).provisioningState).toBe('Failed');
  });
});

describe('throttling (ARM token buckets)', () => {
  test('over the read bucket: 429 SubscriptionRequestsThrottled with Retry-After and remaining 0', async () => {
    t.emu.control.setSettings({ throttling: { enabled: true, reads: { capacity: 2, refillPerSecond: 0.01 } } });
    const headers = { Authorization: 'Bearer x' };
    const path = `${t.emu.url}/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/redis/c1?api-version=2024-11-01`;
    const first = await fetch(path, { headers });
    const second = await fetch(path, { headers });
    expect([first.headers.get('x-ms-ratelimit-remaining-subscription-reads'), second.headers.get('x-ms-ratelimit-remaining-subscription-reads')]).toEqual(['1', '0']);
    const third = await fetch(path, { headers });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(third.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('0');
    expect((await json(third)).error.code).toBe('SubscriptionRequestsThrottled');
    // buckets are per subscription and per kind
    const other = await fetch(path.replace(SUB, SUB2).replace('/c1?', '/other?'), { headers });
    expect(other.status).toBe(200);
    const write = await fetch(path, { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{"properties":{}}' });
    expect(write.status).toBe(200);
    expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('199');
  });

  test('the SDK waits for Retry-After and succeeds when the bucket refills', async () => {
    t.emu.control.setSettings({ throttling: { enabled: true, reads: { capacity: 1, refillPerSecond: 1 } } });
    await redis().get(RG, 'c1');
    const c = await redis().get(RG, 'c2');
    expect(c.name).toBe('c2');
    expect(t.emu.control.requests().map((r) => r.status)).toEqual([200, 429, 200]);
  });

  test('a 429 without Retry-After surfaces at once as a RestError (the SDK does not retry it)', async () => {
    t.emu.control.injectFault({ pathPattern: 'redis/c1', status: 429, code: 'TooManyRequests', message: 'Slow down.' });
    const e = await failure(redis().get(RG, 'c1'));
    expect([e.statusCode, e.code]).toEqual([429, 'TooManyRequests']);
    expect(t.emu.control.requests()).toHaveLength(1);
  });

  test('throttling is off by default', async () => {
    for (let i = 0; i < 5; i++) await redis().get(RG, 'c1');
    expect(t.emu.control.requests().every((r) => r.status === 200)).toBe(true);
  });
});

describe('request log, snapshot, reset, settings', () => {
  test('the log lists ARM requests (method, decoded path, api-version, status, time, duration) but no control calls', async () => {
    await redis().get(RG, 'c1');
    await failure(redis().get(RG, 'missing'));
    await fetch(`${t.emu.url}/_emulator/health`);
    const log = t.emu.control.requests();
    expect(log).toEqual([
      { method: 'GET', path: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/redis/c1`, apiVersion: '2024-11-01', status: 200, time: expect.any(String), durationMs: expect.any(Number) },
      expect.objectContaining({ method: 'GET', status: 404, errorCode: 'ResourceNotFound' }),
    ]);
    expect(new Date(log[0].time).toISOString()).toBe(log[0].time);
    t.emu.control.clearRequests();
    expect(t.emu.control.requests()).toEqual([]);
  });

  test('snapshot / restore / reset', async () => {
    const initial = t.emu.control.snapshot();
    await redis().beginDeleteAndWait(RG, 'c1', POLL);
    expect(t.emu.control.snapshot()).toHaveLength(initial.length - 1);
    t.emu.control.restore(initial);
    expect((await redis().get(RG, 'c1')).name).toBe('c1');
    await redis().beginDeleteAndWait(RG, 'c2', POLL);
    t.emu.control.injectFault({ pathPattern: '.', status: 500, code: 'X' });
    t.emu.control.reset();
    expect(t.emu.control.snapshot()).toEqual(initial);
    expect(t.emu.control.requests()).toEqual([]);
    expect((await redis().get(RG, 'c2')).name).toBe('c2'); // the fault was cleared too
    t.emu.control.reset({ resources: [cache(SUB, 'only')] });
    expect(t.emu.control.snapshot().map((r) => r.name)).toEqual(['only']);
  });

  test('settings merge deeply', () => {
    t.emu.control.setSettings({ lroDurationMs: 5, throttling: { reads: { capacity: 7 } } });
    const s = t.emu.control.settings();
    expect(s.lroDurationMs).toBe(5);
    expect(s.throttling.reads).toEqual({ capacity: 7, refillPerSecond: 25 });
    expect(s.throttling.writes).toEqual({ capacity: 200, refillPerSecond: 10 });
    expect(s.throttling.enabled).toBe(false);
  });
});

describe('HTTP control routes', () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${t.emu.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

  test('health', async () => {
    const r = await call('GET', '/_emulator/health');
    expect(r.status).toBe(200);
    const body = await json(r);
    expect(body.status).toBe('ok');
    expect(body.resources).toBe(3);
    expect(body.providers.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['Microsoft.Cache/Redis', 'Microsoft.Cache/redisEnterprise', 'Microsoft.ResourceGraph']),
    );
  });

  test('faults, operation-faults, requests', async () => {
    expect((await call('POST', '/_emulator/faults', { method: 'GET', pathPattern: 'redis/c1', status: 409, code: 'Conflict', message: 'http fault' })).status).toBe(204);
    const e = await failure(redis().get(RG, 'c1'));
    expect([e.statusCode, e.message]).toEqual([409, 'http fault']);
    expect((await call('POST', '/_emulator/operation-faults', { resourcePattern: 'c2$', code: 'Boom', message: 'op fault' })).status).toBe(204);
    expect((await failure(redis().beginDeleteAndWait(RG, 'c2', POLL))).code).toBe('Boom');
    const log = await json(await call('GET', '/_emulator/requests'));
    expect(log.value.map((r: { status: number }) => r.status)).toEqual(t.emu.control.requests().map((r) => r.status));
    expect(log.value[0]).toMatchObject({ method: 'GET', status: 409 });
    expect((await call('DELETE', '/_emulator/requests')).status).toBe(204);
    expect((await json(await call('GET', '/_emulator/requests'))).value).toEqual([]);
    expect((await call('POST', '/_emulator/faults', { pathPattern: 'x' })).status).toBe(400);
  });

  test('snapshot GET/PUT and reset', async () => {
    const snap = await json(await call('GET', '/_emulator/snapshot'));
    expect(snap.resources).toEqual(t.emu.control.snapshot());
    expect((await call('PUT', '/_emulator/snapshot', { resources: snap.resources.slice(0, 1) })).status).toBe(204);
    expect(t.emu.control.snapshot().map((r) => r.name)).toEqual(['c1']);
    expect((await call('POST', '/_emulator/reset')).status).toBe(204);
    expect(t.emu.control.snapshot()).toEqual(snap.resources);
    expect((await call('POST', '/_emulator/reset', { resources: [cache(SUB, 'fresh')] })).status).toBe(204);
    expect(t.emu.control.snapshot().map((r) => r.name)).toEqual(['fresh']);
  });

  test('settings PATCH/GET and settle', async () => {
    const r = await call('PATCH', '/_emulator/settings', { lroDurationMs: 60000, throttling: { enabled: false } });
    expect((await json(r)).lroDurationMs).toBe(60000);
    expect((await json(await call('GET', '/_emulator/settings'))).lroDurationMs).toBe(60000);
    await redis().beginUpdateAndWait(RG, 'c1', { enableNonSslPort: true }, POLL);
    expect((await redis().get(RG, 'c1')).provisioningState).toBe('Updating');
    expect((await call('POST', '/_emulator/settle')).status).toBe(204);
    expect((await redis().get(RG, 'c1')).provisioningState).toBe('Succeeded');
  });

  test('connectivity mirrors control.connectivity and needs cache and from', async () => {
    expect((await call('GET', '/_emulator/connectivity')).status).toBe(400);
    const cacheId = cache(SUB, 'c1').id;
    const r = await call('GET', `/_emulator/connectivity?cache=${encodeURIComponent(cacheId)}&from=internet`);
    let expected: unknown;
    try {
      expected = t.emu.control.connectivity(cacheId, 'internet');
    } catch {
      expected = undefined;
    }
    if (expected === undefined) expect(r.status).toBeGreaterThanOrEqual(400);
    else expect(await json(r)).toEqual(expected);
  });

  test('unknown control route: 404', async () => {
    expect((await call('GET', '/_emulator/nope')).status).toBe(404);
  });
});

describe('CLI', () => {
  test('prints its base URL alone on the first line of stdout and serves the demo estate until killed', async () => {
    const root = join(__dirname, '../../..');
    const child: ChildProcess = spawn(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'emulator/main.ts', '--port', '0', '--estate', 'emulator/estates/demo.json'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await json(await fetch(`${firstLine}/_emulator/health`));
      expect(health.status).toBe('ok');
      expect(health.resources).toBeGreaterThan(0);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
