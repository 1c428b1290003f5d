import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { getCloud } from '../azure/cloud';
import type { Dependencies } from '../azure/dependencies';
import { evaluate } from '../policy/evaluate';
import { plan } from '../policy/plan';
import { effectiveMode, type Policy } from '../policy/policy-schema';
import { tierOf } from '../policy/tiers';
import { idParts } from './arm-ids';
import { defineActivity } from './define';
import { indexGraphEstate, snapshotsFromIndex, type GraphIndex, type GraphRow } from './graph-snapshots';
import { declaredStorageAccount, storageFirewalls } from './storage-persistence';
import { ActivityNames } from './names';
import { readinessEntryOf } from '../policy/migration';
import { topologyOf, type CacheTopology } from '../policy/topology';
import { readPage, writePage } from './report-pages';
import type { CacheReportEntry } from './write-report';

export { readPage, writePage } from './report-pages';

export interface EvaluateCachePageInput {
  policy: Policy;
  sweepId: string;
  page: number;
  skipToken?: string;
  dryRun?: boolean;
  /** The sweep orchestration's current time (ISO): readiness for the retirement is judged at it. */
  now?: string;
}

export interface EvaluateCachePageResult {
  caches: number;
  compliant: number;
  /** Caches in enforce mode with steps to run: each gets a remediation sub-orchestration. */
  toRemediate: Array<{ cacheId: string; subscriptionId: string; geoGroup?: string }>;
  skipToken?: string;
}

const COLUMNS = 'project id, name, type, location, resourceGroup, subscriptionId, sku, tags, identity, properties';
export const CACHE_PAGE_QUERY = `resources | where type =~ 'microsoft.cache/redis' or type =~ 'microsoft.cache/redisenterprise' | ${COLUMNS} | order by id asc`;
export const PRIVATE_ENDPOINTS_QUERY = `resources | where type =~ 'microsoft.network/privateendpoints' | ${COLUMNS}`;
export const ZONES_QUERY = `resources | where type =~ 'microsoft.network/privatednszones' | where name startswith 'privatelink.' | ${COLUMNS}`;
export const ZONE_LINKS_QUERY = `resources | where type =~ 'microsoft.network/privatednszones/virtualnetworklinks' | ${COLUMNS}`;

async function queryPage(graph: ResourceGraphClient, subscriptions: string[], query: string, skipToken?: string) {
  const r = await graph.resources({ subscriptions, query, options: { top: 1000, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } });
  return { rows: (r.data as GraphRow[]) ?? [], skipToken: r.skipToken || undefined };
}

async function queryAll(graph: ResourceGraphClient, subscriptions: string[], query: string, map: (row: GraphRow) => GraphRow = (r) => r): Promise<GraphRow[]> {
  const rows: GraphRow[] = [];
  let token: string | undefined;
  // Bounded: 10,000 pages of 1,000 rows.
  for (let i = 0; i < 10_000; i++) {
    const page = await queryPage(graph, subscriptions, query, token);
    for (const r of page.rows) rows.push(map(r));
    token = page.skipToken;
    if (!token) break;
  }
  return rows;
}

/** The endpoint properties the triage reads (the rest of a row is dropped: the index lives for a whole sweep). */
function compactEndpointRow(row: GraphRow): GraphRow {
  const p = row.properties ?? {};
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    location: row.location,
    resourceGroup: row.resourceGroup,
    subscriptionId: row.subscriptionId,
    properties: {
      subnet: p.subnet ? { id: p.subnet.id } : undefined,
      provisioningState: p.provisioningState,
      customDnsConfigs: p.customDnsConfigs,
      networkInterfaces: p.networkInterfaces,
    },
  };
}

/** Record sets a page of a zone's A records asks for (`$top`; Azure's default page is 100). */
export const RECORD_PAGE_TOP = 1000;

/**
 * Every A record of a zone: name (lower-case) -> IPv4 addresses, following the list's `nextLink` pages. Asks for
 * `$top` 1,000 records a page; a service that refuses that `$top` (400) is asked again with its default
 * page size (100).
 */
