/**
 * The emulator can express every fault of issue #11's matrix, through the real SDK clients: a request window
 * matched by method, path and body (a 429 with Retry-After, a 409 busy), an outage of all of ARM starting at a given
 * request, and a long-running operation that ends Failed, limited to the method that started it (a relink PUT, not
 * the unlink DELETE on the same linked-server id). The emulator's clock can be driven from outside (a test's
 * virtual clock): windows end when that clock passes them.
 */
import type { ArmResource } from '../../../emulator/core/types';
import { startTestEmulator, FAST_POLL_MS, type TestEmulator } from '../../support/emulator';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg1';
const POLL = { updateIntervalInMs: FAST_POLL_MS };
const premium = (name: string, location: string): ArmResource => ({
  id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/Redis/${name}`,
  name,
  type: 'Microsoft.Cache/Redis',
  location,
  properties: { sku: { name: 'Premium', family: 'P', capacity: 1 } },
});

let t: TestEmulator;
let now = Date.parse('2026-01-01T00:00:00Z');
beforeEach(async () => {
  t = await startTestEmulator({ resources: [premium('p1', 'East US'), premium('s1', 'West US')] });
  t.emu.control.useClock(() => new Date(now));
});
afterEach(async () => t.close());

const redis = () => t.clients.redis(SUB);

it('a window of 429 + Retry-After on one PATCH body only, ending when the clock passes it', async () => {
  t.emu.control.injectFault({ method: 'PATCH', pathPattern: 'Redis/p1$', bodyPattern: 'publicNetworkAccess', status: 429, code: 'SubscriptionRequestsThrottled', retryAfterSeconds: 30, durationSeconds: 300 });
  // another PATCH body on the same cache is not affected
  await redis().redis.beginUpdateAndWait(RG, 'p1', { tags: { a: 'b' } }, POLL);
  const e: any = await redis().redis.beginUpdateAndWait(RG, 'p1', { publicNetworkAccess: 'Disabled' }, POLL).catch((x) => x);
  expect(e.statusCode).toBe(429);
  expect(e.code).toBe('SubscriptionRequestsThrottled');
  // the long Retry-After was not slept on in process: it is carried to the durable wait instead
  expect(e.response.headers.get('x-autopilot-retry-after-ms')).toBe('30000');
  expect(t.emu.control.pendingFaults().requests[0]).toMatchObject({ durationSeconds: 300 });
  now += 301_000;
  await redis().redis.beginUpdateAndWait(RG, 'p1', { publicNetworkAccess: 'Disabled' }, POLL);
  expect((await redis().redis.get(RG, 'p1')).publicNetworkAccess).toBe('Disabled');
});

it('an outage of all of ARM starts at a given request and lasts its window', async () => {
  t.emu.control.injectFault({ pathPattern: '.*', status: 503, code: 'ServiceUnavailable', durationSeconds: 300, startOn: { method: 'DELETE', pathPattern: 'linkedServers/' } });
  await redis().redis.get(RG, 'p1'); // before the trigger: served
  await redis().linkedServer.beginCreateAndWait(RG, 'p1', 's1', { linkedRedisCacheId: premium('s1', '').id, linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL);
  expect((await redis().linkedServer.beginDelete(RG, 'p1', 's1', POLL).catch((x) => x)).statusCode).toBe(503);
  expect((await redis().redis.get(RG, 'p1').catch((x) => x)).statusCode).toBe(503);
  now += 299_000;
  expect((await redis().redis.get(RG, 's1').catch((x) => x)).statusCode).toBe(503);
  now += 2_000;
  expect((await redis().redis.get(RG, 'p1')).name).toBe('p1');
});

it('an operation that ends Failed, limited to the method that started it; the Azure-AsyncOperation body says Failed', async () => {
  const params = { linkedRedisCacheId: premium('s1', '').id, linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' as const };
  await redis().linkedServer.beginCreateAndWait(RG, 'p1', 's1', params, POLL);
  t.emu.control.failNextOperation({ resourcePattern: 'linkedServers/s1$', method: 'PUT', code: 'InternalServerError', message: 'Injected relink failure' });
  // the unlink (DELETE) on the same linked-server id is not affected
  await redis().linkedServer.beginDeleteAndWait(RG, 'p1', 's1', POLL);
  expect(t.emu.control.pendingFaults().operations).toHaveLength(1);
  const bodies: any[] = [];
  const err: any = await redis()
    .linkedServer.beginCreateAndWait(RG, 'p1', 's1', { linkedRedisCacheId: premium('s1', '').id, linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, {
      ...POLL,
      onResponse: (r) => bodies.push({ url: r.request.url, status: r.status, body: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined }),
    })
    .catch((x) => x);
  expect(err.message).toBe('The long-running operation has failed. InternalServerError. Injected relink failure');
  const poll = bodies.find((b) => /asyncOperations/.test(b.url));
  expect(poll).toMatchObject({ status: 200, body: { status: 'Failed', error: { code: 'InternalServerError', message: 'Injected relink failure' }, percentComplete: 100 } });
  // a failed link leaves no link behind, both caches usable
  await expect(redis().linkedServer.get(RG, 'p1', 's1')).rejects.toMatchObject({ statusCode: 404 });
  expect((await redis().redis.get(RG, 'p1')).provisioningState).toBe('Succeeded');
  expect(t.emu.control.pendingFaults().operations).toEqual([]);
});

it('a PATCH that ends Failed leaves the cache Failed, and a PATCH of the same value brings it back', async () => {
  t.emu.control.failNextOperation({ resourcePattern: 'Redis/p1$', method: 'PATCH', code: 'InternalServerError', message: 'Injected update failure' });
  await redis().redis.beginUpdateAndWait(RG, 'p1', { publicNetworkAccess: 'Disabled' }, POLL);
  await redis().redis.get(RG, 's1'); // the next request settles the operation
  expect((await redis().redis.get(RG, 'p1')).provisioningState).toBe('Failed');
  await redis().redis.beginUpdateAndWait(RG, 'p1', { publicNetworkAccess: 'Disabled' }, POLL);
  await redis().redis.get(RG, 's1');
  expect((await redis().redis.get(RG, 'p1'))).toMatchObject({ provisioningState: 'Succeeded', publicNetworkAccess: 'Disabled' });
});
