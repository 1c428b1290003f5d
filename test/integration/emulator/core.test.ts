/**
 * The emulator core: store, router, errors, response headers and the long-running operation styles, with a
 * small test provider served over HTTP (plus one SDK round trip to prove the transport and LRO wiring).
 */
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { MemoryStore } from '../../../emulator/core/store';
import { Router } from '../../../emulator/core/router';
import { ArmError, type ArmResource, type LroStyle, type Provider } from '../../../emulator/core/types';
import { parseResourceId } from '../../../emulator/core/ids';
import { startTestEmulator, FAST_POLL_MS } from '../../support/emulator';

/** Response bodies are untyped JSON in tests. */
const json = (r: Response): Promise<any> => r.json();

const SUB = '22222222-2222-2222-2222-222222222222';
const thingId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Test/things/${name}`;

function res(id: string, extra: Record<string, unknown> = {}): ArmResource {
  const p = parseResourceId(id)!;
  return { id, name: p.name as string, type: p.type as string, properties: { provisioningState: 'Succeeded' }, ...extra };
}

describe('MemoryStore', () => {
  test('ids compare case-insensitively and keep the casing they were created with', () => {
    const s = new MemoryStore();
    s.put(res(thingId('Alpha')));
    expect(s.get(thingId('alpha').toUpperCase())?.id).toBe(thingId('Alpha'));
    s.put({ ...res(thingId('ALPHA')), properties: { v: 2 } });
    expect(s.get(thingId('alpha'))).toMatchObject({ id: thingId('Alpha'), properties: { v: 2 } });
    expect(s.list()).toHaveLength(1);
  });

  test('reads and writes are copies: mutating a returned resource changes nothing until put', () => {
    const s = new MemoryStore();
    const input = res(thingId('a'));
    s.put(input);
    input.properties.provisioningState = 'Failed';
    const got = s.get(thingId('a'))!;
    got.properties.provisioningState = 'Updating';
    expect(s.get(thingId('a'))?.properties.provisioningState).toBe('Succeeded');
  });

  test('delete cascades to every resource under the id, and only those', () => {
    const s = new MemoryStore();
    s.put(res(thingId('a')));
    s.put(res(`${thingId('a')}/parts/p1`));
    s.put(res(`${thingId('a')}/parts/p1/bits/b1`));
    s.put(res(thingId('ab')));
    expect(s.delete(thingId('A'))).toBe(true);
    expect(s.list().map((r) => r.id)).toEqual([thingId('ab')]);
    expect(s.delete(thingId('a'))).toBe(false);
  });

  test('children, list by type, listIn and resource groups', () => {
    const s = new MemoryStore();
    s.put(res(thingId('a')));
    s.put(res(`${thingId('a')}/parts/p1`));
    s.put(res(`${thingId('a')}/parts/p1/bits/b1`));
    s.put(res(`/subscriptions/other/resourceGroups/rg2/providers/Microsoft.Test/things/z`));
    expect(s.children(thingId('a'), 'PARTS').map((r) => r.name)).toEqual(['p1']);
    expect(s.list('microsoft.test/THINGS')).toHaveLength(2);
    expect(s.listIn('Microsoft.Test/things', SUB).map((r) => r.name)).toEqual(['a']);
    expect(s.listIn('Microsoft.Test/things', 'other', 'RG2').map((r) => r.name)).toEqual(['z']);
    expect(s.resourceGroupExists(SUB, 'RG')).toBe(true);
    expect(s.resourceGroupExists(SUB, 'empty')).toBe(false);
    s.addResourceGroup({ subscriptionId: SUB, name: 'empty' });
    expect(s.resourceGroupExists(SUB, 'EMPTY')).toBe(true);
  });

  test('snapshot and restore round-trip without sharing objects', () => {
    const s = new MemoryStore();
    s.put(res(thingId('a')));
    const snap = s.snapshot();
    snap[0].properties.provisioningState = 'Failed';
    expect(s.get(thingId('a'))?.properties.provisioningState).toBe('Succeeded');
    s.put(res(thingId('b')));
    s.restore(snap);
    expect(s.list().map((r) => [r.name, r.properties.provisioningState])).toEqual([['a', 'Failed']]);
  });
});

describe('Router', () => {
  const h = () => ({ status: 200 });
  const r = new Router();
  r.add({ method: 'GET', template: '/subscriptions/{s}/providers/Microsoft.Test/zones/{zone}/{recordType}/{name}', handler: h });
  r.add({ method: 'GET', template: '/subscriptions/{s}/providers/Microsoft.Test/zones/{zone}/virtualNetworkLinks/{link}', handler: h });
  r.add({ method: 'PUT', template: '/subscriptions/{s}/providers/Microsoft.Test/zones/{zone}/virtualNetworkLinks/{link}', handler: h });

  test('literal segments match case-insensitively and the most specific template wins', () => {
    const m = r.match('GET', '/SUBSCRIPTIONS/s1/providers/microsoft.test/Zones/z1/VIRTUALNETWORKLINKS/l1');
    expect(m.kind).toBe('match');
    if (m.kind === 'match') {
      expect(m.route.template).toContain('virtualNetworkLinks');
      expect(m.params).toEqual({ s: 's1', zone: 'z1', link: 'l1' });
    }
    const a = r.match('GET', '/subscriptions/s1/providers/Microsoft.Test/zones/z1/A/www');
    expect(a.kind === 'match' && a.params).toEqual({ s: 's1', zone: 'z1', recordType: 'A', name: 'www' });
  });

  test('a known path with another method is method-not-allowed; an unknown path is not-found', () => {
    const m = r.match('DELETE', '/subscriptions/s1/providers/Microsoft.Test/zones/z1/virtualNetworkLinks/l1');
    expect(m).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'PUT'] });
    expect(r.match('GET', '/subscriptions/s1/providers/Microsoft.Test/zones').kind).toBe('not-found');
  });
});

/** A provider with one resource type whose PUT starts an LRO of the style given in the body. */
const testProvider: Provider = {
  name: 'Microsoft.Test',
  routes: [
    {
      method: 'PUT',
      template: '/subscriptions/{subscriptionId}/resourceGroups/{rg}/providers/Microsoft.Test/things/{name}',
      handler: (req, p, ctx) => {
        const id = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.rg}/providers/Microsoft.Test/things/${p.name}`;
        const style = (req.body?.style ?? 'network') as LroStyle;
        ctx.store.put({ id, name: p.name, type: 'Microsoft.Test/things', location: 'westus', properties: { provisioningState: 'Creating' } });
        const { headers } = ctx.lro.start({
          style,
          subscriptionId: p.subscriptionId,
          location: style === 'redis' ? 'West US' : 'westus',
          headers: req.body?.headers ?? ['azure-async-operation'],
          resourceId: id,
          complete: () => {
            if (req.body?.failWith) throw new ArmError(400, req.body.failWith, 'The thing could not be made.');
            const r = ctx.store.get(id)!;
            r.properties.provisioningState = 'Succeeded';
            ctx.store.put(r);
          },
          fail: () => {
            const r = ctx.store.get(id)!;
            r.properties.provisioningState = 'Failed';
            ctx.store.put(r);
          },
        });
        return { status: 201, headers, body: ctx.store.get(id) };
      },
    },
    {
      method: 'GET',
      template: '/subscriptions/{subscriptionId}/resourceGroups/{rg}/providers/Microsoft.Test/things/{name}',
      handler: (_req, p, ctx) => {
        const r = ctx.store.get(`/subscriptions/${p.subscriptionId}/resourceGroups/${p.rg}/providers/Microsoft.Test/things/${p.name}`);
        if (!r) throw new ArmError(404, 'ResourceNotFound', 'not found', { target: p.name, details: [{ code: 'Inner', message: 'inner detail' }] });
        return { status: 200, body: r };
      },
    },
    {
      method: 'DELETE',
      template: '/subscriptions/{subscriptionId}/resourceGroups/{rg}/providers/Microsoft.Test/things/{name}',
      handler: () => ({ status: 204 }),
    },
  ],
};

