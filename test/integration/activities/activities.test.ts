/**
 * Each activity against the ARM emulator through the real SDK clients: it does its one step, is idempotent on
 * a second call, and turns expected ARM failures into data while rethrowing retryable faults.
 */
import { createDependencies, type Dependencies } from '../../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../../src/azure/document-store';
import { runActivity } from '../../../src/activities/define';
import { ensureSubnetReady } from '../../../src/activities/ensure-subnet-ready';
import { ensurePrivateDnsZone } from '../../../src/activities/ensure-private-dns-zone';
import { ensureVirtualNetworkLink } from '../../../src/activities/ensure-virtual-network-link';
import { createPrivateEndpoint } from '../../../src/activities/create-private-endpoint';
import { ensurePrivateDnsZoneGroup } from '../../../src/activities/ensure-private-dns-zone-group';
import { getCacheSnapshot } from '../../../src/activities/get-cache-snapshot';
import { deletePrivateEndpoint } from '../../../src/activities/delete-private-endpoint';
import { updatePublicNetworkAccess } from '../../../src/activities/update-public-network-access';
import { getCacheState } from '../../../src/activities/get-cache-state';
import { deleteLinkedServer } from '../../../src/activities/delete-linked-server';
import { createLinkedServer } from '../../../src/activities/create-linked-server';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { ESTATE_RESOURCE_GROUPS, RG, SUB, createCache, createNetworks, ids, linkGeoPair } from '../../support/workflow-estate';

let t: TestEmulator;
let deps: Dependencies;

beforeAll(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  deps = createDependencies({ clients: t.clients, documents: new MemoryDocumentStore() });
  await createNetworks(t.clients);
});
afterAll(async () => t.close());

const writes = () => t.emu.control.requests().filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator'));

it('walks the seed procedure step by step, each step idempotent', async () => {
  const cacheId = await createCache(t.clients, 'act-cache', 'Standard');
  const subnetId = ids.subnet('vnet-app', 'endpoints');
  const zoneId = ids.zone();
  const peId = ids.pe('pe-act-cache-vnet-app');

  const steps: Array<[any, any]> = [
    [ensureSubnetReady, { subnetId }],
    [ensurePrivateDnsZone, { zoneId }],
    [ensureVirtualNetworkLink, { zoneId, virtualNetworkId: ids.vnet('vnet-app') }],
    [createPrivateEndpoint, { privateEndpointId: peId, cacheId, subnetId, groupId: 'redisCache', location: 'westus2', connectionName: 'pe-act-cache-vnet-app' }],
    [ensurePrivateDnsZoneGroup, { privateEndpointId: peId, zoneId }],
    [updatePublicNetworkAccess, { cacheId, value: 'Disabled' }],
  ];
  for (const [activity, input] of steps) {
    const first = await runActivity(activity, input, deps);
    expect(first).toMatchObject({ ok: true });
  }
  t.emu.control.clearRequests();
  for (const [activity, input] of steps) {
    const again: any = await runActivity(activity, input, deps);
    expect(again.ok).toBe(true);
    expect(again.changed ?? again.created).toBe(false);
  }
  expect(writes()).toEqual([]);

  const snap: any = await runActivity(getCacheSnapshot, { cacheId, cloud: 'AzureCloud', dnsZones: { subscriptionId: SUB, resourceGroup: 'rg-dns' } }, deps);
  expect(snap.exists).toBe(true);
  const s = snap.snapshot;
  expect(s).toMatchObject({ kind: 'redis', name: 'act-cache', publicNetworkAccess: 'Disabled', port: 6380, hostName: 'act-cache.redis.cache.windows.net' });
  expect(s.connections).toHaveLength(1);
  expect(s.connections[0]).toMatchObject({ status: 'Approved' });
  expect(s.privateEndpoints[0].privateIp).toMatch(/^10\.1\.1\.\d+$/);
  expect(s.privateEndpoints[0].dnsZoneGroups[0].zoneIds[0].toLowerCase()).toBe(zoneId.toLowerCase());
  expect(s.dnsZones[0].aRecords['act-cache']).toEqual([s.privateEndpoints[0].privateIp]);
  expect(s.dnsZones[0].virtualNetworkLinks.map((v: string) => v.toLowerCase())).toEqual([ids.vnet('vnet-app').toLowerCase()]);

  expect(await runActivity(deletePrivateEndpoint, { privateEndpointId: peId }, deps)).toMatchObject({ ok: true, deleted: true });
  expect(await runActivity(deletePrivateEndpoint, { privateEndpointId: peId }, deps)).toMatchObject({ ok: true, deleted: false });
});

