/**
 * The `autopilot` command line as a user runs it (a child process), against an emulator it starts in-process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const SUB = '11111111-1111-1111-1111-111111111111';
const cache = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-demo-cache/providers/Microsoft.Cache/Redis/${name}`;

let dir: string;
let auditPolicy: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-cli-'));
  auditPolicy = path.join(dir, 'audit.json');
  const demo = JSON.parse(readFileSync(path.join(root, 'examples', 'policy.demo.json'), 'utf8'));
  writeFileSync(auditPolicy, JSON.stringify({ ...demo, mode: 'audit' }));
});

function cli(...args: string[]) {
  const r = spawnSync(tsx, [path.join(root, 'src', 'cli', 'autopilot.ts'), '--state-dir', path.join(dir, 'state'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, AUTOPILOT_POLICY: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('sweep --json prints the documented report schema; --fail-on-findings exits 3', () => {
  const r = cli('--emulator', '--policy', auditPolicy, '--json', '--fail-on-findings', 'sweep');
  expect(r.code).toBe(3);
  const report = JSON.parse(r.stdout);
  expect(report.summary).toMatchObject({ caches: 9, compliant: 1, nonCompliant: 8, failed: 0 });
  for (const c of report.caches) {
    expect(c).toEqual(expect.objectContaining({ id: expect.any(String), tier: expect.any(String), compliant: expect.any(Boolean), findings: expect.any(Array), actions: expect.any(Array) }));
    for (const f of c.findings) expect(Object.keys(f).sort()).toEqual(['message', 'rule', 'severity']);
    for (const a of c.actions) expect(Object.keys(a).sort()).toEqual(['status', 'step']);
  }
  expect(r.stderr).toMatch(/sweep \[\d\/3\]/);
  // the report is kept and `report` prints it as a table
  const again = cli('report');
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/CACHE\s+TIER\s+COMPLIANT/);
  expect(again.stdout).toContain('demo-premium-orphaned');
});

it('verify answers for one cache and exits 0; add-endpoint is refused with the documented reason and exits 1', () => {
  const v = cli('--emulator', '--policy', auditPolicy, '--json', 'verify', cache('demo-premium-clustered'));
  expect(v.code).toBe(0);
  expect(JSON.parse(v.stdout).caches[0]).toMatchObject({ id: expect.stringContaining('demo-premium-clustered'), status: 'succeeded' });

  const a = cli('--emulator', '--policy', auditPolicy, 'add-endpoint', '--cache', cache('demo-premium-vnet'));
  expect(a.code).toBe(1);
  expect(a.stderr).toContain("Private endpoints can't be used with your cache instance if your cache is already a VNet injected cache.");
});

it('add-endpoint --dry-run plans without writing; a bad policy exits 2 naming the path', () => {
  const d = cli('--emulator', '--policy', auditPolicy, '--dry-run', 'add-endpoint', '--cache', cache('demo-basic-public'));
  expect(d.code).toBe(0);
  expect(d.stderr).toMatch(/planned: Dry-run/);
  expect(d.stdout).toMatch(/create-private-endpoint:planned/);

  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ scopes: { subscriptions: ['not-a-guid'] }, mode: 'sometimes' }));
  const b = cli('--emulator', '--policy', bad, 'sweep');
  expect(b.code).toBe(2);
  expect(b.stderr).toContain('scopes.subscriptions[0]');
  expect(b.stderr).toContain('mode');
});

it('--arm-endpoint drives an emulator started with `npm run emulator`', async () => {
  const emu = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', '0', '--estate', 'emulator/estates/demo.json'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: emu.stdout! }).once('line', (l) => resolve(l.trim()));
      emu.once('exit', (c) => reject(new Error(`emulator exited (${c})`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = cli('--arm-endpoint', url, '--policy', auditPolicy, '--json', 'remediate', cache('demo-basic-public'));
    expect(r.code).toBe(0);
    const entry = JSON.parse(r.stdout).caches[0];
    expect(entry).toMatchObject({ tier: 'Basic', compliant: false, status: 'audited' });
    // the requests went to that emulator (its request log, through its control route)
    const log = (await (await fetch(`${url}/_emulator/requests`)).json()) as any;
    const entries = log.value;
    expect(entries.some((e: any) => /Redis\/demo-basic-public$/i.test(e.path))).toBe(true);
  } finally {
    emu.kill('SIGKILL');
  }
});

it('npm start runs the sweep over the demo estate and prints the report (--once)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', '--once', '--port', '0', '--emulator-port', '0', '--state-dir', path.join(dir, 'start')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, AUTOPILOT_POLICY: '' },
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^# Private Link compliance sweep sweep-/);
  expect(r.stdout).toMatch(/\| 9 \| \d+ \| \d+ \| \d+ \| 0 \|/);
  expect(r.stderr).toMatch(/Local host: http:\/\/127\.0\.0\.1:\d+/);
  expect(r.stderr).toMatch(/sweep \[\d\/3\]/);
});