describe('HTTP surface', () => {
  let emu: RunningEmulator;
  const auth = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };
  const url = (path: string, query = '?api-version=2024-01-01') => `${emu.url}${path}${query}`;
  beforeEach(async () => {
    emu = await startEmulator({ providers: [testProvider] });
  });
  afterEach(async () => {
    await emu.close();
  });

  test('every ARM response carries the typical ARM headers; the rate-limit header follows the operation kind', async () => {
    const put = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'), {
      method: 'PUT',
      headers: { ...auth, 'x-ms-correlation-request-id': 'corr-1', 'x-ms-client-request-id': 'client-1' },
      body: '{}',
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.headers.get('x-ms-correlation-request-id')).toBe('corr-1');
    expect(put.headers.get('x-ms-client-request-id')).toBe('client-1');
    expect(put.headers.get('x-ms-routing-request-id')).toMatch(/^[A-Z]+:\d{8}T\d{6}Z:[0-9a-f-]{36}$/);
    expect(put.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('199');
    expect(put.headers.get('cache-control')).toBe('no-cache');
    expect(put.headers.get('expires')).toBe('-1');
    const get = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'), { headers: auth });
    expect(get.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('249');
    expect(get.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBeNull();
    const del = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'), { method: 'DELETE', headers: auth });
    expect(del.status).toBe(204);
    expect(del.headers.get('x-ms-ratelimit-remaining-subscription-deletes')).toBe('199');
  });

  test('errors use the ARM envelope (code, message, target, details)', async () => {
    const r = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/missing'), { headers: auth });
    expect(r.status).toBe(404);
    expect(await json(r)).toEqual({
      error: { code: 'ResourceNotFound', message: 'not found', target: 'missing', details: [{ code: 'Inner', message: 'inner detail' }] },
    });
  });

  test('no bearer token: 401 AuthenticationFailed', async () => {
    const r = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'));
    expect(r.status).toBe(401);
    expect((await json(r)).error.code).toBe('AuthenticationFailed');
    expect(r.headers.get('www-authenticate')).toContain('Bearer');
  });

  test('no api-version: 400 MissingApiVersionParameter', async () => {
    const r = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a', ''), { headers: auth });
    expect(r.status).toBe(400);
    expect((await json(r)).error.code).toBe('MissingApiVersionParameter');
  });

  test('unknown routes: InvalidResourceType in a served namespace, NoRegisteredProviderFound otherwise, 405 for another method', async () => {
    const a = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/gadgets/a'), { headers: auth });
    expect([a.status, (await json(a)).error.code]).toEqual([404, 'InvalidResourceType']);
    const b = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Nope/things/a'), { headers: auth });
    expect([b.status, (await json(b)).error.code]).toEqual([404, 'NoRegisteredProviderFound']);
    const c = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'), { method: 'PATCH', headers: auth, body: '{}' });
    expect(c.status).toBe(405);
  });

  test('a body that is not JSON: 400 InvalidRequestContent', async () => {
    const r = await fetch(url('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/a'), { method: 'PUT', headers: auth, body: '{nope' });
    expect([r.status, (await json(r)).error.code]).toEqual([400, 'InvalidRequestContent']);
  });

  const put = (name: string, body: unknown) =>
    fetch(url(`/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/${name}`, '?api-version=2099-01-01'), {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify(body),
    });
  const follow = (absolute: string) => fetch(absolute.replace('https://management.azure.com', emu.url), { headers: auth });

  test.each<[LroStyle, RegExp, string]>([
    ['redis', /^https:\/\/management\.azure\.com\/subscriptions\/s1\/providers\/Microsoft\.Cache\/locations\/West%20US\/asyncOperations\/[0-9a-f-]{36}\?api-version=2099-01-01$/, 'operationresults'],
    ['redisEnterprise', /^https:\/\/management\.azure\.com\/subscriptions\/s1\/providers\/Microsoft\.Cache\/locations\/westus\/operationsStatus\/[0-9a-f-]{36}\?api-version=2099-01-01$/, 'operationsStatus'],
    ['network', /^https:\/\/management\.azure\.com\/subscriptions\/s1\/providers\/Microsoft\.Network\/locations\/westus\/operations\/[0-9a-f-]{36}\?api-version=2099-01-01$/, 'operationResults'],
    ['privateDns', /^https:\/\/management\.azure\.com\/subscriptions\/s1\/resourceGroups\/rg\/providers\/Microsoft\.Network\/privateDnsOperationStatuses\/[0-9a-f-]{36}\?api-version=2099-01-01$/, 'privateDnsOperationResults'],
  ])('LRO style %s: status URL, InProgress until due, then Succeeded; result URL 202 then done', async (style, statusPattern, resultSegment) => {
    emu.control.setSettings({ lroDurationMs: 60_000, lroRetryAfterSeconds: 2 });
    const r = await put(`t-${style}`, { style, headers: ['azure-async-operation', 'location'] });
    const statusUrl = r.headers.get('azure-asyncoperation') as string;
    const resultUrl = r.headers.get('location') as string;
    expect(statusUrl).toMatch(statusPattern);
    expect(resultUrl).toContain(`/${resultSegment}/`);
    expect(r.headers.get('retry-after')).toBe('2');

    const running = await follow(statusUrl);
    expect(running.status).toBe(200);
    expect(running.headers.get('retry-after')).toBe('2');
    const runningBody = await json(running);
    expect(runningBody.status).toBe('InProgress');
    const pending = await follow(resultUrl);
    if (style !== 'redisEnterprise') {
      expect(pending.status).toBe(202);
      expect(pending.headers.get('location')).toBe(resultUrl);
    }

    emu.control.settleOperations();
    const done = await json(await follow(statusUrl));
    expect(done.status).toBe('Succeeded');
    if (style === 'redis') {
      expect(Object.keys(done).sort()).toEqual(['endTime', 'error', 'id', 'name', 'percentComplete', 'properties', 'startTime', 'status']);
      expect(done.id).toMatch(/\/locations\/West US\/asyncOperations\//);
    } else if (style === 'redisEnterprise') {
      expect(done).toMatchObject({ name: expect.any(String), startTime: expect.any(String), endTime: expect.any(String) });
    } else {
      expect(done).toEqual({ status: 'Succeeded' });
    }
    const result = await follow(resultUrl);
    if (style !== 'redisEnterprise') expect(result.status).toBe(style === 'redis' ? 200 : 204);
    const resource = await json(await fetch(url(`/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/t-${style}`), { headers: auth }));
    expect(resource.properties.provisioningState).toBe('Succeeded');
  });

  test('lroDurationMs 0: the operation completes on the next request (the first poll)', async () => {
    const r = await put('quick', { style: 'network' });
    expect(emu.ctx.store.get(`/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/quick`)?.properties.provisioningState).toBe('Creating');
    const poll = await json(await follow(r.headers.get('azure-asyncoperation') as string));
    expect(poll).toEqual({ status: 'Succeeded' });
  });

  test('complete() throwing an ArmError ends the operation Failed with its code and message', async () => {
    const r = await put('bad', { style: 'network', failWith: 'ThingFailed' });
    const poll = await json(await follow(r.headers.get('azure-asyncoperation') as string));
    expect(poll).toEqual({ status: 'Failed', error: { code: 'ThingFailed', message: 'The thing could not be made.' } });
  });

  test('failNextOperation fails only the next matching operation, and runs the fail hook', async () => {
    emu.control.failNextOperation({ resourcePattern: 'things/doomed', code: 'AllocationFailed', message: 'No capacity.' });
    const r = await put('doomed', { style: 'redis', headers: ['azure-async-operation'] });
    const poll = await json(await follow(r.headers.get('azure-asyncoperation') as string));
    expect(poll.status).toBe('Failed');
    expect(poll.error).toEqual({ code: 'AllocationFailed', message: 'No capacity.' });
    expect(emu.ctx.store.get('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/doomed')?.properties.provisioningState).toBe('Failed');
    const again = await put('doomed', { style: 'redis', headers: ['azure-async-operation'] });
    expect((await json(await follow(again.headers.get('azure-asyncoperation') as string))).status).toBe('Succeeded');
  });

  test('a failed operation makes its result URL answer the error', async () => {
    emu.control.failNextOperation({ resourcePattern: 'things/gone', code: 'DeleteFailed', message: 'Could not delete.' });
    const r = await put('gone', { style: 'redis', headers: ['location'] });
    const result = await follow(r.headers.get('location') as string);
    expect(result.status).toBe(400);
    expect((await json(result)).error).toEqual({ code: 'DeleteFailed', message: 'Could not delete.' });
  });

  test('an unknown operation id is 404 OperationNotFound', async () => {
    const r = await fetch(url('/subscriptions/s1/providers/Microsoft.Network/locations/westus/operations/00000000-0000-0000-0000-000000000000'), { headers: auth });
    expect([r.status, (await json(r)).error.code]).toEqual([404, 'OperationNotFound']);
  });
});

describe('through the real SDK', () => {
  test('the client factory reaches the emulator with a bearer token and follows a Redis LRO', async () => {
    const t = await startTestEmulator({ resourceGroups: [`/subscriptions/${SUB}/resourceGroups/rg`], resources: [] });
    try {
      const r = await t.clients
        .redis(SUB)
        .redis.beginCreateAndWait('rg', 'sdkcache', { location: 'westeurope', sku: { name: 'Basic', family: 'C', capacity: 0 } }, { updateIntervalInMs: FAST_POLL_MS });
      expect(r.provisioningState).toBe('Succeeded');
      expect(r.location).toBe('West Europe');
      const log = t.emu.control.requests();
      expect(log.map((e) => [e.method, e.status])).toEqual([
        ['PUT', 201],
        ['GET', 200],
        ['GET', 200],
      ]);
      expect(log[1].path).toBe(`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/West Europe/asyncOperations/${log[1].path.split('/').pop()}`);
    } finally {
      await t.close();
    }
  });
});
