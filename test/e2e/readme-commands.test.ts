/**
 * Every command the README shows, executed: the fenced `bash` blocks are extracted, run in order in one shell
 * (variables carry over, as for a reader pasting them) against `npm start` on free ports (its printed
 * `export API=... ARM=...` line sets the URLs), and each command's exit code and key output are checked. A command
 * added to the README later runs too and must exit 0; only the setup commands that would recurse (`npm ci`,
 * `npm start`, `npm test`) and lines with a `<placeholder>` for real Azure are not run, and they are listed here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Commands the test does not run, with why. */
const NOT_RUN: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /^npm ci\b/, why: 'installs dependencies (CI runs it before this suite)' },
  { pattern: /^npm start\b/, why: 'the server these commands run against: started by this test on free ports' },
  { pattern: /^npm test\b/, why: 'this suite itself' },
  { pattern: /<[a-z-]+>/, why: 'a placeholder for real Azure (a subscription id, a policy of yours)' },
];

/** Key output per command (the first pattern whose `when` matches the command). Others: exit 0 only. */
const EXPECT: Array<{ when: RegExp; out: RegExp }> = [
  { when: /runbooks\/verify/, out: /statusQueryGetUri/ },
  { when: /runbooks\/operations\//, out: /"runtimeStatus"/ },
  { when: /runbooks\/add-endpoint.*dryRun/s, out: /VNet injected|vnet-injected/i },
  { when: /runbooks\/public-access.*not-an-id/s, out: /"InvalidRequest".*cacheId/s },
  { when: /_emulator\/connectivity/, out: /"reachable"/ },
  { when: /openapi\.json/, out: /"openapi":\s*"3/ },
  { when: /dashboard\/data/, out: /"report":\{"sweepId"/ },
  { when: /--json sweep/, out: /"summary"/ },
  { when: /autopilot -- .*verify/, out: /Connect to .*:6380/ },
  { when: /autopilot -- .*(sweep|remediate)/, out: /CACHE\s+TIER\s+STATUS\s+BEFORE/ },
];

interface Command {
  text: string;
  skipped?: string;
}

function bashCommands(markdown: string): Command[] {
  const out: Command[] = [];
  for (const m of markdown.matchAll(/```bash\n([\s\S]*?)```/g)) {
    const lines = m[1].split('\n');
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)}${lines[++i]}`;
      const text = line.trim();
      if (!text || text.startsWith('#')) continue;
      const skip = NOT_RUN.find((s) => s.pattern.test(text));
      out.push({ text, ...(skip ? { skipped: skip.why } : {}) });
    }
  }
  return out;
}

let server: ChildProcess | undefined;
let env: { API: string; ARM: string };
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-readme-'));
  server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', '--port', '0', '--emulator-port', '0', '--state-dir', path.join(dir, 'server'), '--quiet'], {
    cwd: root,
    env: { ...process.env, AUTOPILOT_POLICY: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  env = await new Promise((resolve, reject) => {
    let err = '';
    server!.stderr!.on('data', (d) => {
      err += String(d);
      const m = /export API=(\S+) ARM=(\S+)/.exec(err);
      if (m) resolve({ API: m[1], ARM: m[2] });
    });
    server!.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${err}`)));
  });
}, 300_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

it('the README shows commands, and only the known setup and placeholder lines are not run', () => {
  const commands = bashCommands(README);
  expect(commands.length).toBeGreaterThan(10);
  const skipped = commands.filter((c) => c.skipped).map((c) => c.text);
  for (const setup of ['npm ci', 'npm start', 'npm test']) expect(skipped.some((x) => x.startsWith(setup))).toBe(true);
  for (const s of skipped) expect(NOT_RUN.some((n) => n.pattern.test(s))).toBe(true);
});

it('every other README command runs against npm start (free ports) and exits 0 with its key output', () => {
  const commands = bashCommands(README).filter((c) => !c.skipped);
  // One shell, in order; each command's output and exit code go to files.
  const script = ['set -u', `cd ${JSON.stringify(root)}`];
  commands.forEach((c, i) => {
    if (/^[A-Z_][A-Z0-9_]*=[^ ]*$/.test(c.text)) script.push(c.text);
    else script.push(`(\n${c.text}\n) >${dir}/out.${i} 2>${dir}/err.${i} </dev/null; echo $? >${dir}/rc.${i}`);
  });
  writeFileSync(path.join(dir, 'readme.sh'), script.join('\n'));
  const r = spawnSync('bash', [path.join(dir, 'readme.sh')], { env: { ...process.env, ...env, AUTOPILOT_POLICY: '' }, encoding: 'utf8', timeout: 900_000 });
  expect(r.status).toBe(0);
  const failures: string[] = [];
  commands.forEach((c, i) => {
    if (/^[A-Z_][A-Z0-9_]*=[^ ]*$/.test(c.text)) return;
    const rc = Number(readFileSync(path.join(dir, `rc.${i}`), 'utf8'));
    const out = readFileSync(path.join(dir, `out.${i}`), 'utf8');
    const err = readFileSync(path.join(dir, `err.${i}`), 'utf8');
    if (rc !== 0) failures.push(`exit ${rc}: ${c.text}\n${err.slice(-500)}`);
    const expected = EXPECT.find((e) => e.when.test(c.text));
    if (expected && !expected.out.test(out)) failures.push(`output of ${c.text} does not match ${expected.out}:\n${out.slice(0, 500)}`);
  });
  expect(failures).toEqual([]);
}, 900_000);
