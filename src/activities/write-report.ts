import { defineActivity } from './define';
import { ActivityNames } from './names';
import { readPage } from './evaluate-cache-page';
import type { ReadinessEntry } from '../policy/migration';

export interface CacheReportEntry {
  id: string;
  tier?: string;
  compliant: boolean;
  status: string;
  findings: Array<{ rule: string; severity: string; message: string }>;
  actions: Array<{ step: string; status: string }>;
  /** After a remediation: what is still wrong. */
  remaining?: Array<{ rule: string; severity: string; message: string }>;
  /** Azure Cache for Redis retirement: the date, the proposed AMR SKU, the tooling's blockers, the path; and the
   * `retirement-pending` notice (info, or warning within 12 months). Not part of Private Link compliance. */
  readiness?: ReadinessEntry;
}

export interface SweepReport {
  sweepId: string;
  startedAt: string;
  mode: string;
  dryRun: boolean;
  summary: { caches: number; compliant: number; nonCompliant: number; remediated: number; failed: number };
  caches: CacheReportEntry[];
}

export interface WriteReportInput {
  sweepId: string;
  pages: number;
  startedAt: string;
  mode: string;
  dryRun: boolean;
}

export function summarize(caches: CacheReportEntry[]): SweepReport['summary'] {
  return {
    caches: caches.length,
    compliant: caches.filter((e) => e.compliant).length,
    nonCompliant: caches.filter((e) => !e.compliant).length,
    remediated: caches.filter((e) => e.status === 'succeeded' && e.actions.some((a) => a.status === 'done')).length,
    failed: caches.filter((e) => e.status === 'failed').length,
  };
}

export function renderMarkdown(report: SweepReport): string {
  const s = report.summary;
  const lines = [
    `# Private Link compliance sweep ${report.sweepId}`,
    '',
    `Started ${report.startedAt}, mode **${report.mode}**${report.dryRun ? ' (dry-run)' : ''}.`,
    '',
    `| caches | compliant | non-compliant | remediated | failed |`,
    `|---:|---:|---:|---:|---:|`,
    `| ${s.caches} | ${s.compliant} | ${s.nonCompliant} | ${s.remediated} | ${s.failed} |`,
    '',
  ];
  for (const c of report.caches.filter((x) => !x.compliant || x.actions.length > 0)) {
    lines.push(`## ${c.id.split('/').pop()} (${c.status})`, '', `\`${c.id}\``, '');
    for (const f of c.findings) lines.push(`- **${f.rule}** (${f.severity}): ${f.message}`);
    for (const a of c.actions) lines.push(`- action \`${a.step}\`: ${a.status}`);
    lines.push('');
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

/**
 * Merges the sweep's page reports into one report, written as JSON and Markdown (blob storage in Azure, files
 * locally), plus `reports/latest.json`. Returns the summary and where the report is.
 */
export const writeReport = defineActivity(ActivityNames.writeReport, async (input: WriteReportInput, deps) => {
  const caches: CacheReportEntry[] = [];
  for (let page = 0; page < input.pages; page++) caches.push(...(await readPage(deps, input.sweepId, page)));
  const report: SweepReport = { sweepId: input.sweepId, startedAt: input.startedAt, mode: input.mode, dryRun: input.dryRun, summary: summarize(caches), caches };
  const base = `reports/${input.sweepId}`;
  const text = JSON.stringify(report, null, 2);
  const json = await deps.documents.write(`${base}.json`, text, 'application/json');
  const markdown = await deps.documents.write(`${base}.md`, renderMarkdown(report), 'text/markdown');
  await deps.documents.write('reports/latest.json', text, 'application/json');
  return { ok: true as const, summary: report.summary, json, markdown };
});