export async function listARecords(deps: Dependencies, zoneId: string): Promise<Map<string, string[]>> {
  const { subscriptionId, resourceGroup, names } = idParts(zoneId);
  const dns = deps.clients.privateDns(subscriptionId);
  const read = async (top?: number) => {
    const records = new Map<string, string[]>();
    for await (const rs of dns.recordSets.listByType(resourceGroup, names[0], 'A', top ? { top } : undefined)) {
      records.set(String(rs.name).toLowerCase(), (rs.aRecords ?? []).map((a) => a.ipv4Address!).filter(Boolean));
    }
    return records;
  };
  try {
    return await read(RECORD_PAGE_TOP);
  } catch (e) {
    // The SDK's paging error does not carry the service's message ("Pagination failed with unexpected statusCode
    // 400"): any 400 of the list asked with a `$top` is taken as the `$top` refused.
    if ((e as { statusCode?: number }).statusCode === 400) return read();
    throw e;
  }
}

/**
 * Everything the triage looks up per cache, read once per sweep and keyed (GraphIndex): every private endpoint,
 * the Redis private DNS zones, their links and their A records (each zone's list followed through its `nextLink`
 * pages). Pages of the sweep then cost one cache query each, whatever the size of the estate.
 */
export async function readSweepIndex(deps: Dependencies, policy: Policy): Promise<GraphIndex> {
  const graph = deps.clients.resourceGraph();
  const scopes = policy.scopes.subscriptions;
  const withDns = [...new Set([...scopes, policy.dnsZones.subscriptionId].map((s) => s.toLowerCase()))];
  const [privateEndpoints, zoneRows, zoneLinks] = await Promise.all([
    queryAll(graph, scopes, PRIVATE_ENDPOINTS_QUERY, compactEndpointRow),
    queryAll(graph, withDns, ZONES_QUERY),
    queryAll(graph, withDns, ZONE_LINKS_QUERY),
  ]);
  const cloud = getCloud(policy.cloud);
  const redisZones = new Set(Object.values(cloud.privateDnsZones).map((z) => z.toLowerCase()));
  const zones = zoneRows.filter((z) => redisZones.has(z.name.toLowerCase()));
  const aRecords = new Map<string, Map<string, string[]>>();
  await Promise.all(zones.map(async (z) => aRecords.set(z.id.toLowerCase(), await listARecords(deps, z.id))));
  return indexGraphEstate({ privateEndpoints, zones, zoneLinks, aRecords });
}

/**
 * The sweep index of the sweep running in this process (one at a time: the sweep is a singleton). Page 0 always
 * reads it afresh (a new sweep starts there); a later page reuses it, or reads it again when this process did not
 * run the sweep's earlier pages (another Functions instance did). Between two pages nothing per cache is re-read:
 * the triage is a snapshot of the estate at the sweep's start, and a remediation re-reads the live state anyway.
 */
let current: { key: string; index: Promise<GraphIndex> } | undefined;

function sweepIndexFor(deps: Dependencies, policy: Policy, sweepId: string, page: number): Promise<GraphIndex> {
  const key = `${sweepId}\n${JSON.stringify(policy.scopes)}\n${policy.dnsZones.subscriptionId}\n${policy.cloud}`;
  if (page === 0 || current?.key !== key) {
    const index = readSweepIndex(deps, policy);
    current = { key, index };
    // A failed read is not kept: the activity's retry reads again.
    index.catch(() => {
      if (current?.index === index) current = undefined;
    });
  }
  return current.index;
}

/** Forget the sweep index (tests, and the end of a sweep: the memory is returned at once). */
export function releaseSweepIndex(sweepId?: string): void {
  if (!sweepId || current?.key.startsWith(`${sweepId}\n`)) current = undefined;
}

/**
 * The sweep's triage of one page (at most 1,000 caches) of the Resource Graph inventory: snapshots from Resource
 * Graph rows and the sweep index (endpoints, zones, links and A records read once per sweep, none per cache),
 * evaluated against the policy. Writes the page's report entries (one document) and the endpoint inventory's
 * changes; returns only the caches that need a remediation.
 */
