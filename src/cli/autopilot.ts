#!/usr/bin/env node
/**
 * `autopilot`: the workflows from the command line, run in-process on the embedded host.
 *
 *   autopilot sweep [--dry-run] [--json] [--fail-on-findings]
 *   autopilot remediate <cacheId> | verify <cacheId>
 *   autopilot add-endpoint --cache <id> [--subnet <id>] [--name <pe>]
 *   autopilot remove-endpoint --cache <id> --endpoint <id> [--accept-data-loss]
 *   autopilot public-access --cache <id> --value Enabled|Disabled [--force]
 *   autopilot report            (the last sweep report in the state directory)
 *
 * Targets: real Azure (DefaultAzureCredential; --subscription adds to the policy scope), `--emulator [estate]`
 * (an emulator started in-process, demo estate by default), or `--arm-endpoint <url>` (one started with
 * `npm run emulator`). Progress goes to stderr, a table (or --json) to stdout.
 * Exit codes: 0 done; 1 a workflow failed or was refused; 2 bad usage or policy; 3 --fail-on-findings and
 * something is non-compliant.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parsePolicy, PolicyError, type Policy } from '../policy/policy-schema';
import { readRuntimeSettings } from '../azure/settings';
import { OrchestratorNames } from '../orchestrations/names';
import type { SweepReport, CacheReportEntry } from '../activities/write-report';
import type { WorkflowResult } from '../orchestrations/common';
import type { ComplianceSweepResult } from '../orchestrations/compliance-sweep';

const ROOT = path.resolve(__dirname, '..', '..', existsSync(path.resolve(__dirname, '..', '..', 'package.json')) ? '' : '..');

interface GlobalOptions {
  emulator?: string | boolean;
  armEndpoint?: string;
  subscription?: string[];
  policy?: string;
  cloud?: string;
  dryRun?: boolean;
  json?: boolean;
  failOnFindings?: boolean;
  stateDir: string;
  quiet?: boolean;
}

class UsageError extends Error {}

function loadPolicy(o: GlobalOptions): Policy {
  let text = o.policy ? readFileSync(o.policy, 'utf8') : process.env.AUTOPILOT_POLICY;
  if (!text && o.emulator) text = readFileSync(path.join(ROOT, 'examples', 'policy.demo.json'), 'utf8');
  if (!text) throw new UsageError('No policy: pass --policy <file> (see README "The policy") or set AUTOPILOT_POLICY.');
  const raw = JSON.parse(text);
  if (o.subscription?.length) {
    raw.scopes = { subscriptions: [...new Set([...(raw.scopes?.subscriptions ?? []), ...o.subscription])] };
  }
  return parsePolicy(raw);
}

function log(o: GlobalOptions, line: string): void {
  if (!o.quiet) process.stderr.write(`${line}\n`);
}

interface Session {
  run(name: string, input: Record<string, unknown>, label: string): Promise<any>;
  close(): Promise<void>;
  policy: Policy;
}

async function openSession(o: GlobalOptions): Promise<Session> {
  const policy = loadPolicy(o);
  let closeEmulator: (() => Promise<void>) | undefined;
  if (o.emulator) {
    const { startEmulator } = await import('../../emulator');
    const estate = typeof o.emulator === 'string' ? o.emulator : path.join(ROOT, 'emulator', 'estates', 'demo.json');
    const emu = await startEmulator({ estate });
    process.env.AUTOPILOT_ARM_ENDPOINT = emu.url;
    closeEmulator = () => emu.close();
    log(o, `ARM emulator ${emu.url} (estate ${path.relative(process.cwd(), estate) || estate})`);
  } else if (o.armEndpoint) {
    process.env.AUTOPILOT_ARM_ENDPOINT = o.armEndpoint;
  }
  if (o.cloud) process.env.AUTOPILOT_CLOUD = o.cloud;
  process.env.AUTOPILOT_STATE_DIR = o.stateDir;
  process.env.AUTOPILOT_POLL_INTERVAL_SECONDS ??= o.emulator || o.armEndpoint ? '1' : '15';
  if (o.emulator || o.armEndpoint) process.env.AUTOPILOT_LRO_POLL_MS ??= '100';
  process.env.AUTOPILOT_RETRY_FIRST_INTERVAL_MS ??= o.emulator || o.armEndpoint ? '500' : '5000';
  const { startLocalHost } = await import('../local/host');
  const host = await startLocalHost({ appModule: path.join(__dirname, '..', 'index'), clock: 'real', enableTimers: false });
  const settings = readRuntimeSettings(process.env);
  return {
    policy,
    async run(name, input, label) {
      const id = await host.startNew(name, { input: { policy, settings, ...input } });
      let last = '';
      const show = (s: { customStatus?: unknown } | undefined) => {
        const p = s?.customStatus as { step?: number; of?: number; doing?: string } | undefined;
        const text = p?.doing ? `${label} [${p.step}/${p.of}] ${p.doing}` : '';
        if (text && text !== last) log(o, text);
        if (text) last = text;
      };
      const timer = setInterval(() => void host.getStatus(id).then(show), 200);
      try {
        const done = await host.waitForCompletion(id, { timeoutMs: 6 * 3600_000 });
        show(done);
        if (done.runtimeStatus !== 'Completed') throw new Error(`${label} ${done.runtimeStatus}: ${typeof done.output === 'string' ? done.output : JSON.stringify(done.output)}`);
        return done.output;
      } finally {
        clearInterval(timer);
      }
    },
    async close() {
      await host.stop();
      await closeEmulator?.();
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function printReport(o: GlobalOptions, report: Pick<SweepReport, 'caches' | 'summary'>): void {
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const rows = [['CACHE', 'TIER', 'COMPLIANT', 'FINDINGS', 'ACTIONS']];
  for (const c of report.caches) {
    rows.push([
      c.id.split('/').pop() ?? c.id,
      c.tier ?? '',
      c.compliant ? 'yes' : 'no',
      c.findings.map((f) => f.rule).join(', ') || '-',
      c.actions.map((a) => `${a.step.split(' ')[0].replace(/:$/, '')}:${a.status}`).join(', ') || '-',
    ]);
  }
  process.stdout.write(`${table(rows)}\n\n`);
  const s = report.summary;
  process.stdout.write(`${s.caches} cache(s): ${s.compliant} compliant, ${s.nonCompliant} non-compliant, ${s.remediated} remediated, ${s.failed} failed\n`);
}

function entryOfWorkflow(r: WorkflowResult & { tier?: string; remaining?: any[] }): CacheReportEntry {
  const findings = (r.findings ?? []) as Array<{ rule: string; severity: string; message: string }>;
  const remaining = (r.remaining ?? (r.status === 'refused' || r.status === 'failed' ? [{}] : findings)) as unknown[];
  return {
    id: r.cacheId,
    ...(r.tier ? { tier: r.tier } : {}),
    compliant: remaining.length === 0,
    status: r.status,
    findings: r.status === 'refused' ? [{ rule: String(r.rule), severity: 'high', message: r.message }] : findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    actions: r.actions.map((a) => ({ step: a.step, status: a.status })),
  };
}

function summaryOf(entries: CacheReportEntry[]): SweepReport['summary'] {
  return {
    caches: entries.length,
    compliant: entries.filter((e) => e.compliant).length,
    nonCompliant: entries.filter((e) => !e.compliant).length,
    remediated: entries.filter((e) => e.status === 'succeeded' && e.actions.some((a) => a.status === 'done')).length,
    failed: entries.filter((e) => e.status === 'failed' || e.status === 'refused').length,
  };
}

async function runSingle(o: GlobalOptions, name: string, input: Record<string, unknown>, label: string): Promise<number> {
  const session = await openSession(o);
  try {
    const result: WorkflowResult = await session.run(name, { ...input, ...(o.dryRun ? { dryRun: true } : {}) }, label);
    const entry = entryOfWorkflow(result);
    if (!o.json) process.stderr.write(`${result.status}: ${result.message}\n`);
    printReport(o, { caches: [entry], summary: summaryOf([entry]) });
    if (result.status === 'refused' || result.status === 'failed') return 1;
    return o.failOnFindings && !entry.compliant ? 3 : 0;
  } finally {
    await session.close();
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('autopilot')
    .description('Redis Private Link Autopilot: keep Azure Cache for Redis reachable only through Private Link.')
    .addOption(new Option('--emulator [estate]', 'start the ARM emulator in-process (demo estate unless a file is given)'))
    .option('--arm-endpoint <url>', 'send ARM requests to an emulator started with `npm run emulator`')
    .option('--subscription <id...>', 'subscription(s) to add to the policy scope')
    .option('--policy <file>', 'policy JSON (default: AUTOPILOT_POLICY; the demo policy with --emulator)')
    .option('--cloud <name>', 'AzureCloud | AzureChinaCloud | AzureUSGovernment')
    .option('--dry-run', 'read and plan only: no write')
    .option('--json', 'machine-readable report on stdout')
    .option('--fail-on-findings', 'exit 3 when anything is non-compliant')
    .option('--state-dir <dir>', 'inventory and reports', '.autopilot')
    .option('--quiet', 'no progress on stderr');
  const g = () => program.opts<GlobalOptions>();

  program.command('sweep').description('inventory every cache in scope, evaluate, remediate (or report)').action(async () => {
    const o = g();
    const session = await openSession(o);
    try {
      const out: ComplianceSweepResult = await session.run(OrchestratorNames.complianceSweep, { dryRun: !!o.dryRun }, 'sweep');
      const report = JSON.parse(readFileSync(out.report.json, 'utf8')) as SweepReport;
      printReport(o, report);
      process.exitCode = o.failOnFindings && report.summary.nonCompliant > 0 ? 3 : report.summary.failed > 0 ? 1 : 0;
    } finally {
      await session.close();
    }
  });
  program.command('remediate <cacheId>').description('re-read one cache and converge it').action(async (cacheId: string) => {
    process.exitCode = await runSingle(g(), OrchestratorNames.remediateCache, { cacheId, reason: 'cli' }, 'remediate');
  });
  program.command('verify <cacheId>').description('check DNS records, zone links, host name and port').action(async (cacheId: string) => {
    process.exitCode = await runSingle(g(), OrchestratorNames.verifyCache, { cacheId }, 'verify');
  });
  program
    .command('add-endpoint')
    .requiredOption('--cache <id>', 'cache resource id')
    .option('--subnet <id>', 'subnet for the endpoint (default: the policy placement for the region)')
    .option('--name <name>', 'private endpoint name (default pe-<cache>-<vnet>)')
    .option('--unlink-geo-replication', 'unlink passive geo-replication around the change, then relink')
    .action(async (c: { cache: string; subnet?: string; name?: string; unlinkGeoReplication?: boolean }) => {
      process.exitCode = await runSingle(g(), OrchestratorNames.addPrivateEndpoint, {
        cacheId: c.cache,
        subnetId: c.subnet,
        privateEndpointName: c.name,
        ...(c.unlinkGeoReplication ? { geoReplication: 'unlink-and-relink' } : {}),
      }, 'add-endpoint');
    });
  program
    .command('remove-endpoint')
    .requiredOption('--cache <id>', 'cache resource id')
    .requiredOption('--endpoint <id>', 'private endpoint resource id')
    .option('--accept-data-loss', 'Basic tier: accept the documented data loss risk')
    .action(async (c: { cache: string; endpoint: string; acceptDataLoss?: boolean }) => {
      process.exitCode = await runSingle(g(), OrchestratorNames.removePrivateEndpoint, { cacheId: c.cache, privateEndpointId: c.endpoint, acceptDataLoss: !!c.acceptDataLoss }, 'remove-endpoint');
    });
  program
    .command('public-access')
    .requiredOption('--cache <id>', 'cache resource id')
    .addOption(new Option('--value <value>', 'Enabled or Disabled').choices(['Enabled', 'Disabled']).makeOptionMandatory())
    .option('--force', 'skip the lockout guard')
    .action(async (c: { cache: string; value: string; force?: boolean }) => {
      process.exitCode = await runSingle(g(), OrchestratorNames.setPublicNetworkAccess, { cacheId: c.cache, value: c.value, force: !!c.force }, 'public-access');
    });
  program.command('report').description('print the last sweep report from the state directory').action(async () => {
    const o = g();
    const file = path.join(o.stateDir, 'reports', 'latest.json');
    if (!existsSync(file)) throw new UsageError(`No report yet in ${file}: run \`autopilot sweep\` first.`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as SweepReport;
    printReport(o, report);
    process.exitCode = o.failOnFindings && report.summary.nonCompliant > 0 ? 3 : 0;
  });
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e) => {
      const usage = e instanceof UsageError || e instanceof PolicyError || e instanceof SyntaxError;
      process.stderr.write(`autopilot: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(usage ? 2 : 1);
    })
    .then(() => {
      // The host keeps no handle open once stopped; exit explicitly in case an SDK socket lingers.
      process.exit(process.exitCode ?? 0);
    });
}
