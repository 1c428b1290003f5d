/**
 * 3. The product's compliance sweep in audit mode over a generated estate of 1,000 caches in one subscription
 * (bench/lib/estates.ts: ten regions, Basic/Standard/Premium and 2% Enterprise; 900 compliant with an approved
 * endpoint, DNS zone group, linked zone and public access Disabled; 100 non-compliant in three ways).
 *
 * The sweep is started by orchestrator name with `{ policy, settings }` on the embedded host (virtual clock) as
 * the timer trigger would, its activities calling the real SDK clients against the emulator over loopback HTTP;
 * only the `summary` of its output is read. Figures: wall time, ARM requests (every request the emulator
 * answers during the sweep, counted outside its capped log) and how they split per cache, peak RSS and heap.
 *
 * Requests per compliant cache: a request whose path names a cache (the cache, its connections, its endpoint
 * `pe-<cache>-...`, its A record) is that cache's; Resource Graph queries are the inventory; any other request
 * (a DNS zone, its links, its record list) is shared and is split between compliant and non-compliant caches in
 * proportion to the requests naming them. So a sweep that reads nothing per compliant cache scores 0.
 */
import { startEmulator } from '../emulator';
import { createClientFactory, StaticTokenCredential } from '../src/azure/clients';
import { createDependencies, setDependencies } from '../src/azure/dependencies';
import { MemoryDocumentStore } from '../src/azure/document-store';
import type { RuntimeSettings } from '../src/azure/settings';
import { startLocalHost } from '../src/local/host';
import { parsePolicy } from '../src/policy/policy-schema';
import { countRequests, type CountedRequest } from './lib/arm';
import { buildSweepEstate, ids, type SweepCache } from './lib/estates';
import { collectGarbage, startMemorySampler } from './lib/memory';
import { Recorder, progress } from './lib/report';
import { MB, now, round } from './lib/stats';

const CACHES = 1_000;
const SWEEP_TIMEOUT_MS = 90_000;
/** The orchestrator's registered name (src/orchestrations/names.ts); the benchmark depends on nothing else of it. */
const SWEEP_ORCHESTRATOR = 'complianceSweepOrchestrator';

const SETTINGS: RuntimeSettings = {
  cloud: 'AzureCloud',
  pollIntervalSeconds: 15,
  operationTimeoutSeconds: 3600,
  activityRetry: { firstRetryIntervalMs: 5000, maxNumberOfAttempts: 6, backoffCoefficient: 2 },
};

interface Summary {
  caches: number;
  compliant: number;
  nonCompliant: number;
  remediated?: number;
  failed?: number;
}

/**
 * The estate must be what the benchmark claims: a sample of caches (every 25th, and every 50th from the 7th, which
 * covers the three non-compliant scenarios) resolves from its VNet as its scenario says (the connectivity oracle
 * is too slow to ask for all 1,000).
 */
function verifyEstate(emu: Awaited<ReturnType<typeof startEmulator>>, caches: SweepCache[]): void {
  for (const [i, c] of caches.entries()) {
    if (i % 25 !== 0 && i % 50 !== 7) continue;
    const r = emu.control.connectivity(c.id, ids.vnet(`vnet-${c.region}`));
    const expected = c.scenario === 'compliant' || c.scenario === 'endpoint-public-enabled' ? 'private' : c.scenario === 'public-no-endpoint' ? 'public' : 'none';
    if (r.resolution !== expected) throw new Error(`estate: ${c.name} (${c.scenario}) resolves ${r.resolution} from its VNet, expected ${expected}: ${r.reason}`);
  }
}

const CACHE_IN_PATH = [/\/(?:redis|redisenterprise)\/(cache-\d{5})(?:\/|$)/i, /\/privateendpoints\/pe-(cache-\d{5})-/i, /\/a\/(cache-\d{5})$/i];

