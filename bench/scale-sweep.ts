/**
 * Scale profile (issue #15): the product's audit sweep, and the naive baseline a user would write with the same
 * SDKs, over a generated landing-zone estate (bench/lib/scale-estate.ts: 100 caches per subscription, one hub DNS
 * zone, 90% compliant), against the emulator running in a process of its own (bench/lib/emulator-process.ts) with
 * an injected latency on every ARM request. The product runs in this process: its wall time, CPU and peak RSS are
 * its own; the emulator's CPU and RSS are read from its process.
 *
 * Kinds (`args.kind`):
 * - `sweep`: the product's sweep (`complianceSweepOrchestrator` on the embedded host, virtual clock, real SDK
 *   clients over loopback HTTP), audit mode.
 * - `naive`: per subscription list the caches; per cache GET the cache, GET each private endpoint, GET its DNS
 *   zone group, GET the A record; `concurrency` requests in flight (8).
 * - `docstore`: the sweep twice, with a free document store and with `docLatencyMs` per document operation.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createClientFactory, StaticTokenCredential, type AzureClients } from '../src/azure/clients';
import { createDependencies, setDependencies } from '../src/azure/dependencies';
import { MemoryDocumentStore, type DocumentStore } from '../src/azure/document-store';
import type { RuntimeSettings } from '../src/azure/settings';
import { startLocalHost } from '../src/local/host';
import { parsePolicy } from '../src/policy/policy-schema';
import { collectGarbage, startMemorySampler } from './lib/memory';
import { Recorder, progress } from './lib/report';
import { now, round } from './lib/stats';

export interface ScaleArgs {
  kind: 'sweep' | 'naive' | 'docstore';
  caches: number;
  latencyMs: number;
  concurrency?: number;
  docLatencyMs?: number;
  timeoutMs?: number;
}

const SETTINGS: RuntimeSettings = {
  cloud: 'AzureCloud',
  pollIntervalSeconds: 15,
  operationTimeoutSeconds: 3600,
  activityRetry: { firstRetryIntervalMs: 5000, maxNumberOfAttempts: 6, backoffCoefficient: 2 },
};

interface EmulatorStats {
  cpuMs: number;
  rssMb: number;
  peakRssMb: number;
  heapMb: number;
  requests: { total: number; graph: number; compliant: number; nonCompliant: number; shared: number; byMethod: Record<string, number>; throttled: number };
}

/** The emulator's process and a request/response channel to it. */
class EmulatorProcess {
  private readonly child: ChildProcess;
  private waiting: Array<(m: any) => void> = [];
  constructor() {
    this.child = fork(path.join(__dirname, 'lib', 'emulator-process.ts'), [], {
      execArgv: [...process.execArgv.filter((a) => !a.startsWith('--max-old-space-size')), '--expose-gc', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m) => this.waiting.shift()?.(m));
  }
  next(): Promise<any> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async ask(msg: unknown): Promise<any> {
    const reply = this.next();
    this.child.send(msg as any);
    const r = await reply;
    if (!r.ok) throw new Error(`emulator process: ${r.error}`);
    return r;
  }
  stop(): void {
    this.child.send({ cmd: 'stop' });
    setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
  }
}

/** A document store that waits `ms` per operation (blob storage in Azure) and counts operations. */
class SlowDocumentStore implements DocumentStore {
  readonly location = 'memory-slow:';
  reads = 0;
  writes = 0;
  private readonly inner = new MemoryDocumentStore();
  constructor(private readonly ms: number) {}
  private wait() {
    return this.ms > 0 ? new Promise((r) => setTimeout(r, this.ms)) : Promise.resolve();
  }
  async read(name: string) {
    this.reads++;
    await this.wait();
    return this.inner.read(name);
  }
  async write(name: string, content: string) {
    this.writes++;
    await this.wait();
    return this.inner.write(name, content);
  }
}

async function runSweep(clients: AzureClients, policyInput: unknown, documents: DocumentStore, timeoutMs: number) {
  setDependencies(createDependencies({ clients, documents }));
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false });
  try {
    const policy = parsePolicy(policyInput);
    collectGarbage();
    const sampler = startMemorySampler(50);
    const cpu0 = process.cpuUsage();
    const t0 = now();
    const id = await host.startNew('complianceSweepOrchestrator', { instanceId: `bench-scale-${Date.now()}`, input: { policy, settings: SETTINGS } });
    const status = await host.waitForCompletion(id, { timeoutMs });
    const ms = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const peaks = sampler.stop();
    const summary = (status.output as { summary?: { caches: number; compliant: number; nonCompliant: number } } | undefined)?.summary;
    if (status.runtimeStatus !== 'Completed' || !summary) throw new Error(`the sweep ended ${status.runtimeStatus}: ${JSON.stringify(status.output)?.slice(0, 400)}`);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, rssPeakMb: peaks.rssMb, summary };
  } finally {
    await host.stop();
    setDependencies(undefined);
  }
}

