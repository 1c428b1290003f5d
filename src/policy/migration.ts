/**
 * Azure Cache for Redis -> Azure Managed Redis (AMR): pure rules for the migration workflow and the sweep's
 * readiness section. Sources: shared/reference/amr-migration.md (SKU mapping from Learn `migrate-overview.md`;
 * retirement dates from the retirement FAQ; tooling blockers from `migrate-basic-standard-premium-with-tooling.md` and
 * the amr-migration-skill validation table; clustered sizes from the skill's `sku-mapping.md`).
 */
import type { CacheSnapshot } from './snapshot';
import { tierOf, type Tier } from './tiers';

/** When each tier retires (UTC dates). Creation is already blocked. */
export const RETIREMENT_DATES: Partial<Record<Tier, string>> = {
  Basic: '2028-09-30',
  Standard: '2028-09-30',
  Premium: '2028-09-30',
  Enterprise: '2027-03-31',
  EnterpriseFlash: '2027-03-31',
};

/** Advertised GB of the AMR SKUs the mapping uses. */
const BALANCED: Array<[string, number]> = [['B0', 0.5], ['B1', 1], ['B3', 3], ['B5', 6], ['B10', 12], ['B20', 24], ['B50', 60], ['B100', 120], ['B150', 180], ['B250', 240], ['B350', 360], ['B500', 480], ['B700', 720], ['B1000', 960]];
const MEMORY: Array<[string, number]> = [['M10', 12], ['M20', 24], ['M50', 60], ['M100', 120], ['M150', 180], ['M250', 240], ['M350', 360], ['M500', 480], ['M700', 720], ['M1000', 960], ['M1500', 1440], ['M2000', 1920]];
const COMPUTE: Array<[string, number]> = [['X3', 3], ['X5', 6], ['X10', 12], ['X20', 24], ['X50', 60], ['X100', 120], ['X150', 180], ['X250', 240], ['X350', 360], ['X500', 480], ['X700', 720]];
/** Premium GB per shard (P1..P5). */
const PREMIUM_GB = [0, 6, 13, 26, 53, 120];

const FULL: Record<string, string> = { B: 'Balanced_', M: 'MemoryOptimized_', X: 'ComputeOptimized_' };
export const amrSkuName = (short: string): string => `${FULL[short[0]!] ?? ''}${short}`;

/** Learn `migrate-overview.md`: C0→B0 ... C6→M50; P1→B5 ... P5→B100 (* = cheaper, only if peak used memory fits). */
const BASIC_STANDARD: Array<{ sku: string; cheaper?: string }> = [
  { sku: 'B0' }, { sku: 'B1' }, { sku: 'B3' }, { sku: 'B5' }, { sku: 'M20', cheaper: 'M10' }, { sku: 'M50', cheaper: 'M20' }, { sku: 'M50' },
];
const PREMIUM: Array<{ sku: string; cheaper?: string } | undefined> = [
  undefined, { sku: 'B5' }, { sku: 'B20', cheaper: 'B10' }, { sku: 'B50', cheaper: 'B20' }, { sku: 'B50' }, { sku: 'B100' },
];

export interface SkuProposal {
  /** Full AMR SKU name, e.g. `Balanced_B5`. */
  sku: string;
  /** Cheaper or differently shaped alternatives, each with when it fits. */
  alternatives: Array<{ sku: string; when: string }>;
  /** Basic caches have no replica: the target may go without high availability. */
  highAvailability: 'Enabled' | 'Disabled';
  why: string;
}

function smallest(table: Array<[string, number]>, gb: number): string {
  return (table.find(([, size]) => size >= gb) ?? table[table.length - 1]!)[0];
}

export interface SourceShape {
  tier: Tier;
  capacity: number;
  shardCount?: number;
  replicasPerPrimary?: number;
}

/** The documented SKU mapping. */
export function proposeSku(s: SourceShape): SkuProposal | undefined {
  if (s.tier === 'Basic' || s.tier === 'Standard') {
    const m = BASIC_STANDARD[s.capacity];
    if (!m) return undefined;
    return {
      sku: amrSkuName(m.sku),
      alternatives: m.cheaper ? [{ sku: amrSkuName(m.cheaper), when: 'cheaper, only if the peak used memory fits' }] : [],
      highAvailability: s.tier === 'Basic' ? 'Disabled' : 'Enabled',
      why: `${s.tier} C${s.capacity} maps to ${m.sku} (Learn migrate-overview)${s.tier === 'Basic' ? '; Basic has no replica: non-HA' : ''}.`,
    };
  }
  if (s.tier !== 'Premium') return undefined;
  const perShard = PREMIUM_GB[s.capacity];
  if (!perShard) return undefined;
  const shards = s.shardCount && s.shardCount > 0 ? s.shardCount : 0;
  const total = perShard * Math.max(1, shards);
  if ((s.replicasPerPrimary ?? 1) > 1) {
    const x = smallest(COMPUTE, total);
    return {
      sku: amrSkuName(x),
      alternatives: [{ sku: amrSkuName(smallest(BALANCED, total)), when: 'when the extra replicas served capacity rather than read throughput' }],
      highAvailability: 'Enabled',
      why: `Premium P${s.capacity} with ${s.replicasPerPrimary} replicas: more than one replica maps to Compute Optimized (${total} GB).`,
    };
  }
  if (shards > 0) {
    const m = smallest(MEMORY, total);
    return {
      sku: amrSkuName(m),
      alternatives: [{ sku: amrSkuName(smallest(BALANCED, total)), when: 'when the cache was clustered for throughput (Balanced keeps more vCPUs per GB)' }],
      highAvailability: 'Enabled',
      why: `Clustered Premium P${s.capacity} x ${shards} shards (${total} GB) maps to Memory Optimized with equal total memory.`,
    };
  }
  const p = PREMIUM[s.capacity]!;
  return {
    sku: amrSkuName(p.sku),
    alternatives: p.cheaper ? [{ sku: amrSkuName(p.cheaper), when: 'cheaper, only if the peak used memory fits' }] : [],
    highAvailability: 'Enabled',
    why: `Premium P${s.capacity} maps to ${p.sku} (Learn migrate-overview).`,
  };
}

