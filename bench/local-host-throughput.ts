/**
 * 2. The embedded Functions + Durable host (src/local/host), with a small app of its own (bench/apps):
 *  - orchestrations/s of a 3-activity orchestration, state in memory and in a state directory (one JSON file
 *    per instance, written as the host persists each episode);
 *  - one orchestration fanning out to 1,000 activities.
 * The real durable-functions replay engine runs every episode; no ARM call is involved.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalHost, type LocalHost } from '../src/local/host';
import { BenchFunctions, fanOutResult, registerBenchApp, threeStepsResult } from './apps/bench-app';
import { Recorder, progress } from './lib/report';
import { now, round, withTimeout } from './lib/stats';

const WARMUP = 20;
const IN_MEMORY = 1_000;
const WITH_STATE_DIR = 500;
const FAN_OUT = 1_000;

async function startHost(stateDir?: string): Promise<LocalHost> {
  return startLocalHost({ load: registerBenchApp, clock: 'virtual', enableTimers: false, ...(stateDir ? { stateDir } : {}) });
}

/**
 * Starts `count` BenchThreeSteps instances at once, waits until the host is idle, then checks every output.
 * (One `idle()` wait rather than `count` waitForCompletion listeners, which would measure the listeners.)
 */
async function throughput(host: LocalHost, count: number, prefix: string): Promise<number> {
  const started = now();
  for (let i = 0; i < count; i++) await host.startNew(BenchFunctions.threeSteps, { instanceId: `${prefix}-${i}`, input: i });
  await host.idle({ timeoutMs: 60_000 });
  const seconds = (now() - started) / 1000;
  for (let i = 0; i < count; i++) {
    const status = await host.getStatus(`${prefix}-${i}`);
    if (status?.runtimeStatus !== 'Completed' || status.output !== threeStepsResult(i)) {
      throw new Error(`${prefix}-${i} ended ${status?.runtimeStatus} with ${JSON.stringify(status?.output)}`);
    }
  }
  return round(count / seconds);
}

export async function run(): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();

  // In memory.
  let host = await startHost();
  try {
    await throughput(host, WARMUP, 'warmup');
    const mem = await withTimeout(throughput(host, IN_MEMORY, 'mem'), 60_000, 'in-memory orchestrations');
    rec.figure('host.memory.perSecond', `3-activity orchestrations/s, in memory (${IN_MEMORY} started at once)`, mem, 'orch/s');
    progress(`in memory: ${mem} orchestrations/s`);

    // Fan-out of 1,000 activities.
    const t0 = now();
    const id = await host.startNew(BenchFunctions.fanOut, { instanceId: 'fan-out', input: FAN_OUT });
    const status = await host.waitForCompletion(id, { timeoutMs: 60_000 });
    const fanOutMs = now() - t0;
    if (status.runtimeStatus !== 'Completed' || status.output !== fanOutResult(FAN_OUT)) {
      throw new Error(`fan-out ended ${status.runtimeStatus} with ${JSON.stringify(status.output)}`);
    }
    const episodes = (await host.history(id)).filter((e) => e.EventType === 12).length;
    rec.figure('host.fanOut.ms', `fan-out of ${FAN_OUT.toLocaleString('en-US')} activities, start to completion`, round(fanOutMs), 'ms');
    rec.figure('host.fanOut.activitiesPerSecond', 'fan-out activities/s', round(FAN_OUT / (fanOutMs / 1000)), 'act/s');
    rec.figure('host.fanOut.episodes', 'fan-out orchestrator episodes (replays)', episodes, 'episodes');
    progress(`fan-out of ${FAN_OUT}: ${round(fanOutMs)} ms, ${episodes} episodes`);
    rec.check('host.memory.perSecond', '3-activity orchestrations/s, in memory', mem, '>=', 300, 'orch/s');
    rec.check('host.fanOut.ms', `fan-out of ${FAN_OUT.toLocaleString('en-US')} activities`, round(fanOutMs), '<=', 3_000, 'ms');
  } finally {
    await host.stop();
  }

  // With a state directory.
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-bench-state-'));
  try {
    host = await startHost(stateDir);
    try {
      await throughput(host, WARMUP, 'warmup');
      const disk = await withTimeout(throughput(host, WITH_STATE_DIR, 'disk'), 60_000, 'orchestrations with a state directory');
      rec.figure('host.stateDir.perSecond', `3-activity orchestrations/s, state directory (${WITH_STATE_DIR} started at once)`, disk, 'orch/s');
      const instances = path.join(stateDir, 'instances');
      if (existsSync(instances)) rec.note(`state directory: ${readdirSync(instances).length} instance files written under ${os.tmpdir()} (removed after the run)`);
      progress(`state directory: ${disk} orchestrations/s`);
      rec.check('host.stateDir.perSecond', '3-activity orchestrations/s, state directory', disk, '>=', 100, 'orch/s');
    } finally {
      await host.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  return rec;
}
