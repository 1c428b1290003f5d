/**
 * Microsoft.Cache/redisEnterprise in the ARM emulator, driven by the real `@azure/arm-redisenterprisecache` client
 * over HTTP (and by raw HTTP where the SDK's 2022-01-01 model cannot express the request).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import type { ArmResource } from '../../../emulator/core/types';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { shapeDiff } from '../../support/shape';

const SUB = '11111111-1111-1111-1111-111111111111';
const SUB2 = '22222222-2222-2222-2222-222222222222';
const RG = 'rg1';
const ROOT = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/redisEnterprise`;
const POLL = { updateIntervalInMs: 5 };

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/arm/redisenterprise', name), 'utf8'));

/** The JSON type of a value, as the shape comparison sees it. */

function cluster(name: string, over: Partial<ArmResource> = {}, props: Record<string, unknown> = {}): ArmResource {
  return {
    id: `${ROOT}/${name}`,
    name,
    type: 'Microsoft.Cache/redisEnterprise',
    location: 'West US',
    tags: {},
    sku: { name: 'Enterprise_E10', capacity: 2 },
    properties: {
      provisioningState: 'Succeeded',
      resourceState: 'Running',
      hostName: `${name}.westus.redisenterprise.cache.azure.net`,
      redisVersion: '6',
      minimumTlsVersion: '1.2',
      privateEndpointConnections: [],
      ...props,
    },
    ...over,
  };
}

