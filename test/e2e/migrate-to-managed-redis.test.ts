/**
 * migrateToManagedRedis end to end: the registered orchestration on the embedded host (virtual clock, paused while
 * a gate waits, advanced through the soak), activities on the real SDK clients against the ARM emulator. Sources:
 * a Premium cache with a private endpoint, a passive geo-replicated Premium pair, a VNet-injected Premium cache.
 * Asserted: the target private from birth (connectivity oracle from every consumer VNet and the internet), the
 * source untouched until the approved decommission, rejections at each gate, a fault at each phase compensating.
 */
import { HistoryEventType, startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { OrchestratorNames, cacheInstanceId } from '../../src/orchestrations/names';
import type { Policy } from '../../src/policy/policy-schema';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { setProviderAvailability } from '../../emulator/providers/resource-providers';
import { ESTATE_RESOURCE_GROUPS, FAST_SETTINGS, RG, RG_NET, SUB, createCache, createNetworks, ids, linkGeoPair, testPolicy } from '../support/workflow-estate';

let t: TestEmulator;
let host: LocalHost;
const POLL = { updateIntervalInMs: 5 };
const SOAK_HOURS = 24;

const principal = (name: string) => Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'name', val: name }, { typ: 'oid', val: `oid-${name}` }] })).toString('base64');
const amrId = (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/redisEnterprise/${name}`;

function policy(overrides: Record<string, unknown> = {}): Policy {
  return testPolicy({ migration: { soakHours: SOAK_HOURS, exportContainerUrl: 'https://stexport.blob.core.windows.net/redis-export' }, ...overrides });
}

beforeEach(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore(), lroPollIntervalMs: 10 }));
  await createNetworks(t.clients);
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    virtualStartTime: '2026-12-02T10:00:00Z',
    env: { AUTOPILOT_POLICY: JSON.stringify(policy()), AUTOPILOT_REQUIRE_PRINCIPAL: 'false', AUTOPILOT_ALLOWED_ROLES: '', AUTOPILOT_ALLOWED_GROUPS: '', AUTOPILOT_ALLOWED_SUBSCRIPTIONS: '' },
  });
});

afterEach(async () => {
  await host.stop();
  setDependencies(undefined);
  await t.close();
});

async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

/** A Premium cache with an approved endpoint in vnet-app, zone linked to vnet-app and vnet-consumer, public access Disabled. */
async function premiumWithEndpoint(name: string): Promise<string> {
  const cacheId = await createCache(t.clients, name, 'Premium');
  const done = await host.waitForCompletion(await host.startNew(OrchestratorNames.addPrivateEndpoint, { input: { cacheId, policy: policy(), settings: FAST_SETTINGS } }));
  expect((done.output as any).status).toBe('succeeded');
  expect((await t.clients.redis(SUB).redis.get(RG, name)).publicNetworkAccess).toBe('Disabled');
  return cacheId;
}

const sourceWrites = (name: string) =>
  t.emu.control.requests().filter((r) => r.method !== 'GET' && r.status < 400 && new RegExp(`/Redis/${name}(/|$)`, 'i').test(r.path) && !/\/export$/i.test(r.path));

async function waitingOn(instanceId: string, gate: string): Promise<any> {
  return until(async () => {
    const s = await host.getStatus(instanceId);
    if (s && !['Running', 'Pending'].includes(String(s.runtimeStatus))) throw new Error(`${instanceId} ended ${s.runtimeStatus}: ${JSON.stringify(s.output)}`);
    const w = (s?.customStatus as any)?.waitingFor;
    return w?.gate === gate ? w : undefined;
  });
}

async function decide(instanceId: string, gate: string, decision: 'approve' | 'reject', who = 'ops-lead'): Promise<void> {
  const res = await fetch(`${host.url}/api/runbooks/decisions/${encodeURIComponent(instanceId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ms-client-principal': principal(who) },
    body: JSON.stringify({ gate, decision, comment: `${decision} by test` }),
  });
  expect(res.status).toBe(202);
}

