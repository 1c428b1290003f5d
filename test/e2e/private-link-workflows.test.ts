/**
 * The Private Link orchestrations end to end: the product's registered functions on the embedded local host
 * (real durable-functions replay, virtual clock), activities calling the real SDK clients over HTTP against the
 * ARM emulator. Assertions read the final ARM state and the emulator's connectivity oracle.
 */
import { OrchestratorNames } from '../../src/orchestrations/names';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import {
  FAST_SETTINGS,
  LOCATION,
  RG,
  SUB,
  createCache,
  createNetworks,
  ids,
  linkGeoPair,
  testPolicy,
} from '../support/workflow-estate';

let h: WorkflowHarness;

beforeEach(async () => {
  h = await startWorkflowHarness();
  await createNetworks(h.clients);
});

afterEach(async () => {
  await h.close();
});

const writes = () => h.emu.control.requests().filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator'));

describe('addPrivateEndpointOrchestrator', () => {
  it('prepares subnet and DNS, creates an approved endpoint, verifies, then disables public access', async () => {
    const cacheId = await createCache(h.clients, 'cache-std', 'Standard');
    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });

    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output.status).toBe('succeeded');
    expect(status.output.privateEndpointId).toBe(ids.pe('pe-cache-std-vnet-app'));
    expect(status.output.port).toBe(6380);

    const subnet = await h.clients.network(SUB).subnets.get('rg-net', 'vnet-app', 'endpoints');
    expect(subnet.privateEndpointNetworkPolicies).toBe('Disabled');
    const links = [];
    for await (const l of h.clients.privateDns(SUB).virtualNetworkLinks.list('rg-dns', 'privatelink.redis.cache.windows.net')) links.push(l.virtualNetwork?.id?.toLowerCase());
    expect(links.sort()).toEqual([ids.vnet('vnet-app').toLowerCase(), ids.vnet('vnet-consumer').toLowerCase()].sort());
    const record = await h.clients.privateDns(SUB).recordSets.get('rg-dns', 'privatelink.redis.cache.windows.net', 'A', 'cache-std');
    expect(record.aRecords?.[0]?.ipv4Address).toBe(status.output.privateIp);
    const cache = await h.clients.redis(SUB).redis.get(RG, 'cache-std');
    expect(cache.publicNetworkAccess).toBe('Disabled');
    expect(cache.privateEndpointConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe('Approved');

    const fromVnet = h.emu.control.connectivity(cacheId, ids.vnet('vnet-app'));
    expect(fromVnet).toMatchObject({ resolution: 'private', resolvedAddress: status.output.privateIp, reachable: true, port: 6380 });
    expect(h.emu.control.connectivity(cacheId, 'internet').reachable).toBe(false);

    // progress was reported as "step k of n"
    expect(status.customStatus).toMatchObject({ of: 6 });
    expect(status.customStatus.step).toBeGreaterThanOrEqual(5);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const cacheId = await createCache(h.clients, 'cache-idem', 'Standard');
    await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    h.emu.control.clearRequests();
    const again = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(again.output.status).toBe('succeeded');
    expect(writes()).toEqual([]);
    expect(again.output.actions.every((a: any) => a.status === 'skipped')).toBe(true);
  });

  it('unlinks passive geo-replication, adds the endpoint, then relinks', async () => {
    const primary = await createCache(h.clients, 'geo-primary', 'Premium');
    const secondary = await createCache(h.clients, 'geo-secondary', 'Premium', { location: 'eastus' });
    await linkGeoPair(h.clients, primary, secondary, 'eastus');
    h.emu.control.clearRequests();

    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId: primary, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(status.output.status).toBe('succeeded');

    const log = writes().map((r) => `${r.method} ${r.path}`);
    const unlink = log.findIndex((l) => /^DELETE .*linkedServers\/geo-secondary$/i.test(l));
    const create = log.findIndex((l) => /^PUT .*privateEndpoints\/pe-geo-primary-vnet-app$/i.test(l));
    const relink = log.findIndex((l) => /^PUT .*linkedServers\/geo-secondary$/i.test(l));
    expect(unlink).toBeGreaterThanOrEqual(0);
    expect(create).toBeGreaterThan(unlink);
    expect(relink).toBeGreaterThan(create);
    const ls = await h.clients.redis(SUB).linkedServer.get(RG, 'geo-primary', 'geo-secondary');
    expect(ls.provisioningState).toBe('Succeeded');
  });

  it('relinks geo-replication even when creating the endpoint fails', async () => {
    const primary = await createCache(h.clients, 'geo-p2', 'Premium');
    const secondary = await createCache(h.clients, 'geo-s2', 'Premium', { location: 'eastus' });
    await linkGeoPair(h.clients, primary, secondary, 'eastus');
    h.emu.control.failNextOperation({ resourcePattern: 'privateEndpoints/pe-geo-p2', code: 'InternalServerError', message: 'Injected endpoint failure', count: 10 });

    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId: primary, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(status.runtimeStatus).toBe('Failed');
    expect(JSON.stringify(status.output ?? '')).toMatch(/Injected endpoint failure|failed/i);
    const ls = await h.clients.redis(SUB).linkedServer.get(RG, 'geo-p2', 'geo-s2');
    expect(ls.provisioningState).toBe('Succeeded');
    const cache = await h.clients.redis(SUB).redis.get(RG, 'geo-p2');
    expect(cache.publicNetworkAccess).toBe('Enabled');
  });

  it('retries 409 busy, 429 and 5xx faults to success', async () => {
    const cacheId = await createCache(h.clients, 'cache-faults', 'Standard');
    h.emu.control.injectFault({ method: 'PUT', pathPattern: 'privateEndpoints/pe-cache-faults', status: 409, code: 'Conflict', message: 'The cache is updating. Please retry later.', count: 1 });
    h.emu.control.injectFault({ method: 'PATCH', pathPattern: 'Redis/cache-faults$', status: 429, code: 'SubscriptionRequestsThrottled', retryAfterSeconds: 0, count: 1 });
    h.emu.control.injectFault({ method: 'GET', pathPattern: 'privateDnsZones/privatelink', status: 503, code: 'ServiceUnavailable', count: 4 });
    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(status.output.status).toBe('succeeded');
    const statuses = h.emu.control.requests().map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining([409, 429, 503]));
    const cache = await h.clients.redis(SUB).redis.get(RG, 'cache-faults');
    expect(cache.publicNetworkAccess).toBe('Disabled');
  });

  it.each([
    ['a VNet-injected cache', 'vnet-injected', async () => createCache(h.clients, 'cache-inj', 'Premium', { subnetId: ids.subnet('vnet-consumer', 'endpoints') })],
    ['passive geo-replication when the policy says manual', 'geo-replication-blocks-private-link', async () => {
      const p = await createCache(h.clients, 'geo-p3', 'Premium');
      const s = await createCache(h.clients, 'geo-s3', 'Premium', { location: 'eastus' });
      await linkGeoPair(h.clients, p, s, 'eastus');
      return p;
    }],
  ])('refuses %s with the documented reason and no write', async (_label, rule, make) => {
    const cacheId = await make();
    h.emu.control.clearRequests();
    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy({ geoReplication: 'manual' }), settings: FAST_SETTINGS });
    expect(status.output).toMatchObject({ status: 'refused', rule });
    expect(status.output.message).toMatch(/documented rule/);
    expect(writes()).toEqual([]);
  });

  it('refuses a second private link on a clustered Premium cache', async () => {
    const cacheId = await createCache(h.clients, 'cache-clu', 'Premium', { shardCount: 2 });
    const first = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(first.output.status).toBe('succeeded');
    h.emu.control.clearRequests();
    const second = await h.run(OrchestratorNames.addPrivateEndpoint, {
      cacheId,
      subnetId: ids.subnet('vnet-consumer', 'endpoints'),
      policy: testPolicy(),
      settings: FAST_SETTINGS,
    });
    expect(second.output).toMatchObject({ status: 'refused', rule: 'clustered-link-limit-reached' });
    expect(second.output.message).toContain('limited to one private link');
    expect(writes()).toEqual([]);
  });
});

