/**
 * `npm run bench`: runs every benchmark module (bench/lib/modules.ts) in its own Node process, prints the
 * figures and the PASS/FAIL of each target, and exits non-zero when a target fails or a module cannot finish.
 *
 *   npm run bench                          readable tables (progress on stderr)
 *   npm run bench -- --json                one JSON document on stdout
 *   npm run bench -- --only sweep,emulator run some modules (names: emulator, local-host, add-endpoint, sweep, faults, scale-1k, ...)
 *   npm run bench -- --scale               the scale profile (issue #15): 1k/10k/100k sweeps, naive baseline at 10k,
 *                                          document store at 10 ms per operation (long: about 15 to 30 minutes)
 *
 * Loopback only (the emulator and the host listen on 127.0.0.1); every loop is bounded, and each module's
 * process is killed after its budget.
 */
import { fork } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { MODULES, type BenchModule } from './lib/modules';
import type { BenchResult, Check } from './lib/report';
import { summarizeScale } from './lib/scale-summary';

interface Args {
  json: boolean;
  scale: boolean;
  only?: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, scale: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--scale') args.scale = true;
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) args.only = a.slice('--only='.length).split(',').filter(Boolean);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`usage: npm run bench -- [--json] [--scale] [--only ${[...new Set(MODULES.map((m) => m.name))].join(',')}]\n`);
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument '${a}'\n`);
      process.exit(2);
    }
  }
  return args;
}

function runModule(m: BenchModule): Promise<BenchResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'lib', 'worker.ts'), [m.name, m.profile ?? 'default'], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Whatever the module or the product prints goes to stderr: stdout is kept for the report.
    child.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    let result: BenchResult | undefined;
    const failed = (error: string): BenchResult => ({ name: m.name, title: m.title, durationMs: Date.now() - started, figures: [], checks: [], notes: [], error });
    const timer = setTimeout(() => {
      result ??= failed(`killed after its budget of ${m.budgetMs / 1000} s`);
      child.kill('SIGKILL');
    }, m.budgetMs);
    child.on('message', (msg) => {
      result ??= msg as BenchResult;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? failed(`the benchmark process exited (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 1 : 2 });
};

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function table(rows: string[][], rightAligned: number[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((cell, c) => pad(cell, widths[c]!, rightAligned.includes(c))).join('   ')}`.trimEnd()).join('\n');
}

function describeCheck(c: Check): string {
  return `${c.target} (${c.op} ${fmt(c.limit)}${c.unit ? ` ${c.unit}` : ''})`;
}

function render(results: BenchResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`\n== ${r.title} [${r.name}] (${fmt(Math.round(r.durationMs / 100) / 10)} s)`);
    if (r.figures.length > 0) {
      out.push(table([['figure', 'value', 'unit'], ...r.figures.map((f) => [f.label, fmt(f.value), f.unit])], [1]));
    }
    if (r.checks.length > 0) {
      out.push('');
      out.push(table([['target', 'measured', 'result'], ...r.checks.map((c) => [describeCheck(c), `${fmt(c.value)}${c.unit ? ` ${c.unit}` : ''}`, c.pass ? 'PASS' : 'FAIL'])], [1]));
    }
    for (const n of r.notes) out.push(`  note: ${n}`);
    if (r.error) out.push(`  FAIL: ${r.error.split('\n').slice(0, 6).join('\n        ')}`);
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = (args.only ?? []).filter((n) => !MODULES.some((m) => m.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}\n`);
    process.exit(2);
  }
  const profile = args.scale ? 'scale' : 'default';
  const selected = MODULES.filter((m) => (m.profile ?? 'default') === profile && (!args.only || args.only.includes(m.name)));
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  for (const m of selected) {
    process.stderr.write(`bench: ${m.name}: ${m.title}\n`);
    results.push(await runModule(m));
  }
  const summary0 = summarizeScale(results);
  if (summary0) results.push(summary0);
  const checks = results.flatMap((r) => r.checks);
  const failedChecks = checks.filter((c) => !c.pass).length;
  const errors = results.filter((r) => r.error).length;
  const passed = failedChecks === 0 && errors === 0;
  const summary = `${checks.length - failedChecks} target(s) passed, ${failedChecks} failed${errors ? `, ${errors} benchmark(s) did not finish` : ''}`;
  if (args.json) {
    const doc = {
      startedAt,
      machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryMb: Math.round(os.totalmem() / 1024 / 1024) },
      passed,
      summary,
      results,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    process.stdout.write(`${render(results)}\n\n${passed ? 'PASS' : 'FAIL'}: ${summary}\n`);
  }
  process.exitCode = passed ? 0 : 1;
}

void main();