function startMigration(cacheId: string, extra: Record<string, unknown> = {}, p: Policy = policy()): Promise<string> {
  return host.startNew(OrchestratorNames.migrateToManagedRedis, { instanceId: cacheInstanceId('migrate', cacheId), input: { cacheId, policy: p, settings: FAST_SETTINGS, ...extra } });
}

/** The target answers only privately: from each VNet with a target endpoint reachable at its private IP, the name resolves privately from every consumer VNet, unreachable from the internet. */
function expectPrivateOnly(clusterId: string, endpointVnets: string[], consumerVnets: string[]): void {
  for (const v of endpointVnets) {
    expect(t.emu.control.connectivity(clusterId, ids.vnet(v))).toMatchObject({ resolution: 'private', reachable: true, port: 10000 });
  }
  for (const v of consumerVnets) expect(t.emu.control.connectivity(clusterId, ids.vnet(v)).resolution).toBe('private');
  expect(t.emu.control.connectivity(clusterId, 'internet').reachable).toBe(false);
}

/** Runs the gates: approve the cutover, advance through the soak, then decide the decommission. */
async function throughGates(instanceId: string, decommission: 'approve' | 'reject' = 'approve'): Promise<any> {
  await waitingOn(instanceId, 'cutover');
  await decide(instanceId, 'cutover', 'approve');
  await until(async () => ((await host.getStatus(instanceId))?.customStatus as any)?.phase === 'P4');
  host.clock.advance(SOAK_HOURS * 3600_000 + 1000);
  await waitingOn(instanceId, 'decommission');
  await decide(instanceId, 'decommission', decommission, 'change-board');
  host.clock.resume();
  return host.waitForCompletion(instanceId, { timeoutMs: 120_000 });
}

