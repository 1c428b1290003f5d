/**
 * Human gates and maintenance windows end to end: the geo-replication remediation waits for an approve decision
 * (POST /api/runbooks/decisions/{instanceId} on the embedded host, with an App Service principal), a rejection
 * and a timeout leave the pair untouched, and a maintenance window delays the unlink (virtual clock).
 */
import { HistoryEventType, startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { cacheInstanceId } from '../../src/orchestrations/names';
import type { Policy } from '../../src/policy/policy-schema';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ESTATE_RESOURCE_GROUPS, RG, SUB, createCache, createNetworks, linkGeoPair, testPolicy } from '../support/workflow-estate';

let t: TestEmulator;
let host: LocalHost;

const principal = (name: string, roles: string[] = []) =>
  Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'name', val: name }, { typ: 'oid', val: `oid-${name}` }, ...roles.map((r) => ({ typ: 'roles', val: r }))] }),
  ).toString('base64');

async function startHost(policy: Policy, virtualStartTime?: string): Promise<void> {
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    ...(virtualStartTime ? { virtualStartTime } : {}),
    env: {
      AUTOPILOT_POLICY: JSON.stringify(policy),
      AUTOPILOT_POLL_INTERVAL_SECONDS: '5',
      AUTOPILOT_REQUIRE_PRINCIPAL: 'false',
      AUTOPILOT_ALLOWED_ROLES: '',
      AUTOPILOT_ALLOWED_GROUPS: '',
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: '',
    },
  });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${host.url}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

let primary: string;
let secondary: string;

beforeEach(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore(), lroPollIntervalMs: 10 }));
  await createNetworks(t.clients);
  primary = await createCache(t.clients, 'gate-p', 'Premium');
  secondary = await createCache(t.clients, 'gate-s', 'Premium', { location: 'eastus' });
  await linkGeoPair(t.clients, primary, secondary, 'eastus');
  t.emu.control.clearRequests();
});

afterEach(async () => {
  await host?.stop();
  setDependencies(undefined);
  await t.close();
});

const geoWrites = () => t.emu.control.requests().filter((r) => r.method !== 'GET' && /linkedServers/i.test(r.path) && r.status < 400);
const instance = () => cacheInstanceId('remediate', primary);

async function startRemediation(): Promise<void> {
  const r = await post('runbooks/remediate', { cacheId: primary });
  expect(r.status).toBe(202);
}

async function waitingFor(): Promise<any> {
  return until(async () => {
    const s = await host.getStatus(instance());
    return (s?.customStatus as any)?.waitingFor;
  });
}

describe('gate geoUnlink on the geo-replication remediation', () => {
  it('waits for a decision, shows it in the status, and unlinks only once approved; the decider is in the history', async () => {
    await startHost(testPolicy({ approvals: { geoUnlink: { timeoutMinutes: 60, approvers: ['Redis.Approver'] } } }));
    host.clock.pause();
    await startRemediation();
    const pending = await waitingFor();
    expect(pending).toMatchObject({ gate: 'geoUnlink', onTimeout: 'reject', approvers: ['Redis.Approver'], instanceId: instance() });
    expect(pending.what).toMatch(/unlink geo-replication gate-p -> gate-s/);
    expect(Date.parse(pending.timeoutAt) - Date.parse(pending.since)).toBe(60 * 60_000);
    // The operations route shows it too.
    const op: any = await (await fetch(`${host.url}/api/runbooks/operations/${encodeURIComponent(instance())}`)).json();
    expect(op.progress.waitingFor.gate).toBe('geoUnlink');
    expect(geoWrites()).toEqual([]);

    // Wrong gate: 409 naming the gate it waits for; a principal without the approver role: 403; bad body: 400.
    expect(await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'decommission', decision: 'approve' })).toMatchObject({ status: 409, body: { error: { code: 'NoPendingDecision', message: expect.stringContaining("'geoUnlink'") } } });
    expect((await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'geoUnlink', decision: 'approve' }, { 'x-ms-client-principal': principal('mallory') })).status).toBe(403);
    const bad = await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'geoUnlink', decision: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('decision');
    expect((await post('runbooks/decisions/no-such-instance', { gate: 'geoUnlink', decision: 'approve' })).status).toBe(404);

    const ok = await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'geoUnlink', decision: 'approve', comment: 'resync accepted tonight' }, { 'x-ms-client-principal': principal('alice', ['Redis.Approver']) });
    expect(ok.status).toBe(202);
    host.clock.resume();
    const done: any = await host.waitForCompletion(instance(), { timeoutMs: 60_000 });
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(done.output.actions)).toMatch(/decision geoUnlink.*approved by alice/);
    expect(geoWrites().map((r) => r.method)).toEqual(['DELETE', 'PUT']);
    expect((await t.clients.redis(SUB).linkedServer.get(RG, 'gate-p', 'gate-s')).provisioningState).toBe('Succeeded');
    const raised = (await host.history(instance())).find((e) => e.EventType === HistoryEventType.EventRaised && e.Name === 'decision');
    expect(JSON.parse(String(raised?.Input))).toMatchObject({ gate: 'geoUnlink', decision: 'approve', principal: { name: 'alice', id: 'oid-alice' }, comment: 'resync accepted tonight' });
  });

  it('a rejection refuses the remediation: no unlink, the pair stays linked', async () => {
    await startHost(testPolicy({ approvals: { geoUnlink: {} } }));
    host.clock.pause();
    await startRemediation();
    await waitingFor();
    expect((await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'geoUnlink', decision: 'reject', comment: 'not this week' }, { 'x-ms-client-principal': principal('bob') })).status).toBe(202);
    host.clock.resume();
    const done: any = await host.waitForCompletion(instance(), { timeoutMs: 60_000 });
    expect(done.output).toMatchObject({ status: 'refused', rule: 'approval-rejected' });
    expect(done.output.message).toMatch(/rejected by bob.*not this week/);
    expect(geoWrites()).toEqual([]);
    expect(t.emu.control.requests().filter((r) => r.method === 'PUT' && /privateEndpoints\//i.test(r.path))).toEqual([]);
    expect((await t.clients.redis(SUB).linkedServer.get(RG, 'gate-p', 'gate-s')).provisioningState).toBe('Succeeded');
    // Decided already: a second decision is a 409.
    expect((await post(`runbooks/decisions/${encodeURIComponent(instance())}`, { gate: 'geoUnlink', decision: 'approve' })).status).toBe(409);
  });

  it('no decision before the timeout rejects (virtual clock)', async () => {
    await startHost(testPolicy({ approvals: { geoUnlink: { timeoutMinutes: 120 } } }), '2026-12-02T10:00:00Z');
    await startRemediation();
    const done: any = await host.waitForCompletion(instance(), { timeoutMs: 60_000 });
    expect(done.output).toMatchObject({ status: 'refused', rule: 'approval-rejected' });
    expect(done.output.message).toMatch(/rejected by timeout/);
    expect(host.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-02T12:00:00Z'));
    expect(geoWrites()).toEqual([]);
  });
});

