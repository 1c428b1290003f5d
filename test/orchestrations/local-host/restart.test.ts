/**
 * Durable state survives the process: a `tsx src/local/serve.ts` child is killed with SIGKILL at points the
 * test controls, restarted on the same state directory, and the orchestration completes with the expected
 * output; work whose completion had been recorded is not redone, work in flight runs again (at-least-once).
 * Also: an in-process host stopped mid-orchestration resumes it in a new host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalHost } from '../../../src/local/host';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CRASH_APP = path.join(__dirname, 'app', 'crash-app.ts');
const TEST_APP = path.join(__dirname, 'app', 'test-app.ts');

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

function serve(stateDir: string, markerDir: string): Promise<Served> {
  const child = spawn('npx', ['tsx', 'src/local/serve.ts', '--app', CRASH_APP, '--state-dir', stateDir, '--clock', 'real'], {
    cwd: ROOT,
    env: { ...process.env, LH_MARKER_DIR: markerDir },
    detached: true, // own process group: npx, tsx and node are killed together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, url: out.slice(0, nl).trim(), stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)} before printing its URL:\n${err}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILL the whole process group of a serve child (npx, tsx, node) and wait until the host process is gone. */
async function killHard(s: Served, stateDir?: string): Promise<void> {
  const hostPid = stateDir ? Number(fs.readFileSync(path.join(stateDir, 'host.lock'), 'utf8').trim()) : undefined;
  await new Promise<void>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      resolve();
      return;
    }
    s.child.once('exit', () => resolve());
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {
      resolve();
    }
  });
  if (hostPid) await until(`process ${hostPid} to exit`, () => !alive(hostPid));
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const runs = (dir: string, step: string): number => {
  const f = path.join(dir, `${step}.runs`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').length : 0;
};

describe('crash and restart', () => {
  let tmp: string;
  const started: Served[] = [];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'local-host-restart-'));
  });

  afterEach(async () => {
    for (const s of started.splice(0)) await killHard(s);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a serve process killed mid-orchestration (twice) resumes it and completes with the same result', async () => {
    const stateDir = path.join(tmp, 'state');
    const markers = path.join(tmp, 'markers');
    fs.mkdirSync(markers);
    fs.writeFileSync(path.join(markers, 'block-b'), '');

    // 1st process: start over HTTP; kill while activity b (inside the sub-orchestration) is running.
    const first = await serve(stateDir, markers);
    started.push(first);
    const start = await fetch(`${first.url}/api/start/CrashSequence/crash-1`, { method: 'POST' });
    expect(start.status).toBe(202);
    await until('activity b to start', () => runs(markers, 'b') === 1);
    await killHard(first, stateDir);
    expect(runs(markers, 'a')).toBe(1);

    // 2nd process: b runs again (it was in flight), then kill while the durable timer is pending.
    fs.rmSync(path.join(markers, 'block-b'));
    const second = await serve(stateDir, markers);
    started.push(second);
    const statusUrl = `${second.url}/runtime/webhooks/durabletask/instances/crash-1`;
    await until('the timer to be pending', async () => {
      const s = (await (await fetch(statusUrl)).json()) as { customStatus?: unknown };
      return s.customStatus === 'waiting-timer';
    });
    await killHard(second, stateDir);
    expect(runs(markers, 'c')).toBe(0);

    // 3rd process: the persisted timer fires, c runs, the instance completes.
    const third = await serve(stateDir, markers);
    started.push(third);
    let final: { runtimeStatus?: string; output?: unknown } = {};
    await until('completion', async () => {
      const res = await fetch(`${third.url}/runtime/webhooks/durabletask/instances/crash-1`);
      final = (await res.json()) as typeof final;
      return res.status === 200;
    });
    expect(final).toMatchObject({ runtimeStatus: 'Completed', output: ['a-done', 'b-done', 'c-done'] });
    expect(runs(markers, 'a')).toBe(1); // completed before the first kill: not re-run
    expect(runs(markers, 'b')).toBe(2); // in flight at the first kill: ran again
    expect(runs(markers, 'c')).toBe(1);
    const child = (await (await fetch(`${third.url}/runtime/webhooks/durabletask/instances/crash-1-child`)).json()) as {
      runtimeStatus: string;
      output: unknown;
    };
    expect(child).toMatchObject({ runtimeStatus: 'Completed', output: 'b-done' });
    expect(third.stderr()).toContain('unfinished');
  }, 90_000);

  test('an in-process host stopped mid-orchestration resumes it in a new host on the same state directory', async () => {
    const stateDir = path.join(tmp, 'state');
    const first = await startLocalHost({ appModule: TEST_APP, stateDir, clock: 'virtual' });
    const id = await first.startNew('WaitForApproval', { instanceId: 'resume-1' });
    await until('the instance to wait', async () => (await first.getStatus(id))?.runtimeStatus === 'Running');
    await first.stop();

    const second = await startLocalHost({ appModule: TEST_APP, stateDir, clock: 'virtual' });
    try {
      expect((await second.getStatus(id))?.customStatus).toEqual({ step: 'waiting' });
      await second.raiseEvent(id, 'approval', 'after restart');
      const status = await second.waitForCompletion(id);
      expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'after restart' });
      await expect(startLocalHost({ appModule: TEST_APP, stateDir })).rejects.toThrow(/already used by another local host/);
    } finally {
      await second.stop();
    }
  });
});