describe('migrateToManagedRedis', () => {
  it('Premium cache with a private endpoint: dry run plans everything and writes nothing', async () => {
    const cacheId = await premiumWithEndpoint('mig-plan');
    t.emu.control.clearRequests();
    const done: any = await host.waitForCompletion(await startMigration(cacheId, { dryRun: true }, policy()));
    expect(done.output.status).toBe('planned');
    const plan = done.output.plan;
    expect(plan.target).toMatchObject({ name: 'mig-plan-amr', sku: 'Balanced_B5', publicNetworkAccess: 'Disabled', port: 10000, clusteringPolicy: 'EnterpriseCluster', hostName: 'mig-plan-amr.westus2.redis.azure.net' });
    expect(plan.skuProposal.why).toMatch(/P1 maps to B5/);
    expect(plan.cutover).toEqual({ path: 'confirm', toolingBlockers: ['private-endpoint'] });
    expect(plan.consumerVirtualNetworks.map((v: string) => v.toLowerCase()).sort()).toEqual([ids.vnet('vnet-app'), ids.vnet('vnet-consumer')].map((v) => v.toLowerCase()).sort());
    expect(plan.phases.map((p: any) => p.phase)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5']);
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET' && !/\/validate$/.test(r.path))).toEqual([]);
  });

  it('Premium cache with a private endpoint -> private AMR; source untouched until the approved decommission', async () => {
    const cacheId = await premiumWithEndpoint('mig-pe');
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId);
    const pending = await waitingOn(id, 'cutover');
    expect(pending.what).toMatch(/mig-pe-amr\.westus2\.redis\.azure\.net:10000/);
    // P1 built the target private from birth; the zone was linked before the endpoint existed.
    const clusterId = amrId('mig-pe-amr');
    const log = t.emu.control.requests().map((r) => `${r.method} ${r.path}`);
    const clusterPut = t.emu.control.requests().find((r) => r.method === 'PUT' && /redisEnterprise\/mig-pe-amr$/i.test(r.path))!;
    expect(clusterPut.apiVersion).toBe('2025-07-01');
    expect((clusterPut.body as any).properties.publicNetworkAccess).toBe('Disabled');
    const dbPut = t.emu.control.requests().find((r) => r.method === 'PUT' && /databases\/default$/i.test(r.path))!;
    expect((dbPut.body as any).properties).toMatchObject({ clientProtocol: 'Encrypted', port: 10000, clusteringPolicy: 'EnterpriseCluster' });
    const lastLink = Math.max(...log.map((l, i) => (/^PUT .*privatelink\.redis\.azure\.net\/virtualNetworkLinks\//i.test(l) ? i : -1)));
    const pePut = log.findIndex((l) => /^PUT .*privateEndpoints\/pe-mig-pe-amr-vnet-app$/i.test(l));
    expect(lastLink).toBeGreaterThanOrEqual(0);
    expect(pePut).toBeGreaterThan(lastLink);
    const pe = await t.clients.network(SUB).privateEndpoints.get(RG_NET, 'pe-mig-pe-amr-vnet-app');
    expect(pe.privateLinkServiceConnections?.[0]?.groupIds).toEqual(['redisEnterprise']);
    expectPrivateOnly(clusterId, ['vnet-app'], ['vnet-consumer']);
    expect(sourceWrites('mig-pe')).toEqual([]);

    // Reminders on a durable timer while the cutover waits (migration.cutoverReminderMinutes, default a day).
    host.clock.advance(1440 * 60_000 + 1000);
    await until(async () => ((await host.getStatus(id))?.customStatus as any)?.waitingFor?.reminders === 1);
    const done: any = await throughGates(id);
    expect(done.output).toMatchObject({ status: 'succeeded', phase: 'P5' });
    expect(done.output.decisions.map((d: any) => `${d.gate}:${d.decision}:${d.by}`)).toEqual(['cutover:approve:ops-lead (oid-ops-lead)', 'decommission:approve:change-board (oid-change-board)']);
    // Decommission: the source and its endpoint are gone (the endpoint before the cache); the shared zone stays.
    await expect(t.clients.redis(SUB).redis.get(RG, 'mig-pe')).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.clients.network(SUB).privateEndpoints.get(RG_NET, 'pe-mig-pe-vnet-app')).rejects.toMatchObject({ statusCode: 404 });
    await t.clients.privateDns(SUB).privateZones.get('rg-dns', 'privatelink.redis.cache.windows.net');
    const writes = sourceWrites('mig-pe').map((r) => r.method);
    expect(writes).toEqual(['DELETE']);
    expectPrivateOnly(clusterId, ['vnet-app'], ['vnet-consumer']);
    // The decisions are in the history with the deciders.
    const raised = (await host.history(id)).filter((e) => e.EventType === HistoryEventType.EventRaised).map((e) => JSON.parse(String(e.Input)));
    expect(raised.map((r) => r.principal.name)).toEqual(['ops-lead', 'change-board']);
  });

  it('VNet-injected Premium -> private AMR reachable from the injected VNet; source untouched until decommission', async () => {
    await t.clients.network(SUB).virtualNetworks.createOrUpdate(RG_NET, 'vnet-redis', {
      location: 'westus2',
      addressSpace: { addressPrefixes: ['10.9.0.0/16'] },
      subnets: [{ name: 'redis', addressPrefix: '10.9.1.0/24' }, { name: 'endpoints', addressPrefix: '10.9.2.0/24' }],
    }, POLL);
    const cacheId = await createCache(t.clients, 'mig-vnet', 'Premium', { subnetId: ids.subnet('vnet-redis', 'redis') });
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId, { endpointSubnetIds: [ids.subnet('vnet-redis', 'endpoints')] });
    await waitingOn(id, 'cutover');
    expectPrivateOnly(amrId('mig-vnet-amr'), ['vnet-redis'], ['vnet-consumer']);
    expect(sourceWrites('mig-vnet')).toEqual([]);
    const done: any = await throughGates(id);
    expect(done.output.status).toBe('succeeded');
    expect(done.output.plan.source.vnetInjected).toBe(true);
    await expect(t.clients.redis(SUB).redis.get(RG, 'mig-vnet')).rejects.toMatchObject({ statusCode: 404 });
    expectPrivateOnly(amrId('mig-vnet-amr'), ['vnet-redis'], ['vnet-consumer']);
  });

  it('geo-replicated Premium pair -> two private AMR targets, no unlink before the approved decommission', async () => {
    const primary = await premiumWithEndpoint('mig-geo-p');
    const secondary = await createCache(t.clients, 'mig-geo-s', 'Premium');
    await linkGeoPair(t.clients, primary, secondary, 'westus2');
    t.emu.control.clearRequests();
    host.clock.pause();
    const a = await startMigration(primary);
    const b = await startMigration(secondary);
    await waitingOn(a, 'cutover');
    await waitingOn(b, 'cutover');
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET' && /linkedServers/i.test(r.path))).toEqual([]);
    expect(sourceWrites('mig-geo-p')).toEqual([]);
    expect(sourceWrites('mig-geo-s')).toEqual([]);
    expectPrivateOnly(amrId('mig-geo-p-amr'), ['vnet-app'], ['vnet-consumer']);
    expectPrivateOnly(amrId('mig-geo-s-amr'), ['vnet-app'], ['vnet-consumer']);
    // Both cutovers confirmed, both soaks over (paused clock, advanced), then one decommission after the other.
    await decide(a, 'cutover', 'approve');
    await decide(b, 'cutover', 'approve');
    for (const x of [a, b]) await until(async () => ((await host.getStatus(x))?.customStatus as any)?.phase === 'P4');
    host.clock.advance(SOAK_HOURS * 3600_000 + 1000);
    await waitingOn(a, 'decommission');
    await waitingOn(b, 'decommission');
    await decide(a, 'decommission', 'approve');
    const doneA: any = await host.waitForCompletion(a, { timeoutMs: 120_000 });
    expect(doneA.output.status).toBe('succeeded');
    await decide(b, 'decommission', 'approve');
    host.clock.resume();
    const doneB: any = await host.waitForCompletion(b, { timeoutMs: 120_000 });
    expect(doneB.output.status).toBe('succeeded');
    for (const name of ['mig-geo-p', 'mig-geo-s']) await expect(t.clients.redis(SUB).redis.get(RG, name)).rejects.toMatchObject({ statusCode: 404 });
    // The pair was unlinked once, at the approved decommission.
    expect(t.emu.control.requests().filter((r) => r.method === 'DELETE' && /linkedServers/i.test(r.path) && r.status < 400)).toHaveLength(1);
  });

  it('public Standard cache: validate has no blocking error, so the cutover offers Microsoft\'s switchDns; refused with private endpoints, it falls back to a confirmed cutover and never opens or strips the source', async () => {
    const cacheId = await createCache(t.clients, 'mig-tool', 'Standard');
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId);
    const first = await waitingOn(id, 'cutover');
    expect(first.what).toMatch(/start Microsoft's migration with switchDns/);
    expect(t.emu.control.requests().some((r) => r.method === 'POST' && /migrations\/default\/validate$/.test(r.path))).toBe(true);
    await decide(id, 'cutover', 'approve');
    const second = await until(async () => {
      const w = ((await host.getStatus(id))?.customStatus as any)?.waitingFor;
      return w && /Microsoft's migration refused/.test(w.what) ? w : undefined;
    });
    expect(second.what).toMatch(/EmulatorUnsupported|DNS switch/);
    const done: any = await throughGates(id);
    expect(done.output.status).toBe('succeeded');
    expect(done.output.decisions.map((d: any) => d.gate)).toEqual(['cutover', 'cutover', 'decommission']);
    // The source was never opened nor stripped to satisfy the validator: its only write is the approved delete.
    expect(sourceWrites('mig-tool').map((r) => r.method)).toEqual(['DELETE']);
  });

  it('a rejected cutover removes only what the workflow created; the source stays as it was', async () => {
    const cacheId = await premiumWithEndpoint('mig-rej');
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId);
    await waitingOn(id, 'cutover');
    await decide(id, 'cutover', 'reject');
    host.clock.resume();
    const done: any = await host.waitForCompletion(id, { timeoutMs: 60_000 });
    expect(done.output).toMatchObject({ status: 'refused', rule: 'approval-rejected', phase: 'P3' });
    expect(done.output.message).toMatch(/Removed what this workflow created: private endpoint .*pe-mig-rej-amr-vnet-app, cluster .*mig-rej-amr/);
    await expect(t.clients.network(SUB).privateEndpoints.get(RG_NET, 'pe-mig-rej-amr-vnet-app')).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.clients.redisEnterprise(SUB).redisEnterprise.get(RG, 'mig-rej-amr')).rejects.toMatchObject({ statusCode: 404 });
    expect(sourceWrites('mig-rej')).toEqual([]);
    expect(t.emu.control.connectivity(cacheId, ids.vnet('vnet-app'))).toMatchObject({ resolution: 'private', reachable: true });
  });

  it('a rejected (or timed-out) decommission keeps the source and the target', async () => {
    const cacheId = await premiumWithEndpoint('mig-keep');
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId);
    const done: any = await throughGates(id, 'reject');
    expect(done.output.status).toBe('succeeded');
    expect(done.output.message).toMatch(/decommission was not approved/);
    expect((await t.clients.redis(SUB).redis.get(RG, 'mig-keep')).provisioningState).toBe('Succeeded');
    expect(sourceWrites('mig-keep')).toEqual([]);
    expectPrivateOnly(amrId('mig-keep-amr'), ['vnet-app'], ['vnet-consumer']);
  });

  it('P0: a refused plan writes nothing (target name taken by someone else)', async () => {
    const cacheId = await premiumWithEndpoint('mig-taken');
    await t.clients.redisEnterprise(SUB).redisEnterprise.beginCreateAndWait(RG, 'mig-taken-amr', { location: 'westus2', sku: { name: 'Balanced_B5' } }, POLL);
    t.emu.control.clearRequests();
    const done: any = await host.waitForCompletion(await startMigration(cacheId));
    expect(done.output).toMatchObject({ status: 'refused', rule: 'target-name-taken', phase: 'P0' });
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('P0: refuses a region without Azure Managed Redis and an endpoint subscription without Microsoft.Cache registered, writing nothing', async () => {
    const cacheId = await premiumWithEndpoint('mig-rp');
    t.emu.control.clearRequests();
    const other = '22222222-2222-2222-2222-222222222222';
    setProviderAvailability(t.emu.ctx, { unregistered: [{ subscriptionId: other, namespace: 'Microsoft.Cache' }] });
    const sub2: any = await host.waitForCompletion(await host.startNew(OrchestratorNames.migrateToManagedRedis, { input: { cacheId, policy: policy(), settings: FAST_SETTINGS, endpointSubnetIds: [`/subscriptions/${other}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-x/subnets/pe`] } }));
    expect(sub2.output).toMatchObject({ status: 'refused', rule: 'provider-not-registered' });
    expect(sub2.output.message).toContain(other);
    setProviderAvailability(t.emu.ctx, { unavailable: [{ type: 'Microsoft.Cache/redisEnterprise', location: 'westus2' }] });
    const noAmr: any = await host.waitForCompletion(await startMigration(cacheId));
    expect(noAmr.output).toMatchObject({ status: 'refused', rule: 'region-without-amr' });
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('P0: a read that keeps failing ends the workflow before any write', async () => {
    const cacheId = await premiumWithEndpoint('mig-f0');
    t.emu.control.clearRequests();
    t.emu.control.injectFault({ method: 'GET', pathPattern: 'Redis/mig-f0$', status: 500, code: 'InternalServerError', message: 'Injected read failure', count: 1000 });
    const done: any = await host.waitForCompletion(await startMigration(cacheId), { timeoutMs: 120_000 });
    expect(done.runtimeStatus).toBe('Failed');
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('P5: a failed source delete is reported with what was done; the target still verifies', async () => {
    const cacheId = await premiumWithEndpoint('mig-f5');
    t.emu.control.clearRequests();
    host.clock.pause();
    const id = await startMigration(cacheId);
    await waitingOn(id, 'cutover');
    t.emu.control.injectFault({ method: 'DELETE', pathPattern: 'Redis/mig-f5$', status: 500, code: 'InternalServerError', message: 'Injected delete failure', count: 1000 });
    const done: any = await throughGates(id);
    expect(done.output).toMatchObject({ status: 'failed', phase: 'P5' });
    expect(done.output.message).toMatch(/did not finish [\s\S]*Injected delete failure[\s\S]*done: delete source endpoint pe-mig-f5-vnet-app[\s\S]*still verifies private-only/);
    expectPrivateOnly(amrId('mig-f5-amr'), ['vnet-app'], ['vnet-consumer']);
  });

  it('P1: a failed endpoint removes the tagged cluster and says so; the source is untouched', async () => {
    const cacheId = await premiumWithEndpoint('mig-f1');
    t.emu.control.clearRequests();
    t.emu.control.injectFault({ method: 'PUT', pathPattern: 'privateEndpoints/pe-mig-f1-amr', status: 500, code: 'InternalServerError', message: 'Injected endpoint failure', count: 1000 });
    const done: any = await host.waitForCompletion(await startMigration(cacheId), { timeoutMs: 120_000 });
    expect(done.output).toMatchObject({ status: 'failed', phase: 'P1' });
    expect(done.output.message).toMatch(/Removed what this workflow created: .*cluster .*mig-f1-amr.*The source mig-f1 was not touched/);
    await expect(t.clients.redisEnterprise(SUB).redisEnterprise.get(RG, 'mig-f1-amr')).rejects.toMatchObject({ statusCode: 404 });
    expect(sourceWrites('mig-f1')).toEqual([]);
  });

  it('P2: export-import (Premium) exports to the container and imports; an import failure compensates', async () => {
    const cacheId = await premiumWithEndpoint('mig-f2');
    t.emu.control.clearRequests();
    t.emu.control.failNextOperation({ resourcePattern: 'databases/default/import', code: 'InternalServerError', message: 'Injected import failure', count: 20 });
    const done: any = await host.waitForCompletion(await startMigration(cacheId, { data: 'export-import' }), { timeoutMs: 120_000 });
    expect(done.output).toMatchObject({ status: 'failed', phase: 'P2' });
    const exportReq = t.emu.control.requests().find((r) => r.method === 'POST' && /Redis\/mig-f2\/export$/i.test(r.path));
    expect(exportReq?.body).toMatchObject({ container: 'https://stexport.blob.core.windows.net/redis-export', prefix: 'mig-f2-to-mig-f2-amr' });
    await expect(t.clients.redisEnterprise(SUB).redisEnterprise.get(RG, 'mig-f2-amr')).rejects.toMatchObject({ statusCode: 404 });
    expect(sourceWrites('mig-f2')).toEqual([]);
  });

  it('runbook POST /api/runbooks/migrate: dryRun answers 200 with the plan; a bad body is a 400 naming the field, with no ARM call', async () => {
    const cacheId = await createCache(t.clients, 'mig-http', 'Standard');
    t.emu.control.clearRequests();
    const post = (body: unknown) => fetch(`${host.url}/api/runbooks/migrate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ cacheId, targetSku: 'Premium_P1', data: 'copy' });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as any).error.details.map((d: any) => d.field).sort();
    expect(fields).toEqual(['data', 'targetSku']);
    const enterprise = await post({ cacheId: amrId('some-cluster') });
    expect(enterprise.status).toBe(400);
    expect(t.emu.control.requests()).toEqual([]);
    const plan = await post({ cacheId, dryRun: true, targetSku: 'MemoryOptimized_M10' });
    expect(plan.status).toBe(200);
    const body: any = await plan.json();
    expect(body).toMatchObject({ status: 'planned', plan: { target: { sku: 'MemoryOptimized_M10', publicNetworkAccess: 'Disabled' }, cutover: { path: 'microsoft-tooling-if-valid', toolingBlockers: [] } } });
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('export-import is refused for a Standard source before any write', async () => {
    const cacheId = await createCache(t.clients, 'mig-std', 'Standard');
    t.emu.control.clearRequests();
    const done: any = await host.waitForCompletion(await startMigration(cacheId, { data: 'export-import' }));
    expect(done.output).toMatchObject({ status: 'refused', rule: 'export-import-premium-only' });
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
