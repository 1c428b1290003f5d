/**
 * 1. The ARM emulator as the product sees it: the real `@azure/arm-rediscache` and `@azure/arm-resourcegraph`
 * clients over HTTP on loopback (the product's client factory, transport redirected to the emulator).
 *  - GET cache: requests/s one at a time (with p50/p95/p99 latency) and with 8 requests in flight.
 *  - Resource Graph: a cache inventory query (full rows, as a sweep reads them) over 2,500 caches, paged 1,000
 *    rows at a time.
 */
import { startEmulator } from '../emulator';
import { createClientFactory, StaticTokenCredential } from '../src/azure/clients';
import { BENCH_SUBSCRIPTION, RG_CACHE, buildPlainCacheEstate } from './lib/estates';
import { Recorder, progress } from './lib/report';
import { now, percentile, pool, round } from './lib/stats';

const WARMUP = 200;
const SEQUENTIAL = 2_000;
const CONCURRENT = 3_000;
const IN_FLIGHT = 8;
const INVENTORY_CACHES = 2_500;
const INVENTORY_RUNS = 5;
/** The shape of query a sweep pages through: every cache in scope with the columns a triage reads, by id. */
const INVENTORY_QUERY =
  "resources | where type =~ 'microsoft.cache/redis' or type =~ 'microsoft.cache/redisenterprise' " +
  '| project id, name, type, location, resourceGroup, subscriptionId, sku, tags, properties | order by id asc';

export async function run(): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();
  const buildStart = now();
  const estate = await buildPlainCacheEstate(INVENTORY_CACHES);
  const emu = await startEmulator({ estate });
  rec.note(`estate: ${INVENTORY_CACHES} caches (Basic/Standard/Premium) built and loaded in ${round((now() - buildStart) / 1000)} s (not measured)`);
  try {
    const clients = createClientFactory({
      armTransportUrl: emu.url,
      credential: new StaticTokenCredential(),
      retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    });
    const redis = clients.redis(BENCH_SUBSCRIPTION).redis;
    const CACHE = 'inv-01234';

    // GET cache, one at a time.
    for (let i = 0; i < WARMUP; i++) await redis.get(RG_CACHE, CACHE);
    const latencies: number[] = [];
    const seqStart = now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = now();
      const cache = await redis.get(RG_CACHE, CACHE);
      latencies.push(now() - t0);
      if (cache.name !== CACHE) throw new Error(`GET returned ${cache.name}`);
    }
    const seqMs = now() - seqStart;
    const seqRate = rec.figure('getCache.sequential.rps', `GET cache, 1 in flight (${SEQUENTIAL} requests)`, round(SEQUENTIAL / (seqMs / 1000)), 'req/s');
    const p50 = rec.figure('getCache.sequential.p50Ms', 'GET cache latency p50', round(percentile(latencies, 50), 2), 'ms');
    const p95 = rec.figure('getCache.sequential.p95Ms', 'GET cache latency p95', round(percentile(latencies, 95), 2), 'ms');
    rec.figure('getCache.sequential.p99Ms', 'GET cache latency p99', round(percentile(latencies, 99), 2), 'ms');
    progress(`GET cache sequential: ${seqRate} req/s, p50 ${p50} ms, p95 ${p95} ms`);

    // GET cache, 8 in flight.
    const conStart = now();
    await pool(CONCURRENT, IN_FLIGHT, async () => {
      await redis.get(RG_CACHE, CACHE);
    });
    const conRate = rec.figure('getCache.concurrent.rps', `GET cache, ${IN_FLIGHT} in flight (${CONCURRENT} requests)`, round(CONCURRENT / ((now() - conStart) / 1000)), 'req/s');
    progress(`GET cache, ${IN_FLIGHT} in flight: ${conRate} req/s`);

    // Resource Graph inventory over 2,500 caches.
    const graph = clients.resourceGraph();
    const pageTimes: number[] = [];
    const runTimes: number[] = [];
    let rowsPerRun = 0;
    let pagesPerRun = 0;
    for (let r = 0; r < INVENTORY_RUNS; r++) {
      const runStart = now();
      let skipToken: string | undefined;
      let rows = 0;
      let pages = 0;
      do {
        const t0 = now();
        const page = await graph.resources({
          subscriptions: [BENCH_SUBSCRIPTION],
          query: INVENTORY_QUERY,
          options: { top: 1000, ...(skipToken ? { skipToken } : {}), resultFormat: 'objectArray' },
        });
        pageTimes.push(now() - t0);
        rows += (page.data as unknown[]).length;
        skipToken = page.skipToken;
        pages++;
      } while (skipToken && pages < 10);
      runTimes.push(now() - runStart);
      rowsPerRun = rows;
      pagesPerRun = pages;
    }
    rec.figure('graph.rows', 'Resource Graph inventory: rows returned', rowsPerRun, 'rows');
    rec.figure('graph.pages', 'Resource Graph inventory: pages (1,000 rows each)', pagesPerRun, 'pages');
    const pageP50 = rec.figure('graph.page.p50Ms', 'Resource Graph time per page, p50', round(percentile(pageTimes, 50)), 'ms');
    const pageMax = rec.figure('graph.page.maxMs', `Resource Graph time per page, max (${pageTimes.length} pages)`, round(Math.max(...pageTimes)), 'ms');
    const runP50 = rec.figure('graph.query.p50Ms', `Resource Graph whole inventory of ${INVENTORY_CACHES}, p50 of ${INVENTORY_RUNS}`, round(percentile(runTimes, 50)), 'ms');
    progress(`Resource Graph: ${pagesPerRun} pages, ${pageP50} ms/page p50, ${pageMax} ms max, ${runP50} ms per inventory`);

    rec.check('getCache.sequential.rps', 'GET cache throughput, 1 in flight', seqRate, '>=', 500, 'req/s');
    rec.check('getCache.sequential.p95Ms', 'GET cache latency p95', p95, '<=', 5, 'ms');
    rec.check('getCache.concurrent.rps', `GET cache throughput, ${IN_FLIGHT} in flight`, conRate, '>=', 500, 'req/s');
    rec.check('graph.rows', `Resource Graph returns all ${INVENTORY_CACHES} caches`, rowsPerRun, '==', INVENTORY_CACHES, 'rows');
    rec.check('graph.page.maxMs', 'Resource Graph time per page of 1,000 rows (max)', pageMax, '<=', 300, 'ms');
    return rec;
  } finally {
    await emu.close();
  }
}
