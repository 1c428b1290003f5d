/**
 * Dry run is a type: every registered orchestrator is called in dry-run mode against an estate where EVERY ARM
 * write the emulator could receive (PUT, PATCH, DELETE, and POST other than Resource Graph queries) is set to fail.
 * The request log must show no write at all: not a failed one, not a retried one. The plans they answer with are
 * the ones an executed run would follow (same planning code), and the executor refuses a dry-run plan outright.
 */
import { ORCHESTRATORS } from '../../src/orchestrations';
import { OrchestratorNames } from '../../src/orchestrations/names';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { FAST_SETTINGS, LOCATION, RG, SUB, createCache, createNetworks, ids, linkGeoPair, testPolicy } from '../support/workflow-estate';
import { armWrites, failEveryArmWrite } from '../support/arm-writes';

let h: WorkflowHarness;
const covered = new Set<string>();

beforeAll(async () => {
  h = await startWorkflowHarness();
  await createNetworks(h.clients);
  await createCache(h.clients, 'dry-std', 'Standard');
  const withEndpoint = await createCache(h.clients, 'dry-pe', 'Standard');
  const added = await h.run(OrchestratorNames.addPrivateEndpoint, { cacheId: withEndpoint, policy: testPolicy(), settings: FAST_SETTINGS });
  expect(added.output).toMatchObject({ status: 'succeeded', publicNetworkAccess: 'Disabled' });
  const primary = await createCache(h.clients, 'dry-geo-p', 'Premium');
  const secondary = await createCache(h.clients, 'dry-geo-s', 'Premium', { location: 'eastus' });
  await linkGeoPair(h.clients, primary, secondary, 'eastus');
  // a pending (manual) connection for reviewConnections
  await h.clients.network(SUB).privateEndpoints.createOrUpdate('rg-net', 'pe-dry-manual', {
    location: LOCATION,
    subnet: { id: ids.subnet('vnet-consumer', 'endpoints') },
    manualPrivateLinkServiceConnections: [{ name: 'pe-dry-manual', privateLinkServiceId: ids.cache('dry-std'), groupIds: ['redisCache'] }],
  }, { updateIntervalInMs: 5 });
  failEveryArmWrite(h.emu.control);
});

beforeEach(() => h.emu.control.clearRequests());

afterEach(() => {
  // The whole point: not one write attempt reached ARM.
  expect(armWrites(h.emu.control.requests())).toEqual([]);
});

afterAll(async () => {
  await h?.close();
});

async function dryRun(name: string, input: Record<string, unknown>): Promise<any> {
  covered.add(name);
  const status = await h.run(name, { policy: testPolicy(), settings: FAST_SETTINGS, ...input, dryRun: true });
  return status;
}

const PE = ids.pe('pe-dry-pe-vnet-app');

it('addPrivateEndpoint: plans subnet, DNS, endpoint and the public access change (geo pair: unlink .. relink)', async () => {
  const std = await dryRun(OrchestratorNames.addPrivateEndpoint, { cacheId: ids.cache('dry-std') });
  expect(std.output).toMatchObject({ status: 'planned', privateEndpointId: ids.pe('pe-dry-std-vnet-app') });
  expect(std.output.actions.map((a: any) => a.step.split(' ')[0])).toEqual(expect.arrayContaining(['ensure-subnet-ready', 'ensure-dns-zone', 'create-private-endpoint', 'set-public-network-access']));
  const geo = await dryRun(OrchestratorNames.addPrivateEndpoint, { cacheId: ids.cache('dry-geo-p') });
  const kinds = geo.output.actions.map((a: any) => a.step.split(' ')[0]);
  expect(kinds.indexOf('unlink-geo-replication')).toBeLessThan(kinds.indexOf('create-private-endpoint'));
  expect(kinds.indexOf('relink-geo-replication')).toBeGreaterThan(kinds.indexOf('create-private-endpoint'));
});

it('removePrivateEndpoint: plans the delete and what onLastEndpointDeleted would do', async () => {
  const r = await dryRun(OrchestratorNames.removePrivateEndpoint, { cacheId: ids.cache('dry-pe'), privateEndpointId: PE });
  expect(r.output).toMatchObject({ status: 'planned' });
  expect(r.output.actions.map((a: any) => a.step).join(' | ')).toContain(`delete-private-endpoint ${PE}`);
  expect((await h.clients.network(SUB).privateEndpoints.get('rg-net', 'pe-dry-pe-vnet-app')).provisioningState).toBe('Succeeded');
});

it('setPublicNetworkAccess: Enabled on a private cache is planned, not written (the reported defect)', async () => {
  const r = await dryRun(OrchestratorNames.setPublicNetworkAccess, { cacheId: ids.cache('dry-pe'), value: 'Enabled' });
  expect(r.output).toMatchObject({ status: 'planned', actions: [{ step: 'set-public-network-access Enabled', status: 'planned' }] });
  expect(r.output.message).toMatch(/nothing was changed/);
  expect((await h.clients.redis(SUB).redis.get(RG, 'dry-pe')).publicNetworkAccess).toBe('Disabled');
  // the lockout guard answers in a dry run as it would for real
  const guarded = await dryRun(OrchestratorNames.setPublicNetworkAccess, { cacheId: ids.cache('dry-std'), value: 'Disabled' });
  expect(guarded.output).toMatchObject({ status: 'refused', rule: 'lockout-guard' });
  const forced = await dryRun(OrchestratorNames.setPublicNetworkAccess, { cacheId: ids.cache('dry-std'), value: 'Disabled', force: true });
  expect(forced.output).toMatchObject({ status: 'planned' });
});

