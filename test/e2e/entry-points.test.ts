/**
 * The entry points end to end on the embedded host: real Event Grid samples posted to the host's webhook, HTTP
 * runbooks under /api, the compliance sweep; workflows run against the ARM emulator with the real SDK clients.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HistoryEventType, startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { SWEEP_INSTANCE_ID } from '../../src/functions/start-or-signal';
import { OrchestratorNames, cacheInstanceId } from '../../src/orchestrations/names';
import { parsePolicy, type Policy } from '../../src/policy/policy-schema';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const SUB = '11111111-2222-3333-4444-555555555555';
const OTHER_SUB = '99999999-2222-3333-4444-555555555555';
const CACHE_ID = `/subscriptions/${SUB}/resourceGroups/rg-cache-prod/providers/Microsoft.Cache/Redis/redis-contoso-prod`;
const VNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-network-prod/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const SUBNET_ID = `${VNET_ID}/subnets/snet-pe`;
const PE_NAME = 'pe-redis-contoso-prod';
const POLL = { updateIntervalInMs: 5 };

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'eventgrid', name), 'utf8');

function policyFor(overrides: Record<string, unknown> = {}): Policy {
  return parsePolicy({
    scopes: { subscriptions: [SUB] },
    mode: 'enforce',
    dnsZones: { subscriptionId: SUB, resourceGroup: 'rg-network-prod' },
    endpointPlacement: { westus2: { subnetId: SUBNET_ID } },
    onLastEndpointDeleted: 'recreate-endpoint',
    ...overrides,
  });
}

let t: TestEmulator;
let host: LocalHost;
let documents: MemoryDocumentStore;

async function startHost(policy: Policy, env: Record<string, string> = {}): Promise<void> {
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    env: {
      AUTOPILOT_POLICY: JSON.stringify(policy),
      AUTOPILOT_POLL_INTERVAL_SECONDS: '5',
      AUTOPILOT_REQUIRE_PRINCIPAL: 'false',
      AUTOPILOT_ALLOWED_ROLES: '',
      AUTOPILOT_ALLOWED_GROUPS: '',
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: '',
      ...env,
    },
  });
}

beforeEach(async () => {
  t = await startTestEmulator({
    resources: [],
    resourceGroups: ['rg-cache-prod', 'rg-network-prod'].map((name) => ({ subscriptionId: SUB, name, location: 'westus2' })),
  });
  documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents }));
  await t.clients.network(SUB).virtualNetworks.createOrUpdate('rg-network-prod', 'vnet-hub', {
    location: 'westus2',
    addressSpace: { addressPrefixes: ['10.20.0.0/16'] },
    subnets: [{ name: 'snet-pe', addressPrefix: '10.20.1.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
  }, POLL);
  await t.clients.redis(SUB).redis.beginCreateAndWait('rg-cache-prod', 'redis-contoso-prod', {
    location: 'westus2',
    sku: { name: 'Standard', family: 'C', capacity: 1 },
    publicNetworkAccess: 'Enabled',
  }, POLL);
});

afterEach(async () => {
  await host?.stop();
  setDependencies(undefined);
  await t.close();
});

async function addEndpoint(): Promise<void> {
  const id = await host.startNew(OrchestratorNames.addPrivateEndpoint, {
    input: { cacheId: CACHE_ID, subnetId: SUBNET_ID, privateEndpointName: PE_NAME, policy: policyFor(), settings: { cloud: 'AzureCloud', pollIntervalSeconds: 5, operationTimeoutSeconds: 600, activityRetry: { firstRetryIntervalMs: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 2 } } },
  });
  const done = await host.waitForCompletion(id);
  expect(done.output).toMatchObject({ status: 'succeeded' });
}

async function postEvents(body: string, schema: 'eventgrid' | 'cloudevents' = 'eventgrid'): Promise<Response> {
  return fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=eventGridResourceChanged`, {
    method: 'POST',
    headers: schema === 'eventgrid' ? { 'content-type': 'application/json', 'aeg-event-type': 'Notification' } : { 'content-type': 'application/cloudevents-batch+json; charset=utf-8', 'aeg-event-type': 'Notification' },
    body,
  });
}

const remediationId = cacheInstanceId('remediate', CACHE_ID);
const peWrites = () => t.emu.control.requests().filter((r) => r.method === 'PUT' && /privateEndpoints\/[^/]+$/i.test(r.path));

describe('eventGridResourceChanged', () => {
  it.each([
    ['Event Grid schema', 'constructed/pe-delete-success.eventgrid.json', 'eventgrid' as const],
    ['CloudEvents 1.0', 'constructed/pe-delete-success.cloudevents.json', 'cloudevents' as const],
  ])('a deleted last endpoint (%s) ends with the cache reachable again within one workflow', async (_label, file, schema) => {
    await startHost(policyFor());
    await addEndpoint();
    expect(t.emu.control.connectivity(CACHE_ID, 'internet').reachable).toBe(false);
    await t.clients.network(SUB).privateEndpoints.delete('rg-network-prod', PE_NAME, POLL);
    expect(t.emu.control.connectivity(CACHE_ID, VNET_ID).reachable).toBe(false);
    t.emu.control.clearRequests();

    const res = await postEvents(fixture(file), schema);
    expect(res.status).toBeLessThan(300);
    const done = await host.waitForCompletion(remediationId);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toMatchObject({ status: 'succeeded' });
    expect((done.output as any).findings.map((f: any) => f.rule)).toContain('unreachable-no-endpoint');
    expect(t.emu.control.connectivity(CACHE_ID, VNET_ID)).toMatchObject({ resolution: 'private', reachable: true });
    expect(peWrites()).toHaveLength(1);
  });

  it('duplicate and out-of-order deliveries end in one remediation and no extra writes', async () => {
    await startHost(policyFor());
    await addEndpoint();
    await t.clients.network(SUB).privateEndpoints.delete('rg-network-prod', PE_NAME, POLL);
    t.emu.control.clearRequests();

    for (const file of ['constructed/delivery-body-batch-with-duplicate.eventgrid.json', 'constructed/delivery-body-out-of-order.eventgrid.json']) {
      expect((await postEvents(fixture(file))).status).toBeLessThan(300);
    }
    const done = await host.waitForCompletion(remediationId);
    expect(done.output).toMatchObject({ status: 'succeeded' });
    await host.idle();
    expect(peWrites()).toHaveLength(1);
    // Re-check events that predate the state the run read do not make it start over (no continue-as-new).
    expect(done.input).not.toHaveProperty('rechecks');
    const raised = (await host.history(remediationId)).filter((e) => e.EventType === HistoryEventType.EventRaised);
    expect(raised.length).toBeGreaterThan(0);
    const remediations = (await host.listInstances()).filter((i) => i.name === OrchestratorNames.remediateCache);
    expect(remediations).toHaveLength(1);
  });

  it('a deleted DNS zone link starts a compliance sweep that links the zone again', async () => {
    await startHost(policyFor());
    await addEndpoint();
    await t.clients.privateDns(SUB).virtualNetworkLinks.delete('rg-network-prod', 'privatelink.redis.cache.windows.net', 'link-vnet-hub', POLL);
    expect(t.emu.control.connectivity(CACHE_ID, VNET_ID).reachable).toBe(false);

    expect((await postEvents(fixture('constructed/privatednszone-vnetlink-delete-success.eventgrid.json'))).status).toBeLessThan(300);
    const sweep = await host.waitForCompletion(SWEEP_INSTANCE_ID);
    expect(sweep.runtimeStatus).toBe('Completed');
    expect((sweep.output as any).summary.remediated).toBe(1);
    const links = [];
    for await (const l of t.clients.privateDns(SUB).virtualNetworkLinks.list('rg-network-prod', 'privatelink.redis.cache.windows.net')) links.push(l.virtualNetwork?.id);
    expect(links).toEqual([VNET_ID]);
    expect(t.emu.control.connectivity(CACHE_ID, VNET_ID)).toMatchObject({ resolution: 'private', reachable: true });
  });

  it('ignores events for caches outside the policy scopes', async () => {
    await startHost(policyFor({ scopes: { subscriptions: [OTHER_SUB] } }));
    expect((await postEvents(fixture('constructed/redis-write-update-publicnetworkaccess.eventgrid.json'))).status).toBeLessThan(300);
    await host.idle();
    expect(await host.listInstances()).toEqual([]);
  });

  it('acknowledges foreign, failed and malformed events without starting anything', async () => {
    await startHost(policyFor());
    for (const file of ['constructed/noise-deployment-write.eventgrid.json', 'constructed/redis-write-failure.eventgrid.json', 'arm-eventgridschema-resource-write-success.json']) {
      expect((await postEvents(fixture(file))).status).toBeLessThan(300);
    }
    await host.idle();
    expect(await host.listInstances()).toEqual([]);
  });
});

describe('HTTP runbooks', () => {
  const principal = (roles: string[]) =>
    Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: roles.map((r) => ({ typ: 'roles', val: r })), name_typ: 'name', role_typ: 'roles' })).toString('base64');

  it('answers 202 with status URLs, and the operation route shows progress and the result', async () => {
    await startHost(policyFor());
    const res = await fetch(`${host.url}/api/runbooks/add-endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cacheId: CACHE_ID, subnetId: SUBNET_ID }),
    });
    expect(res.status).toBe(202);
    const body: any = await res.json();
    expect(body.id).toBe(cacheInstanceId('httpAddPrivateEndpoint', CACHE_ID));
    expect(body.statusQueryGetUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await host.waitForCompletion(body.id);
    const status: any = await (await fetch(`${host.url}/api/runbooks/operations/${encodeURIComponent(body.id)}`)).json();
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { status: 'succeeded' } });
    expect(status.progress).toMatchObject({ of: 6 });
  });

  it('the remediate runbook shares the per-cache remediation instance with events and sweeps', async () => {
    await startHost(policyFor());
    const res = await fetch(`${host.url}/api/runbooks/remediate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cacheId: CACHE_ID }) });
    expect(res.status).toBe(202);
    const body: any = await res.json();
    expect(body.id).toBe(remediationId);
    expect((await host.waitForCompletion(body.id)).runtimeStatus).toBe('Completed');
  });

  it('dryRun returns the plan and writes nothing', async () => {
    await startHost(policyFor());
    t.emu.control.clearRequests();
    const res = await fetch(`${host.url}/api/runbooks/add-endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cacheId: CACHE_ID, subnetId: SUBNET_ID, dryRun: true }),
    });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.status).toBe('planned');
    expect(body.actions.map((a: any) => a.step)).toEqual(expect.arrayContaining([expect.stringMatching(/^create-private-endpoint /)]));
    expect(t.emu.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('400 names the field and the rule, and nothing reaches Azure', async () => {
    await startHost(policyFor());
    t.emu.control.clearRequests();
    const res = await fetch(`${host.url}/api/runbooks/create-cache`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subscriptionId: SUB, resourceGroup: 'rg-cache-prod', name: 'bad--name', location: 'westus2', sku: { name: 'Standard', capacity: 1 },
        virtualNetwork: { name: 'vnet-x', addressPrefixes: ['10.30.0.0/16'], subnetName: 'snet', subnetAddressPrefix: '10.30.1.0/24' },
      }),
    });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.error.details[0].field).toBe('name');
    expect(body.error.details[0].message).toContain("can't contain consecutive hyphens");
    expect(t.emu.control.requests()).toEqual([]);
    expect(await host.listInstances()).toEqual([]);
  });

  it('401 without a principal, 403 outside the role or the subscription allow-list', async () => {
    await startHost(policyFor(), { AUTOPILOT_REQUIRE_PRINCIPAL: 'true', AUTOPILOT_ALLOWED_ROLES: 'Autopilot.Operator', AUTOPILOT_ALLOWED_SUBSCRIPTIONS: OTHER_SUB });
    const call = (headers: Record<string, string>) =>
      fetch(`${host.url}/api/runbooks/verify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ cacheId: CACHE_ID }) });
    expect((await call({})).status).toBe(401);
    // an anonymous caller learns nothing about the request: 401 even for an invalid body
    const anonymousBad = await fetch(`${host.url}/api/runbooks/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"cacheId":"nope"}' });
    expect(anonymousBad.status).toBe(401);
    expect((await call({ 'x-ms-client-principal': principal(['Reader']) })).status).toBe(403);
    const wrongSub = await call({ 'x-ms-client-principal': principal(['Autopilot.Operator']) });
    expect(wrongSub.status).toBe(403);
    expect(((await wrongSub.json()) as any).error.message).toContain(SUB);
    expect(await host.listInstances()).toEqual([]);
  });

  const bodies: Record<string, unknown> = {
    'add-endpoint': { cacheId: CACHE_ID, subnetId: SUBNET_ID, dryRun: true },
    'remove-endpoint': { cacheId: CACHE_ID, privateEndpointId: `/subscriptions/${SUB}/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateEndpoints/pe-none` },
    'public-access': { cacheId: CACHE_ID, value: 'Enabled' },
    'create-cache': {
      subscriptionId: SUB, resourceGroup: 'rg-cache-prod', name: 'redis-new-1', location: 'westus2', sku: { name: 'Standard', capacity: 1 },
      virtualNetwork: { name: 'vnet-new', addressPrefixes: ['10.40.0.0/16'], subnetName: 'snet-pe', subnetAddressPrefix: '10.40.1.0/24' },
    },
    remediate: { cacheId: CACHE_ID },
    verify: { cacheId: CACHE_ID },
    migrate: { cacheId: CACHE_ID, dryRun: true },
  };

  it.each(Object.keys(bodies))('runbooks/%s answers 202 (200 for a dry-run), 400, 401 and 403', async (route) => {
    await startHost(policyFor(), { AUTOPILOT_REQUIRE_PRINCIPAL: 'true', AUTOPILOT_ALLOWED_ROLES: 'Autopilot.Operator' });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${host.url}/api/runbooks/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const operator = { 'x-ms-client-principal': principal(['Autopilot.Operator']) };
    expect((await post(bodies[route])).status).toBe(401);
    expect((await post(bodies[route], { 'x-ms-client-principal': principal(['Reader']) })).status).toBe(403);
    const bad = await post({ unexpected: true }, operator);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.details.map((d: any) => d.field)).toContain('unexpected');
    const ok = await post(bodies[route], operator);
    expect(ok.status).toBe((bodies[route] as { dryRun?: boolean }).dryRun ? 200 : 202);
    await host.idle();
  });

  it('serves an OpenAPI document listing every registered runbook route', async () => {
    await startHost(policyFor());
    const doc: any = await (await fetch(`${host.url}/api/openapi.json`)).json();
    const documented = Object.keys(doc.paths).map((p) => p.replace(/^\//, ''));
    // the dashboard (an HTML page and the JSON it reads) is not a runbook: docs/operations.md describes it
    const registered = host.functions().filter((f) => f.trigger === 'httpTrigger' && !/^dashboard(\/|$)/.test(String(f.route))).map((f) => f.route);
    expect(documented.sort()).toEqual([...registered].sort());
  });
});
