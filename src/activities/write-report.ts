import { defineActivity } from './define';
import { ActivityNames } from './names';
import { readPage } from './evaluate-cache-page';
import type { ReadinessEntry } from '../policy/migration';
import type { CacheTopology } from '../policy/topology';

export interface ReportFinding {
  rule: string;
  severity: string;
  message: string;
}

/** A human decision a workflow waits for (migration gates): filled in by the workflow that asks for it. */
export interface PendingDecision {
  /** The instance waiting; approve/reject with `POST /api/runbooks/decisions/{instanceId}`. */
  instanceId: string;
  /** What is to be decided, e.g. `migrate-to-managed-redis`. */
  decision: string;
  /** The gate the decision runbook names in its body (`{ gate, decision: approve|reject }`). */
  gate?: string;
  question: string;
  requestedAt?: string;
  /** When the gate gives up (or proceeds by default), if it does. */
  expiresAt?: string;
}

export interface MaintenanceWindow {
  start: string;
  end: string;
  /** Where the window comes from (policy, tag). */
  source?: string;
}

/**
 * One row per cache: findings before, actions with their outcomes, findings after (`remaining`, re-read after a
 * remediation; the same as `findings` when nothing ran), compliant after. Extension point for other workflows
 * (migration readiness, decisions, windows): add OPTIONAL fields here; the Markdown, the CLI table and the
 * dashboard render `pendingDecisions` and `nextMaintenanceWindow` when present.
 */
export interface CacheReportEntry {
  id: string;
  tier?: string;
  /** Compliant after whatever ran (no finding remains). */
  compliant: boolean;
  status: string;
  /** Findings before (what the sweep or the workflow read first). */
  findings: ReportFinding[];
  actions: Array<{ step: string; status: string }>;
  /** Findings after: what is still wrong after a remediation (re-read); equals `findings` when nothing ran. */
  remaining?: ReportFinding[];
  pendingDecisions?: PendingDecision[];
  nextMaintenanceWindow?: MaintenanceWindow;
  /** Azure Cache for Redis retirement: the date, the proposed AMR SKU, the tooling's blockers, the path; and the
   * `retirement-pending` notice (info, or warning within 12 months). Not part of Private Link compliance. */
  readiness?: ReadinessEntry;
  /** The network picture (dashboard): from the sweep's snapshot, or the live re-read after a remediation. */
  topology?: CacheTopology;
}

export interface SweepSummary {
  caches: number;
  /** compliant + nonCompliant === caches (compliant after). */
  compliant: number;
  nonCompliant: number;
  /** Caches where a workflow made at least one change and that are now compliant or better. */
  remediated: number;
  /** Workflows that failed or were refused. */
  failed: number;
  /** Caches exempt by tag (counted in compliant/nonCompliant by their findings too). */
  exempt?: number;
  /** Caches compliant before anything ran. */
  compliantBefore?: number;
  pendingDecisions?: number;
}

export interface SweepReport {
  sweepId: string;
  startedAt: string;
  finishedAt?: string;
  mode: string;
  dryRun: boolean;
  summary: SweepSummary;
  caches: CacheReportEntry[];
}

export interface WriteReportInput {
  sweepId: string;
  pages: number;
  startedAt: string;
  finishedAt?: string;
  mode: string;
  dryRun: boolean;
}

/** What is still wrong after the row's workflow (findings after). */
export function remainingOf(c: CacheReportEntry): ReportFinding[] {
  return c.remaining ?? c.findings;
}

export function summarize(caches: CacheReportEntry[]): SweepSummary {
  const decisions = caches.reduce((n, c) => n + (c.pendingDecisions?.length ?? 0), 0);
  return {
    caches: caches.length,
    compliant: caches.filter((e) => e.compliant).length,
    nonCompliant: caches.filter((e) => !e.compliant).length,
    remediated: caches.filter((e) => e.actions.some((a) => a.status === 'done')).length,
    failed: caches.filter((e) => e.status === 'failed' || e.status === 'refused').length,
    exempt: caches.filter((e) => e.status === 'exempt').length,
    compliantBefore: caches.filter((e) => e.findings.length === 0).length,
    ...(decisions > 0 ? { pendingDecisions: decisions } : {}),
  };
}

const nameOf = (id: string) => id.split('/').pop() ?? id;
const rules = (fs: ReportFinding[]) => (fs.length ? fs.map((f) => f.rule).join(', ') : 'none');