it('returns expected failures as data and rethrows retryable faults', async () => {
  expect(await runActivity(ensureSubnetReady, { subnetId: ids.subnet('vnet-missing', 'x') }, deps)).toMatchObject({ ok: false, code: 'VirtualNetworkNotFound' });
  const injectedId = await createCache(t.clients, 'act-inj', 'Premium', { subnetId: ids.subnet('vnet-consumer', 'endpoints') });
  const refused: any = await runActivity(
    createPrivateEndpoint,
    { privateEndpointId: ids.pe('pe-inj'), cacheId: injectedId, subnetId: ids.subnet('vnet-app', 'endpoints'), groupId: 'redisCache', location: 'westus2', connectionName: 'pe-inj' },
    deps,
  );
  expect(refused.ok).toBe(false);
  expect(refused.status).toBe(400);

  t.emu.control.injectFault({ method: 'GET', pathPattern: 'Redis/act-cache$', status: 500, code: 'InternalServerError', count: 10 });
  await expect(runActivity(getCacheState, { cacheId: ids.cache('act-cache') }, deps)).rejects.toThrow(/InternalServerError|500/);
});

it('unlinks and relinks passive geo-replication', async () => {
  const p = await createCache(t.clients, 'act-geo-p', 'Premium');
  const s = await createCache(t.clients, 'act-geo-s', 'Premium', { location: 'eastus' });
  await linkGeoPair(t.clients, p, s, 'eastus');
  const before: any = await runActivity(getCacheState, { cacheId: p }, deps);
  expect(before.linkedServers).toEqual([expect.objectContaining({ serverRole: 'Secondary' })]);
  t.emu.control.setSettings({ lroDurationMs: 60_000 });
  t.emu.control.clearRequests();
  expect(await runActivity(deleteLinkedServer, { cacheId: p, linkedServerName: 'act-geo-s' }, deps)).toMatchObject({ ok: true, started: true });
  // redelivered while the unlink runs: no second DELETE (which Azure would refuse with 409)
  expect(await runActivity(deleteLinkedServer, { cacheId: p, linkedServerName: 'act-geo-s' }, deps)).toMatchObject({ ok: true, started: false });
  expect(writes().filter((r) => r.method === 'DELETE')).toHaveLength(1);
  t.emu.control.setSettings({ lroDurationMs: 0 });
  t.emu.control.settleOperations();
  const mid: any = await runActivity(getCacheState, { cacheId: p }, deps);
  expect(mid.linkedServers).toEqual([]);
  expect(
    await runActivity(createLinkedServer, { cacheId: p, linkedServerName: 'act-geo-s', linkedRedisCacheId: s, linkedRedisCacheLocation: 'eastus', serverRole: 'Secondary' }, deps),
  ).toMatchObject({ ok: true, started: true });
  t.emu.control.settleOperations();
  const after: any = await runActivity(getCacheState, { cacheId: p }, deps);
  expect(after.linkedServers).toEqual([expect.objectContaining({ provisioningState: 'Succeeded' })]);
  expect((await t.clients.redis(SUB).redis.get(RG, 'act-geo-s')).linkedServers).toHaveLength(1);
});
