/**
 * The `autopilot` command line as a user runs it (a child process), against an emulator it starts in-process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  expect(again.stdout).toMatch(/CACHE\s+TIER\s+STATUS\s+BEFORE\s+ACTIONS\s+AFTER \(REMAINING\)\s+COMPLIANT/);
  expect(again.stdout).toContain('demo-premium-orphaned');
});

it('verify answers for one cache and exits 0; add-endpoint is refused with the documented reason and exits 1', () => {
  const v = cli('--emulator', '--policy', auditPolicy, '--json', 'verify', cache('demo-premium-clustered'));
  expect(v.code).toBe(0);
  const verified = JSON.parse(v.stdout);
  expect(verified.caches[0]).toMatchObject({ id: expect.stringContaining('demo-premium-clustered'), tier: 'Premium', status: 'succeeded', compliant: true });
  // the verification itself is on stdout (host name, port, IP per endpoint), not only on stderr
  expect(verified.verification).toMatchObject({ hostName: expect.stringContaining('demo-premium-clustered'), port: 6380, endpoints: [expect.objectContaining({ privateIp: expect.any(String), ok: true })] });
  const table = cli('--emulator', '--policy', auditPolicy, 'verify', cache('demo-premium-clustered'));
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/demo-premium-clustered\s+Premium\s+succeeded/);
  expect(table.stdout).toMatch(/Connect to demo-premium-clustered\.redis\.cache\.windows\.net:6380/);

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
  expect(b.stderr.trim().split('\n')).toHaveLength(1);
  expect(b.stderr).toContain(bad);
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

describe('usage errors exit 2 with one line naming the problem, before any work', () => {
  const C = cache('demo-std-pe-public');
  /** The CLI's own entry (in-process: the same parser and checks as the bin, without a process per case). */
  async function run(...args: string[]) {
    const { main } = await import('../../src/cli/autopilot');
    let stderr = '';
    let stdout = '';
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => ((stderr += String(chunk)), true));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => ((stdout += String(chunk)), true));
    const saved = process.env.AUTOPILOT_POLICY;
    process.env.AUTOPILOT_POLICY = '';
    try {
      const code = await main(['node', 'autopilot', '--state-dir', path.join(dir, 'state'), ...args]);
      return { code, stderr, stdout };
    } finally {
      err.mockRestore();
      out.mockRestore();
      process.env.AUTOPILOT_POLICY = saved;
      process.exitCode = undefined;
    }
  }

  it.each([
    [['sweep', '--bogus'], /unknown option '--bogus'/],
    [[], /no command given/],
    [['frob'], /unknown command 'frob'/],
    [['--emulator', 'verify', 'not-an-id'], /<cacheId> is not a valid resource id: .*not-an-id/],
    [['--emulator', 'remediate', '/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Cache/Redis/x'], /not-a-guid/],
    [['--emulator', 'add-endpoint'], /required option '--cache <id>' not specified/],
    [['--emulator', 'add-endpoint', '--cache', C, '--subnet', '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-x'], /--subnet must be a Microsoft.Network\/virtualNetworks\/subnets id/],
    [['--emulator', 'public-access', '--cache', C, '--value', 'disabled'], /argument 'disabled' is invalid. Allowed choices are Enabled, Disabled/],
    [['--policy', 'no-such-policy.json', 'sweep'], /--policy no-such-policy.json: no such file/],
    [['--estate', 'no-such-estate.json', 'sweep'], /--estate no-such-estate.json: no such file/],
    [['--emulator', '--arm-endpoint', 'http://127.0.0.1:1', 'sweep'], /exclude each other/],
  ])('autopilot %j', async (args, message) => {
    const r = await run(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stdout).toBe('');
  });

  it('invalid JSON in the policy names the file; an invalid policy lists every problem on one line', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"mode": "audit",}');
    const r = await run('--policy', broken, 'sweep');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--policy ${broken}: not valid JSON`);
    const bad = path.join(dir, 'bad2.json');
    writeFileSync(bad, JSON.stringify({ scopes: { subscriptions: ['not-a-guid'] }, mode: 'sometimes' }));
    const b = await run('--policy', bad, 'sweep');
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/scopes\.subscriptions\[0\].*; mode/);
  });

  it('--help works on the program and on each command and exits 0', async () => {
    for (const args of [['--help'], ['verify', '--help'], ['add-endpoint', '--help'], ['sweep', '--help'], ['report', '--help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: autopilot/);
    }
    expect((await run('--help')).stdout).toMatch(/--estate <file>/);
  });

  it('the bin itself exits 2 on a usage error (a real process)', () => {
    const r = cli('verify', 'not-an-id');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--emulator takes no value: the next word is the command (README: --emulator verify "$CACHE")', () => {
    const r = cli('--emulator', '--policy', auditPolicy, '--json', 'verify', C);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).caches[0].id).toBe(C);
  });
});

it('emulator runs keep their own state directory: the server state in .autopilot is not touched', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'autopilot-cwd-'));
  const r = spawnSync(tsx, [path.join(root, 'src', 'cli', 'autopilot.ts'), '--emulator', '--policy', auditPolicy, '--quiet', 'sweep'], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, AUTOPILOT_POLICY: '' } });
  expect(r.status).toBe(0);
  expect(existsSync(path.join(cwd, '.autopilot', 'demo', 'reports', 'latest.json'))).toBe(true);
  expect(existsSync(path.join(cwd, '.autopilot', 'reports', 'latest.json'))).toBe(false);
  // `report` without --emulator reads the server's state and says there is none yet
  const rep = spawnSync(tsx, [path.join(root, 'src', 'cli', 'autopilot.ts'), 'report'], { cwd, encoding: 'utf8', timeout: 60_000 });
  expect(rep.status).toBe(2);
  expect(rep.stderr).toMatch(/no report yet in \.autopilot\/reports\/latest\.json/);
});

describe('npm start options', () => {
  const start = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, AUTOPILOT_POLICY: '' } });

  it('--help prints the options (ports documented) and does not start anything', () => {
    const r = start('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--port <n>/);
    expect(r.stdout).toMatch(/--emulator-port <n>/);
    expect(r.stderr).not.toMatch(/ARM emulator|Local host/);
  });

  it('a taken --port exits 2 naming the flag instead of an EADDRINUSE stack', async () => {
    const net = await import('node:net');
    const srv = net.createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const taken = (srv.address() as { port: number }).port;
    try {
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', '--once', '--port', String(taken), '--emulator-port', '0'], { cwd: root, env: { ...process.env, AUTOPILOT_POLICY: '' } });
        let stderr = '';
        p.stderr.on('data', (d) => (stderr += d));
        p.on('exit', (status) => resolve({ status, stderr }));
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`npm start: --port ${taken}: port ${taken} on 127.0.0.1 is in use; pass another (--port 0 picks a free one)`);
    } finally {
      srv.close();
    }
  });

  it('a bad policy file exits 2 with the file named', () => {
    const r = start('--once', '--policy', 'nope.json');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('npm start: --policy nope.json: no such file');
  });
});