/** The baseline a user would write: list per subscription, then four GETs per cache, `concurrency` in flight. */
async function runNaive(clients: AzureClients, subscriptions: string[], concurrency: number) {
  const zoneOf = (id: string) => /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i.exec(id);
  const t0 = now();
  const cpu0 = process.cpuUsage();
  let compliant = 0;
  let caches = 0;
  const queue: Array<() => Promise<void>> = [];
  for (const sub of subscriptions) {
    queue.push(async () => {
      for await (const listed of clients.redis(sub).redis.listBySubscription()) {
        caches++;
        queue.push(async () => {
          const idParts = /\/resourceGroups\/([^/]+)\/.*\/Redis\/([^/]+)$/i.exec(listed.id!)!;
          const cache = await clients.redis(sub).redis.get(idParts[1]!, idParts[2]!);
          let ok = cache.publicNetworkAccess === 'Disabled';
          let any = false;
          for (const c of cache.privateEndpointConnections ?? []) {
            const peId = c.privateEndpoint?.id;
            if (!peId || c.privateLinkServiceConnectionState?.status !== 'Approved') continue;
            const pp = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/.*\/privateEndpoints\/([^/]+)$/i.exec(peId)!;
            const network = clients.network(pp[1]!);
            const pe = await network.privateEndpoints.get(pp[2]!, pp[3]!);
            const ip = pe.customDnsConfigs?.[0]?.ipAddresses?.[0];
            let groups;
            try {
              groups = await network.privateDnsZoneGroups.get(pp[2]!, pp[3]!, 'default');
            } catch {
              ok = false;
              continue;
            }
            const zoneId = groups.privateDnsZoneConfigs?.[0]?.privateDnsZoneId;
            const z = zoneId ? zoneOf(zoneId) : null;
            if (!z) {
              ok = false;
              continue;
            }
            const zoneSub = /\/subscriptions\/([^/]+)\//i.exec(zoneId!)![1]!;
            try {
              const rs = await clients.privateDns(zoneSub).recordSets.get(z[1]!, z[2]!, 'A', cache.name!);
              if (ip && (rs.aRecords ?? []).some((a) => a.ipv4Address === ip)) any = true;
            } catch {
              ok = false;
            }
          }
          if (ok && any) compliant++;
        });
      }
    });
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await queue[next++]!();
  };
  // Bounded: the queue grows while subscriptions are listed; workers keep taking until it is drained.
  for (let round = 0; round < 3 && next < queue.length; round++) await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { ms: now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, caches, compliant };
}