export type ToolingBlocker = 'private-endpoint' | 'vnet-injection' | 'geo-replication';

/** What Microsoft's migration tooling refuses for this source (blocking validation errors). */
export function toolingBlockers(snapshot: Pick<CacheSnapshot, 'connections' | 'subnetId' | 'linkedServers'>): ToolingBlocker[] {
  const out: ToolingBlocker[] = [];
  if (snapshot.connections.length > 0) out.push('private-endpoint');
  if (snapshot.subnetId) out.push('vnet-injection');
  if (snapshot.linkedServers.length > 0) out.push('geo-replication');
  return out;
}

export interface Readiness {
  tier: Tier;
  retiresOn?: string;
  /** Days from `now` to the retirement date (negative once retired). */
  daysLeft?: number;
  proposedSku?: string;
  alternatives: Array<{ sku: string; when: string }>;
  toolingBlockers: ToolingBlocker[];
  /** The path this product would take. */
  path: 'side-by-side-private' | 'microsoft-tooling-eligible' | 'enterprise-sku-update' | 'not-applicable';
  note: string;
}

const DAY_MS = 86_400_000;

/** Readiness of one cache for the move to AMR, seen at `now` (an orchestration or activity clock). */
export function readinessOf(snapshot: CacheSnapshot, now: Date): Readiness {
  const tier = tierOf(snapshot);
  const retiresOn = RETIREMENT_DATES[tier];
  const daysLeft = retiresOn ? Math.floor((Date.parse(`${retiresOn}T00:00:00Z`) - now.getTime()) / DAY_MS) : undefined;
  const blockers = tier === 'Basic' || tier === 'Standard' || tier === 'Premium' ? toolingBlockers(snapshot) : [];
  const proposal = tier === 'Basic' || tier === 'Standard' || tier === 'Premium' ? proposeSku({ tier, capacity: snapshot.sku.capacity ?? 0, shardCount: snapshot.shardCount }) : undefined;
  let path: Readiness['path'];
  let note: string;
  if (tier === 'AzureManagedRedis') {
    path = 'not-applicable';
    note = 'Already Azure Managed Redis.';
  } else if (tier === 'Enterprise' || tier === 'EnterpriseFlash') {
    path = 'enterprise-sku-update';
    note = 'Enterprise tiers move with the in-place SKU update (no rollback); not automated here: what it does to existing private endpoints is undocumented.';
  } else if (blockers.length > 0) {
    path = 'side-by-side-private';
    note = `Microsoft's tooling refuses this cache (${blockers.join(', ')}): migrateToManagedRedis builds a private AMR target side by side and retires the source after an approved cutover.`;
  } else {
    path = 'microsoft-tooling-eligible';
    note = 'No blocking error expected for Microsoft\'s tooling; migrateToManagedRedis still builds the target private from birth and uses the tooling only when validate reports no blocking error.';
  }
  return {
    tier,
    ...(retiresOn ? { retiresOn } : {}),
    ...(daysLeft !== undefined ? { daysLeft } : {}),
    ...(proposal ? { proposedSku: proposal.sku } : {}),
    alternatives: proposal?.alternatives ?? [],
    toolingBlockers: blockers,
    path,
    note,
  };
}

/** `retirement-pending`: info, or warning within 12 months (365 days) of the date. */
export function retirementSeverity(daysLeft: number): 'info' | 'warning' {
  return daysLeft <= 365 ? 'warning' : 'info';
}

/** The readiness rule id (a notice in every sweep report; it does not make a cache non-compliant). */
export const RETIREMENT_RULE = 'retirement-pending';

export interface ReadinessEntry extends Readiness {
  notice: { rule: typeof RETIREMENT_RULE; severity: 'info' | 'warning'; message: string };
}

/** `{ readiness }` for a sweep report entry (nothing for a cache whose tier does not retire). */
export function readinessEntryOf(snapshot: CacheSnapshot, nowIso: string | undefined): { readiness?: ReadinessEntry } {
  let r: Readiness;
  try {
    r = readinessOf(snapshot, nowIso ? new Date(nowIso) : new Date());
  } catch {
    return {};
  }
  if (!r.retiresOn || r.daysLeft === undefined) return {};
  const severity = retirementSeverity(r.daysLeft);
  const when = r.daysLeft >= 0 ? `in ${r.daysLeft} day(s)` : `${-r.daysLeft} day(s) ago`;
  return {
    readiness: {
      ...r,
      notice: {
        rule: RETIREMENT_RULE,
        severity,
        message: `${r.tier} retires on ${r.retiresOn} (${when}). Proposed target: ${r.proposedSku ?? 'see the SKU mapping'}; path: ${r.path}${r.toolingBlockers.length ? ` (Microsoft's tooling refuses: ${r.toolingBlockers.join(', ')})` : ''}.`,
      },
    },
  };
}
