/** Plain-text tables for the CLI: one row per cache (tier, before -> actions -> after, compliant), verification. */
import { remainingOf, type CacheReportEntry } from '../activities/write-report';
import type { CacheVerification } from '../policy/verify';

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const name = (id: string) => id.split('/').pop() ?? id;
const rules = (fs: Array<{ rule: string }>) => fs.map((f) => f.rule).join(', ') || '-';
/** `create-private-endpoint:done` from a step description like `create-private-endpoint: pe-x in snet`. */
const action = (a: { step: string; status: string }) => `${a.step.split(' ')[0].replace(/:$/, '')}:${a.status}`;

export function renderTable(caches: CacheReportEntry[]): string {
  const rows = [['CACHE', 'TIER', 'STATUS', 'BEFORE', 'ACTIONS', 'AFTER (REMAINING)', 'COMPLIANT']];
  for (const c of caches) {
    rows.push([name(c.id), c.tier ?? '-', c.status, rules(c.findings), c.actions.map(action).join(', ') || '-', rules(remainingOf(c)), c.compliant ? 'yes' : 'no']);
  }
  const extra: string[] = [];
  for (const c of caches) {
    for (const d of c.pendingDecisions ?? []) extra.push(`pending decision: ${name(c.id)} ${d.decision} (${d.instanceId}): ${d.question}`);
    if (c.nextMaintenanceWindow) extra.push(`next maintenance window: ${name(c.id)} ${c.nextMaintenanceWindow.start} .. ${c.nextMaintenanceWindow.end}`);
  }
  return [table(rows), ...(extra.length ? ['', ...extra] : [])].join('\n');
}

export function renderVerification(v: CacheVerification): string {
  const head = `Connect to ${v.hostName}:${v.port} (TLS); public network access ${v.publicNetworkAccess ?? 'n/a'}`;
  if (v.endpoints.length === 0) return `${head}\nNo private endpoint.`;
  const rows = [['ENDPOINT', 'VNET', 'IP', 'CONNECTION', 'DNS A RECORD', 'ZONE LINKED', 'OK']];
  for (const e of v.endpoints) {
    rows.push([name(e.privateEndpointId), name(e.virtualNetworkId), e.privateIp ?? '-', e.connectionStatus, `${e.recordName}.${e.zoneName} -> ${e.recordAddresses.join(', ') || '(none)'}`, e.zoneLinkedToEndpointVnet ? 'yes' : 'no', e.ok ? 'yes' : `no: ${e.problems.join('; ')}`]);
  }
  return `${head}\n${table(rows)}`;
}
