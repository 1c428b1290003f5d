/**
 * Targets that compare scale modules with each other (computed by the runner once they have all finished):
 * - linearity: the audit sweep's wall time per cache at each size, failing when it grows by more than 1.5x from the
 *   smallest size to any larger one;
 * - the product against the naive baseline at the same size: >= 100x fewer ARM requests, >= 10x faster.
 */
import { Recorder, type BenchResult } from './report';
import { round } from './stats';

const fig = (r: BenchResult, key: string): number | undefined => r.figures.find((f) => f.key === key)?.value;

function sizeOf(r: BenchResult): number {
  const m = /-(\d+)k$/.exec(r.name);
  return m ? Number(m[1]) * 1000 : 0;
}

export function summarizeScale(results: BenchResult[]): BenchResult | undefined {
  const sweeps = results.filter((r) => r.name.startsWith('scale-') && !r.error && fig(r, 'sweep.msPerCache') !== undefined).sort((a, b) => sizeOf(a) - sizeOf(b));
  const naive = results.filter((r) => r.name.startsWith('naive-') && !r.error);
  if (sweeps.length === 0 && naive.length === 0) return undefined;
  const rec = new Recorder();
  const t0 = Date.now();
  for (const s of sweeps) rec.figure(`linear.msPerCache.${sizeOf(s)}`, `sweep wall time per cache, ${sizeOf(s).toLocaleString('en-US')} caches`, fig(s, 'sweep.msPerCache')!, 'ms/cache');
  for (const s of sweeps) {
    const cpu = fig(s, 'sweep.productCpuSeconds');
    if (cpu !== undefined) rec.figure(`linear.cpuMsPerCache.${sizeOf(s)}`, `product CPU per cache, ${sizeOf(s).toLocaleString('en-US')} caches`, round((cpu * 1000) / sizeOf(s), 3), 'ms/cache');
  }
  if (sweeps.length >= 2) {
    const base = fig(sweeps[0]!, 'sweep.msPerCache')!;
    const growth = Math.max(...sweeps.slice(1).map((s) => fig(s, 'sweep.msPerCache')! / base));
    rec.check('linear.growth', `per-cache wall time, largest growth from ${sizeOf(sweeps[0]!).toLocaleString('en-US')} caches`, round(growth, 2), '<=', 1.5, 'x');
  }
  for (const n of naive) {
    const size = sizeOf(n);
    const product = sweeps.find((s) => sizeOf(s) === size);
    if (!product) continue;
    const pr = fig(product, 'sweep.requests')!;
    const nr = fig(n, 'naive.requests')!;
    const ps = fig(product, 'sweep.seconds')!;
    const ns = fig(n, 'naive.seconds')!;
    const label = size.toLocaleString('en-US');
    rec.figure(`naive.${size}.requests`, `${label} caches: naive requests / product requests`, nr, `/ ${pr}`);
    rec.figure(`naive.${size}.seconds`, `${label} caches: naive seconds / product seconds`, ns, `/ ${ps} s`);
    rec.check(`naive.${size}.requestRatio`, `${label} caches: naive requests / product requests`, round(nr / Math.max(1, pr), 1), '>=', 100, 'x');
    rec.check(`naive.${size}.speedup`, `${label} caches: naive wall / product wall`, round(ns / ps, 1), '>=', 10, 'x');
  }
  return { name: 'scale-summary', title: 'Scale: linearity and the naive baseline', durationMs: Date.now() - t0, figures: rec.figures, checks: rec.checks, notes: rec.notes };
}
