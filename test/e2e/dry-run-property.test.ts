/**
 * Property (issue #9): any runbook or CLI command with dry run -> 0 ARM writes in the emulator's request log.
 * Runbooks are called over HTTP on the embedded host (the app's own triggers); CLI commands run as child processes
 * against the same emulator. Every ARM write is also set to fail, so even an attempted write would show.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { OrchestratorNames } from '../../src/orchestrations/names';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ESTATE_RESOURCE_GROUPS, FAST_SETTINGS, LOCATION, RG, SUB, createCache, createNetworks, ids, linkGeoPair, testPolicy } from '../support/workflow-estate';
import { armWrites, failEveryArmWrite } from '../support/arm-writes';

const root = path.join(__dirname, '..', '..');
let t: TestEmulator;
let host: LocalHost;
let dir: string;
const policy = testPolicy();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dry-run-property-'));
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore(), lroPollIntervalMs: 10 }));
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    env: {
      AUTOPILOT_POLICY: JSON.stringify(policy),
      AUTOPILOT_AUTH: 'disabled',
      AUTOPILOT_REQUIRE_PRINCIPAL: 'false',
      AUTOPILOT_ALLOWED_ROLES: '',
      AUTOPILOT_ALLOWED_GROUPS: '',
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: '',
      AUTOPILOT_POLL_INTERVAL_SECONDS: '5',
    },
  });
  await createNetworks(t.clients);
  await createCache(t.clients, 'prop-std', 'Standard');
  await createCache(t.clients, 'prop-basic', 'Basic');
  const pe = await createCache(t.clients, 'prop-pe', 'Premium');
  const added = await host.waitForCompletion(await host.startNew(OrchestratorNames.addPrivateEndpoint, { input: { cacheId: pe, policy, settings: FAST_SETTINGS } }));
  expect(added.output).toMatchObject({ status: 'succeeded' });
  const p = await createCache(t.clients, 'prop-geo-p', 'Premium');
  const s = await createCache(t.clients, 'prop-geo-s', 'Premium', { location: 'eastus' });
  await linkGeoPair(t.clients, p, s, 'eastus');
  failEveryArmWrite(t.emu.control);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  setDependencies(undefined);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cacheNames = ['prop-std', 'prop-basic', 'prop-pe', 'prop-geo-p', 'prop-geo-s', 'prop-missing'];
const cacheArb = fc.constantFrom(...cacheNames).map((n) => ids.cache(n));
const subnetArb = fc.constantFrom(ids.subnet('vnet-app', 'endpoints'), ids.subnet('vnet-consumer', 'endpoints'), ids.subnet('vnet-app', 'absent'), ids.subnet('vnet-absent', 'endpoints'));
const endpointArb = fc.constantFrom(ids.pe('pe-prop-pe-vnet-app'), ids.pe('pe-absent'));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const runbookArb = fc.oneof(
  fc.record({ route: fc.constant('add-endpoint'), body: fc.record({ cacheId: cacheArb, subnetId: opt(subnetArb), privateEndpointName: opt(fc.constantFrom('pe-a', 'pe-prop-pe-vnet-app')), geoReplication: opt(fc.constantFrom('manual', 'unlink-and-relink')), publicNetworkAccess: opt(fc.constantFrom('Enabled', 'Disabled')) }, { requiredKeys: ['cacheId'] }) }),
  fc.record({ route: fc.constant('remove-endpoint'), body: fc.record({ cacheId: cacheArb, privateEndpointId: endpointArb, acceptDataLoss: opt(fc.boolean()) }, { requiredKeys: ['cacheId', 'privateEndpointId'] }) }),
  fc.record({ route: fc.constant('public-access'), body: fc.record({ cacheId: cacheArb, value: fc.constantFrom('Enabled', 'Disabled'), force: opt(fc.boolean()) }, { requiredKeys: ['cacheId', 'value'] }) }),
  fc.record({ route: fc.constant('remediate'), body: fc.record({ cacheId: cacheArb }) }),
  fc.record({
    route: fc.constant('create-cache'),
    body: fc.record({
      subscriptionId: fc.constant(SUB),
      resourceGroup: fc.constant(RG),
      name: fc.constantFrom('prop-std', 'prop-pe', 'prop-new'),
      location: fc.constantFrom(LOCATION, 'eastus'),
      sku: fc.record({ name: fc.constantFrom('Standard', 'Premium'), capacity: fc.constantFrom(1, 2) }),
      virtualNetwork: fc.record({ name: fc.constantFrom('vnet-app', 'vnet-prop-new'), addressPrefixes: fc.constant(['10.9.0.0/16']), subnetName: fc.constantFrom('endpoints', 'other'), subnetAddressPrefix: fc.constant('10.9.1.0/24') }),
    }),
  }),
);

it('any runbook with dryRun: true -> 2xx/4xx, never 5xx, and 0 ARM writes', async () => {
  await fc.assert(
    fc.asyncProperty(runbookArb, async ({ route, body }) => {
      t.emu.control.clearRequests();
      const res = await fetch(`${host.url}/api/runbooks/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, dryRun: true }) });
      const text = await res.text();
      expect(res.status).toBeLessThan(500);
      if (res.status === 200) {
        const out = JSON.parse(text);
        expect(['planned', 'refused', 'no-change', 'audited']).toContain(out.status);
      }
      await host.idle({ timeoutMs: 30_000 });
      expect(armWrites(t.emu.control.requests())).toEqual([]);
    }),
    { numRuns: 30 },
  );
}, 180_000);

// ------------------------------------------------------------------------------------------------ the CLI

/** The CLI entry as package.json's `autopilot` script names it (it may move). */
function cliEntry(): string {
  const script: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.autopilot;
  return path.join(root, script.replace(/^tsx\s+/, '').trim());
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [cliEntry(), ...args], { cwd: root, env: { ...process.env, AUTOPILOT_POLICY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cliArb = fc.oneof(
  fc.record({ cmd: fc.constant(['sweep']) }),
  fc.record({ cmd: cacheArb.map((c) => ['remediate', c]) }),
  fc.record({ cmd: fc.tuple(cacheArb, opt(subnetArb)).map(([c, s]) => ['add-endpoint', '--cache', c, ...(s ? ['--subnet', s] : []), '--unlink-geo-replication']) }),
  fc.record({ cmd: fc.tuple(cacheArb, endpointArb).map(([c, e]) => ['remove-endpoint', '--cache', c, '--endpoint', e, '--accept-data-loss']) }),
  fc.record({ cmd: fc.tuple(cacheArb, fc.constantFrom('Enabled', 'Disabled'), fc.boolean()).map(([c, v, f]) => ['public-access', '--cache', c, '--value', v, ...(f ? ['--force'] : [])]) }),
);

it('any CLI command with --dry-run -> 0 ARM writes (child processes against the emulator)', async () => {
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ ...policy, mode: 'enforce' }));
  let n = 0;
  await fc.assert(
    fc.asyncProperty(cliArb, async ({ cmd }) => {
      t.emu.control.clearRequests();
      const r = await runCli(['--arm-endpoint', t.emu.url, '--policy', policyFile, '--state-dir', path.join(dir, `state-${n++}`), '--dry-run', '--json', ...cmd]);
      expect([0, 1, 3]).toContain(r.code);
      expect(armWrites(t.emu.control.requests())).toEqual([]);
      // it did read Azure (the command ran, it was not refused as bad usage)
      expect(t.emu.control.requests().length).toBeGreaterThan(0);
    }),
    { numRuns: 4 },
  );
}, 240_000);