export async function run(args: ScaleArgs): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();
  const emu = new EmulatorProcess();
  await emu.next();
  const label = `${args.caches.toLocaleString('en-US')} caches`;
  try {
    const started = await emu.ask({ cmd: 'start', caches: args.caches, latencyMs: args.latencyMs });
    rec.note(`estate: ${label} in ${started.subscriptions.length} subscriptions, ${started.compliant} compliant, ${started.resources.toLocaleString('en-US')} resources; built in ${round(started.buildMs / 1000, 1)} s (not measured); ${args.latencyMs} ms injected on every ARM request`);
    rec.figure(`${args.kind}.emulatorEstateRssMb`, `emulator process RSS holding the estate (${label})`, round(started.rssMb), 'MB');
    progress(`scale ${args.kind} ${label}: estate ready (${started.resources} resources, emulator RSS ${round(started.rssMb)} MB)`);
    const clients = createClientFactory({ armTransportUrl: started.url, credential: new StaticTokenCredential(), retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 } });
    const timeoutMs = args.timeoutMs ?? 600_000;

    if (args.kind === 'sweep' || args.kind === 'docstore') {
      const documents = new SlowDocumentStore(0);
      await emu.ask({ cmd: 'reset' });
      const r = await runSweep(clients, started.policy, documents, timeoutMs);
      const stats = (await emu.ask({ cmd: 'stats' })) as EmulatorStats;
      const k = args.kind;
      const seconds = rec.figure(`${k}.seconds`, `audit sweep of ${label}, wall`, round(r.ms / 1000, 2), 's');
      rec.figure(`${k}.msPerCache`, 'wall time per cache', round(r.ms / args.caches, 3), 'ms/cache');
      rec.figure(`${k}.productCpuSeconds`, 'product CPU (this process)', round(r.cpuMs / 1000, 2), 's');
      rec.figure(`${k}.emulatorCpuSeconds`, 'emulator CPU (its own process)', round(stats.cpuMs / 1000, 2), 's');
      rec.figure(`${k}.productRssPeakMb`, 'product peak RSS (host + activities + SDK clients)', round(r.rssPeakMb), 'MB');
      rec.figure(`${k}.emulatorRssPeakMb`, 'emulator peak RSS', round(stats.peakRssMb), 'MB');
      rec.figure(`${k}.requests`, 'ARM requests', stats.requests.total, 'requests');
      rec.figure(`${k}.requests.graph`, '  Resource Graph queries', stats.requests.graph, 'requests');
      rec.figure(`${k}.requests.other`, '  other ARM requests (zones, links, record lists, per cache)', stats.requests.total - stats.requests.graph, 'requests');
      const per1000 = rec.figure(`${k}.requestsPer1000Compliant`, 'ARM requests (Resource Graph excluded) per 1,000 compliant caches', round((stats.requests.total - stats.requests.graph) / (started.compliant / 1000), 2), 'req');
      rec.figure(`${k}.requestsAllPer1000Compliant`, 'all ARM requests per 1,000 compliant caches', round(stats.requests.total / (started.compliant / 1000), 2), 'req');
      rec.figure(`${k}.docOps`, 'document-store operations (reads + writes)', documents.reads + documents.writes, 'ops');
      rec.check(`${k}.summary`, `the sweep reported ${label}, ${started.compliant} compliant (1 = yes)`, r.summary.caches === args.caches && r.summary.compliant === started.compliant ? 1 : 0, '==', 1);
      if (k === 'sweep') {
        rec.check('sweep.seconds', `audit sweep of ${label} at ${args.latencyMs} ms latency`, seconds, '<=', 60, 's');
        rec.check('sweep.productRssPeakMb', 'product peak RSS', round(r.rssPeakMb), '<=', 500, 'MB');
        rec.check('sweep.requestsPer1000Compliant', 'ARM requests (Resource Graph excluded) per 1,000 compliant caches', per1000, '<=', 1, 'req');
      }
      progress(`scale ${k} ${label}: ${seconds} s, product CPU ${round(r.cpuMs / 1000, 1)} s, emulator CPU ${round(stats.cpuMs / 1000, 1)} s, ${stats.requests.total} requests, product RSS ${round(r.rssPeakMb)} MB`);
      if (k === 'docstore') {
        const slow = new SlowDocumentStore(args.docLatencyMs ?? 10);
        await emu.ask({ cmd: 'reset' });
        const s = await runSweep(clients, started.policy, slow, timeoutMs);
        const slowSeconds = rec.figure('docstore.slowSeconds', `the same sweep with ${args.docLatencyMs ?? 10} ms per document operation`, round(s.ms / 1000, 2), 's');
        rec.figure('docstore.slowDocOps', '  document-store operations (reads + writes)', slow.reads + slow.writes, 'ops');
        rec.check('docstore.ratio', `sweep time with ${args.docLatencyMs ?? 10} ms per document operation / with a free store`, round(slowSeconds / seconds, 2), '<=', 2, 'x');
      }
    } else {
      await emu.ask({ cmd: 'reset' });
      const r = await runNaive(clients, started.subscriptions, args.concurrency ?? 8);
      const stats = (await emu.ask({ cmd: 'stats' })) as EmulatorStats;
      rec.figure('naive.seconds', `naive sweep of ${label}, wall (${args.concurrency ?? 8} in flight)`, round(r.ms / 1000, 2), 's');
      rec.figure('naive.requests', 'ARM requests', stats.requests.total, 'requests');
      rec.figure('naive.productCpuSeconds', 'client CPU (this process)', round(r.cpuMs / 1000, 2), 's');
      rec.figure('naive.emulatorCpuSeconds', 'emulator CPU (its own process)', round(stats.cpuMs / 1000, 2), 's');
      rec.figure('naive.compliant', 'caches it found compliant', r.compliant, 'caches');
      rec.check('naive.caches', `the naive sweep saw ${label} (1 = yes)`, r.caches === args.caches ? 1 : 0, '==', 1);
      progress(`scale naive ${label}: ${round(r.ms / 1000, 1)} s, ${stats.requests.total} requests`);
    }
  } finally {
    emu.stop();
  }
  return rec;
}
