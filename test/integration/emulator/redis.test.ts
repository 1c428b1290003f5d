/**
 * Microsoft.Cache/Redis in the emulator, driven by the real @azure/arm-rediscache client over HTTP.
 * Every spec example copied to test/fixtures/arm/redis is replayed through the SDK and the wire response is
 * compared with it (status, LRO headers and polls, keys/types, enum values). Every seed rule is checked to fail
 * with the right RestError and to leave the emulator state unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArmResource } from '../../../emulator/core/types';
import { startTestEmulator, responseRecorder, shapeMismatches, FAST_POLL_MS, type TestEmulator } from '../../support/emulator';

/** Response bodies are untyped JSON in tests. */
const json = (r: Response): Promise<any> => r.json();

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg1';
const POLL = { updateIntervalInMs: FAST_POLL_MS };

/** The SDK takes the flattened model: an example's wire `{ location, properties: {...} }` becomes `{ location, ... }`. */
const flatten = (wire: { properties?: Record<string, unknown>; [k: string]: unknown }) => {
  const { properties, ...rest } = wire;
  return { ...rest, ...(properties ?? {}) } as any;
};

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/arm/redis', `${name}.json`), 'utf8'));

const cacheId = (name: string, rg = RG) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Cache/Redis/${name}`;
const peId = (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/${name}`;

function cache(name: string, properties: Record<string, any> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return {
    id: cacheId(name),
    name,
    type: 'Microsoft.Cache/Redis',
    location: 'East US',
    properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, ...properties },
    ...extra,
  };
}

const premium = { sku: { name: 'Premium', family: 'P', capacity: 1 } };

function pec(cacheName: string, name: string, pe: string, status = 'Approved'): ArmResource {
  return {
    id: `${cacheId(cacheName)}/privateEndpointConnections/${name}`,
    name,
    type: 'Microsoft.Cache/Redis/privateEndpointConnections',
    properties: {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: peId(pe) },
      privateLinkServiceConnectionState: { status, description: 'Auto-Approved', actionsRequired: 'None' },
    },
  };
}

function link(from: string, to: string, role: 'Primary' | 'Secondary', primary: string): ArmResource {
  return {
    id: `${cacheId(from)}/linkedServers/${to}`,
    name: to,
    type: 'Microsoft.Cache/Redis/linkedServers',
    properties: {
      linkedRedisCacheId: cacheId(to),
      linkedRedisCacheLocation: 'West US',
      geoReplicatedPrimaryHostName: `${primary}.geo.redis.cache.windows.net`,
      primaryHostName: `${primary}.redis.cache.windows.net`,
      provisioningState: 'Succeeded',
      serverRole: role,
    },
  };
}

