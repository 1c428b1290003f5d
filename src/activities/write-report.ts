import { defineActivity } from './define';
import { ActivityNames } from './names';

export interface CacheReportEntry {
  id: string;
  tier?: string;
  compliant: boolean;
  status: string;
  findings: Array<{ rule: string; severity: string; message: string }>;
  actions: Array<{ step: string; status: string }>;
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
  report: SweepReport;
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
  return lines.join('\n');
}

/** Writes the sweep report as JSON and Markdown (blob storage in Azure, files locally). */
export const writeReport = defineActivity(ActivityNames.writeReport, async (input: WriteReportInput, deps) => {
  const base = `reports/${input.report.sweepId}`;
  const json = await deps.documents.write(`${base}.json`, JSON.stringify(input.report, null, 2), 'application/json');
  const markdown = await deps.documents.write(`${base}.md`, renderMarkdown(input.report), 'text/markdown');
  await deps.documents.write('reports/latest.json', JSON.stringify(input.report, null, 2), 'application/json');
  return { ok: true as const, json, markdown };
});