describe('gate publicAccessEnable', () => {
  it('enabling public network access waits for approval; a rejection leaves it Disabled', async () => {
    const cacheId = await createCache(t.clients, 'gate-pna', 'Standard', { publicNetworkAccess: 'Disabled' });
    await startHost(testPolicy({ approvals: { publicAccessEnable: {} } }));
    host.clock.pause();
    const id = cacheInstanceId('httpSetPublicNetworkAccess', cacheId);
    expect((await post('runbooks/public-access', { cacheId, value: 'Enabled' })).status).toBe(202);
    const pending = await until(async () => ((await host.getStatus(id))?.customStatus as any)?.waitingFor);
    expect(pending).toMatchObject({ gate: 'publicAccessEnable', what: 'enable public network access on gate-pna' });
    expect((await post(`runbooks/decisions/${encodeURIComponent(id)}`, { gate: 'publicAccessEnable', decision: 'reject' })).status).toBe(202);
    host.clock.resume();
    const done: any = await host.waitForCompletion(id, { timeoutMs: 60_000 });
    expect(done.output).toMatchObject({ status: 'refused', rule: 'approval-rejected' });
    expect((await t.clients.redis(SUB).redis.get(RG, 'gate-pna')).publicNetworkAccess).toBe('Disabled');
  });
});

describe('maintenance windows', () => {
  it('the unlink waits on a durable timer for the next window; the dry-run report says when it will run', async () => {
    // Wednesday 10:00 UTC; the window opens Saturday 02:00 UTC.
    const policy = testPolicy({ maintenanceWindows: [{ days: ['Saturday'], start: '02:00', durationMinutes: 240 }] });
    await startHost(policy, '2026-12-02T10:00:00Z');
    // (Through the host directly: a runbook's dry-run answer waits on the wall clock, which the virtual clock
    // does not advance while an HTTP request is open.)
    const planId = await host.startNew('remediateCacheOrchestrator', { instanceId: 'plan-only', input: { cacheId: primary, policy, settings: { cloud: 'AzureCloud', pollIntervalSeconds: 5, operationTimeoutSeconds: 3600, activityRetry: { firstRetryIntervalMs: 1000, maxNumberOfAttempts: 3, backoffCoefficient: 2 } }, dryRun: true } });
    const plan: any = { body: await host.waitForCompletion(planId) };
    expect(plan.body.output.status).toBe('planned');
    const unlink = plan.body.output.actions.find((a: any) => /^unlink-geo-replication/.test(a.step));
    expect(unlink.detail).toMatch(/next maintenance window, at 2026-12-05T02:00:00.000Z/);

    await startRemediation();
    const done: any = await host.waitForCompletion(instance(), { timeoutMs: 60_000 });
    expect(done.output).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(done.output.actions)).toMatch(/maintenance window geoUnlink.*2026-12-05T02:00:00.000Z/);
    const history = await host.history(instance());
    expect(history.some((e) => e.EventType === HistoryEventType.TimerCreated && e.FireAt === '2026-12-05T02:00:00.000Z')).toBe(true);
    expect(host.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-05T02:00:00Z'));
    expect(geoWrites().map((r) => r.method)).toEqual(['DELETE', 'PUT']);
  });
});