describe('removePrivateEndpointOrchestrator and setPublicNetworkAccessOrchestrator', () => {
  it('deleting the last endpoint of a cache with public access Disabled leaves it reachable', async () => {
    const cacheId = await createCache(h.clients, 'cache-last', 'Standard');
    const added = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(h.emu.control.connectivity(cacheId, 'internet').reachable).toBe(false);

    const removed = await h.run(OrchestratorNames.removePrivateEndpoint, {
      cacheId,
      privateEndpointId: added.output.privateEndpointId,
      policy: testPolicy({ onLastEndpointDeleted: 'enable-public-access' }),
      settings: FAST_SETTINGS,
    });
    expect(removed.output.status).toBe('succeeded');
    expect(removed.output.message).toMatch(/Public network access enabled/);
    await expect(h.clients.privateDns(SUB).recordSets.get('rg-dns', 'privatelink.redis.cache.windows.net', 'A', 'cache-last')).rejects.toMatchObject({ statusCode: 404 });
    expect(h.emu.control.connectivity(cacheId, 'internet')).toMatchObject({ resolution: 'public', reachable: true });
  });

  it('refuses to remove the last endpoint of a Basic cache the policy would recreate, unless acceptDataLoss', async () => {
    const cacheId = await createCache(h.clients, 'cache-basic', 'Basic');
    const added = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    const policy = testPolicy({ onLastEndpointDeleted: 'recreate-endpoint' });
    h.emu.control.clearRequests();
    const refusedRun = await h.run(OrchestratorNames.removePrivateEndpoint, { cacheId, privateEndpointId: added.output.privateEndpointId, policy, settings: FAST_SETTINGS });
    expect(refusedRun.output).toMatchObject({ status: 'refused', rule: 'basic-tier-data-loss-risk' });
    expect(refusedRun.output.message).toContain('you might experience data loss');
    expect(writes()).toEqual([]);
  });

  it('the lockout guard also refuses when the approved endpoint does not resolve (zone not linked to its VNet)', async () => {
    const cacheId = await createCache(h.clients, 'cache-dns', 'Standard');
    const keepPublic = testPolicy({ publicNetworkAccess: 'Enabled', consumerVirtualNetworks: [] });
    expect((await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: keepPublic, settings: FAST_SETTINGS })).output.status).toBe('succeeded');
    await h.clients.privateDns(SUB).virtualNetworkLinks.delete('rg-dns', 'privatelink.redis.cache.windows.net', 'link-vnet-app', { updateIntervalInMs: 5 });
    h.emu.control.clearRequests();
    const status = await h.run(OrchestratorNames.setPublicNetworkAccess, { cacheId, value: 'Disabled', policy: keepPublic, settings: FAST_SETTINGS });
    expect(status.output).toMatchObject({ status: 'refused', rule: 'lockout-guard' });
    expect(status.output.message).toContain('The private DNS zone is vital for establishing the TLS connection with the private endpoint.');
    expect(writes()).toEqual([]);
  });

  it('a read refused by Azure (403) fails the workflow with the code instead of treating the cache as deleted', async () => {
    const cacheId = await createCache(h.clients, 'cache-403', 'Standard');
    h.emu.control.injectFault({ method: 'GET', pathPattern: 'Redis/cache-403$', status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization', count: 50 });
    const status = await h.run(OrchestratorNames.remediateCache, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(status.runtimeStatus).toBe('Failed');
    expect(JSON.stringify(status.output)).toContain('AuthorizationFailed');
  });

  it('refuses while the cache is busy, and without an endpoint placement for its region, with no write', async () => {
    const cacheId = await createCache(h.clients, 'cache-busy', 'Standard');
    const noPlacement = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy({ endpointPlacement: {} }), settings: FAST_SETTINGS });
    expect(noPlacement.output).toMatchObject({ status: 'refused', rule: 'endpoint-placement-missing' });
    h.emu.control.setSettings({ lroDurationMs: 60_000 });
    await h.clients.redis(SUB).redis.beginUpdate(RG, 'cache-busy', { enableNonSslPort: true });
    h.emu.control.clearRequests();
    const busy = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(busy.output).toMatchObject({ status: 'refused', rule: 'cache-not-ready' });
    expect(writes()).toEqual([]);
    h.emu.control.setSettings({ lroDurationMs: 0 });
  });

  it('the lockout guard refuses to disable public access without an approved endpoint', async () => {
    const cacheId = await createCache(h.clients, 'cache-lock', 'Standard');
    h.emu.control.clearRequests();
    const status = await h.run(OrchestratorNames.setPublicNetworkAccess, { cacheId, value: 'Disabled', policy: testPolicy(), settings: FAST_SETTINGS });
    expect(status.output).toMatchObject({ status: 'refused', rule: 'lockout-guard' });
    expect(writes()).toEqual([]);
    const forced = await h.run(OrchestratorNames.setPublicNetworkAccess, { cacheId, value: 'Disabled', force: true, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(forced.output.status).toBe('succeeded');
    expect((await h.clients.redis(SUB).redis.get(RG, 'cache-lock')).publicNetworkAccess).toBe('Disabled');
  });
});

describe('createCacheWithPrivateEndpointOrchestrator, remediateCacheOrchestrator, verifyCacheOrchestrator', () => {
  it('creates a VNet, a cache with public access Disabled, its endpoint and DNS', async () => {
    const cacheId = ids.cache('cache-new');
    const status = await h.run(OrchestratorNames.createCacheWithPrivateEndpoint, {
      cache: { cacheId, location: LOCATION, sku: { name: 'Premium', family: 'P', capacity: 1 } },
      virtualNetwork: { virtualNetworkId: ids.vnet('vnet-new'), addressPrefixes: ['10.9.0.0/16'], subnetName: 'endpoints', subnetAddressPrefix: '10.9.1.0/24' },
      policy: testPolicy({ consumerVirtualNetworks: [] }),
      settings: FAST_SETTINGS,
    });
    expect(status.output.status).toBe('succeeded');
    const cache = await h.clients.redis(SUB).redis.get(RG, 'cache-new');
    expect(cache.publicNetworkAccess).toBe('Disabled');
    expect(h.emu.control.connectivity(cacheId, ids.vnet('vnet-new'))).toMatchObject({ resolution: 'private', reachable: true });
  });

  it('remediates a non-compliant cache in enforce mode, and only reports in audit mode', async () => {
    const cacheId = await createCache(h.clients, 'cache-drift', 'Standard');
    h.emu.control.clearRequests();
    const audit = await h.run(OrchestratorNames.remediateCache, { cacheId, policy: testPolicy({ mode: 'audit' }), settings: FAST_SETTINGS });
    expect(audit.output.status).toBe('audited');
    expect(audit.output.findings.map((f: any) => f.rule)).toContain('private-endpoint-missing');
    expect(writes()).toEqual([]);

    const enforce = await h.run(OrchestratorNames.remediateCache, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(enforce.output.status).toBe('succeeded');
    expect(enforce.output.remaining.filter((f: any) => f.severity === 'high')).toEqual([]);
    expect(h.emu.control.connectivity(cacheId, ids.vnet('vnet-app')).reachable).toBe(true);

    const verify = await h.run(OrchestratorNames.verifyCache, { cacheId, policy: testPolicy(), settings: FAST_SETTINGS });
    expect(verify.output.status).toBe('succeeded');
    expect(verify.output.verification.endpoints[0]).toMatchObject({ ok: true, zoneLinkedToEndpointVnet: true });
  });
});

describe('storage used for persistence or export/import', () => {
  it('a declared storage account with a firewall is reported for a cache without managed identity (live read and sweep triage)', async () => {
    const storageId = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stbackup`;
    h.emu.ctx.store.put({
      id: storageId,
      name: 'stbackup',
      type: 'Microsoft.Storage/storageAccounts',
      location: LOCATION,
      kind: 'StorageV2',
      properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } },
    });
    const cache = await h.clients.redis(SUB).redis.beginCreateAndWait(RG, 'cache-persist', {
      location: LOCATION,
      sku: { name: 'Standard', family: 'C', capacity: 1 },
      tags: { 'privatelink-autopilot-storage': storageId },
    }, { updateIntervalInMs: 5 });
    const audit = testPolicy({ mode: 'audit' });
    const live = await h.run(OrchestratorNames.remediateCache, { cacheId: cache.id, policy: audit, settings: FAST_SETTINGS });
    const finding = live.output.findings.find((f: any) => f.rule === 'storage-firewall-persistence');
    expect(finding.message).toContain("you cannot export or import data to a to a storage account that has firewall enabled unless you're using a Premium tier cache with managed identity");

    const sweep = await h.run(OrchestratorNames.complianceSweep, { policy: audit, settings: FAST_SETTINGS });
    const report = JSON.parse((await h.documents.read(`reports/${sweep.output.sweepId}.json`))!);
    const entry = report.caches.find((c: any) => c.id.endsWith('/cache-persist'));
    expect(entry.findings.map((f: any) => f.rule)).toContain('storage-firewall-persistence');
  });
});

describe('Enterprise clusters and connection reviews', () => {
  const createEnterprise = async (name: string) =>
    (await h.clients.redisEnterprise(SUB).redisEnterprise.beginCreateAndWait(RG, name, { location: LOCATION, sku: { name: 'Enterprise_E10', capacity: 2 } }, { updateIntervalInMs: 5 })).id!;

  it('adds an endpoint to an Enterprise cluster with its own group id, zone and port 10000', async () => {
    const cacheId = await createEnterprise('ent-one');
    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy({ consumerVirtualNetworks: [] }), settings: FAST_SETTINGS });
    expect(status.output).toMatchObject({ status: 'succeeded', port: 10000 });
    const pe = await h.clients.network(SUB).privateEndpoints.get('rg-net', 'pe-ent-one-vnet-app');
    expect(pe.privateLinkServiceConnections?.[0]?.groupIds).toEqual(['redisEnterprise']);
    const record = await h.clients.privateDns(SUB).recordSets.get('rg-dns', 'privatelink.redisenterprise.cache.azure.net', 'A', `ent-one.${LOCATION}`);
    expect(record.aRecords?.[0]?.ipv4Address).toBe(status.output.privateIp);
    expect(h.emu.control.connectivity(cacheId, ids.vnet('vnet-app'))).toMatchObject({ resolution: 'private', reachable: true, port: 10000 });
    // no publicNetworkAccess flag on Enterprise: the public access runbook refuses with the documented reason
    h.emu.control.clearRequests();
    const refusedRun = await h.run(OrchestratorNames.setPublicNetworkAccess, { cacheId, value: 'Disabled', policy: testPolicy(), settings: FAST_SETTINGS });
    expect(refusedRun.output).toMatchObject({ status: 'refused', rule: 'public-access-unsupported' });
    expect(refusedRun.output.message).toContain('Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag.');
    expect(writes()).toEqual([]);
  });

  it('verifies an Enterprise endpoint, and replaces it when it was the last one (onLastEndpointDeleted: recreate-endpoint)', async () => {
    const cacheId = await createEnterprise('ent-two');
    const policy = testPolicy({ consumerVirtualNetworks: [], onLastEndpointDeleted: 'recreate-endpoint' });
    const added = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy, settings: FAST_SETTINGS });
    const verified = await h.run(OrchestratorNames.verifyCache, { cacheId, policy, settings: FAST_SETTINGS });
    expect(verified.output.verification).toMatchObject({ port: 10000, ok: true, hostName: `ent-two.${LOCATION}.redisenterprise.cache.azure.net` });
    expect(verified.output.verification.endpoints[0]).toMatchObject({ zoneName: 'privatelink.redisenterprise.cache.azure.net', recordName: `ent-two.${LOCATION}` });

    const removed = await h.run(OrchestratorNames.removePrivateEndpoint, {
      cacheId,
      privateEndpointId: added.output.privateEndpointId,
      policy: testPolicy({ consumerVirtualNetworks: [], onLastEndpointDeleted: 'recreate-endpoint', endpointPlacement: { [LOCATION]: { subnetId: ids.subnet('vnet-consumer', 'endpoints') } } }),
      settings: FAST_SETTINGS,
    });
    expect(removed.output.status).toBe('succeeded');
    expect(removed.output.message).toMatch(/replacement private endpoint was added/);
    await expect(h.clients.network(SUB).privateEndpoints.get('rg-net', 'pe-ent-two-vnet-app')).rejects.toMatchObject({ statusCode: 404 });
    expect(h.emu.control.connectivity(cacheId, ids.vnet('vnet-consumer'))).toMatchObject({ resolution: 'private', reachable: true, port: 10000 });
  });

  it('Azure Managed Redis uses its own zone (privatelink.redis.azure.net) and port 10000', async () => {
    const cacheId = (await h.clients.redisEnterprise(SUB).redisEnterprise.beginCreateAndWait(RG, 'amr-one', { location: LOCATION, sku: { name: 'Balanced_B5' } }, { updateIntervalInMs: 5 })).id!;
    const status = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId, policy: testPolicy({ consumerVirtualNetworks: [] }), settings: FAST_SETTINGS });
    expect(status.output).toMatchObject({ status: 'succeeded', port: 10000 });
    const record = await h.clients.privateDns(SUB).recordSets.get('rg-dns', 'privatelink.redis.azure.net', 'A', `amr-one.${LOCATION}`);
    expect(record.aRecords?.[0]?.ipv4Address).toBe(status.output.privateIp);
    expect(h.emu.control.connectivity(cacheId, ids.vnet('vnet-app'))).toMatchObject({ resolution: 'private', reachable: true, port: 10000 });
  });

  it('approves pending connections from listed subscriptions and rejects the rest', async () => {
    const cacheId = await createCache(h.clients, 'cache-review', 'Premium');
    const manual = (name: string) =>
      h.clients.network(SUB).privateEndpoints.createOrUpdate('rg-net', name, {
        location: LOCATION,
        subnet: { id: ids.subnet('vnet-consumer', 'endpoints') },
        manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: cacheId, groupIds: ['redisCache'] }],
      }, { updateIntervalInMs: 5 });
    await manual('pe-manual-1');
    const listed = testPolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [SUB] } });
    const approved = await h.run(OrchestratorNames.reviewConnections, { cacheId, policy: listed, settings: FAST_SETTINGS });
    expect(approved.output.status).toBe('succeeded');
    expect((await h.clients.network(SUB).privateEndpoints.get('rg-net', 'pe-manual-1')).manualPrivateLinkServiceConnections)
      .toEqual([expect.objectContaining({ privateLinkServiceConnectionState: expect.objectContaining({ status: 'Approved' }) })]);

    await manual('pe-manual-2');
    const others = testPolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: ['99999999-9999-9999-9999-999999999999'], rejectUnlisted: true } });
    const rejected = await h.run(OrchestratorNames.reviewConnections, { cacheId, policy: others, settings: FAST_SETTINGS });
    expect(rejected.output.status).toBe('succeeded');
    const pecs = [];
    for await (const c of h.clients.redis(SUB).privateEndpointConnections.list(RG, 'cache-review')) pecs.push([c.privateEndpoint?.id?.split('/').pop(), c.privateLinkServiceConnectionState?.status]);
    expect(pecs.sort()).toEqual([['pe-manual-1', 'Approved'], ['pe-manual-2', 'Rejected']]);
  });
});