export const evaluateCachePage = defineActivity(
  ActivityNames.evaluateCachePage,
  async (input: EvaluateCachePageInput, deps): Promise<EvaluateCachePageResult> => {
    const { policy } = input;
    const graph = deps.clients.resourceGraph();
    const scopes = policy.scopes.subscriptions;
    const page = await queryPage(graph, scopes, CACHE_PAGE_QUERY, input.skipToken);
    let entries: CacheReportEntry[] = [];
    const toRemediate: EvaluateCachePageResult['toRemediate'] = [];
    if (page.rows.length > 0) {
      const index = await sweepIndexFor(deps, policy, input.sweepId, input.page);
      const declared = page.rows.map((c) => declaredStorageAccount(c.tags)).filter((x): x is string => !!x);
      const firewalls = declared.length ? await storageFirewalls(graph, declared) : new Map<string, boolean>();
      const snapshots = snapshotsFromIndex(page.rows, { ...index, storageFirewalls: firewalls }, policy);
      // Keep the endpoint -> cache inventory current: a "private endpoint deleted" event is mapped through it.
      await deps.inventory.recordSweep(
        snapshots.flatMap((s) => s.connections.filter((c) => c.privateEndpointId).map((c) => ({ privateEndpointId: c.privateEndpointId, cacheId: s.cacheId }))),
        new Date().toISOString(),
      );
      entries = snapshots.map((s) => {
        const mode = effectiveMode(policy, s.tags);
        const findings = evaluate(s, policy);
        const steps = plan(findings, s, policy, { assumeEnforce: true });
        const executable = steps.filter((x) => x.kind !== 'manual');
        const remediate = mode === 'enforce' && !input.dryRun && executable.length > 0;
        if (remediate) {
          // Caches of one passive geo-replication pair are remediated one after the other (they share a lock).
          const geoGroup = s.linkedServers.length ? [s.cacheId, ...s.linkedServers.map((l) => l.linkedRedisCacheId)].map((x) => x.toLowerCase()).sort().join('|') : undefined;
          toRemediate.push({ cacheId: s.cacheId, subscriptionId: s.subscriptionId, ...(geoGroup ? { geoGroup } : {}) });
        }
        let tier: string | undefined;
        try {
          tier = tierOf(s);
        } catch {
          tier = undefined;
        }
        return {
          id: s.cacheId,
          ...(tier ? { tier } : {}),
          compliant: findings.length === 0,
          status: findings.length === 0 ? 'compliant' : mode === 'exempt' ? 'exempt' : remediate ? 'remediating' : input.dryRun ? 'planned' : mode === 'audit' ? 'audited' : 'manual',
          findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
          actions: steps.map((x) => ({ step: x.kind === 'manual' ? `manual: ${x.message}` : x.kind, status: 'planned' })),
          ...readinessEntryOf(s, input.now),
          topology: topologyOf(s, policy),
        };
      });
    }
    await writePage(deps, input.sweepId, input.page, entries);
    return {
      caches: entries.length,
      compliant: entries.filter((e) => e.compliant).length,
      toRemediate,
      ...(page.skipToken ? { skipToken: page.skipToken } : {}),
    };
  },
);

export interface RecordRemediationsInput {
  sweepId: string;
  page: number;
  results: Array<{ cacheId: string; status: string; remaining: Array<{ rule: string; severity: string; message: string }>; actions: Array<{ step: string; status: string }>; topology?: CacheTopology }>;
}

/** Folds the remediation outcomes of one page into its report entries. */
export const recordRemediations = defineActivity(ActivityNames.recordRemediations, async (input: RecordRemediationsInput, deps) => {
  const entries = await readPage(deps, input.sweepId, input.page);
  const byId = new Map(entries.map((e) => [e.id.toLowerCase(), e]));
  for (const r of input.results) {
    const e = byId.get(r.cacheId.toLowerCase());
    if (!e) continue;
    e.status = r.status;
    e.actions = r.actions;
    e.compliant = r.status !== 'failed' && r.remaining.length === 0;
    e.remaining = r.remaining;
    if (r.topology) e.topology = r.topology;
  }
  await writePage(deps, input.sweepId, input.page, entries);
  return { ok: true as const, updated: input.results.length };
});
