/**
 * The `autopilot` command line as a user runs it (a child process), against an emulator it starts in-process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
  const r = spawnSync(tsx, [path.join(root, 'src', 'local', 'cli.ts'), '--state-dir', path.join(dir, 'state'), ...args], {
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
