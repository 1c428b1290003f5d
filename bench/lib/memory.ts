/**
 * Memory figures: a sampler of RSS and V8 heap use (peak over an interval) and a forced GC for baselines.
 * The runner starts each benchmark module in its own process with `--expose-gc`, so `global.gc` exists there.
 */
import { MB } from './stats';

export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

export interface MemoryPeaks {
  rssMb: number;
  heapUsedMb: number;
}

/** Samples `process.memoryUsage()` every `intervalMs` until `stop()`, which returns the peaks (MB). */
export function startMemorySampler(intervalMs = 50): { stop(): MemoryPeaks } {
  let rss = 0;
  let heapUsed = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heapUsed = Math.max(heapUsed, m.heapUsed);
  };
  sample();
  const handle = setInterval(sample, intervalMs);
  return {
    stop(): MemoryPeaks {
      clearInterval(handle);
      sample();
      return { rssMb: rss / MB, heapUsedMb: heapUsed / MB };
    },
  };
}
