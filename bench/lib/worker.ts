/**
 * Runs one benchmark module in this (child) process and sends its result to the runner over IPC.
 * Started by bench/run.ts as `fork(worker.ts, [moduleName])` with `--expose-gc`; one process per module keeps
 * memory figures and the functions registered with the embedded host separate.
 */
import type { BenchResult } from './report';
import { MODULES } from './modules';

async function main(): Promise<void> {
  const name = process.argv[2];
  const profile = process.argv[3] ?? 'default';
  const entry = MODULES.find((m) => m.name === name && (m.profile ?? 'default') === profile);
  const started = Date.now();
  let result: BenchResult;
  if (!entry) {
    result = { name: String(name), title: String(name), durationMs: 0, figures: [], checks: [], notes: [], error: `unknown benchmark '${name}'` };
  } else {
    try {
      const mod = (await import(entry.file)) as { run(args?: unknown): Promise<Omit<BenchResult, 'durationMs' | 'name' | 'title'>> };
      const r = await mod.run(entry.args);
      result = { name: entry.name, title: entry.title, durationMs: Date.now() - started, ...r };
    } catch (e) {
      result = { name: entry.name, title: entry.title, durationMs: Date.now() - started, figures: [], checks: [], notes: [], error: (e as Error).stack ?? String(e) };
    }
  }
  if (process.send) process.send(result, () => process.exit(0));
  else {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(0);
  }
}

void main();
