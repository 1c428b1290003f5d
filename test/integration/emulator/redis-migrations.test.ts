/**
 * The emulator's migrations API (on the target redisEnterprise cluster) and Premium export / AMR import, through the
 * product's REST helpers (the SDK client's own pipeline; the pinned SDK has no migrations operations), compared with
 * the azure-rest-api-specs examples in test/fixtures/arm/amr-migration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { getManagedRedisCluster, getMigration, putManagedRedisCluster, startMigration, validateMigration } from '../../../src/azure/amr-rest';
import { shapeMismatches, startTestEmulator, type TestEmulator } from '../../support/emulator';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg-app';
const POLL = { updateIntervalInMs: 5 };
const clusterId = (n: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/redisEnterprise/${n}`;
const example = (f: string) => JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'arm', 'amr-migration', f), 'utf8'));
const MIGRATION_STATES = ['Accepted', 'InProgress', 'ReadyForDnsSwitch', 'Succeeded', 'Failed', 'Cancelling', 'Cancelled', 'CancellationFailed', 'Unlinking', 'Unlinked', 'UnlinkFailed'];

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: [RG, 'rg-net'].map((name) => ({ subscriptionId: SUB, name, location: 'westus2' })) });
});
afterEach(async () => t.close());

async function cache(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const c = await t.clients.redis(SUB).redis.beginCreateAndWait(RG, name, { location: 'westus2', sku: { name: 'Premium', family: 'P', capacity: 1 }, ...extra }, POLL);
  return c.id!;
}

async function target(name: string, protocol: 'Encrypted' | 'Plaintext' = 'Encrypted', pna: 'Enabled' | 'Disabled' = 'Enabled'): Promise<string> {
  await putManagedRedisCluster(t.clients, clusterId(name), { location: 'westus2', sku: 'Balanced_B5', highAvailability: 'Enabled', publicNetworkAccess: pna, tags: {} });
  t.emu.control.settleOperations();
  await t.clients.redisEnterprise(SUB).databases.beginCreateAndWait(RG, name, 'default', { clientProtocol: protocol, port: 10000, clusteringPolicy: 'EnterpriseCluster' }, POLL);
  return clusterId(name);
}

async function post(url: string, body?: unknown): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const r = await t.clients.redisEnterprise(SUB).sendRequest(
    createPipelineRequest({ url: `https://management.azure.com${url}?api-version=2026-09-01`, method: 'POST', headers: createHttpHeaders({ 'content-type': 'application/json' }), ...(body ? { body: JSON.stringify(body) } : {}) }),
  );
  return { status: r.status, headers: r.headers.toJSON(), body: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined };
}

it('the 2025-07-01 cluster create carries publicNetworkAccess (spec example shape)', async () => {
  await putManagedRedisCluster(t.clients, clusterId('amr-pna'), { location: 'westus2', sku: 'Balanced_B5', highAvailability: 'Enabled', publicNetworkAccess: 'Disabled', tags: {} });
  const got = await getManagedRedisCluster(t.clients, clusterId('amr-pna'));
  expect(shapeMismatches(example('RedisEnterpriseCreate.2025-07-01.json').responses['200'].body, got, ['zones', 'identity', 'properties.encryption', 'kind', 'sku.capacity', 'tags'])).toEqual([]);
  expect(got?.properties?.publicNetworkAccess).toBe('Disabled');
});

it('validate: the documented blocking errors for a private endpoint, VNet injection and geo-replication; the TLS error and warnings with the example text', async () => {
  const tgt = await target('amr-v', 'Plaintext');
  const plain = await cache('src-plain', { identity: { type: 'SystemAssigned' }, redisConfiguration: { 'rdb-backup-enabled': 'true' } });
  const r = await validateMigration(t.clients, tgt, plain, true);
  expect(shapeMismatches(example('RedisEnterpriseMigrationValidate.2025-08-01-preview.json').responses['200'].body, r)).toEqual([]);
  expect(r.isValid).toBe(false);
  const ex = example('RedisEnterpriseMigrationValidate.2025-08-01-preview.json').responses['200'].body;
  expect(r.errors[0]!.disparities).toContainEqual(ex.errors[0].disparities[0]);
  for (const w of ex.warnings[0].disparities) expect(r.warnings[0]!.disparities).toContainEqual(w);

  const tls = await target('amr-tls');
  await t.clients.network(SUB).virtualNetworks.createOrUpdate('rg-net', 'vnet', { location: 'westus2', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'pe', addressPrefix: '10.1.1.0/24' }, { name: 'redis', addressPrefix: '10.1.2.0/24' }] }, POLL);
  const withPe = await cache('src-pe');
  await t.clients.network(SUB).privateEndpoints.createOrUpdate('rg-net', 'pe-src', { location: 'westus2', subnet: { id: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` }, privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: withPe, groupIds: ['redisCache'] }] }, POLL);
  const injected = await cache('src-vnet', { subnetId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/redis` });
  const geoP = await cache('src-geo-p');
  const geoS = await cache('src-geo-s');
  await t.clients.redis(SUB).linkedServer.beginCreateAndWait(RG, 'src-geo-p', 'src-geo-s', { linkedRedisCacheId: geoS, linkedRedisCacheLocation: 'westus2', serverRole: 'Secondary' }, POLL);
  const categories = async (src: string) => (await validateMigration(t.clients, tls, src, true)).errors.flatMap((e) => e.disparities.map((d) => d.category));
  expect(await categories(withPe)).toEqual(['Private Endpoint']);
  expect(await categories(injected)).toEqual(['VNet']);
  expect(await categories(geoP)).toEqual(['Geo-replication']);
  expect(await categories(geoS)).toEqual(['Geo-replication']);
  // Public network access mismatch is a warning (public source, private target).
  const privateTarget = await target('amr-private', 'Encrypted', 'Disabled');
  const ok = await cache('src-ok');
  const v = await validateMigration(t.clients, privateTarget, ok, true);
  expect(v.isValid).toBe(true);
  expect(v.warnings.flatMap((w) => w.disparities.map((d) => d.category))).toContain('Public Network Access');
});

it('start -> Succeeded with rollbackEligibleUntil, get/list shapes, undo -> Cancelled; unlinkMigratedEndpoint -> Unlinked', async () => {
  const tgt = await target('amr-s');
  const src = await cache('src-s');
  const started = await startMigration(t.clients, tgt, src, { switchDns: true, skipDataMigration: true });
  expect(shapeMismatches(example('RedisEnterpriseMigrationStart.2026-09-01.json').responses['201'].body, started, ['properties.provisioningState'])).toEqual([]);
  expect(MIGRATION_STATES).toContain(started.properties!.provisioningState);
  t.emu.control.settleOperations();
  const got = await getMigration(t.clients, tgt);
  expect(shapeMismatches(example('RedisEnterpriseMigrationGet.2026-09-01.json').responses['200'].body, got, ['properties.provisioningState'])).toEqual([]);
  expect(got!.properties!.provisioningState).toBe('Succeeded');
  const until = Date.parse(got!.properties!.rollbackEligibleUntil);
  expect(until - Date.parse(got!.properties!.lastModifiedTime)).toBe(30 * 86_400_000);
  expect((await getManagedRedisCluster(t.clients, tgt))!.properties!.migratedEndpoint).toBe('src-s.redis.cache.windows.net');
  const list = await t.clients.redisEnterprise(SUB).sendRequest(createPipelineRequest({ url: `https://management.azure.com${tgt}/migrations?api-version=2026-09-01`, method: 'GET' }));
  expect(shapeMismatches(example('RedisEnterpriseMigrationList.2026-08-01.json').responses['200'].body, JSON.parse(list.bodyAsText!), ['value.properties.provisioningState'])).toEqual([]);

  const bad = await post(`${tgt}/migrations/default/cancel`, { rollbackReason: 'because' });
  expect(bad.status).toBe(400);
  const undo = await post(`${tgt}/migrations/default/cancel`, example('RedisEnterpriseMigrationUndo.2026-09-01.json').parameters.body);
  expect(undo.status).toBe(202);
  expect(Object.keys(undo.headers).map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(['azure-asyncoperation', 'location']));
  t.emu.control.settleOperations();
  const cancelled = await getMigration(t.clients, tgt);
  expect(cancelled!.properties).toMatchObject({ provisioningState: 'Cancelled', rollbackReason: 'performance' });
  expect(cancelled!.properties!.rollbackEligibleUntil).toBeUndefined();

  // Start again, then unlink the migrated endpoint.
  await startMigration(t.clients, tgt, src, { switchDns: true, skipDataMigration: true });
  t.emu.control.settleOperations();
  const unlink = await post(`${tgt}/migrations/default/unlinkMigratedEndpoint`);
  expect(unlink.status).toBe(202);
  t.emu.control.settleOperations();
  expect((await getMigration(t.clients, tgt))!.properties).toMatchObject({ provisioningState: 'Unlinked' });
  expect((await getManagedRedisCluster(t.clients, tgt))!.properties!.migratedEndpoint).toBeUndefined();
});

it('undo after rollbackEligibleUntil and the unknown combinations are refused with EmulatorUnsupported', async () => {
  const tgt = await target('amr-u');
  const src = await cache('src-u');
  await startMigration(t.clients, tgt, src, { switchDns: true, skipDataMigration: true });
  t.emu.control.settleOperations();
  const state = t.emu.control.snapshot();
  const m = state.find((r) => /migrations\/default$/i.test(r.id))!;
  m.properties.rollbackEligibleUntil = '2020-01-01T00:00:00Z';
  t.emu.control.restore(state);
  const late = await post(`${tgt}/migrations/default/cancel`);
  expect(late).toMatchObject({ status: 400, body: { error: { code: 'EmulatorUnsupported' } } });

  // A start for a source validate rejects; switchDns while the target has a private endpoint.
  const withVnet = await cache('src-bad', { subnetId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet2/subnets/redis` });
  const tgt2 = await target('amr-u2');
  await expect(startMigration(t.clients, tgt2, withVnet, { switchDns: true, skipDataMigration: true })).rejects.toMatchObject({ statusCode: 400, code: 'EmulatorUnsupported' });
  await t.clients.network(SUB).virtualNetworks.createOrUpdate('rg-net', 'vnet3', { location: 'westus2', addressSpace: { addressPrefixes: ['10.3.0.0/16'] }, subnets: [{ name: 'pe', addressPrefix: '10.3.1.0/24' }] }, POLL);
  await t.clients.network(SUB).privateEndpoints.createOrUpdate('rg-net', 'pe-amr', { location: 'westus2', subnet: { id: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet3/subnets/pe` }, privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: tgt2, groupIds: ['redisEnterprise'] }] }, POLL);
  const plain = await cache('src-plain2');
  const e = await startMigration(t.clients, tgt2, plain, { switchDns: true, skipDataMigration: true }).catch((x) => x);
  expect(e).toMatchObject({ statusCode: 400, code: 'EmulatorUnsupported' });
  expect(String(e.message)).toMatch(/DNS switch does to the records/);
});

it('Premium export to a container (recorded) and AMR import; export refused below Premium', async () => {
  const src = await cache('src-x');
  await t.clients.redis(SUB).redis.beginExportDataAndWait(RG, 'src-x', { prefix: 'snap', container: 'https://st.blob.core.windows.net/c' }, POLL);
  const exported = t.emu.control.requests().find((r) => r.method === 'POST' && /\/export$/.test(r.path));
  expect(exported).toMatchObject({ status: 202, body: { prefix: 'snap', container: 'https://st.blob.core.windows.net/c' } });
  expect(src).toBeDefined();
  await t.clients.redis(SUB).redis.beginCreateAndWait(RG, 'src-std', { location: 'westus2', sku: { name: 'Standard', family: 'C', capacity: 1 } }, POLL);
  await expect(t.clients.redis(SUB).redis.beginExportDataAndWait(RG, 'src-std', { prefix: 'snap', container: 'https://st.blob.core.windows.net/c' }, POLL)).rejects.toMatchObject({ statusCode: 400 });
  await target('amr-x');
  await t.clients.redisEnterprise(SUB).databases.beginImportAndWait(RG, 'amr-x', 'default', { sasUris: ['https://st.blob.core.windows.net/c/snap'] }, POLL);
  expect(t.emu.control.requests().some((r) => r.method === 'POST' && /databases\/default\/import$/.test(r.path) && r.status === 202)).toBe(true);
});