describe('createCacheWithPrivateEndpoint', () => {
  const request = (name: string, sku: 'Standard' | 'Premium', location = LOCATION, vnet = 'vnet-dry-new') => ({
    cache: { cacheId: ids.cache(name), location, sku: { name: sku, family: sku === 'Premium' ? 'P' : 'C', capacity: 1 } },
    virtualNetwork: { virtualNetworkId: ids.vnet(vnet), addressPrefixes: ['10.9.0.0/16'], subnetName: 'endpoints', subnetAddressPrefix: '10.9.1.0/24' },
  });

  it('a new cache: the whole plan (VNet, cache, endpoint, DNS), nothing created', async () => {
    const r = await dryRun(OrchestratorNames.createCacheWithPrivateEndpoint, request('dry-new', 'Premium'));
    expect(r.output).toMatchObject({ status: 'planned', existingCache: false });
    expect(r.output.actions.filter((a: any) => a.status === 'planned').map((a: any) => a.step.split(' ')[0])).toEqual(['create-virtual-network', 'create-cache', 'add-private-endpoint']);
    await expect(h.clients.redis(SUB).redis.get(RG, 'dry-new')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('the name of an existing cache with another SKU or region: refused with the differences, never adopted', async () => {
    const sku = await dryRun(OrchestratorNames.createCacheWithPrivateEndpoint, request('dry-std', 'Premium'));
    expect(sku.output).toMatchObject({ status: 'refused', rule: 'cache-exists-different' });
    expect(sku.output.message).toMatch(/SKU Standard \(requested Premium\)/);
    const region = await dryRun(OrchestratorNames.createCacheWithPrivateEndpoint, request('dry-std', 'Standard', 'eastus'));
    expect(region.output).toMatchObject({ status: 'refused', rule: 'cache-exists-different' });
    expect(region.output.message).toMatch(/region West US 2 \(requested eastus\)/i);
  });

  it('the name of an existing cache with the same SKU and region: reported as existing, not created again', async () => {
    const same = await dryRun(OrchestratorNames.createCacheWithPrivateEndpoint, request('dry-std', 'Standard', LOCATION, 'vnet-app'));
    expect(same.output).toMatchObject({ status: 'planned', existingCache: true });
    expect(same.output.message).toMatch(/exists already/);
    expect(same.output.actions).toEqual(expect.arrayContaining([expect.objectContaining({ step: `create-cache ${ids.cache('dry-std')}`, status: 'skipped' })]));
    const planned = same.output.actions.filter((a: any) => a.status === 'planned').map((a: any) => a.step.split(' ')[0]);
    expect(planned).not.toContain('create-cache');
  });
});

it('remediateCache, reviewConnections, complianceSweep, verifyCache: plans and reports only', async () => {
  const remediation = await dryRun(OrchestratorNames.remediateCache, { cacheId: ids.cache('dry-std') });
  expect(remediation.output).toMatchObject({ status: 'planned' });
  expect(remediation.output.plan.length).toBeGreaterThan(0);
  const review = await dryRun(OrchestratorNames.reviewConnections, {
    cacheId: ids.cache('dry-std'),
    policy: testPolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [SUB] } }),
  });
  expect(review.output).toMatchObject({ status: 'planned', actions: [expect.objectContaining({ status: 'planned' })] });
  const sweep = await dryRun(OrchestratorNames.complianceSweep, {});
  expect(sweep.runtimeStatus).toBe('Completed');
  expect(sweep.output.summary.caches).toBeGreaterThanOrEqual(4);
  expect(sweep.output.summary.remediated).toBe(0);
  const verify = await dryRun(OrchestratorNames.verifyCache, { cacheId: ids.cache('dry-pe') });
  expect(verify.output.status).toBe('succeeded');
});

it('geoReplicationChange (the executor behind the pair lock) refuses a dry-run plan, and so does any plan that is not executable', async () => {
  covered.add(OrchestratorNames.geoReplicationChange);
  const unlink = { kind: 'unlink-geo-replication', cacheId: ids.cache('dry-geo-p'), rule: 'private-endpoint-missing', reason: 'test', primaryCacheId: ids.cache('dry-geo-p'), secondaryCacheId: ids.cache('dry-geo-s') };
  for (const plan of [{ mode: 'dry-run', steps: [unlink] }, { steps: [unlink] }, { mode: 'EXECUTE', steps: [unlink] }, undefined]) {
    const r = await h.run(OrchestratorNames.geoReplicationChange, { settings: FAST_SETTINGS, plan });
    expect(r.runtimeStatus).toBe('Failed');
    expect(String(r.output)).toMatch(/DryRunViolation/);
  }
});

it('migrateToManagedRedis: plans only', async () => {
  const r = await dryRun(OrchestratorNames.migrateToManagedRedis, { cacheId: ids.cache('dry-pe') });
  expect(['Completed', 'Failed']).toContain(r.runtimeStatus);
});

it('every registered orchestrator was called in dry-run mode above', () => {
  expect([...covered].sort()).toEqual(Object.keys(ORCHESTRATORS).sort());
});
