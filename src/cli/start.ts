/**
 * `npm start`: the main job on the embedded default. Starts the ARM emulator with the demo estate (or
 * `-- --estate <file>`), the local Functions + Durable host on 127.0.0.1:7071 with the app's own functions, runs one
 * compliance sweep at once printing its progress (stderr) and report (stdout), then stays up for runbook calls
 * and events (`--once` exits after the sweep).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../../emulator';
import { parsePolicy } from '../policy/policy-schema';
import { readRuntimeSettings } from '../azure/settings';
import { OrchestratorNames } from '../orchestrations/names';
import type { ComplianceSweepResult } from '../orchestrations/compliance-sweep';
import { SWEEP_INSTANCE_ID } from '../functions/start-or-signal';
import { renderMarkdown, type SweepReport } from '../activities/write-report';
import { startLocalHost } from '../local/host';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const estate = arg('estate') ?? path.join(root, 'emulator', 'estates', 'demo.json');
  const policyFile = arg('policy') ?? path.join(root, 'examples', 'policy.demo.json');
  const port = Number(arg('port') ?? 7071);
  const stateDir = path.resolve(arg('state-dir') ?? '.autopilot');
  const policy = parsePolicy(readFileSync(policyFile, 'utf8'));

  const emulatorPort = Number(arg('emulator-port') ?? 8480);
  const emulator = await startEmulator({ estate, port: emulatorPort, settings: { lroDurationMs: 200 } as any });
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
  const host = await startLocalHost({
    appModule: path.join(root, 'src', 'index.ts'),
    stateDir: path.join(stateDir, 'durable'),
    port,
    clock: 'real',
    env,
    log: (line) => process.stderr.write(`[host] ${line}\n`),
  });
  process.stderr.write(`Local host: ${host.url} (functions: ${host.functions().map((f) => f.name).join(', ')})\n`);

  const settings = readRuntimeSettings(process.env);
  // The same singleton id as the timer's sweep: a timer tick during this first sweep is skipped, not doubled.
  const instanceId = await host.startNew(OrchestratorNames.complianceSweep, { instanceId: SWEEP_INSTANCE_ID, input: { policy, settings } });
  let last = '';
  const timer = setInterval(async () => {
    const s = await host.getStatus(instanceId);
    const p = s?.customStatus as { step?: number; of?: number; doing?: string } | undefined;
    const text = p?.doing ? `[${p.step}/${p.of}] ${p.doing}` : '';
    if (text && text !== last) process.stderr.write(`sweep ${text}\n`);
    last = text;
  }, 250);
  const done = await host.waitForCompletion(instanceId, { timeoutMs: 10 * 60_000 });
  clearInterval(timer);
  if (done.runtimeStatus !== 'Completed') {
    process.stderr.write(`Sweep ${done.runtimeStatus}: ${JSON.stringify(done.output)}\n`);
    process.exitCode = 1;
  } else {
    const out = done.output as ComplianceSweepResult;
    const report = JSON.parse(readFileSync(out.report.json, 'utf8')) as SweepReport;
    process.stdout.write(`${renderMarkdown(report)}\n`);
    process.stderr.write(`Report files in ${path.join(stateDir, 'reports')}\n`);
  }
  if (process.argv.includes('--once')) {
    await host.stop();
    await emulator.close();
    return;
  }
  process.stderr.write(`Serving runbooks and events on ${host.url} (Ctrl+C to stop)\n`);
  const stop = async () => {
    await host.stop();
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
