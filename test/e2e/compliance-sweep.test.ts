/**
 * The compliance sweep over the demo estate (the one `npm start` uses): Resource Graph inventory, per-cache
 * evaluation and remediation, the report; started by the timer trigger as in Azure.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { parsePolicy, type Policy } from '../../src/policy/policy-schema';
import { SWEEP_INSTANCE_ID } from '../../src/functions/timer-compliance-sweep';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const root = path.join(__dirname, '..', '..');
const demoPolicy = JSON.parse(readFileSync(path.join(root, 'examples', 'policy.demo.json'), 'utf8'));

let t: TestEmulator;
let host: LocalHost;
let documents: MemoryDocumentStore;

async function start(policy: Policy, virtualStartTime?: string): Promise<void> {
  t = await startTestEmulator(path.join(root, 'emulator', 'estates', 'demo.json'));
  documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents }));
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    ...(virtualStartTime ? { virtualStartTime } : {}),
    env: { AUTOPILOT_POLICY: JSON.stringify(policy), AUTOPILOT_POLL_INTERVAL_SECONDS: '5' },
  });
}

afterEach(async () => {
  await host?.stop();
  setDependencies(undefined);
  await t.close();
});

async function sweep(): Promise<any> {
  await host.runFunction('timerComplianceSweep');
  const done = await host.waitForCompletion(SWEEP_INSTANCE_ID, { timeoutMs: 120_000 });
  expect(done.runtimeStatus).toBe('Completed');
  const out = done.output as { sweepId: string; summary: unknown };
  const report = JSON.parse((await documents.read(`reports/${out.sweepId}.json`))!);
  expect(report.summary).toEqual(out.summary);
  return report;
}

const byName = (report: any) => Object.fromEntries(report.caches.map((c: any) => [c.id.split('/').pop(), c]));

it('audit mode reports exactly the expected findings of the demo estate and changes nothing', async () => {
  await start(parsePolicy({ ...demoPolicy, mode: 'audit' }));
  t.emu.control.clearRequests();
  const report = await sweep();
  const rules = Object.fromEntries(Object.entries(byName(report)).map(([k, c]: [string, any]) => [k, c.findings.map((f: any) => f.rule).sort()]));
  expect(rules).toEqual({
    'demo-basic-public': ['private-endpoint-missing'],
    'demo-std-pe-public': ['public-access-enabled'],
    'demo-geo-primary': ['private-endpoint-missing'],
    'demo-geo-secondary': ['private-endpoint-missing'],
    'demo-premium-clustered': [],
    'demo-premium-vnet': ['vnet-injected'],
    'demo-premium-orphaned': ['private-endpoint-missing', 'unreachable-no-endpoint'],
    'demo-enterprise': ['private-endpoint-missing'],
    'teamb-cache': ['private-endpoint-missing'],
  });
  expect(report.summary).toEqual({ caches: 9, compliant: 1, nonCompliant: 8, remediated: 0, failed: 0, exempt: 0, compliantBefore: 1 });
  const requests = t.emu.control.requests();
  expect(requests.filter((r) => r.method !== 'GET' && !/ResourceGraph/i.test(r.path))).toEqual([]);
  // triage from Resource Graph: no per-cache ARM read (only one A record list per private DNS zone in use)
  expect(requests.filter((r) => /Microsoft\.Cache\//i.test(r.path))).toEqual([]);
  // the report is written as JSON and Markdown
  const json = JSON.parse((await documents.read(`reports/${report.sweepId}.json`))!);
  expect(json.summary).toEqual(report.summary);
  expect(await documents.read(`reports/${report.sweepId}.md`)).toContain('| 9 | 1 | 8 | 0 | 0 |');
});

it('enforce mode remediates what it can: the orphaned cache is reachable again, the geo pair relinked', async () => {
  await start(parsePolicy(demoPolicy));
  const report = await sweep();
  const c = byName(report);
  expect(report.summary.failed).toBe(0);
  expect(c['demo-premium-orphaned'].status).toBe('succeeded');
  const orphaned = report.caches.find((x: any) => x.id.endsWith('demo-premium-orphaned')).id;
  const vnet = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-demo-network/providers/Microsoft.Network/virtualNetworks/vnet-app-eastus';
  expect(t.emu.control.connectivity(orphaned, vnet)).toMatchObject({ resolution: 'private', reachable: true });
  // geo-replication: endpoint added between unlink and relink, link intact at the end
  const primary = await t.clients.redis('11111111-1111-1111-1111-111111111111').linkedServer.get('rg-demo-cache', 'demo-geo-primary', 'demo-geo-secondary');
  expect(primary.provisioningState).toBe('Succeeded');
  expect(c['demo-geo-primary'].actions.map((a: any) => a.step).join('\n')).toMatch(/create-private-endpoint/);
  // what cannot be fixed automatically stays a manual step
  expect(c['demo-premium-vnet'].actions[0].step).toMatch(/^manual: .*migration guide/);
  // a second sweep finds the remediated caches compliant or only waiting for public access to be disabled
  const again = await sweep();
  expect(again.summary.nonCompliant).toBeLessThan(report.summary.nonCompliant);
});

it('pages through more than 1,000 caches with continue-as-new, each cache reported once, no per-cache ARM call', async () => {
  const demo = JSON.parse(readFileSync(path.join(root, 'emulator', 'estates', 'demo.json'), 'utf8'));
  const template = demo.resources.find((r: any) => r.type === 'Microsoft.Cache/Redis' && r.name === 'demo-basic-public');
  const extra = Array.from({ length: 1200 }, (_, i) => {
    const name = `bulk-${String(i).padStart(4, '0')}`;
    const id = template.id.replace(/demo-basic-public$/, name);
    return { ...template, id, name, properties: { ...template.properties, hostName: `${name}.redis.cache.windows.net`, privateEndpointConnections: [], linkedServers: [] } };
  });
  t = await startTestEmulator({ ...demo, resources: [...demo.resources, ...extra] });
  documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents }));
  const policy = parsePolicy({ ...demoPolicy, mode: 'audit' });
  host = await startLocalHost({ clock: 'virtual', enableTimers: false, env: { AUTOPILOT_POLICY: JSON.stringify(policy) } });
  t.emu.control.clearRequests();
  const report = await sweep();
  expect(report.summary.caches).toBe(1209);
  const ids = report.caches.map((c: any) => c.id.toLowerCase());
  expect(new Set(ids).size).toBe(1209);
  expect(report.caches.filter((c: any) => c.id.includes('/bulk-')).every((c: any) => c.findings.some((f: any) => f.rule === 'private-endpoint-missing'))).toBe(true);
  const status = await host.getStatus(SWEEP_INSTANCE_ID);
  expect((status!.input as any).page).toBe(1); // the last generation handled the second page
  expect(t.emu.control.requests().filter((r) => /Microsoft\.Cache\//i.test(r.path))).toEqual([]);
});

it('every report has the readiness for Azure Managed Redis: retirement date, proposed SKU, tooling blockers, path (orchestration clock)', async () => {
  // 2027-11-01: Basic/Standard/Premium retire 2028-09-30 (334 days: warning); Enterprise retired 2027-03-31.
  await start(parsePolicy({ ...demoPolicy, mode: 'audit' }), '2027-11-01T00:00:00Z');
  const report = await sweep();
  const caches = byName(report);
  expect(caches['demo-basic-public'].readiness).toMatchObject({ tier: 'Basic', retiresOn: '2028-09-30', daysLeft: 334, proposedSku: 'Balanced_B0', toolingBlockers: [], path: 'microsoft-tooling-eligible', notice: { rule: 'retirement-pending', severity: 'warning' } });
  expect(caches['demo-std-pe-public'].readiness).toMatchObject({ toolingBlockers: ['private-endpoint'], path: 'side-by-side-private' });
  expect(caches['demo-geo-primary'].readiness.toolingBlockers).toContain('geo-replication');
  expect(caches['demo-premium-vnet'].readiness).toMatchObject({ toolingBlockers: ['vnet-injection'], path: 'side-by-side-private' });
  // Readiness is a notice: it does not change Private Link compliance.
  expect(caches['demo-premium-clustered'].compliant).toBe(true);
  const markdown = (await documents.read(`reports/${report.sweepId}.md`))!;
  expect(markdown).toMatch(/## Readiness for Azure Managed Redis/);
  expect(markdown).toMatch(/\| demo-premium-vnet \| Premium \| 2028-09-30 \(334 d\) \| warning \| Balanced_B5 \| vnet-injection \| side-by-side-private \|/);
});
