/** The benchmark modules, in the order `npm run bench` runs them, each with the wall-time budget of its process. */
import * as path from 'node:path';

export interface BenchModule {
  name: string;
  title: string;
  file: string;
  /** Passed to the module's `run(args)`. */
  args?: unknown;
  /** `default`: `npm run bench`; `scale`: `npm run bench -- --scale` (the 10k/100k profile). Default `default`. */
  profile?: 'default' | 'scale';
  /** The runner kills the module's process after this long (the benchmark then fails). */
  budgetMs: number;
}

const here = (file: string): string => path.join(__dirname, '..', file);

export const MODULES: BenchModule[] = [
  { name: 'emulator', title: 'ARM emulator through the real SDK clients', file: here('emulator-throughput.ts'), budgetMs: 60_000 },
  { name: 'local-host', title: 'Embedded Functions + Durable host', file: here('local-host-throughput.ts'), budgetMs: 60_000 },
  { name: 'add-endpoint', title: 'addPrivateEndpointOrchestrator, enforce mode, end to end', file: here('add-private-endpoint.ts'), budgetMs: 45_000 },
  { name: 'sweep', title: 'Compliance sweep, audit mode, 1,000 caches', file: here('compliance-sweep.ts'), budgetMs: 110_000 },
  { name: 'faults', title: 'Fault matrix: ARM requests each fault costs, virtual time to recovery', file: here('fault-matrix.ts'), budgetMs: 300_000 },
  // Scale (issue #15): the emulator in its own process, 30 ms on every ARM request, 100 caches per subscription.
  scale('scale-1k', 'sweep', 1_000, 'default', 120_000),
  scale('naive-1k', 'naive', 1_000, 'default', 180_000),
  scale('scale-1k', 'sweep', 1_000, 'scale', 180_000),
  scale('scale-10k', 'sweep', 10_000, 'scale', 600_000),
  scale('scale-100k', 'sweep', 100_000, 'scale', 1_800_000),
  scale('naive-10k', 'naive', 10_000, 'scale', 900_000),
  { ...scale('docstore-10k', 'docstore', 10_000, 'scale', 900_000), args: { kind: 'docstore', caches: 10_000, latencyMs: 30, docLatencyMs: 10 } },
];

function scale(name: string, kind: 'sweep' | 'naive' | 'docstore', caches: number, profile: 'default' | 'scale', budgetMs: number): BenchModule {
  const size = caches >= 1000 ? `${caches / 1000}k` : String(caches);
  const what = kind === 'naive' ? 'naive baseline (list + 4 GETs per cache, 8 in flight)' : kind === 'docstore' ? 'audit sweep, free vs 10 ms document store' : 'audit sweep';
  return { name, title: `Scale: ${what}, ${size} caches, 30 ms ARM latency`, file: here('scale-sweep.ts'), args: { kind, caches, latencyMs: 30, concurrency: 8 }, profile, budgetMs };
}
