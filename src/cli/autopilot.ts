#!/usr/bin/env node
/**
 * `autopilot`: the workflows from the command line, run in-process on the embedded host.
 *
 *   autopilot [global options] sweep | report
 *   autopilot [global options] remediate <cacheId> | verify <cacheId>
 *   autopilot [global options] add-endpoint --cache <id> [--subnet <id>] [--name <pe>] [--unlink-geo-replication]
 *   autopilot [global options] remove-endpoint --cache <id> --endpoint <id> [--accept-data-loss]
 *   autopilot [global options] public-access --cache <id> --value Enabled|Disabled [--force]
 *
 * Targets: real Azure (DefaultAzureCredential; --subscription adds to the policy scope), `--emulator` (an emulator
 * started in-process with the demo estate, or `--estate <file>`), or `--arm-endpoint <url>` (one started with
 * `npm run emulator`). Progress goes to stderr, a table (or --json) to stdout. Emulator runs keep their state in
 * `.autopilot/demo` unless --state-dir says otherwise, so they never touch the server's `.autopilot`.
 * Exit codes: 0 done; 1 a workflow failed or was refused; 2 bad usage, policy or estate (one line on stderr);
 * 3 --fail-on-findings and something is non-compliant.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Policy } from '../policy/policy-schema';
import { validatePrivateEndpointName } from '../policy/naming';
import { readRuntimeSettings } from '../azure/settings';
import { OrchestratorNames } from '../orchestrations/names';
import { summarize, type SweepReport, type CacheReportEntry } from '../activities/write-report';
import type { WorkflowResult } from '../orchestrations/common';
import type { ComplianceSweepResult } from '../orchestrations/compliance-sweep';
import { addEndpointBody, cacheOnlyBody, publicAccessBody, removeEndpointBody } from '../functions/http/schemas';
import { UsageError, policyFrom, policyFromText, readJsonFile, validateInput } from './inputs';
import { formatProgress, type ProgressStatus } from './progress';
import { renderTable, renderVerification } from './tables';

const ROOT = path.resolve(__dirname, '..', '..', existsSync(path.resolve(__dirname, '..', '..', 'package.json')) ? '' : '..');
const DEMO_ESTATE = path.join(ROOT, 'emulator', 'estates', 'demo.json');
const DEMO_POLICY = path.join(ROOT, 'examples', 'policy.demo.json');
/** Where `npm start` and a real-Azure CLI keep state; emulator demo runs use DEMO_STATE_DIR instead. */
export const DEFAULT_STATE_DIR = '.autopilot';
export const DEMO_STATE_DIR = path.join('.autopilot', 'demo');

interface GlobalOptions {
  emulator?: boolean;
  estate?: string;
  armEndpoint?: string;
  subscription?: string[];
  policy?: string;
  cloud?: string;
  dryRun?: boolean;
  json?: boolean;
  failOnFindings?: boolean;
  stateDir?: string;
  quiet?: boolean;
}

const usesEmulator = (o: GlobalOptions) => !!(o.emulator || o.estate);
const stateDirOf = (o: GlobalOptions) => o.stateDir ?? (usesEmulator(o) ? DEMO_STATE_DIR : DEFAULT_STATE_DIR);

function loadPolicy(o: GlobalOptions): Policy {
  const extra = o.subscription ?? [];
  if (o.policy) return policyFrom(`--policy ${o.policy}`, readJsonFile('--policy', o.policy), extra);
  if (process.env.AUTOPILOT_POLICY) return policyFromText('AUTOPILOT_POLICY', process.env.AUTOPILOT_POLICY, extra);
  if (usesEmulator(o)) return policyFrom(`demo policy ${path.relative(process.cwd(), DEMO_POLICY)}`, readJsonFile('--policy', DEMO_POLICY), extra);
  throw new UsageError('no policy: pass --policy <file> (see README "The policy") or set AUTOPILOT_POLICY');
}

/** Everything that can be checked before any work: options that exclude each other, the estate file, the policy. */
function preflight(o: GlobalOptions): Policy {
  if (usesEmulator(o) && o.armEndpoint) throw new UsageError('--emulator/--estate and --arm-endpoint exclude each other: pick one target');
  if (o.armEndpoint && !/^https?:\/\/[^\s/]+/.test(o.armEndpoint)) throw new UsageError(`--arm-endpoint ${o.armEndpoint}: expected a URL like http://127.0.0.1:8480`);
  if (o.estate) {
    const estate = readJsonFile('--estate', o.estate);
    if (!estate || typeof estate !== 'object' || Array.isArray(estate)) throw new UsageError(`--estate ${o.estate}: expected a JSON object (an estate like emulator/estates/demo.json)`);
  }
  return loadPolicy(o);
}

