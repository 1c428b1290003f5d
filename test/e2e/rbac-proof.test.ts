/**
 * Least privilege, proven: every ARM request the product's workflows and entry points send (as the emulator logged
 * them) is mapped to the RBAC actions it needs; that set must equal infra/role-actions.json, which the Bicep
 * custom role loads. Nothing missing (the workflows would fail in Azure), nothing extra (more than they need).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { OrchestratorNames } from '../../src/orchestrations/names';
import { SWEEP_INSTANCE_ID } from '../../src/functions/timer-compliance-sweep';
import { parsePolicy } from '../../src/policy/policy-schema';
import { rbacActionsForAll } from '../support/rbac-actions';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const root = path.join(__dirname, '..', '..');
const SUB = '11111111-1111-1111-1111-111111111111';
const RG_NET = `/subscriptions/${SUB}/resourceGroups/rg-demo-network/providers/Microsoft.Network`;
const cache = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-demo-cache/providers/Microsoft.Cache/Redis/${name}`;
const ENTERPRISE = `/subscriptions/${SUB}/resourceGroups/rg-demo-cache/providers/Microsoft.Cache/redisEnterprise/demo-enterprise`;
const roleActions: string[] = JSON.parse(readFileSync(path.join(root, 'infra', 'role-actions.json'), 'utf8')).actions;

let t: TestEmulator;
let host: LocalHost;
const seen: Array<{ method: string; path: string; body?: unknown }> = [];

const collect = () => {
  seen.push(...t.emu.control.requests().map((r) => ({ method: r.method, path: r.path, body: r.body })));
  t.emu.control.clearRequests();
};

beforeAll(async () => {
  t = await startTestEmulator(path.join(root, 'emulator', 'estates', 'demo.json'));
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore() }));
  const policy = parsePolicy({
    ...JSON.parse(readFileSync(path.join(root, 'examples', 'policy.demo.json'), 'utf8')),
    connectionApproval: { mode: 'approve-listed', subscriptions: [SUB] },
    onLastEndpointDeleted: 'enable-public-access',
  });
  host = await startLocalHost({ clock: 'virtual', enableTimers: false, env: { AUTOPILOT_POLICY: JSON.stringify(policy), AUTOPILOT_POLL_INTERVAL_SECONDS: '5' } });
  t.emu.control.clearRequests();
});

afterAll(async () => {
  await host.stop();
  setDependencies(undefined);
  await t.close();
});

async function run(name: string, input: Record<string, unknown>): Promise<any> {
  const policy = JSON.parse(process.env.AUTOPILOT_POLICY!);
  const settings = { cloud: 'AzureCloud', pollIntervalSeconds: 5, operationTimeoutSeconds: 600, activityRetry: { firstRetryIntervalMs: 1000, maxNumberOfAttempts: 3, backoffCoefficient: 2 } };
  const done = await host.waitForCompletion(await host.startNew(name, { input: { policy, settings, ...input } }));
  expect(done.runtimeStatus).toBe('Completed');
  collect();
  if ((done.output as any)?.status === 'refused') throw new Error(`${name} refused: ${(done.output as any).message}`);
  return done.output;
}

it('the role grants exactly the actions the workflows use', async () => {
  // the sweep (Resource Graph, snapshots, endpoints for Basic/Standard/Premium/Enterprise, geo unlink/relink, PATCH)
  await host.runFunction('timerComplianceSweep');
  expect((await host.waitForCompletion(SWEEP_INSTANCE_ID, { timeoutMs: 120_000 })).runtimeStatus).toBe('Completed');
  collect();
  // a pending connection from a listed subscription (set up by "someone else": not counted), then its review
  await t.clients.network(SUB).privateEndpoints.createOrUpdate('rg-demo-network', 'pe-manual', {
    location: 'eastus',
    subnet: { id: `${RG_NET}/virtualNetworks/vnet-app-eastus/subnets/snet-pe` },
    manualPrivateLinkServiceConnections: [{ name: 'pe-manual', privateLinkServiceId: cache('demo-premium-clustered').replace('demo-premium-clustered', 'demo-std-pe-public'), groupIds: ['redisCache'] }],
  }, { updateIntervalInMs: 5 });
  await t.clients.network(SUB).privateEndpoints.createOrUpdate('rg-demo-network', 'pe-manual-ent', {
    location: 'eastus',
    subnet: { id: `${RG_NET}/virtualNetworks/vnet-app-eastus/subnets/snet-pe` },
    manualPrivateLinkServiceConnections: [{ name: 'pe-manual-ent', privateLinkServiceId: ENTERPRISE, groupIds: ['redisEnterprise'] }],
  }, { updateIntervalInMs: 5 });
  // an endpoint subnet whose private endpoint network policies are still on, with an NSG and a route table
  await t.clients.network(SUB).subnets.createOrUpdate('rg-demo-network', 'vnet-app-eastus', 'snet-pe2', {
    addressPrefix: '10.10.9.0/24',
    privateEndpointNetworkPolicies: 'Enabled',
    networkSecurityGroup: { id: `${RG_NET}/networkSecurityGroups/nsg-pe` },
    routeTable: { id: `${RG_NET}/routeTables/rt-pe` },
  }, { updateIntervalInMs: 5 });
  t.emu.control.clearRequests();
  expect((await run(OrchestratorNames.reviewConnections, { cacheId: cache('demo-std-pe-public') })).status).toBe('succeeded');
  expect((await run(OrchestratorNames.reviewConnections, { cacheId: ENTERPRISE })).status).toBe('succeeded');
  expect((await run(OrchestratorNames.addPrivateEndpoint, { cacheId: cache('demo-basic-public'), subnetId: `${RG_NET}/virtualNetworks/vnet-app-eastus/subnets/snet-pe2` })).status).toBe('succeeded');
  // verify, public access, remove the last endpoint, create a cache with its endpoint
  await run(OrchestratorNames.verifyCache, { cacheId: cache('demo-basic-public') });
  await run(OrchestratorNames.setPublicNetworkAccess, { cacheId: cache('demo-basic-public'), value: 'Enabled' });
  expect((await run(OrchestratorNames.removePrivateEndpoint, {
    cacheId: cache('demo-geo-secondary'),
    privateEndpointId: `${RG_NET}/privateEndpoints/pe-demo-geo-secondary-vnet-app-westus`,
  })).status).toBe('succeeded');
  expect((await run(OrchestratorNames.createCacheWithPrivateEndpoint, {
    cache: { cacheId: cache('demo-new'), location: 'eastus', sku: { name: 'Standard', family: 'C', capacity: 1 } },
    virtualNetwork: { virtualNetworkId: `${RG_NET}/virtualNetworks/vnet-new`, addressPrefixes: ['10.50.0.0/16'], subnetName: 'snet-pe', subnetAddressPrefix: '10.50.1.0/24' },
  })).status).toBe('succeeded');

  const used = rbacActionsForAll(seen);
  const granted = [...roleActions].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const missing = used.filter((a) => !lower(granted).has(a.toLowerCase()));
  const extra = granted.filter((a) => !lower(used).has(a.toLowerCase()));
  expect({ missing, extra }).toEqual({ missing: [], extra: [] });
});
