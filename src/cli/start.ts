/**
 * `npm start`: the main job on the embedded default. Starts the ARM emulator with the demo estate (or
 * `--estate <file>`), the local Functions + Durable host with the app's own functions (127.0.0.1:7071 and 8480 by
 * default, free ports when those are taken), runs one compliance sweep at once printing its progress (stderr) and
 * report (stdout), prints the curl-ready URLs, then stays up for runbook calls, events and the dashboard (`--once`
 * exits after the sweep). `npm start -- --help` lists the options.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readRuntimeSettings } from '../azure/settings';
import { OrchestratorNames } from '../orchestrations/names';
import type { ComplianceSweepResult } from '../orchestrations/compliance-sweep';
import { SWEEP_INSTANCE_ID } from '../functions/start-or-signal';
import { renderMarkdown, type SweepReport } from '../activities/write-report';
import { UsageError, policyFrom, readJsonFile } from './inputs';
import { choosePort, PortInUseError } from './ports';
import { formatProgress, type ProgressStatus } from './progress';

const ROOT = path.resolve(__dirname, '..', '..');

interface StartOptions {
  estate: string;
  policy: string;
  port?: number;
  emulatorPort?: number;
  stateDir: string;
  once?: boolean;
  quiet?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535 (0 = any free port)');
  return n;
}

export function buildStartProgram(): Command {
  return new Command()
    .name('npm start --')
    .description('Run the ARM emulator with an estate, the embedded Functions + Durable host with the app, and one compliance sweep; then serve runbooks, events and the dashboard.')
    .option('--estate <file>', 'estate JSON for the emulator', path.join('emulator', 'estates', 'demo.json'))
    .option('--policy <file>', 'policy JSON', path.join('examples', 'policy.demo.json'))
    .option('--port <n>', 'port of the Functions host on 127.0.0.1 (default 7071, or a free one when taken; 0 = any free port)', port)
    .option('--emulator-port <n>', 'port of the ARM emulator on 127.0.0.1 (default 8480, or a free one when taken; 0 = any free port)', port)
    .option('--state-dir <dir>', 'durable state, inventory and reports', '.autopilot')
    .option('--once', 'exit after the first sweep')
    .option('--quiet', 'no host log lines on stderr')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`npm start: ${s.replace(/^error: /, '').trim()}\n`) });
}

async function main(argv: string[]): Promise<number> {
  const program = buildStartProgram();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = program.opts<StartOptions>();
  const estate = path.resolve(o.estate);
  readJsonFile('--estate', estate);
  const policy = policyFrom(`--policy ${o.policy}`, readJsonFile('--policy', o.policy));
  const stateDir = path.resolve(o.stateDir);
  const apiPort = await choosePort('--port', o.port, 7071);
  const armPort = await choosePort('--emulator-port', o.emulatorPort, 8480);
  for (const note of [apiPort.note, armPort.note]) if (note) process.stderr.write(`npm start: ${note}\n`);

  const { startEmulator } = await import('../../emulator');
  const emulator = await startEmulator({ estate, port: armPort.port, settings: { lroDurationMs: 200 } as any });
  process.stderr.write(`ARM emulator: ${emulator.url} (estate ${path.relative(process.cwd(), estate)})\n`);
  const env: Record<string, string> = {
    AUTOPILOT_ARM_ENDPOINT: emulator.url,
    AUTOPILOT_STATE_DIR: stateDir,
    AUTOPILOT_POLICY: JSON.stringify(policy),
    AUTOPILOT_POLL_INTERVAL_SECONDS: process.env.AUTOPILOT_POLL_INTERVAL_SECONDS ?? '1',
    AUTOPILOT_LRO_POLL_MS: process.env.AUTOPILOT_LRO_POLL_MS ?? '100',
    AUTOPILOT_RETRY_FIRST_INTERVAL_MS: process.env.AUTOPILOT_RETRY_FIRST_INTERVAL_MS ?? '1000',
  };
  Object.assign(process.env, env);
  const { startLocalHost } = await import('../local/host');
  const host = await startLocalHost({
    appModule: path.join(ROOT, 'src', 'index.ts'),
    stateDir: path.join(stateDir, 'durable'),
    port: apiPort.port,
    clock: 'real',
    env,
    log: o.quiet ? undefined : (line) => process.stderr.write(`[host] ${line}\n`),
  });
  process.stderr.write(`Local host: ${host.url} (functions: ${host.functions().map((f) => f.name).join(', ')})\n`);

  const settings = readRuntimeSettings(process.env);
  // The same singleton id as the timer's sweep: a timer tick during this first sweep is skipped, not doubled.
  const instanceId = await host.startNew(OrchestratorNames.complianceSweep, { instanceId: SWEEP_INSTANCE_ID, input: { policy, settings } });
  let last = '';
  const timer = setInterval(async () => {
    const s = await host.getStatus(instanceId);
    const text = formatProgress('sweep', s?.customStatus as ProgressStatus | undefined);
    if (text && text !== last) process.stderr.write(`${text}\n`);
    last = text;
  }, 250);
  const done = await host.waitForCompletion(instanceId, { timeoutMs: 10 * 60_000 });
  clearInterval(timer);
  let code = 0;
  if (done.runtimeStatus !== 'Completed') {
    process.stderr.write(`Sweep ${done.runtimeStatus}: ${JSON.stringify(done.output)}\n`);
    code = 1;
  } else {
    const out = done.output as ComplianceSweepResult;
    const report = JSON.parse(readFileSync(out.report.json, 'utf8')) as SweepReport;
    process.stdout.write(`${renderMarkdown(report)}\n`);
    process.stderr.write(`Report files in ${path.join(stateDir, 'reports')}\n`);
  }
  if (o.once) {
    await host.stop();
    await emulator.close();
    return code;
  }
  process.stderr.write(
    [
      `Serving runbooks, events and the dashboard (Ctrl+C to stop). In another terminal:`,
      `  export API=${host.url} ARM=${emulator.url}`,
      `  dashboard:  ${host.url}/api/dashboard`,
      `  runbooks:   curl -s -X POST ${host.url}/api/runbooks/verify -H 'content-type: application/json' -d '{"cacheId":"<cache id>"}'`,
      `  OpenAPI:    curl -s ${host.url}/api/openapi.json`,
      `  emulator:   curl -s '${emulator.url}/_emulator/connectivity?cache=<cache id>&from=internet'`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await host.stop();
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => undefined);
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (e) => {
      const usage = e instanceof UsageError || e instanceof PortInUseError;
      process.stderr.write(`npm start: ${usage ? (e as Error).message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(usage ? 2 : 1);
    },
  );
}
