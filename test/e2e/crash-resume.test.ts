/**
 * A host process killed (SIGKILL) right after the workflow unlinked passive geo-replication: started again on the
 * same state directory, it resumes the orchestration, adds the endpoint and relinks. Nothing is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ESTATE_RESOURCE_GROUPS, RG, SUB, createCache, createNetworks, linkGeoPair, testPolicy } from '../support/workflow-estate';

const root = path.join(__dirname, '..', '..');
let t: TestEmulator;
let child: ChildProcess | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  await t?.close();
});

function serve(stateDir: string, env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  // One process (node --import tsx), so SIGKILL kills the host itself, not a wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/local/serve.ts', '--app', 'src/index.ts', '--state-dir', stateDir, '--quiet'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (line) => resolve({ proc, url: line.trim() }));
    proc.once('exit', (code) => reject(new Error(`serve exited early (${code})`)));
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('resumes after SIGKILL between unlink and relink and ends with geo-replication linked', async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  await createNetworks(t.clients);
  const primary = await createCache(t.clients, 'crash-primary', 'Premium');
  const secondary = await createCache(t.clients, 'crash-secondary', 'Premium', { location: 'eastus' });
  await linkGeoPair(t.clients, primary, secondary, 'eastus');
  t.emu.control.setSettings({ lroDurationMs: 300 });
  t.emu.control.clearRequests();

  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-crash-'));
  const env = {
    AUTOPILOT_ARM_ENDPOINT: t.emu.url,
    AUTOPILOT_POLICY: JSON.stringify(testPolicy()),
    AUTOPILOT_STATE_DIR: path.join(stateDir, 'docs'),
    AUTOPILOT_POLL_INTERVAL_SECONDS: '1',
    AUTOPILOT_RETRY_FIRST_INTERVAL_MS: '200',
    AUTOPILOT_LRO_POLL_MS: '50',
    AUTOPILOT_REQUIRE_PRINCIPAL: 'false',
  };
  const first = await serve(path.join(stateDir, 'durable'), env);
  child = first.proc;
  const started = await fetch(`${first.url}/api/runbooks/add-endpoint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cacheId: primary, subnetId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/endpoints`, geoReplication: 'unlink-and-relink' }),
  });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };

  // Kill the host the moment the unlink reached Azure.
  await until('the unlink', () => t.emu.control.requests().some((r) => r.method === 'DELETE' && /linkedServers\/crash-secondary$/i.test(r.path)));
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));
  expect(t.emu.control.requests().some((r) => r.method === 'PUT' && /privateEndpoints\//i.test(r.path))).toBe(false);

  const second = await serve(path.join(stateDir, 'durable'), env);
  child = second.proc;
  const status = await until('completion', async () => {
    const s: any = await (await fetch(`${second.url}/api/runbooks/operations/${encodeURIComponent(id)}`)).json();
    return ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
  }, 180_000);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output.status).toBe('succeeded');
  const link = await t.clients.redis(SUB).linkedServer.get(RG, 'crash-primary', 'crash-secondary');
  expect(link.provisioningState).toBe('Succeeded');
  const pePuts = t.emu.control.requests().filter((r) => r.method === 'PUT' && /privateEndpoints\/[^/]+$/i.test(r.path));
  expect(pePuts).toHaveLength(1);
  const unlinks = t.emu.control.requests().filter((r) => r.method === 'DELETE' && /linkedServers/i.test(r.path));
  expect(unlinks).toHaveLength(1);
  // the unlink record (tag) is gone once relinked
  expect((await t.clients.redis(SUB).redis.get(RG, 'crash-primary')).tags?.['privatelink-autopilot-geo-unlinked']).toBeUndefined();
  // Two process starts (tsx compiles the app each time, 15+ s on a loaded machine) dominate: a hang guard, not a
  // timing assertion.
}, 240_000);