function pec(clusterName: string, name: string, peName: string, status = 'Approved'): ArmResource {
  return {
    id: `${ROOT}/${clusterName}/privateEndpointConnections/${name}`,
    name,
    type: 'Microsoft.Cache/redisEnterprise/privateEndpointConnections',
    properties: {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/${peName}` },
      privateLinkServiceConnectionState: { status, description: 'Auto-Approved', actionsRequired: 'None' },
    },
  };
}

const baseEstate = () => ({
  resourceGroups: [`/subscriptions/${SUB}/resourceGroups/${RG}`, `/subscriptions/${SUB2}/resourceGroups/rg2`, `/subscriptions/${SUB2}/resourceGroups/empty`],
  resources: [cluster('existing', { zones: ['1', '2', '3'] }), pec('existing', 'existing.pec1', 'pe1')],
});

describe('emulator: Microsoft.Cache/redisEnterprise', () => {
  let t: TestEmulator;
  const client = () => t.clients.redisEnterprise(SUB);

  /** Raw ARM call (bearer token, api-version of the SDK) for what the SDK model cannot send. */
  async function arm(method: string, path: string, body?: unknown, apiVersion = '2022-01-01') {
    const res = await fetch(`${t.emu.url}${path}?api-version=${apiVersion}`, {
      method,
      headers: { Authorization: 'Bearer test', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function expectRestError(p: Promise<unknown>, status: number, code: string): Promise<RestError> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RestError);
    expect((e as RestError).statusCode).toBe(status);
    expect((e as RestError).code).toBe(code);
    return e as RestError;
  }

  beforeAll(async () => {
    t = await startTestEmulator(baseEstate());
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.emu.control.reset();
    t.emu.control.setSettings({ lroDurationMs: 0, pageSize: 100 });
  });

  describe('clusters', () => {
    it('creates a cluster like RedisEnterpriseCreate.json: 201 Creating, operationsStatus polling, final GET Succeeded', async () => {
      const ex = fixture('RedisEnterpriseCreate.json');
      const p = ex.parameters.parameters;
      const created = await client().redisEnterprise.beginCreateAndWait(RG, 'cache1', p, POLL);
      expect(created.provisioningState).toBe('Succeeded');
      expect(created.resourceState).toBe('Running');
      expect(created.hostName).toBe('cache1.westus.redisenterprise.cache.azure.net');
      expect(created.sku).toEqual({ name: 'EnterpriseFlash_F300', capacity: 3 });
      expect(created.zones).toEqual(['1', '2', '3']);

      const log = t.emu.control.requests().map((r) => `${r.method} ${r.status} ${r.path}`);
      expect(log[0]).toBe(`PUT 201 ${ROOT}/cache1`);
      expect(log[1]).toMatch(new RegExp(`^GET 200 /subscriptions/${SUB}/providers/Microsoft.Cache/locations/westus/operationsStatus/[0-9a-f-]{36}$`));
      expect(log[2]).toBe(`GET 200 ${ROOT}/cache1`);
      expect(log).toHaveLength(3);
      expect(t.emu.control.requests().every((r) => r.apiVersion === '2022-01-01')).toBe(true);

      // Wire shape of the final GET matches the example's 200 body (keys, types, enum values).
      const raw = await arm('GET', `${ROOT}/cache1`);
      expect(shapeDiff(ex.responses['200'].body, raw.body)).toEqual([]);
      expect(raw.body.type).toBe(ex.responses['200'].body.type);
      expect(raw.body.properties.provisioningState).toBe(ex.responses['200'].body.properties.provisioningState);
      expect(raw.body.properties.resourceState).toBe(ex.responses['200'].body.properties.resourceState);
    });

    it('answers the initial PUT with the 201 shape and an operationsStatus URL whose body matches OperationsStatusGet.json', async () => {
      const ex = fixture('RedisEnterpriseCreate.json');
      t.emu.control.setSettings({ lroDurationMs: 60_000 });
      const put = await arm('PUT', `${ROOT}/cache1`, ex.parameters.parameters);
      expect(put.status).toBe(201);
      expect(shapeDiff(ex.responses['201'].body, put.body)).toEqual([]);
      expect(put.body.properties.provisioningState).toBe('Creating');
      expect(put.body.properties.resourceState).toBe('Creating');
      const asyncUrl = put.headers.get('azure-asyncoperation')!;
      expect(asyncUrl).toMatch(
        new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUB}/providers/Microsoft\\.Cache/locations/westus/operationsStatus/[0-9a-f-]{36}\\?api-version=2022-01-01$`),
      );
      const operationId = new URL(asyncUrl).pathname.split('/').pop()!;

      const running = await client().operationsStatus.get('westus', operationId);
      expect(running.status).toBe('InProgress');
      t.emu.control.settleOperations();
      const done = await client().operationsStatus.get('westus', operationId);
      expect(done.status).toBe('Succeeded');
      const rawStatus = await arm('GET', `/subscriptions/${SUB}/providers/Microsoft.Cache/locations/westus/operationsStatus/${operationId}`);
      expect(shapeDiff(fixture('OperationsStatusGet.json').responses['200'].body, rawStatus.body)).toEqual([]);
      expect((await client().redisEnterprise.get(RG, 'cache1')).provisioningState).toBe('Succeeded');
    });

    it('gets a seeded cluster in the shape of RedisEnterpriseGet.json, with its private endpoint connection embedded', async () => {
      const ex = fixture('RedisEnterpriseGet.json');
      const raw = await arm('GET', `${ROOT}/existing`);
      expect(raw.status).toBe(200);
      expect(shapeDiff(ex.responses['200'].body, raw.body)).toEqual([]);
      const c = await client().redisEnterprise.get(RG, 'existing');
      expect(c.privateEndpointConnections).toHaveLength(1);
      expect(c.privateEndpointConnections![0].privateEndpoint!.id).toMatch(/privateEndpoints\/pe1$/);
    });

    it('uses the Azure Managed Redis host name for Balanced/MemoryOptimized/ComputeOptimized/FlashOptimized SKUs', async () => {
      for (const [name, sku] of [['amr1', 'Balanced_B5'], ['amr2', 'MemoryOptimized_M10'], ['amr3', 'ComputeOptimized_X5'], ['amr4', 'FlashOptimized_A250']]) {
        const c = await client().redisEnterprise.beginCreateAndWait(RG, name, { location: 'eastus', sku: { name: sku } }, POLL);
        expect(c.hostName).toBe(`${name}.eastus.redis.azure.net`);
      }
      const links = [];
      for await (const l of client().privateLinkResources.listByCluster(RG, 'amr1')) links.push(l);
      expect(links.map((l) => [l.groupId, l.requiredZoneNames])).toEqual([['redisEnterprise', ['privatelink.redis.azure.net']]]);
    });

    it('returns 404 ResourceNotFound for a missing cluster and ResourceGroupNotFound for a missing resource group', async () => {
      await expectRestError(client().redisEnterprise.get(RG, 'nope'), 404, 'ResourceNotFound');
      await expectRestError(client().redisEnterprise.get('no-such-rg', 'nope'), 404, 'ResourceGroupNotFound');
      await expectRestError(
        client().redisEnterprise.beginCreateAndWait('no-such-rg', 'c', { location: 'westus', sku: { name: 'Enterprise_E10' } }, POLL),
        404,
        'ResourceGroupNotFound',
      );
    });

    it('lists by resource group and by subscription across pages with absolute nextLinks', async () => {
      t.emu.control.reset({
        resourceGroups: baseEstate().resourceGroups,
        resources: [cluster('a'), cluster('b'), cluster('c'), { ...cluster('other'), id: `/subscriptions/${SUB2}/resourceGroups/rg2/providers/Microsoft.Cache/redisEnterprise/other` }],
      });
      t.emu.control.setSettings({ pageSize: 2 });
      const names: string[] = [];
      for await (const c of client().redisEnterprise.listByResourceGroup(RG)) names.push(c.name!);
      expect(names).toEqual(['a', 'b', 'c']);
      const all: string[] = [];
      for await (const c of client().redisEnterprise.list()) all.push(c.name!);
      expect(all).toEqual(['a', 'b', 'c']);
      const sub2: string[] = [];
      for await (const c of t.clients.redisEnterprise(SUB2).redisEnterprise.list()) sub2.push(c.name!);
      expect(sub2).toEqual(['other']);

      const first = await arm('GET', ROOT);
      expect(first.body.value).toHaveLength(2);
      expect(first.body.nextLink).toMatch(/^https:\/\/management\.azure\.com\/subscriptions\/.*\/redisEnterprise\?.*skiptoken=2/i);
      const empty = await arm('GET', `/subscriptions/${SUB2}/resourceGroups/empty/providers/Microsoft.Cache/redisEnterprise`);
      expect(empty.body).toEqual({ value: [] });
    });

    it('updates tags and minimum TLS version with PATCH (Updating, then Succeeded)', async () => {
      t.emu.control.setSettings({ lroDurationMs: 60_000 });
      const poller = await client().redisEnterprise.beginUpdate(RG, 'existing', { tags: { env: 'prod' }, minimumTlsVersion: '1.2' }, POLL);
      expect((await arm('GET', `${ROOT}/existing`)).body.properties.provisioningState).toBe('Updating');
      t.emu.control.settleOperations();
      const updated = await poller.pollUntilDone();
      expect(updated.tags).toEqual({ env: 'prod' });
      expect((await client().redisEnterprise.get(RG, 'existing')).provisioningState).toBe('Succeeded');
    });

    it('refuses publicNetworkAccess on create and PATCH (400) and leaves the state unchanged', async () => {
      const before = t.emu.control.snapshot();
      const create = await arm('PUT', `${ROOT}/cpub`, { location: 'westus', sku: { name: 'Enterprise_E10', capacity: 2 }, properties: { publicNetworkAccess: 'Disabled' } });
      expect(create.status).toBe(400);
      expect(create.body.error.code).toBe('PublicNetworkAccessNotSupported');
      expect(create.body.error.message).toContain('Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag');
      const patch = await arm('PATCH', `${ROOT}/existing`, { properties: { publicNetworkAccess: 'Enabled' } });
      expect(patch.status).toBe(400);
      expect(patch.body.error.code).toBe('PublicNetworkAccessNotSupported');
      expect(t.emu.control.snapshot()).toEqual(before);
      // Newer api-versions (Azure Managed Redis era) have the property: accepted there.
      const newer = await arm('PATCH', `${ROOT}/existing`, { properties: { publicNetworkAccess: 'Disabled' } }, '2025-07-01');
      expect(newer.status).toBe(202);
      expect(newer.body.properties.publicNetworkAccess).toBe('Disabled');
    });

    it('validates names with the DNS-name rule and the SKU on create (400, nothing written)', async () => {
      const before = t.emu.control.snapshot();
      for (const bad of ['-abc', 'abc-', 'a--b', 'a_b', 'x'.repeat(64)]) {
        await expectRestError(
          client().redisEnterprise.beginCreateAndWait(RG, bad, { location: 'westus', sku: { name: 'Enterprise_E10' } }, POLL),
          400,
          'InvalidResourceName',
        );
      }
      await expectRestError(
        client().redisEnterprise.beginCreateAndWait(RG, 'okname', { location: 'westus', sku: { name: 'Premium' as never } }, POLL),
        400,
        'InvalidSku',
      );
      expect(t.emu.control.snapshot()).toEqual(before);
      const ok = await client().redisEnterprise.beginCreateAndWait(RG, 'a1-b2', { location: 'westus', sku: { name: 'Enterprise_E10' } }, POLL);
      expect(ok.provisioningState).toBe('Succeeded');
    });

    it('answers 409 Conflict to writes while the cluster is still Creating', async () => {
      t.emu.control.setSettings({ lroDurationMs: 60_000 });
      await client().redisEnterprise.beginCreate(RG, 'slow', { location: 'westus', sku: { name: 'Enterprise_E10', capacity: 2 } }, POLL);
      const before = t.emu.control.snapshot();
      const e = await expectRestError(client().redisEnterprise.beginUpdateAndWait(RG, 'slow', { tags: { a: 'b' } }, POLL), 409, 'Conflict');
      expect(e.message).toMatch(/busy \(provisioning state: Creating\)/);
      await expectRestError(
        client().databases.beginCreateAndWait(RG, 'slow', 'default', { clientProtocol: 'Encrypted' }, POLL),
        409,
        'Conflict',
      );
      expect(t.emu.control.snapshot()).toEqual(before);
    });

    it('ends a create Failed (CreateFailed) when failNextOperation matches, and the poller rejects', async () => {
      t.emu.control.failNextOperation({ resourcePattern: 'redisEnterprise/doomed$', code: 'InternalServerError', message: 'Allocation failed.' });
      await expect(
        client().redisEnterprise.beginCreateAndWait(RG, 'doomed', { location: 'westus', sku: { name: 'Enterprise_E10' } }, POLL),
      ).rejects.toThrow(/long-running operation has failed.*InternalServerError.*Allocation failed/i);
      const c = await client().redisEnterprise.get(RG, 'doomed');
      expect(c.provisioningState).toBe('Failed');
      expect(c.resourceState).toBe('CreateFailed');
    });

    it('deletes a cluster (Deleting, then gone with its databases and connections); deleting again is a 204', async () => {
      await client().databases.beginCreateAndWait(RG, 'existing', 'default', { clientProtocol: 'Encrypted' }, POLL);
      t.emu.control.clearRequests();
      await client().redisEnterprise.beginDeleteAndWait(RG, 'existing', POLL);
      expect(t.emu.control.requests()[0]).toMatchObject({ method: 'DELETE', status: 202 });
      await expectRestError(client().redisEnterprise.get(RG, 'existing'), 404, 'ResourceNotFound');
      expect(t.emu.control.snapshot().filter((r) => r.id.toLowerCase().includes('/redisenterprise/existing'))).toEqual([]);
      const again = await arm('DELETE', `${ROOT}/existing`);
      expect(again.status).toBe(204);
    });
  });

  describe('databases', () => {
    it('creates the default database like RedisEnterpriseDatabasesCreate.json (201 Creating, then Succeeded)', async () => {
      const ex = fixture('RedisEnterpriseDatabasesCreate.json');
      t.emu.control.setSettings({ lroDurationMs: 60_000 });
      const put = await arm('PUT', `${ROOT}/existing/databases/default`, ex.parameters.parameters);
      expect(put.status).toBe(201);
      expect(shapeDiff(ex.responses['201'].body, put.body)).toEqual([]);
      expect(put.body.name).toBe('existing/default');
      expect(put.body.properties.modules).toEqual(ex.responses['201'].body.properties.modules);
      t.emu.control.settleOperations();

      const db = await client().databases.get(RG, 'existing', 'default');
      expect(db).toMatchObject({ provisioningState: 'Succeeded', resourceState: 'Running', port: 10000, clusteringPolicy: 'EnterpriseCluster' });
      // Updating the same database through the SDK: 200 (the example's other answer), then Succeeded.
      t.emu.control.setSettings({ lroDurationMs: 0 });
      const again = await client().databases.beginCreateAndWait(RG, 'existing', 'default', { ...ex.parameters.parameters.properties }, POLL);
      expect(again.provisioningState).toBe('Succeeded');
      expect(t.emu.control.requests().some((r) => r.method === 'PUT' && r.status === 200)).toBe(true);
      const list = [];
      for await (const d of client().databases.listByCluster(RG, 'existing')) list.push(d.name);
      expect(list).toEqual(['existing/default']);
      const keys = await client().databases.listKeys(RG, 'existing', 'default');
      expect(typeof keys.primaryKey).toBe('string');
      expect(keys.primaryKey).not.toBe(keys.secondaryKey);
    });

    it('links databases for active geo-replication like RedisEnterpriseDatabasesCreateWithGeoReplication.json', async () => {
      const ex = fixture('RedisEnterpriseDatabasesCreateWithGeoReplication.json');
      const cache2 = { ...cluster('cache2'), id: `/subscriptions/${SUB2}/resourceGroups/rg2/providers/Microsoft.Cache/redisEnterprise/cache2` };
      t.emu.control.reset({ resourceGroups: baseEstate().resourceGroups, resources: [cluster('cache1'), cache2] });
      const id1 = `${ROOT}/cache1/databases/default`;
      const id2 = `${cache2.id}/databases/default`;
      // First member: a group of one, on cache2.
      await t.clients.redisEnterprise(SUB2).databases.beginCreateAndWait(
        'rg2',
        'cache2',
        'default',
        { clientProtocol: 'Encrypted', clusteringPolicy: 'EnterpriseCluster', evictionPolicy: 'NoEviction', geoReplication: { groupNickname: 'groupName', linkedDatabases: [{ id: id2 }] } },
        POLL,
      );
      // Second member joins: the example's request, with the example's ids mapped to ours.
      const body = JSON.parse(
        JSON.stringify(ex.parameters.parameters).split(ex.parameters.parameters.properties.geoReplication.linkedDatabases[0].id).join(id1)
          .split(ex.parameters.parameters.properties.geoReplication.linkedDatabases[1].id).join(id2),
      );
      t.emu.control.setSettings({ lroDurationMs: 60_000 });
      const put = await arm('PUT', `${ROOT}/cache1/databases/default`, body);
      expect(put.status).toBe(201);
      expect(shapeDiff(ex.responses['201'].body, put.body)).toEqual([]);
      expect(put.body.properties.geoReplication.linkedDatabases.map((l: { state: string }) => l.state)).toEqual(['Linking', 'Linking']);
      t.emu.control.settleOperations();

      const db1 = await client().databases.get(RG, 'cache1', 'default');
      expect(db1.geoReplication!.linkedDatabases!.map((l) => [l.id, l.state])).toEqual([[id1, 'Linked'], [id2, 'Linked']]);
      const db2 = await t.clients.redisEnterprise(SUB2).databases.get('rg2', 'cache2', 'default');
      expect(db2.geoReplication!.linkedDatabases!.map((l) => l.id)).toEqual([id2, id1]);

      // Leaving the group: deleting a member removes it from its peers.
      t.emu.control.setSettings({ lroDurationMs: 0 });
      await client().databases.beginDeleteAndWait(RG, 'cache1', 'default', POLL);
      const after = await t.clients.redisEnterprise(SUB2).databases.get('rg2', 'cache2', 'default');
      expect(after.geoReplication!.linkedDatabases!.map((l) => l.id)).toEqual([id2]);
    });

    it('refuses invalid geo-replication and database names with 400 and writes nothing', async () => {
      const before = t.emu.control.snapshot();
      const self = `${ROOT}/existing/databases/default`;
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['default', { geoReplication: { groupNickname: 'g', linkedDatabases: [{ id: self }, { id: `${ROOT}/ghost/databases/default` }] } }, 'LinkedDatabaseNotFound'],
        ['default', { geoReplication: { groupNickname: 'g', linkedDatabases: [{ id: `${ROOT}/ghost/databases/default` }] } }, 'InvalidParameter'],
        ['default', { persistence: { aofEnabled: true, aofFrequency: '1s' }, geoReplication: { groupNickname: 'g', linkedDatabases: [{ id: self }] } }, 'InvalidParameter'],
        ['db1', { clientProtocol: 'Encrypted' }, 'InvalidResourceName'],
      ];
      for (const [name, props, code] of cases) {
        await expectRestError(client().databases.beginCreateAndWait(RG, 'existing', name, props, POLL), 400, code);
      }
      await expectRestError(client().databases.get(RG, 'ghost', 'default'), 404, 'ParentResourceNotFound');
      expect(t.emu.control.snapshot()).toEqual(before);
    });
  });

  describe('private link', () => {
    it('lists, gets, approves/rejects and deletes private endpoint connections with the status codes the SDK accepts', async () => {
      const ex = fixture('RedisEnterprisePutPrivateEndpointConnection.json');
      const list = [];
      for await (const c of client().privateEndpointConnections.list(RG, 'existing')) list.push(c.name);
      expect(list).toEqual(['existing.pec1']);

      const put = await arm('PUT', `${ROOT}/existing/privateEndpointConnections/existing.pec1`, {
        properties: { privateLinkServiceConnectionState: { status: 'Rejected', description: 'no' } },
      });
      expect([200, 201]).toContain(put.status);
      expect(shapeDiff(ex.responses['201'].body, put.body)).toEqual([]);
      const rejected = await client().privateEndpointConnections.get(RG, 'existing', 'existing.pec1');
      expect(rejected.privateLinkServiceConnectionState).toEqual({ status: 'Rejected', description: 'no', actionsRequired: 'None' });
      expect((await client().redisEnterprise.get(RG, 'existing')).privateEndpointConnections![0].privateLinkServiceConnectionState!.status).toBe('Rejected');

      // A rejected connection cannot be approved again (the endpoint must be recreated).
      const before = t.emu.control.snapshot();
      await expectRestError(
        client().privateEndpointConnections.beginPutAndWait(RG, 'existing', 'existing.pec1', { privateLinkServiceConnectionState: { status: 'Approved' } }, POLL),
        400,
        'PrivateEndpointConnectionStateTransitionNotAllowed',
      );
      expect(t.emu.control.snapshot()).toEqual(before);

      await client().privateEndpointConnections.delete(RG, 'existing', 'existing.pec1');
      expect((await client().redisEnterprise.get(RG, 'existing')).privateEndpointConnections).toEqual([]);
      await expectRestError(client().privateEndpointConnections.get(RG, 'existing', 'existing.pec1'), 404, 'ResourceNotFound');
      // Deleting again: 204, which the SDK accepts.
      await client().privateEndpointConnections.delete(RG, 'existing', 'existing.pec1');
      expect(t.emu.control.requests().filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200, 204]);
    });

    it('approves a pending connection through the SDK poller', async () => {
      t.emu.control.reset({ resourceGroups: baseEstate().resourceGroups, resources: [cluster('c1'), pec('c1', 'pend', 'pe9', 'Pending')] });
      const r = await client().privateEndpointConnections.beginPutAndWait(
        RG,
        'c1',
        'pend',
        { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } },
        POLL,
      );
      expect(r.privateLinkServiceConnectionState).toMatchObject({ status: 'Approved', description: 'ok' });
      expect(r.provisioningState).toBe('Succeeded');
    });

    it('lists the redisEnterprise private link resource with the Enterprise DNS zone', async () => {
      const items = [];
      for await (const l of client().privateLinkResources.listByCluster(RG, 'existing')) items.push(l);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        name: 'redisEnterprise',
        groupId: 'redisEnterprise',
        requiredMembers: ['redisEnterprise'],
        requiredZoneNames: ['privatelink.redisenterprise.cache.azure.net'],
      });
    });

    it('registers a private link target that enforces the 84-link limit and the busy state before writing', () => {
      const pecs = Array.from({ length: 84 }, (_, i) => pec('full', `c${i}`, `pe${i}`));
      t.emu.control.reset({ resourceGroups: baseEstate().resourceGroups, resources: [cluster('full'), ...pecs, cluster('busy', {}, { provisioningState: 'Updating' })] });
      const target = t.emu.ctx.privateLinkTargets.get('microsoft.cache/REDISENTERPRISE')!;
      expect(target.groupIds).toEqual(['redisEnterprise']);
      const full = t.emu.ctx.store.get(`${ROOT}/full`)!;
      const peNew = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/pe-new`;
      const before = t.emu.control.snapshot();
      expect(() => target.validateConnection(full, 'redisEnterprise', peNew)).toThrow(
        expect.objectContaining({ status: 400, code: 'PrivateEndpointLimitReached' }),
      );
      // The endpoint that is already connected is not a new link.
      expect(() => target.validateConnection(full, 'redisEnterprise', pecs[0].properties.privateEndpoint.id)).not.toThrow();
      expect(() => target.validateConnection(t.emu.ctx.store.get(`${ROOT}/busy`)!, 'redisEnterprise', peNew)).toThrow(
        expect.objectContaining({ status: 409, code: 'Conflict' }),
      );
      expect(() => target.validateConnection(t.emu.ctx.store.get(`${ROOT}/busy`)!, 'redisCache', peNew)).toThrow(expect.objectContaining({ status: 400 }));
      expect(t.emu.control.snapshot()).toEqual(before);

      // 83 existing links: one more is allowed.
      t.emu.control.reset({ resourceGroups: baseEstate().resourceGroups, resources: [cluster('full'), ...pecs.slice(1)] });
      expect(() => target.validateConnection(t.emu.ctx.store.get(`${ROOT}/full`)!, 'redisEnterprise', peNew)).not.toThrow();
    });

    it('attaches, reports and detaches connections; public reachability follows approved connections', () => {
      t.emu.control.reset({ resourceGroups: baseEstate().resourceGroups, resources: [cluster('c1')] });
      const target = t.emu.ctx.privateLinkTargets.get('Microsoft.Cache/redisEnterprise')!;
      const c1 = () => t.emu.ctx.store.get(`${ROOT}/c1`)!;
      const pe = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/pe-a`;
      expect(target.endpointInfo(c1())).toMatchObject({ hostName: 'c1.westus.redisenterprise.cache.azure.net', port: 10000, publicNetworkAccess: true });
      expect(target.fqdns(c1(), 'redisEnterprise')).toEqual(['c1.westus.redisenterprise.cache.azure.net']);

      const id = target.attach(c1(), { privateEndpointId: pe, connectionName: 'pe-a.conn', groupId: 'redisEnterprise', status: 'Pending', requestMessage: 'please' });
      expect(id).toBe(`${ROOT}/c1/privateEndpointConnections/pe-a.conn`);
      expect(target.connectionState(c1().id, pe)).toMatchObject({ status: 'Pending', description: 'please' });
      expect(target.endpointInfo(c1()).publicNetworkAccess).toBe(true);
      target.attach(c1(), { privateEndpointId: pe, connectionName: 'ignored', groupId: 'redisEnterprise', status: 'Approved' });
      expect(t.emu.ctx.store.children(c1().id, 'privateEndpointConnections')).toHaveLength(1);
      expect(c1().properties.privateEndpointConnections).toHaveLength(1);
      expect(target.endpointInfo(c1()).publicNetworkAccess).toBe(false);
      expect(target.endpointInfo(c1()).publicIp).toMatch(/^20\.\d+\.\d+\.\d+$/);

      target.detach(c1().id, pe);
      expect(target.connectionState(c1().id, pe)).toBeUndefined();
      expect(c1().properties.privateEndpointConnections).toEqual([]);
      expect(target.endpointInfo(c1()).publicNetworkAccess).toBe(true);
    });
  });
});