/** One Markdown section per non-compliant or changed cache; compliant untouched caches in one collapsed list. */
export function renderMarkdown(report: SweepReport): string {
  const s = summarize(report.caches);
  const lines = [
    `# Private Link compliance sweep ${report.sweepId}`,
    '',
    `Started ${report.startedAt}${report.finishedAt ? `, finished ${report.finishedAt}` : ''}, mode **${report.mode}**${report.dryRun ? ' (dry-run)' : ''}.`,
    '',
    `| caches | compliant (after) | non-compliant (after) | remediated | failed | exempt |`,
    `|---:|---:|---:|---:|---:|---:|`,
    `| ${s.caches} | ${s.compliant} | ${s.nonCompliant} | ${s.remediated} | ${s.failed} | ${s.exempt} |`,
    '',
    '| cache | tier | before | actions | after | compliant |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of report.caches) {
    const actions = c.actions.length ? c.actions.map((a) => `${a.step}: ${a.status}`).join('<br>') : '-';
    lines.push(`| ${nameOf(c.id)} | ${c.tier ?? ''} | ${rules(c.findings)} | ${actions.replace(/\|/g, '\\|')} | ${rules(remainingOf(c))} | ${c.compliant ? 'yes' : `**no** (${c.status})`} |`);
  }
  lines.push('');
  const detailed = report.caches.filter((c) => !c.compliant || c.actions.length > 0 || c.findings.length > 0 || c.pendingDecisions?.length);
  for (const c of detailed) {
    lines.push(`## ${nameOf(c.id)} (${c.status}${c.compliant ? ', compliant after' : ', non-compliant'})`, '', `\`${c.id}\``, '');
    if (c.findings.length) lines.push('Findings before:', '', ...c.findings.map((f) => `- **${f.rule}** (${f.severity}): ${f.message}`), '');
    if (c.actions.length) lines.push('Actions:', '', ...c.actions.map((a) => `- \`${a.step}\`: ${a.status}`), '');
    const after = remainingOf(c);
    lines.push(after.length ? 'Still wrong after:' : 'After: no finding remains.', '');
    if (after.length) lines.push(...after.map((f) => `- **${f.rule}** (${f.severity}): ${f.message}`), '');
    for (const d of c.pendingDecisions ?? []) lines.push(`- pending decision **${d.decision}** (\`${d.instanceId}\`): ${d.question}`);
    if (c.nextMaintenanceWindow) lines.push(`- next maintenance window: ${c.nextMaintenanceWindow.start} .. ${c.nextMaintenanceWindow.end}`);
    if (c.pendingDecisions?.length || c.nextMaintenanceWindow) lines.push('');
  }
  const quiet = report.caches.filter((c) => !detailed.includes(c));
  if (quiet.length) {
    lines.push('<details><summary>' + `${quiet.length} compliant cache(s), nothing to do` + '</summary>', '');
    for (const c of quiet) lines.push(`- ${nameOf(c.id)} (${c.tier ?? 'unknown tier'}): \`${c.id}\``);
    lines.push('', '</details>', '');
  }
  const ready = report.caches.filter((c) => c.readiness?.retiresOn);
  if (ready.length > 0) {
    lines.push('## Readiness for Azure Managed Redis', '', '| cache | tier | retires | notice | proposed SKU | blockers for Microsoft tooling | path |', '|---|---|---|---|---|---|---|');
    for (const c of ready) {
      const r = c.readiness!;
      lines.push(`| ${c.id.split('/').pop()} | ${r.tier} | ${r.retiresOn} (${r.daysLeft} d) | ${r.notice.severity} | ${r.proposedSku ?? '-'} | ${r.toolingBlockers.join(', ') || 'none'} | ${r.path} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export const HISTORY_DOCUMENT = 'reports/history.json';
export const HISTORY_LENGTH = 30;

export interface SweepHistoryEntry {
  sweepId: string;
  startedAt: string;
  finishedAt?: string;
  mode: string;
  dryRun: boolean;
  summary: SweepSummary;
}

export function parseHistory(text: string | undefined): SweepHistoryEntry[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/**
 * Merges the sweep's page reports into one report, written as JSON and Markdown (blob storage in Azure, files
 * locally), plus `reports/latest.json`. Returns the summary and where the report is.
 */
export const writeReport = defineActivity(ActivityNames.writeReport, async (input: WriteReportInput, deps, log) => {
  const caches: CacheReportEntry[] = [];
  for (let page = 0; page < input.pages; page++) caches.push(...(await readPage(deps, input.sweepId, page)));
  const report: SweepReport = { sweepId: input.sweepId, startedAt: input.startedAt, ...(input.finishedAt ? { finishedAt: input.finishedAt } : {}), mode: input.mode, dryRun: input.dryRun, summary: summarize(caches), caches };
  // One warning per finding left open (the 'caches left non-compliant' query in docs/operations.md reads these).
  for (const c of caches) {
    if (c.compliant) continue;
    for (const f of remainingOf(c)) log.warn(`Finding left open on ${c.id.split('/').pop()}: ${f.rule}`, { cacheId: c.id, rule: f.rule, severity: f.severity, outcome: c.status, sweepId: input.sweepId });
  }
  const base = `reports/${input.sweepId}`;
  const text = JSON.stringify(report, null, 2);
  const json = await deps.documents.write(`${base}.json`, text, 'application/json');
  const markdown = await deps.documents.write(`${base}.md`, renderMarkdown(report), 'text/markdown');
  await deps.documents.write('reports/latest.json', text, 'application/json');
  // The dashboard's trend: the summaries of the last sweeps (small, bounded).
  const history = parseHistory(await deps.documents.read(HISTORY_DOCUMENT));
  history.push({ sweepId: report.sweepId, startedAt: report.startedAt, ...(report.finishedAt ? { finishedAt: report.finishedAt } : {}), mode: report.mode, dryRun: report.dryRun, summary: report.summary });
  await deps.documents.write(HISTORY_DOCUMENT, JSON.stringify(history.slice(-HISTORY_LENGTH)), 'application/json');
  return { ok: true as const, summary: report.summary, json, markdown };
});
