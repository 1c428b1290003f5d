/** The benchmark modules, in the order `npm run bench` runs them, each with the wall-time budget of its process. */
import * as path from 'node:path';

export interface BenchModule {
  name: string;
  title: string;
  file: string;
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
];
