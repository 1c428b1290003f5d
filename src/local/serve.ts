/**
 * The local host as a standalone process:
 *
 *   tsx src/local/serve.ts --app <module> --state-dir <dir> [--port n] [--clock real|virtual]
 *
 * Prints its base URL (http://127.0.0.1:PORT) on the first stdout line; host and function logs go to stderr.
 * SIGINT / SIGTERM stop it cleanly; a process killed harder resumes its unfinished orchestrations when
 * started again on the same state directory.
 */
import './host/install-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startLocalHost } from './host';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function readSettings(file: string): Record<string, string> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('serve')
    .description('Run the embedded Azure Functions + Durable host; prints its base URL on the first stdout line.')
    .requiredOption('--app <module>', 'module that registers the functions (e.g. src/index.ts)')
    .option('--state-dir <dir>', 'directory for durable state (omit to keep it in memory)')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', integer, 0)
    .option('--clock <mode>', 'real | virtual', 'real')
    .option('--timers <on|off>', 'run timer triggers on their schedule (default: on for the real clock)')
    .option('--max-activities <n>', 'activities running at once', integer, 8)
    .option('--settings <file>', 'local.settings.json whose Values become app settings')
    .option('--quiet', 'no log lines on stderr');
  program.parse(argv);
  const o = program.opts<{
    app: string;
    stateDir?: string;
    port: number;
    clock: string;
    timers?: string;
    maxActivities: number;
    settings?: string;
    quiet?: boolean;
  }>();
  if (o.clock !== 'real' && o.clock !== 'virtual') throw new InvalidArgumentError(`--clock must be real or virtual, not ${o.clock}`);
  if (o.timers !== undefined && o.timers !== 'on' && o.timers !== 'off') throw new InvalidArgumentError('--timers must be on or off');

  const host = await startLocalHost({
    appModule: path.resolve(o.app),
    stateDir: o.stateDir,
    port: o.port,
    clock: o.clock,
    enableTimers: o.timers === undefined ? undefined : o.timers === 'on',
    maxConcurrentActivities: o.maxActivities,
    env: o.settings ? readSettings(o.settings) : undefined,
    log: o.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${host.url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`serve: ${signal}, stopping\n`);
    host.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`serve: stop failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`serve: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