function log(o: GlobalOptions, line: string): void {
  if (!o.quiet) process.stderr.write(`${line}\n`);
}

interface Session {
  run(name: string, input: Record<string, unknown>, label: string): Promise<any>;
  close(): Promise<void>;
  policy: Policy;
}

async function openSession(o: GlobalOptions, policy: Policy): Promise<Session> {
  let closeEmulator: (() => Promise<void>) | undefined;
  if (usesEmulator(o)) {
    const { startEmulator } = await import('../../emulator');
    const estate = o.estate ?? DEMO_ESTATE;
    const emu = await startEmulator({ estate });
    process.env.AUTOPILOT_ARM_ENDPOINT = emu.url;
    closeEmulator = () => emu.close();
    log(o, `ARM emulator ${emu.url} (estate ${path.relative(process.cwd(), estate) || estate}); state in ${stateDirOf(o)}`);
  } else if (o.armEndpoint) {
    process.env.AUTOPILOT_ARM_ENDPOINT = o.armEndpoint;
  }
  const local = usesEmulator(o) || !!o.armEndpoint;
  if (o.cloud) process.env.AUTOPILOT_CLOUD = o.cloud;
  process.env.AUTOPILOT_STATE_DIR = stateDirOf(o);
  process.env.AUTOPILOT_POLL_INTERVAL_SECONDS ??= local ? '1' : '15';
  if (local) process.env.AUTOPILOT_LRO_POLL_MS ??= '100';
  process.env.AUTOPILOT_RETRY_FIRST_INTERVAL_MS ??= local ? '500' : '5000';
  const { startLocalHost } = await import('../local/host');
  const host = await startLocalHost({ appModule: path.join(__dirname, '..', 'index'), clock: 'real', enableTimers: false });
  const settings = readRuntimeSettings(process.env);
  return {
    policy,
    async run(name, input, label) {
      const id = await host.startNew(name, { input: { policy, settings, ...input } });
      let last = '';
      const show = (s: { customStatus?: unknown } | undefined) => {
        const text = formatProgress(label, s?.customStatus as ProgressStatus | undefined);
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

function printReport(o: GlobalOptions, report: Pick<SweepReport, 'caches' | 'summary'>, extra?: Record<string, unknown>): void {
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...report, ...extra }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${renderTable(report.caches)}\n\n`);
  const s = report.summary;
  process.stdout.write(
    `${s.caches} cache(s): ${s.compliant} compliant after, ${s.nonCompliant} non-compliant after, ${s.remediated} remediated, ${s.failed} failed` +
      `${s.exempt ? `, ${s.exempt} exempt` : ''}${s.pendingDecisions ? `, ${s.pendingDecisions} pending decision(s)` : ''}\n`,
  );
}

type AnyResult = WorkflowResult & { tier?: string; remaining?: Array<{ rule: string; severity: string; message: string }>; verification?: unknown };

/** The report row of one workflow: findings before, actions, findings after, compliant after. */
export function entryOfWorkflow(r: AnyResult): CacheReportEntry {
  const pick = (f: { rule: string; severity: string; message: string }) => ({ rule: f.rule, severity: f.severity, message: f.message });
  const findings = r.status === 'refused'
    ? [{ rule: String(r.rule ?? 'refused'), severity: 'high', message: r.message }]
    : (r.findings ?? []).map(pick);
  const remaining = r.status === 'failed'
    ? [...(r.remaining ?? findings).map(pick), { rule: 'workflow-failed', severity: 'high', message: r.message }]
    : r.remaining ? r.remaining.map(pick) : findings;
  return {
    id: r.cacheId,
    ...(r.tier ? { tier: r.tier } : {}),
    compliant: remaining.length === 0 && r.status !== 'refused',
    status: r.status,
    findings,
    actions: r.actions.map((a) => ({ step: a.step, status: a.status })),
    remaining,
  };
}

async function runSingle(o: GlobalOptions, policy: Policy, name: string, input: Record<string, unknown>, label: string): Promise<number> {
  const session = await openSession(o, policy);
  try {
    const result: AnyResult = await session.run(name, { ...input, ...(o.dryRun ? { dryRun: true } : {}) }, label);
    const entry = entryOfWorkflow(result);
    if (!o.json) process.stderr.write(`${result.status}: ${result.message}\n`);
    printReport(o, { caches: [entry], summary: summarize([entry]) }, result.verification ? { verification: result.verification } : undefined);
    if (!o.json && result.verification) process.stdout.write(`\n${renderVerification(result.verification as any)}\n`);
    if (result.status === 'refused' || result.status === 'failed') return 1;
    return o.failOnFindings && !entry.compliant ? 3 : 0;
  } finally {
    await session.close();
  }
}

function collect(value: string, previous: string[] = []): string[] {
  if (!value.trim()) throw new InvalidArgumentError('expected a subscription id');
  return [...previous, value];
}

const COMMANDS = 'sweep, report, remediate, verify, add-endpoint, remove-endpoint, public-access';

export function buildProgram(): Command {
  const program = new Command()
    .name('autopilot')
    .description('Redis Private Link Autopilot: keep Azure Cache for Redis reachable only through Private Link.')
    .option('--emulator', 'start the ARM emulator in-process with the demo estate (state in .autopilot/demo)')
    .option('--estate <file>', 'estate JSON for the in-process emulator (implies --emulator)')
    .option('--arm-endpoint <url>', 'send ARM requests to an emulator started with `npm run emulator`')
    .option('--subscription <id>', 'subscription to add to the policy scope (repeat for more)', collect)
    .option('--policy <file>', 'policy JSON (default: AUTOPILOT_POLICY; the demo policy with --emulator)')
    .option('--cloud <name>', 'AzureCloud | AzureChinaCloud | AzureUSGovernment')
    .option('--dry-run', 'read and plan only: no write')
    .option('--json', 'machine-readable report on stdout')
    .option('--fail-on-findings', 'exit 3 when anything is non-compliant')
    .option('--state-dir <dir>', `inventory and reports (default ${DEFAULT_STATE_DIR}; ${DEMO_STATE_DIR} with --emulator)`)
    .option('--quiet', 'no progress on stderr')
    .addHelpText('after', `\nExit codes: 0 done; 1 a workflow failed or was refused; 2 bad usage, policy or estate; 3 --fail-on-findings and something is non-compliant.\nExample: autopilot --emulator sweep`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`autopilot: ${s.replace(/^error: /, '').trim()}\n`),
    });
  const g = () => program.opts<GlobalOptions>();

  program.command('sweep').description('inventory every cache in scope, evaluate, remediate (or report)').action(async () => {
    const o = g();
    const policy = preflight(o);
    const session = await openSession(o, policy);
    try {
      const out: ComplianceSweepResult = await session.run(OrchestratorNames.complianceSweep, { dryRun: !!o.dryRun }, 'sweep');
      const report = JSON.parse(readFileSync(out.report.json, 'utf8')) as SweepReport;
      printReport(o, report);
      if (!o.json) log(o, `Report: ${out.report.markdown}`);
      process.exitCode = report.summary.failed > 0 ? 1 : o.failOnFindings && report.summary.nonCompliant > 0 ? 3 : 0;
    } finally {
      await session.close();
    }
  });
  program
    .command('remediate')
    .argument('<cacheId>', 'cache resource id')
    .description('re-read one cache and converge it (audit mode / --dry-run: report only)')
    .action(async (cacheId: string) => {
      const o = g();
      validateInput(cacheOnlyBody, { cacheId }, { cacheId: '<cacheId>' });
      const policy = preflight(o);
      process.exitCode = await runSingle(o, policy, OrchestratorNames.remediateCache, { cacheId, reason: 'cli' }, 'remediate');
    });
  program
    .command('verify')
    .argument('<cacheId>', 'cache resource id')
    .description('check DNS records, zone links, host name and port')
    .action(async (cacheId: string) => {
      const o = g();
      validateInput(cacheOnlyBody, { cacheId }, { cacheId: '<cacheId>' });
      const policy = preflight(o);
      process.exitCode = await runSingle(o, policy, OrchestratorNames.verifyCache, { cacheId }, 'verify');
    });
  program
    .command('add-endpoint')
    .description('add a private endpoint and its DNS to a cache')
    .requiredOption('--cache <id>', 'cache resource id')
    .option('--subnet <id>', 'subnet for the endpoint (default: the policy placement for the region)')
    .option('--name <name>', 'private endpoint name (default pe-<cache>-<vnet>)')
    .option('--unlink-geo-replication', 'unlink passive geo-replication around the change, then relink')
    .action(async (c: { cache: string; subnet?: string; name?: string; unlinkGeoReplication?: boolean }) => {
      const o = g();
      const options = { cacheId: '--cache', subnetId: '--subnet', privateEndpointName: '--name' };
      if (c.subnet) validateInput(addEndpointBody, { cacheId: c.cache, subnetId: c.subnet, privateEndpointName: c.name }, options);
      else validateInput(cacheOnlyBody, { cacheId: c.cache }, options);
      if (c.name && !c.subnet) {
        const n = validatePrivateEndpointName(c.name);
        if (!n.ok) throw new UsageError(`--name: ${n.message}`);
      }
      const policy = preflight(o);
      process.exitCode = await runSingle(o, policy, OrchestratorNames.addPrivateEndpoint, {
        cacheId: c.cache,
        subnetId: c.subnet,
        privateEndpointName: c.name,
        ...(c.unlinkGeoReplication ? { geoReplication: 'unlink-and-relink' } : {}),
      }, 'add-endpoint');
    });
  program
    .command('remove-endpoint')
    .description('remove a private endpoint (never leaves the cache unreachable)')
    .requiredOption('--cache <id>', 'cache resource id')
    .requiredOption('--endpoint <id>', 'private endpoint resource id')
    .option('--accept-data-loss', 'Basic tier: accept the documented data loss risk')
    .action(async (c: { cache: string; endpoint: string; acceptDataLoss?: boolean }) => {
      const o = g();
      validateInput(removeEndpointBody, { cacheId: c.cache, privateEndpointId: c.endpoint, acceptDataLoss: !!c.acceptDataLoss }, { cacheId: '--cache', privateEndpointId: '--endpoint' });
      const policy = preflight(o);
      process.exitCode = await runSingle(o, policy, OrchestratorNames.removePrivateEndpoint, { cacheId: c.cache, privateEndpointId: c.endpoint, acceptDataLoss: !!c.acceptDataLoss }, 'remove-endpoint');
    });
  program
    .command('public-access')
    .description('enable or disable public network access (with the lockout guard)')
    .requiredOption('--cache <id>', 'cache resource id')
    .addOption(new Option('--value <value>', 'Enabled or Disabled').choices(['Enabled', 'Disabled']).makeOptionMandatory())
    .option('--force', 'skip the lockout guard')
    .action(async (c: { cache: string; value: string; force?: boolean }) => {
      const o = g();
      validateInput(publicAccessBody, { cacheId: c.cache, value: c.value, force: !!c.force }, { cacheId: '--cache', value: '--value' });
      const policy = preflight(o);
      process.exitCode = await runSingle(o, policy, OrchestratorNames.setPublicNetworkAccess, { cacheId: c.cache, value: c.value, force: !!c.force }, 'public-access');
    });
  program
    .command('report')
    .description('print the last sweep report from the state directory')
    .action(async () => {
      const o = g();
      const file = path.join(stateDirOf(o), 'reports', 'latest.json');
      if (!existsSync(file)) throw new UsageError(`no report yet in ${file}: run \`autopilot${usesEmulator(o) ? ' --emulator' : ''} sweep\` (or npm start) first`);
      const report = readJsonFile('report', file) as SweepReport;
      printReport(o, { caches: report.caches, summary: summarize(report.caches) });
      process.exitCode = o.failOnFindings && summarize(report.caches).nonCompliant > 0 ? 3 : 0;
    });
  program.argument('[command]').action((command?: string) => {
    if (command) throw new UsageError(`unknown command '${command}': expected one of ${COMMANDS} (autopilot --help)`);
    throw new UsageError(`no command given: expected one of ${COMMANDS} (autopilot --help)`);
  });
  return program;
}

/** Parses and runs; resolves to the exit code (0 help, 2 usage, 1 failure, 3 findings). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed its one line
    const usage = e instanceof UsageError;
    process.stderr.write(`autopilot: ${e instanceof Error ? e.message : String(e)}\n`);
    return usage ? 2 : 1;
  }
}

if (require.main === module) {
  // Exit explicitly: an SDK socket may linger after the host stopped.
  void main(process.argv).then((code) => process.exit(code));
}