const estate = {
  resourceGroups: [`/subscriptions/${SUB}/resourceGroups/${RG}`, `/subscriptions/${SUB}/resourceGroups/rg-empty`],
  resources: [
    cache('basic1', { sku: { name: 'Basic', family: 'C', capacity: 0 } }),
    cache('std1', {}),
    cache('withpe', { publicNetworkAccess: 'Disabled' }),
    pec('withpe', 'pe1.conn', 'pe1'),
    cache('geo-a', premium),
    cache('geo-b', premium, { location: 'West US' }),
    link('geo-a', 'geo-b', 'Secondary', 'geo-a'),
    link('geo-b', 'geo-a', 'Primary', 'geo-a'),
    cache('prem-a', premium),
    cache('prem-b', premium, { location: 'West US' }),
    cache('clustered', { ...premium, shardCount: 2 }),
    pec('clustered', 'pec-c', 'pe-c'),
    cache('vnetcache', { ...premium, subnetId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`, staticIP: '10.0.0.5' }),
  ],
};

async function restError(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!e) throw new Error('expected the call to fail');
  return e as { statusCode?: number; code?: string; message: string };
}

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator(estate);
});
afterEach(async () => {
  await t.close();
});

const redis = () => t.clients.redis(SUB);
const enumOk = (v: unknown, values: string[]) => expect(values).toContain(v);
const PROVISIONING = ['Creating', 'Deleting', 'Disabled', 'Failed', 'Linking', 'Provisioning', 'RecoveringScaleFailure', 'Scaling', 'Succeeded', 'Unlinking', 'Unprovisioning', 'Updating', 'ConfiguringAAD'];

describe('Microsoft.Cache/Redis caches (spec examples through the SDK)', () => {
  test('RedisCacheCreate: 201 Creating + Azure-AsyncOperation/Location, one poll, final GET Succeeded', async () => {
    const f = fixture('RedisCacheCreate');
    const seen = responseRecorder();
    const result = await redis().redis.beginCreateAndWait(RG, 'cache1', flatten(f.parameters.parameters), { ...POLL, onResponse: seen.onResponse });

    const initial = seen.responses[0];
    expect(initial.status).toBe(201);
    expect(initial.body.properties.provisioningState).toBe('Creating');
    expect(initial.headers['azure-asyncoperation']).toMatch(
      new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUB}/providers/Microsoft\\.Cache/locations/East%20US/asyncOperations/[0-9a-f-]{36}\\?api-version=2024-11-01$`),
    );
    expect(initial.headers['location']).toBe(`https://management.azure.com${cacheId('cache1').replace('Redis', 'redis')}?api-version=2024-11-01`);
    expect(initial.headers['retry-after']).toBeUndefined();
    // keys, types and enum values of the example's 201 body (the example shows Succeeded; a real create starts Creating)
    expect(shapeMismatches(f.responses['201'].body, initial.body)).toEqual([]);
    expect(initial.body.id).toBe(cacheId('cache1'));
    expect(initial.body.type).toBe('Microsoft.Cache/Redis');
    expect(initial.body.properties.accessKeys).toEqual({ primaryKey: expect.any(String), secondaryKey: expect.any(String) });

    const methods = t.emu.control.requests().map((r) => `${r.method} ${r.status} ${r.path.split('/').slice(-2).join('/')}`);
    expect(methods).toEqual([`PUT 201 redis/cache1`, expect.stringMatching(/^GET 200 asyncOperations\//), `GET 200 redis/cache1`]);
    expect(t.emu.control.requests().every((r) => r.apiVersion === '2024-11-01')).toBe(true);

    expect(result.provisioningState).toBe('Succeeded');
    expect(result.hostName).toBe('cache1.redis.cache.windows.net');
    expect(result.port).toBe(6379);
    expect(result.sslPort).toBe(6380);
    expect(result.redisVersion).toBe('4.0.14');
    expect(result.shardCount).toBe(2);
    expect(result.subnetId).toBe(f.parameters.parameters.properties.subnetId);
    expect(result.publicNetworkAccess).toBe('Enabled');
    expect(result.instances).toHaveLength(6); // 2 shards x (1 primary + 2 replicas), as in the example
    expect(result.accessKeys).toBeNull(); // GET answers accessKeys: null
    const final = seen.responses[seen.responses.length - 1];
    expect(shapeMismatches(f.responses['200'].body, final.body, ['properties.accessKeys'])).toEqual([]);
    expect(final.body.properties.accessKeys).toBeNull();
  });

  test('RedisCacheGet: shape of the example, embedded linkedServers and privateEndpointConnections', async () => {
    const f = fixture('RedisCacheGet');
    const seen = responseRecorder();
    // geo-a is linked (linkedServers) and, for the shape check, gets a connection added straight to the store
    t.emu.ctx.store.put(pec('geo-a', 'cachePec', 'cachePe'));
    t.emu.control.restore(t.emu.control.snapshot()); // seed hooks rebuild the embedded arrays
    const got = await redis().redis.get(RG, 'geo-a', { onResponse: seen.onResponse });
    expect(seen.responses[0].status).toBe(200);
    expect(shapeMismatches(f.responses['200'].body, seen.responses[0].body)).toEqual([]);
    enumOk(seen.responses[0].body.properties.provisioningState, PROVISIONING);
    enumOk(seen.responses[0].body.properties.publicNetworkAccess, ['Enabled', 'Disabled']);
    expect(got.linkedServers).toEqual([{ id: `${cacheId('geo-a')}/linkedServers/geo-b` }]);
    expect(got.privateEndpointConnections?.[0].privateEndpoint?.id).toBe(peId('cachePe'));
    expect(got.privateEndpointConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Approved');
  });

  test('RedisCacheGet: routes case-insensitively and answers in ARM casing', async () => {
    const res = await fetch(`${t.emu.url}/SUBSCRIPTIONS/${SUB}/resourcegroups/RG1/providers/microsoft.cache/REDIS/STD1?api-version=2024-11-01`, {
      headers: { Authorization: 'Bearer x' },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.id).toBe(cacheId('std1'));
    expect(body.type).toBe('Microsoft.Cache/Redis');
  });

  test('RedisCacheUpdate: PATCH answers 200 with the resource; the cache is Updating until the update completes', async () => {
    const f = fixture('RedisCacheUpdate');
    t.emu.control.setSettings({ lroDurationMs: 60_000 });
    const seen = responseRecorder();
    const result = await redis().redis.beginUpdateAndWait(RG, 'prem-a', flatten(f.parameters.parameters), { ...POLL, onResponse: seen.onResponse });
    expect(seen.responses.map((r) => r.status)).toEqual([200]);
    expect(shapeMismatches(f.responses['200'].body, seen.responses[0].body, ['properties.accessKeys'])).toEqual([]);
    expect(seen.responses[0].body.properties.accessKeys).toBeNull(); // [REC] PATCH answers accessKeys: null
    expect(result.enableNonSslPort).toBe(true);
    expect(result.replicasPerPrimary).toBe(2);
    expect(result.provisioningState).toBe('Scaling'); // a replica count change is a scaling operation
    expect((await redis().redis.get(RG, 'prem-a')).provisioningState).toBe('Scaling');
    t.emu.control.settleOperations();
    const after = await redis().redis.get(RG, 'prem-a');
    expect(after.provisioningState).toBe('Succeeded');
    expect(after.instances).toHaveLength(3);
  });

  test('recording_redis_update_test: a PATCH that changes nothing answers 200 Succeeded at once', async () => {
    const rec = fixture('recording_redis_update_test');
    const patch = rec.Entries.find((e: any) => e.RequestMethod === 'PATCH');
    await redis().redis.beginUpdateAndWait(RG, 'std1', { enableNonSslPort: true }, POLL);
    t.emu.control.settleOperations();
    const seen = responseRecorder();
    await redis().redis.beginUpdateAndWait(RG, 'std1', patch.RequestBody.properties, { ...POLL, onResponse: seen.onResponse });
    expect(seen.responses[0].status).toBe(patch.StatusCode);
    expect(seen.responses[0].headers['azure-asyncoperation']).toBeUndefined();
    expect(seen.responses[0].body.properties.provisioningState).toBe('Succeeded');
    // the real recording's body keys are all present with the same types (except fields of a VNet-injected P1)
    expect(shapeMismatches(patch.ResponseBody, seen.responses[0].body, ['properties.subnetId', 'properties.staticIP', 'properties.shardCount', 'zones', 'properties.instances[0].zone', 'properties.instances[0].shardId'])).toEqual([]);
  });

  test('PATCH publicNetworkAccess Disabled is stored; the next request completes the update (lroDurationMs 0)', async () => {
    const r = await redis().redis.beginUpdateAndWait(RG, 'std1', { publicNetworkAccess: 'Disabled' }, POLL);
    expect(r.provisioningState).toBe('Updating');
    const after = await redis().redis.get(RG, 'std1');
    expect(after.publicNetworkAccess).toBe('Disabled');
    expect(after.provisioningState).toBe('Succeeded');
  });

  test('RedisCacheDelete: 202 + Location operationresults, polls to 200, then the cache is 404', async () => {
    const f = fixture('RedisCacheDelete');
    const seen = responseRecorder();
    await redis().redis.beginDeleteAndWait(RG, 'std1', { ...POLL, onResponse: seen.onResponse });
    expect(Object.keys(f.responses)).toContain(String(seen.responses[0].status));
    expect(seen.responses[0].status).toBe(202);
    expect(seen.responses[0].headers['location']).toMatch(
      new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUB}/providers/Microsoft\\.Cache/locations/East%20US/operationresults/[0-9a-f-]{36}\\?api-version=2024-11-01$`),
    );
    expect(seen.responses[seen.responses.length - 1].status).toBe(200);
    const e = await restError(redis().redis.get(RG, 'std1'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('ResourceNotFound');
    // deleting again: 204 "resource does not exist", accepted by the SDK
    const again = responseRecorder();
    await redis().redis.beginDeleteAndWait(RG, 'std1', { ...POLL, onResponse: again.onResponse });
    expect(again.responses[0].status).toBe(204);
  });

  test('delete cascades to the private endpoint connections under the cache', async () => {
    await redis().redis.beginDeleteAndWait(RG, 'withpe', POLL);
    expect(t.emu.control.snapshot().filter((r) => r.id.toLowerCase().startsWith(cacheId('withpe').toLowerCase()))).toEqual([]);
  });

  test('RedisCacheList / RedisCacheListByResourceGroup: paged with absolute nextLink, value always present', async () => {
    t.emu.control.setSettings({ pageSize: 3 });
    const seen = responseRecorder();
    const all: string[] = [];
    for await (const c of redis().redis.listBySubscription({ onResponse: seen.onResponse })) all.push(c.name as string);
    expect(all.sort()).toEqual(estate.resources.filter((r) => r.type === 'Microsoft.Cache/Redis').map((r) => r.name).sort());
    expect(seen.responses.length).toBe(3); // 9 caches, 3 per page
    expect(seen.responses[0].body.nextLink).toMatch(
      new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUB}/providers/Microsoft\\.Cache/redis\\?api-version=2024-11-01&%24skiptoken=3$`),
    );
    expect(seen.responses[2].body.nextLink).toBeUndefined();
    const f = fixture('RedisCacheList');
    const std1 = seen.responses[0].body.value.find((c: any) => c.name === 'std1');
    expect(shapeMismatches(f.responses['200'].body.value[0], std1, ['properties.accessKeys'])).toEqual([]);

    const byRg: string[] = [];
    const rgSeen = responseRecorder();
    for await (const c of redis().redis.listByResourceGroup(RG, { onResponse: rgSeen.onResponse })) byRg.push(c.name as string);
    expect(byRg).toHaveLength(9);
    const fr = fixture('RedisCacheListByResourceGroup');
    const std1ByRg = rgSeen.responses[0].body.value.find((c: any) => c.name === 'std1');
    expect(shapeMismatches(fr.responses['200'].body.value[0], std1ByRg, ['properties.accessKeys'])).toEqual([]);

    const empty = responseRecorder();
    const none: unknown[] = [];
    for await (const c of redis().redis.listByResourceGroup('rg-empty', { onResponse: empty.onResponse })) none.push(c);
    expect(none).toEqual([]);
    expect(empty.responses[0].body).toEqual({ value: [] });
  });

  test('RedisCacheAsyncOperationStatus: the operation of a create reads back in the example shape', async () => {
    const seen = responseRecorder();
    const poller = await redis().redis.beginCreate(RG, 'newcache', { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, { ...POLL, onResponse: seen.onResponse });
    const opUrl = new URL(seen.responses[0].headers['azure-asyncoperation']);
    const operationId = opUrl.pathname.split('/').pop() as string;
    const location = decodeURIComponent(opUrl.pathname.split('/')[6]);
    expect(location).toBe('East US'); // display name, as Redis does
    const f = fixture('RedisCacheAsyncOperationStatus');
    const status = responseRecorder();
    const op = await redis().asyncOperationStatus.get(location, operationId, { onResponse: status.onResponse });
    expect(op.status).toBe('Succeeded'); // lroDurationMs 0: done on the first poll
    expect(shapeMismatches(f.responses['200'].body, status.responses[0].body, ['startTime', 'endTime', 'percentComplete'])).toEqual([]);
    expect(status.responses[0].body.id).toBe(`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/East US/asyncOperations/${operationId}`);
    const result = await poller.pollUntilDone();
    expect(result.location).toBe('East US');
  });

  test('listKeys answers the two keys, stable across calls', async () => {
    const a = await redis().redis.listKeys(RG, 'std1');
    const b = await redis().redis.listKeys(RG, 'std1');
    expect(a.primaryKey).toEqual(expect.any(String));
    expect(a.primaryKey).not.toBe(a.secondaryKey);
    expect(b).toEqual(a);
  });
});

describe('linked servers (passive geo-replication)', () => {
  test('RedisCacheLinkedServer_Create: 201 Creating, both caches Linking, then entries on both sides', async () => {
    const f = fixture('RedisCacheLinkedServer_Create');
    const seen = responseRecorder();
    t.emu.control.setSettings({ lroDurationMs: 60_000 });
    const poller = await redis().linkedServer.beginCreate(
      RG,
      'prem-a',
      'prem-b',
      { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' },
      { ...POLL, onResponse: seen.onResponse },
    );
    expect(seen.responses[0].status).toBe(201);
    expect(shapeMismatches(f.responses['201'].body, seen.responses[0].body)).toEqual([]);
    expect(seen.responses[0].body.properties.provisioningState).toBe('Creating');
    expect(seen.responses[0].headers['azure-asyncoperation']).toMatch(/\/asyncOperations\//);
    expect(t.emu.ctx.store.get(cacheId('prem-a'))?.properties.provisioningState).toBe('Linking');
    expect(t.emu.ctx.store.get(cacheId('prem-b'))?.properties.provisioningState).toBe('Linking');
    expect(seen.responses[1].body.status).toBe('InProgress'); // the SDK polls once inside beginCreate

    t.emu.control.settleOperations();
    const result = await poller.pollUntilDone();
    expect(result.provisioningState).toBe('Succeeded');
    expect(result.serverRole).toBe('Secondary');
    expect(result.primaryHostName).toBe('prem-a.redis.cache.windows.net');
    const a = await redis().redis.get(RG, 'prem-a');
    const b = await redis().redis.get(RG, 'prem-b');
    expect(a.provisioningState).toBe('Succeeded');
    expect(b.provisioningState).toBe('Succeeded');
    expect(a.linkedServers).toEqual([{ id: `${cacheId('prem-a')}/linkedServers/prem-b` }]);
    expect(b.linkedServers).toEqual([{ id: `${cacheId('prem-b')}/linkedServers/prem-a` }]);
    const mirror = await redis().linkedServer.get(RG, 'prem-b', 'prem-a');
    expect(mirror.serverRole).toBe('Primary');
    expect(mirror.linkedRedisCacheId).toBe(cacheId('prem-a'));
  });

  test('RedisCacheLinkedServer_Get / _List: shapes of the examples', async () => {
    const getSeen = responseRecorder();
    await redis().linkedServer.get(RG, 'geo-a', 'geo-b', { onResponse: getSeen.onResponse });
    expect(shapeMismatches(fixture('RedisCacheLinkedServer_Get').responses['200'].body, getSeen.responses[0].body)).toEqual([]);
    enumOk(getSeen.responses[0].body.properties.serverRole, ['Primary', 'Secondary']);
    const listSeen = responseRecorder();
    const items = [];
    for await (const l of redis().linkedServer.list(RG, 'geo-a', { onResponse: listSeen.onResponse })) items.push(l);
    expect(items.map((l) => l.name)).toEqual(['geo-b']);
    expect(shapeMismatches(fixture('RedisCacheLinkedServer_List').responses['200'].body, listSeen.responses[0].body)).toEqual([]);
  });

  test('RedisCacheLinkedServer_Delete: 202, both caches Unlinking, then both entries removed', async () => {
    t.emu.control.setSettings({ lroDurationMs: 60_000 });
    const seen = responseRecorder();
    const poller = await redis().linkedServer.beginDelete(RG, 'geo-b', 'geo-a', { ...POLL, onResponse: seen.onResponse });
    expect(Object.keys(fixture('RedisCacheLinkedServer_Delete').responses)).toContain(String(seen.responses[0].status));
    expect(seen.responses[0].headers['location']).toMatch(/\/operationresults\//);
    expect((await redis().redis.get(RG, 'geo-a')).provisioningState).toBe('Unlinking');
    expect((await redis().redis.get(RG, 'geo-b')).provisioningState).toBe('Unlinking');
    t.emu.control.settleOperations();
    await poller.pollUntilDone();
    const a = await redis().redis.get(RG, 'geo-a');
    expect(a.provisioningState).toBe('Succeeded');
    expect(a.linkedServers).toEqual([]);
    expect((await redis().redis.get(RG, 'geo-b')).linkedServers).toEqual([]);
    const e = await restError(redis().linkedServer.get(RG, 'geo-a', 'geo-b'));
    expect([e.statusCode, e.code]).toEqual([404, 'ResourceNotFound']);
  });

  test('linking a Standard cache is refused with 400 and nothing changes', async () => {
    const before = t.emu.control.snapshot();
    const e = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'prem-a', 'std1', { linkedRedisCacheId: cacheId('std1'), linkedRedisCacheLocation: 'East US', serverRole: 'Secondary' }, POLL),
    );
    expect([e.statusCode, e.code]).toEqual([400, 'GeoReplicationNotSupported']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('linking caches with different shard counts is refused', async () => {
    const before = t.emu.control.snapshot();
    const e = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'clustered', 'prem-b', { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL),
    );
    expect([e.statusCode, e.code]).toEqual([400, 'GeoReplicationNotSupported']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('a cache already linked cannot take a second link (409)', async () => {
    const before = t.emu.control.snapshot();
    const e = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'prem-a', 'geo-b', { linkedRedisCacheId: cacheId('geo-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL),
    );
    expect([e.statusCode, e.code]).toEqual([409, 'GeoReplicationLinkExists']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('caches with private endpoints can be linked (documented decision)', async () => {
    t.emu.ctx.store.put(pec('prem-a', 'c1', 'pe-x'));
    const r = await redis().linkedServer.beginCreateAndWait(RG, 'prem-a', 'prem-b', { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL);
    expect(r.provisioningState).toBe('Succeeded');
  });

  test('a failed link operation (failNextOperation) leaves no link and both caches usable', async () => {
    t.emu.control.failNextOperation({ resourcePattern: 'prem-a/linkedServers/prem-b$', code: 'GeoReplicationFailed', message: 'Replication could not be set up.' });
    const e = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'prem-a', 'prem-b', { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL),
    );
    expect(e.message).toContain('GeoReplicationFailed');
    expect(e.message).toContain('Replication could not be set up.');
    const a = await redis().redis.get(RG, 'prem-a');
    expect(a.provisioningState).toBe('Succeeded');
    expect(a.linkedServers).toEqual([]);
    expect((await redis().redis.get(RG, 'prem-b')).provisioningState).toBe('Succeeded');
  });
});

describe('private endpoint connections and private link resources', () => {
  test('RedisCacheListPrivateEndpointConnections / Get: shapes of the examples', async () => {
    const listSeen = responseRecorder();
    const items = [];
    for await (const c of redis().privateEndpointConnections.list(RG, 'withpe', { onResponse: listSeen.onResponse })) items.push(c);
    expect(items).toHaveLength(1);
    expect(shapeMismatches(fixture('RedisCacheListPrivateEndpointConnections').responses['200'].body, listSeen.responses[0].body)).toEqual([]);
    const getSeen = responseRecorder();
    const got = await redis().privateEndpointConnections.get(RG, 'withpe', 'pe1.conn', { onResponse: getSeen.onResponse });
    expect(shapeMismatches(fixture('RedisCacheGetPrivateEndpointConnection').responses['200'].body, getSeen.responses[0].body)).toEqual([]);
    expect(got.privateEndpoint?.id).toBe(peId('pe1'));
    enumOk(got.privateLinkServiceConnectionState?.status, ['Pending', 'Approved', 'Rejected']);
    enumOk(got.provisioningState, ['Succeeded', 'Creating', 'Deleting', 'Failed']);
  });

  test('RedisCachePutPrivateEndpointConnection: reject, then approving a rejected connection is refused', async () => {
    const f = fixture('RedisCachePutPrivateEndpointConnection');
    const seen = responseRecorder();
    const r = await redis().privateEndpointConnections.beginPutAndWait(
      RG,
      'withpe',
      'pe1.conn',
      { privateLinkServiceConnectionState: { status: 'Rejected', description: 'not allowed' } },
      { ...POLL, onResponse: seen.onResponse },
    );
    expect(Object.keys(f.responses)).toContain(String(seen.responses[0].status));
    expect(shapeMismatches(f.responses['200'].body, seen.responses[0].body)).toEqual([]);
    expect(r.privateLinkServiceConnectionState?.status).toBe('Rejected');
    const cacheAfter = await redis().redis.get(RG, 'withpe');
    expect(cacheAfter.privateEndpointConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Rejected');
    expect(t.emu.ctx.privateLinkTargets.get('Microsoft.Cache/Redis')?.connectionState(cacheId('withpe'), peId('pe1'))?.status).toBe('Rejected');

    const before = t.emu.control.snapshot();
    const e = await restError(
      redis().privateEndpointConnections.beginPutAndWait(RG, 'withpe', 'pe1.conn', { privateLinkServiceConnectionState: { status: 'Approved' } }, POLL),
    );
    expect(e.statusCode).toBe(400);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('RedisCacheDeletePrivateEndpointConnection: 200, then 204 for a missing one (only 200/204, never 202)', async () => {
    const f = fixture('RedisCacheDeletePrivateEndpointConnection');
    const seen = responseRecorder();
    await redis().privateEndpointConnections.delete(RG, 'withpe', 'pe1.conn', { onResponse: seen.onResponse });
    await redis().privateEndpointConnections.delete(RG, 'withpe', 'pe1.conn', { onResponse: seen.onResponse });
    expect(seen.responses.map((r) => r.status)).toEqual([200, 204]);
    for (const r of seen.responses) expect(Object.keys(f.responses)).toContain(String(r.status));
    expect((await redis().redis.get(RG, 'withpe')).privateEndpointConnections).toEqual([]);
    expect(t.emu.ctx.privateLinkTargets.get('Microsoft.Cache/Redis')?.connectionState(cacheId('withpe'), peId('pe1'))).toBeUndefined();
  });

  test('RedisCacheListPrivateLinkResources: group redisCache and its zone', async () => {
    const seen = responseRecorder();
    const items = [];
    for await (const r of redis().privateLinkResources.listByRedisCache(RG, 'std1', { onResponse: seen.onResponse })) items.push(r);
    expect(shapeMismatches(fixture('RedisCacheListPrivateLinkResources').responses['200'].body, seen.responses[0].body)).toEqual([]);
    expect(items).toEqual([
      expect.objectContaining({
        name: 'redisCache',
        groupId: 'redisCache',
        requiredMembers: ['redisCache'],
        requiredZoneNames: ['privatelink.redis.cache.windows.net'],
      }),
    ]);
  });

  test('the private link target attaches, reports and detaches connections (what Microsoft.Network calls)', async () => {
    const plt = t.emu.ctx.privateLinkTargets.get('microsoft.cache/redis');
    expect(plt?.groupIds).toEqual(['redisCache']);
    const target = t.emu.ctx.store.get(cacheId('std1')) as ArmResource;
    plt!.validateConnection(target, 'redisCache', peId('pe-new'));
    const id = plt!.attach(target, { privateEndpointId: peId('pe-new'), connectionName: 'pe-new.abc', groupId: 'redisCache', status: 'Pending', requestMessage: 'please' });
    expect(id).toBe(`${cacheId('std1')}/privateEndpointConnections/pe-new.abc`);
    expect(plt!.connectionState(cacheId('std1'), peId('pe-new'))).toEqual({ status: 'Pending', description: 'please', actionsRequired: 'None' });
    const viaSdk = await redis().redis.get(RG, 'std1');
    expect(viaSdk.privateEndpointConnections?.map((c) => c.id)).toEqual([id]);
    expect(plt!.fqdns(target, 'redisCache')).toEqual(['std1.redis.cache.windows.net']);
    expect(plt!.endpointInfo(target)).toEqual({ hostName: 'std1.redis.cache.windows.net', port: 6380, publicNetworkAccess: true, publicIp: expect.stringMatching(/^20\./) });
    plt!.detach(cacheId('std1'), peId('pe-new'));
    expect(plt!.connectionState(cacheId('std1'), peId('pe-new'))).toBeUndefined();
    expect((await redis().redis.get(RG, 'std1')).privateEndpointConnections).toEqual([]);
  });
});

describe('seed rules (each refused with the right status and code, state unchanged)', () => {
  const plt = () => t.emu.ctx.privateLinkTargets.get('Microsoft.Cache/Redis')!;
  const target = (name: string) => t.emu.ctx.store.get(cacheId(name)) as ArmResource;
  function refused(fn: () => void): { status: number; code: string; message: string } {
    const before = t.emu.control.snapshot();
    let err: any;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    expect(t.emu.control.snapshot()).toEqual(before);
    return err;
  }

  test('a VNet-injected cache refuses private endpoints', () => {
    const e = refused(() => plt().validateConnection(target('vnetcache'), 'redisCache', peId('pe-v')));
    expect([e.status, e.code]).toEqual([400, 'PrivateEndpointNotSupportedOnVNetInjectedCache']);
    expect(e.message).toContain('VNet injected');
  });

  test('a Premium cache in passive geo-replication refuses new private links', () => {
    const e = refused(() => plt().validateConnection(target('geo-a'), 'redisCache', peId('pe-g')));
    expect([e.status, e.code]).toEqual([400, 'PrivateEndpointNotSupportedOnGeoReplicatedCache']);
    expect(e.message).toContain('Unlink the geo-replication');
  });

  test('a clustered Premium cache takes one private link only (a second endpoint is refused, the same one again is fine)', () => {
    const e = refused(() => plt().validateConnection(target('clustered'), 'redisCache', peId('pe-other')));
    expect([e.status, e.code]).toEqual([400, 'PrivateEndpointLimitReached']);
    expect(e.message).toContain('one private link');
    expect(() => plt().validateConnection(target('clustered'), 'redisCache', peId('pe-c'))).not.toThrow();
  });

  test('Basic/Standard/Premium caches take 100 private links', () => {
    for (let i = 0; i < 100; i++) t.emu.ctx.store.put(pec('std1', `c${i}`, `pe${i}`));
    const e = refused(() => plt().validateConnection(target('std1'), 'redisCache', peId('pe-101')));
    expect([e.status, e.code]).toEqual([400, 'PrivateEndpointLimitReached']);
    expect(e.message).toContain('100 private links');
    t.emu.ctx.store.delete(`${cacheId('std1')}/privateEndpointConnections/c0`);
    expect(() => plt().validateConnection(target('std1'), 'redisCache', peId('pe-101'))).not.toThrow();
  });

  test('a wrong group id is refused', () => {
    const e = refused(() => plt().validateConnection(target('std1'), 'redisEnterprise', peId('pe-w')));
    expect(e.status).toBe(400);
  });

  test('a geo-linked cache cannot be deleted (409)', async () => {
    const before = t.emu.control.snapshot();
    const e = await restError(redis().redis.beginDeleteAndWait(RG, 'geo-a', POLL));
    expect([e.statusCode, e.code]).toEqual([409, 'GeoReplicationLinkExists']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('a geo-linked cache cannot be scaled (409)', async () => {
    const before = t.emu.control.snapshot();
    const e = await restError(redis().redis.beginUpdateAndWait(RG, 'geo-a', { sku: { name: 'Premium', family: 'P', capacity: 2 } }, POLL));
    expect([e.statusCode, e.code]).toEqual([409, 'GeoReplicationLinkExists']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('every write to a busy cache answers 409 Conflict', async () => {
    t.emu.control.setSettings({ lroDurationMs: 60_000 });
    await redis().redis.beginUpdateAndWait(RG, 'withpe', { publicNetworkAccess: 'Enabled' }, POLL);
    expect((await redis().redis.get(RG, 'withpe')).provisioningState).toBe('Updating');
    const before = t.emu.control.snapshot();
    const attempts: Array<Promise<unknown>> = [
      redis().redis.beginUpdateAndWait(RG, 'withpe', { minimumTlsVersion: '1.2', enableNonSslPort: true }, POLL),
      redis().privateEndpointConnections.beginPutAndWait(RG, 'withpe', 'pe1.conn', { privateLinkServiceConnectionState: { status: 'Rejected' } }, POLL),
      redis().privateEndpointConnections.delete(RG, 'withpe', 'pe1.conn'),
    ];
    for (const a of attempts) {
      const e = await restError(a);
      expect([e.statusCode, e.code]).toEqual([409, 'Conflict']);
      expect(e.message).toMatch(/busy.*provisioning state: Updating.*retry later/i);
    }
    const pe = refused(() => plt().validateConnection(target('withpe'), 'redisCache', peId('pe-busy')));
    expect([pe.status, pe.code]).toEqual([409, 'Conflict']);
    expect(t.emu.control.snapshot()).toEqual(before);
    t.emu.control.settleOperations();
    await redis().privateEndpointConnections.delete(RG, 'withpe', 'pe1.conn');
  });

  test('linked server writes to a busy cache answer 409 Conflict', async () => {
    t.emu.control.setSettings({ lroDurationMs: 60_000 });
    await redis().redis.beginUpdateAndWait(RG, 'prem-b', { enableNonSslPort: true }, POLL);
    const before = t.emu.control.snapshot();
    const e = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'prem-a', 'prem-b', { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL),
    );
    expect([e.statusCode, e.code]).toEqual([409, 'Conflict']);
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test.each([
    ['-starts-with-hyphen'],
    ['ends-with-hyphen-'],
    ['two--hyphens'],
    ['under_score'],
    ['a'.repeat(64)],
  ])('cache name %s is refused with 400 (DNS-name rule)', async (name) => {
    const before = t.emu.control.snapshot();
    const e = await restError(redis().redis.beginCreateAndWait(RG, name, { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, POLL));
    expect([e.statusCode, e.code]).toEqual([400, 'InvalidResourceName']);
    expect(e.message).toContain('between 1 and 63 characters');
    expect(t.emu.control.snapshot()).toEqual(before);
  });

  test('names of 1 and 63 characters are accepted', async () => {
    await redis().redis.beginCreateAndWait(RG, 'x', { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, POLL);
    await redis().redis.beginCreateAndWait(RG, `a${'b-c'.repeat(20)}d9`, { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, POLL);
    expect(t.emu.control.snapshot().filter((r) => r.type === 'Microsoft.Cache/Redis')).toHaveLength(11);
  });

  test('a Premium-only feature on Standard is refused', async () => {
    const e = await restError(
      redis().redis.beginCreateAndWait(RG, 'stdshards', { location: 'eastus', sku: { name: 'Standard', family: 'C', capacity: 1 }, shardCount: 2 }, POLL),
    );
    expect(e.statusCode).toBe(400);
  });

  test('404s: unknown cache, unknown resource group, child of a missing parent', async () => {
    const a = await restError(redis().redis.get(RG, 'nope'));
    expect([a.statusCode, a.code]).toEqual([404, 'ResourceNotFound']);
    const b = await restError(redis().redis.get('no-such-rg', 'nope'));
    expect([b.statusCode, b.code]).toEqual([404, 'ResourceGroupNotFound']);
    const c = await restError(redis().privateEndpointConnections.get(RG, 'nope', 'x'));
    expect([c.statusCode, c.code]).toEqual([404, 'ParentResourceNotFound']);
    const d = await restError(
      redis().linkedServer.beginCreateAndWait(RG, 'nope', 'prem-b', { linkedRedisCacheId: cacheId('prem-b'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary' }, POLL),
    );
    expect([d.statusCode, d.code]).toEqual([404, 'ParentResourceNotFound']);
    const e = await restError(redis().redis.beginCreateAndWait('no-such-rg', 'fresh', { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, POLL));
    expect([e.statusCode, e.code]).toEqual([404, 'ResourceGroupNotFound']);
    const f = await restError((async () => { for await (const _ of redis().redis.listByResourceGroup('no-such-rg')) void _; })());
    expect([f.statusCode, f.code]).toEqual([404, 'ResourceGroupNotFound']);
  });

  test('a failed create (failNextOperation) rejects the poller and leaves the cache Failed', async () => {
    t.emu.control.failNextOperation({ resourcePattern: '/redis/failing$', code: 'InternalServerError', message: 'Allocation failed.' });
    const e = await restError(redis().redis.beginCreateAndWait(RG, 'failing', { location: 'eastus', sku: { name: 'Basic', family: 'C', capacity: 0 } }, POLL));
    expect(e.message).toContain('The long-running operation has failed');
    expect(e.message).toContain('Allocation failed.');
    expect((await redis().redis.get(RG, 'failing')).provisioningState).toBe('Failed');
  });
});
