/**
 * The emulator of the scale profile in a process of its own, so the product's CPU and memory are measured apart
 * from the emulator's. Started with `fork()`; driven over IPC:
 *   { cmd: 'start', caches, latencyMs, settings? } -> { ok, url, resources, buildMs, rssMb }
 *   { cmd: 'stats' }                               -> { cpuMs, rssMb, peakRssMb, heapMb, requests }
 *   { cmd: 'reset' }                               -> counters and CPU baseline from now
 *   { cmd: 'stop' }                                -> exits
 * Every ARM request is delayed by `latencyMs` (an injected fault that only delays), and counted by kind.
 */
import { startEmulator, type RunningEmulator } from '../../emulator';
import { countRequests } from './arm';
import { buildScaleEstate } from './scale-estate';

interface Counts {
  total: number;
  graph: number;
  /** naming a compliant cache (the cache, its endpoint, its A record) */
  compliant: number;
  nonCompliant: number;
  shared: number;
  byMethod: Record<string, number>;
  throttled: number;
}

const CACHE_IN_PATH = [/\/redis\/(q\d{5}-c\d{3})(?:\/|$)/i, /\/privateendpoints\/pe-(q\d{5}-c\d{3})(?:\/|$)/i, /\/a\/(q\d{5}-c\d{3})$/i];

let emu: RunningEmulator | undefined;
let compliant = new Set<string>();
let counter: ReturnType<typeof countRequests> | undefined;
let cpuBase = process.cpuUsage();
let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100).unref();

function counts(): Counts {
  const out: Counts = { total: 0, graph: 0, compliant: 0, nonCompliant: 0, shared: 0, byMethod: {}, throttled: 0 };
  for (const r of counter?.requests ?? []) {
    out.total++;
    out.byMethod[r.method] = (out.byMethod[r.method] ?? 0) + 1;
    if (r.status === 429) out.throttled++;
    if (/\/providers\/microsoft\.resourcegraph\//i.test(r.path)) {
      out.graph++;
      continue;
    }
    const name = CACHE_IN_PATH.map((re) => re.exec(r.path)?.[1]).find((n) => n !== undefined)?.toLowerCase();
    if (name === undefined) out.shared++;
    else if (compliant.has(name)) out.compliant++;
    else out.nonCompliant++;
  }
  return out;
}

const MB = 1024 * 1024;

process.on('message', async (msg: any) => {
  try {
    if (msg.cmd === 'start') {
      const t0 = Date.now();
      const built = await buildScaleEstate(msg.caches);
      compliant = built.compliant;
      emu = await startEmulator({ estate: built.estate, settings: msg.settings });
      if (msg.latencyMs > 0) emu.engine.faults.add({ pathPattern: '.*', status: 200, code: 'Latency', latencyMs: msg.latencyMs, count: Number.MAX_SAFE_INTEGER });
      counter = countRequests(emu.engine, 5_000_000);
      const resources = built.estate.resources.length;
      built.estate.resources.length = 0;
      global.gc?.();
      cpuBase = process.cpuUsage();
      peakRss = process.memoryUsage().rss;
      process.send!({ ok: true, url: emu.url, resources, subscriptions: built.subscriptions, policy: built.policy, compliant: built.compliant.size, buildMs: Date.now() - t0, rssMb: process.memoryUsage().rss / MB });
    } else if (msg.cmd === 'reset') {
      counter?.reset();
      cpuBase = process.cpuUsage();
      peakRss = process.memoryUsage().rss;
      process.send!({ ok: true });
    } else if (msg.cmd === 'stats') {
      const cpu = process.cpuUsage(cpuBase);
      const m = process.memoryUsage();
      process.send!({ ok: true, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: m.rss / MB, peakRssMb: Math.max(peakRss, m.rss) / MB, heapMb: m.heapUsed / MB, requests: counts() });
    } else if (msg.cmd === 'stop') {
      await emu?.close();
      process.exit(0);
    }
  } catch (e) {
    process.send!({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
process.send!({ ok: true, ready: true });
