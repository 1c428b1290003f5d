/** The report is one row per cache; the summary counts the rows; the Markdown shows every cache (compliant ones collapsed). */
import { renderMarkdown, summarize, remainingOf, type CacheReportEntry, type SweepReport } from '../../../src/activities/write-report';
import { renderTable } from '../../../src/cli/tables';
import { entryOfWorkflow } from '../../../src/cli/autopilot';

const id = (name: string) => `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Cache/Redis/${name}`;
const f = (rule: string) => ({ rule, severity: 'medium', message: `${rule} message` });

const rows: CacheReportEntry[] = [
  { id: id('fixed'), tier: 'Premium', compliant: true, status: 'succeeded', findings: [f('private-endpoint-missing'), f('public-access-enabled')], actions: [{ step: 'create-private-endpoint x', status: 'done' }, { step: 'set-public-network-access Disabled', status: 'done' }], remaining: [] },
  { id: id('partly'), tier: 'Standard', compliant: false, status: 'succeeded', findings: [f('private-endpoint-missing'), f('public-access-enabled')], actions: [{ step: 'create-private-endpoint y', status: 'done' }], remaining: [f('public-access-enabled')] },
  { id: id('audited'), tier: 'Basic', compliant: false, status: 'audited', findings: [f('private-endpoint-missing')], actions: [{ step: 'create-private-endpoint', status: 'planned' }] },
  { id: id('fine'), tier: 'Premium', compliant: true, status: 'compliant', findings: [], actions: [] },
  { id: id('tagged'), tier: 'Standard', compliant: false, status: 'exempt', findings: [f('public-access-enabled')], actions: [] },
  { id: id('broken'), tier: 'Premium', compliant: false, status: 'failed', findings: [f('private-endpoint-missing')], actions: [{ step: 'create-private-endpoint z', status: 'failed' }], remaining: [f('private-endpoint-missing')] },
];

it('the summary counts the rows: compliant + non-compliant = caches; remediated, failed, exempt from the rows', () => {
  const s = summarize(rows);
  expect(s).toEqual({ caches: 6, compliant: 2, nonCompliant: 4, remediated: 2, failed: 1, exempt: 1, compliantBefore: 1 });
  expect(s.compliant + s.nonCompliant).toBe(s.caches);
});

it('findings after are the re-read ones after a remediation, the findings before otherwise', () => {
  expect(remainingOf(rows[0])).toEqual([]);
  expect(remainingOf(rows[1]).map((x) => x.rule)).toEqual(['public-access-enabled']);
  expect(remainingOf(rows[2]).map((x) => x.rule)).toEqual(['private-endpoint-missing']);
});

it('the Markdown has one table row per cache (before, actions, after, compliant) and collapses the compliant untouched ones', () => {
  const md = renderMarkdown({ sweepId: 's1', startedAt: 't', mode: 'enforce', dryRun: false, summary: summarize(rows), caches: rows } as SweepReport);
  for (const r of rows) expect(md).toContain(`| ${r.id.split('/').pop()} | ${r.tier} |`);
  expect(md).toMatch(/\| fixed \| Premium \| private-endpoint-missing, public-access-enabled \| .* \| none \| yes \|/);
  expect(md).toMatch(/\| partly \| Standard \| .* \| public-access-enabled \| \*\*no\*\* \(succeeded\) \|/);
  expect(md).toMatch(/<details><summary>1 compliant cache\(s\), nothing to do<\/summary>[\s\S]*- fine \(Premium\)/);
  expect(md).not.toMatch(/## fine /);
  expect(md).toMatch(/## partly \(succeeded, non-compliant\)[\s\S]*Still wrong after:[\s\S]*public-access-enabled/);
  expect(md).toMatch(/## fixed \(succeeded, compliant after\)[\s\S]*After: no finding remains\./);
});

it('pending decisions and the next maintenance window appear in the Markdown and the CLI table when a row has them', () => {
  const withGate: CacheReportEntry = { ...rows[2], pendingDecisions: [{ instanceId: 'i-1', decision: 'geoUnlink', question: 'Unlink?' }], nextMaintenanceWindow: { start: '2026-12-05T02:00Z', end: '2026-12-05T04:00Z' } };
  const md = renderMarkdown({ sweepId: 's', startedAt: 't', mode: 'enforce', dryRun: false, summary: summarize([withGate]), caches: [withGate] });
  expect(md).toContain('pending decision **geoUnlink** (`i-1`): Unlink?');
  expect(md).toContain('next maintenance window: 2026-12-05T02:00Z .. 2026-12-05T04:00Z');
  const table = renderTable([withGate]);
  expect(table).toContain('pending decision: audited geoUnlink (i-1): Unlink?');
  expect(table).toContain('next maintenance window: audited 2026-12-05T02:00Z .. 2026-12-05T04:00Z');
});

it('the CLI table shows tier, status, before -> actions -> after, compliant', () => {
  const table = renderTable(rows).split('\n');
  expect(table[0]).toMatch(/^CACHE\s+TIER\s+STATUS\s+BEFORE\s+ACTIONS\s+AFTER \(REMAINING\)\s+COMPLIANT$/);
  expect(table.find((l) => l.startsWith('partly'))).toMatch(/partly\s+Standard\s+succeeded\s+private-endpoint-missing, public-access-enabled\s+create-private-endpoint:done\s+public-access-enabled\s+no/);
});

it('a workflow result becomes a row: compliant only when nothing remains; refused and failed are never compliant', () => {
  expect(entryOfWorkflow({ status: 'succeeded', cacheId: id('a'), message: '', actions: [], findings: [f('x') as any], remaining: [] } as any)).toMatchObject({ compliant: true, remaining: [] });
  expect(entryOfWorkflow({ status: 'audited', cacheId: id('a'), message: '', actions: [], findings: [f('x') as any] } as any)).toMatchObject({ compliant: false, remaining: [{ rule: 'x' }] });
  expect(entryOfWorkflow({ status: 'refused', cacheId: id('a'), message: 'no', rule: 'vnet-injected', actions: [] } as any)).toMatchObject({ compliant: false, findings: [{ rule: 'vnet-injected' }] });
  expect(entryOfWorkflow({ status: 'failed', cacheId: id('a'), message: 'boom', actions: [] } as any)).toMatchObject({ compliant: false, remaining: [{ rule: 'workflow-failed' }] });
});