export function attribute(requests: CountedRequest[], compliant: Set<string>): { graph: number; compliant: number; nonCompliant: number; shared: number } {
  const out = { graph: 0, compliant: 0, nonCompliant: 0, shared: 0 };
  for (const r of requests) {
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

export async function run(): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();
  const buildStart = now();
  const built = await buildSweepEstate(CACHES);
  const emu = await startEmulator({ estate: built.estate });
  verifyEstate(emu, built.caches);
  const compliantNames = new Set(built.caches.filter((c) => c.scenario === 'compliant').map((c) => c.name.toLowerCase()));
  const tiers = Object.entries(
    built.caches.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.tier]: (acc[c.tier] ?? 0) + 1 }), {}),
  ).map(([t, n]) => `${n} ${t}`);
  rec.note(
    `estate: ${built.caches.length} caches (${tiers.join(', ')}), ${compliantNames.size} compliant, ${built.estate.resources.length} resources; built and checked in ${round((now() - buildStart) / 1000)} s (not measured)`,
  );
  progress(`estate ready: ${built.estate.resources.length} resources`);

  const clients = createClientFactory({
    armTransportUrl: emu.url,
    credential: new StaticTokenCredential(),
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  setDependencies(createDependencies({ clients, documents: new MemoryDocumentStore() }));
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false });
  try {
    const policy = parsePolicy(built.policy);
    collectGarbage();
    const baseline = process.memoryUsage();
    const counter = countRequests(emu.engine);
    const sampler = startMemorySampler(50);
    const t0 = now();
    const id = await host.startNew(SWEEP_ORCHESTRATOR, { instanceId: 'bench-sweep', input: { policy, settings: SETTINGS } });
    let status: Awaited<ReturnType<typeof host.waitForCompletion>> | undefined;
    let failure: string | undefined;
    try {
      status = await host.waitForCompletion(id, { timeoutMs: SWEEP_TIMEOUT_MS });
    } catch (e) {
      failure = (e as Error).message;
    }
    const sweepMs = now() - t0;
    const peaks = sampler.stop();
    counter.stop();
    collectGarbage();
    const after = process.memoryUsage();

    const summary = (status?.output as { summary?: Summary } | undefined)?.summary;
    if (status && status.runtimeStatus !== 'Completed') failure = `the sweep ended ${status.runtimeStatus}: ${JSON.stringify(status.output)?.slice(0, 500)}`;
    else if (status && !summary) failure = `the sweep's output has no summary: ${JSON.stringify(status.output)?.slice(0, 500)}`;
    if (failure) rec.note(`sweep: ${failure}`);

    const split = attribute(counter.requests, compliantNames);
    const perCache = split.compliant + split.nonCompliant;
    const sharedToCompliant = perCache > 0 ? split.shared * (split.compliant / perCache) : 0;
    const perCompliant = (split.compliant + sharedToCompliant) / compliantNames.size;

    const seconds = rec.figure('sweep.seconds', `audit sweep of ${CACHES.toLocaleString('en-US')} caches, start to completion`, round(sweepMs / 1000, 2), 's');
    rec.figure('sweep.cachesPerSecond', 'caches swept per second', round(CACHES / (sweepMs / 1000)), 'caches/s');
    rec.figure('sweep.requests', 'ARM requests during the sweep', counter.total, 'requests');
    rec.figure('sweep.requests.graph', '  Resource Graph queries', split.graph, 'requests');
    rec.figure('sweep.requests.compliant', '  naming a compliant cache', split.compliant, 'requests');
    rec.figure('sweep.requests.nonCompliant', '  naming a non-compliant cache', split.nonCompliant, 'requests');
    rec.figure('sweep.requests.shared', '  shared (DNS zones, links, record lists, ...)', split.shared, 'requests');
    rec.figure('sweep.requests.emulatorSeconds', '  time the emulator spent answering them', round(counter.requests.reduce((t, r) => t + r.durationMs, 0) / 1000, 2), 's');
    rec.figure('sweep.requests.perCache', 'ARM requests per cache (all requests / caches)', round(counter.total / CACHES, 2), 'req/cache');
    const perCompliantFigure = rec.figure('sweep.requests.perCompliantCache', 'ARM requests per compliant cache (see docs)', round(perCompliant, 3), 'req/cache');
    rec.figure('sweep.requests.perNonCompliantCache', 'ARM requests per non-compliant cache (naming it)', round(split.nonCompliant / (CACHES - compliantNames.size), 2), 'req/cache');
    rec.figure('sweep.rssPeakMb', 'peak RSS (host + emulator + estate, one process)', round(peaks.rssMb), 'MB');
    rec.figure('sweep.rssBaselineMb', '  RSS before the sweep', round(baseline.rss / MB), 'MB');
    const heapGrowth = rec.figure('sweep.heapGrowthMb', 'heap growth: peak heap used during the sweep - heap before', round(peaks.heapUsedMb - baseline.heapUsed / MB), 'MB');
    rec.figure('sweep.heapRetainedMb', 'heap retained after the sweep (after GC) - heap before', round((after.heapUsed - baseline.heapUsed) / MB), 'MB');
    if (summary) {
      rec.figure('sweep.summary.caches', 'summary: caches', summary.caches, 'caches');
      rec.figure('sweep.summary.compliant', 'summary: compliant', summary.compliant, 'caches');
      rec.figure('sweep.summary.nonCompliant', 'summary: non-compliant', summary.nonCompliant, 'caches');
    }
    progress(`sweep: ${seconds} s, ${counter.total} ARM requests (${split.graph} Resource Graph), ${round(perCompliant, 3)} per compliant cache, heap +${heapGrowth} MB`);

    rec.check('sweep.completed', `the sweep completed and reported ${CACHES} caches, ${compliantNames.size} compliant (1 = yes)`, !failure && summary?.caches === CACHES && summary.compliant === compliantNames.size ? 1 : 0, '==', 1);
    rec.check('sweep.seconds', `audit sweep of ${CACHES.toLocaleString('en-US')} caches`, failure && !status ? Number.POSITIVE_INFINITY : seconds, '<', 60, 's');
    rec.check('sweep.requests.perCompliantCache', 'ARM requests per compliant cache, audit mode', perCompliantFigure, '<=', 1, 'req/cache');
    rec.check('sweep.heapGrowthMb', 'heap growth during the sweep', heapGrowth, '<', 300, 'MB');
  } finally {
    await host.stop();
    setDependencies(undefined);
    await emu.close();
  }
  return rec;
}
