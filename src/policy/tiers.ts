/**
 * Tier facts: what each Azure Cache for Redis tier allows with Private Link.
 *
 * Sources: the seed (Learn "Azure Cache for Redis with Azure Private Link") and "Azure services DNS zone
 * configuration". Where the seed says nothing about Azure Managed Redis, the redisEnterprise facts are used and the
 * assumption is written next to the value.
 */
import type { CacheKind, CacheSnapshot } from './snapshot';
import { SEED } from './seed-rules';

export const TIERS = ['Basic', 'Standard', 'Premium', 'Enterprise', 'EnterpriseFlash', 'AzureManagedRedis'] as const;
export type Tier = (typeof TIERS)[number];

/** Key into `CloudSettings.privateDnsZones` / `hostSuffixes`. */
export type ZoneKey = 'redisCache' | 'redisEnterprise' | 'azureManagedRedis';
export type GroupId = 'redisCache' | 'redisEnterprise';

export interface TierFacts {
  tier: Tier;
  kind: CacheKind;
  /** Private link sub-resource (`groupIds[0]` of the endpoint connection). */
  groupId: GroupId;
  /** Which private DNS zone (per cloud) the tier's endpoints use. */
  zoneKey: ZoneKey;
  /** TLS port clients connect to through the endpoint. */
  port: 6380 | 10000;
  /** Private links (endpoint connections) allowed; see `linkLimitOf` for clustered Premium (1). */
  linkLimit: number;
  /** The seed rule the limit comes from. */
  linkLimitRule: string;
  /** Whether the cache's `publicNetworkAccess` flag exists (and can be set with the pinned SDK). */
  supportsPublicNetworkAccess: boolean;
  /** Passive geo-replication (Premium) blocks adding private links until unlinked. */
  geoReplicationBlocksPrivateEndpoints: boolean;
  /** VNet injection (`subnetId`) exists for the tier (Premium only). */
  supportsVnetInjection: boolean;
}

export const TIER_FACTS: Readonly<Record<Tier, TierFacts>> = {
  Basic: {
    tier: 'Basic',
    kind: 'redis',
    groupId: 'redisCache',
    zoneKey: 'redisCache',
    port: 6380,
    linkLimit: 100,
    linkLimitRule: SEED.linkLimitBasicStandardPremium,
    supportsPublicNetworkAccess: true,
    geoReplicationBlocksPrivateEndpoints: false,
    supportsVnetInjection: false,
  },
  Standard: {
    tier: 'Standard',
    kind: 'redis',
    groupId: 'redisCache',
    zoneKey: 'redisCache',
    port: 6380,
    linkLimit: 100,
    linkLimitRule: SEED.linkLimitBasicStandardPremium,
    supportsPublicNetworkAccess: true,
    geoReplicationBlocksPrivateEndpoints: false,
    supportsVnetInjection: false,
  },
  Premium: {
    tier: 'Premium',
    kind: 'redis',
    groupId: 'redisCache',
    zoneKey: 'redisCache',
    port: 6380,
    linkLimit: 100,
    linkLimitRule: SEED.linkLimitBasicStandardPremium,
    supportsPublicNetworkAccess: true,
    geoReplicationBlocksPrivateEndpoints: true,
    supportsVnetInjection: true,
  },
  Enterprise: {
    tier: 'Enterprise',
    kind: 'redisEnterprise',
    groupId: 'redisEnterprise',
    zoneKey: 'redisEnterprise',
    port: 10000,
    linkLimit: 84,
    linkLimitRule: SEED.linkLimitEnterprise,
    supportsPublicNetworkAccess: false,
    // "Enterprise tier caches using active geo-replication do not have this restriction."
    geoReplicationBlocksPrivateEndpoints: false,
    supportsVnetInjection: false,
  },
  EnterpriseFlash: {
    tier: 'EnterpriseFlash',
    kind: 'redisEnterprise',
    groupId: 'redisEnterprise',
    zoneKey: 'redisEnterprise',
    port: 10000,
    linkLimit: 84,
    linkLimitRule: SEED.linkLimitEnterprise,
    supportsPublicNetworkAccess: false,
    geoReplicationBlocksPrivateEndpoints: false,
    supportsVnetInjection: false,
  },
  AzureManagedRedis: {
    tier: 'AzureManagedRedis',
    kind: 'redisEnterprise',
    groupId: 'redisEnterprise',
    zoneKey: 'azureManagedRedis',
    port: 10000,
    // Assumption: same resource provider and limit as Enterprise (the seed predates Azure Managed Redis).
    linkLimit: 84,
    linkLimitRule: SEED.linkLimitEnterprise,
    // Newer API versions expose publicNetworkAccess on Azure Managed Redis, but the pinned SDK
    // (@azure/arm-redisenterprisecache 2.2.0, api 2022-01-01) can neither read nor set it.
    supportsPublicNetworkAccess: false,
    geoReplicationBlocksPrivateEndpoints: false,
    supportsVnetInjection: false,
  },
};

export class UnknownTierError extends Error {
  override readonly name = 'UnknownTierError';
}

const ENTERPRISE_PREFIXES: ReadonlyArray<[string, Tier]> = [
  ['enterpriseflash_', 'EnterpriseFlash'],
  ['enterprise_', 'Enterprise'],
  ['balanced_', 'AzureManagedRedis'],
  ['memoryoptimized_', 'AzureManagedRedis'],
  ['computeoptimized_', 'AzureManagedRedis'],
  ['flashoptimized_', 'AzureManagedRedis'],
];

/** The tier of a cache from its resource kind and SKU name. Throws `UnknownTierError` for an unknown SKU. */
export function tierOfSku(kind: CacheKind, skuName: string): Tier {
  const sku = skuName.toLowerCase();
  if (kind === 'redis') {
    if (sku === 'basic') return 'Basic';
    if (sku === 'standard') return 'Standard';
    if (sku === 'premium') return 'Premium';
    throw new UnknownTierError(`Unknown Microsoft.Cache/Redis SKU '${skuName}': expected Basic, Standard or Premium`);
  }
  for (const [prefix, tier] of ENTERPRISE_PREFIXES) if (sku.startsWith(prefix)) return tier;
  throw new UnknownTierError(
    `Unknown Microsoft.Cache/redisEnterprise SKU '${skuName}': expected Enterprise_*, EnterpriseFlash_*, Balanced_*, MemoryOptimized_*, ComputeOptimized_* or FlashOptimized_*`,
  );
}

export function tierOf(snapshot: Pick<CacheSnapshot, 'kind' | 'sku'>): Tier {
  return tierOfSku(snapshot.kind, snapshot.sku.name);
}

export function tierFactsOf(snapshot: Pick<CacheSnapshot, 'kind' | 'sku'>): TierFacts {
  return TIER_FACTS[tierOf(snapshot)];
}

/** Clustering on a Premium cache (`shardCount` >= 1). */
export function isClustered(snapshot: Pick<CacheSnapshot, 'kind' | 'sku' | 'shardCount'>): boolean {
  return tierOf(snapshot) === 'Premium' && (snapshot.shardCount ?? 0) > 0;
}

/** The private link limit of this cache, with its documented rule. */
export function linkLimitOf(snapshot: Pick<CacheSnapshot, 'kind' | 'sku' | 'shardCount'>): { limit: number; rule: string } {
  if (isClustered(snapshot)) return { limit: 1, rule: SEED.linkLimitClustered };
  const facts = tierFactsOf(snapshot);
  return { limit: facts.linkLimit, rule: facts.linkLimitRule };
}

/** Passive geo-replication currently blocks adding a private link to this cache. */
export function geoReplicationBlocks(snapshot: Pick<CacheSnapshot, 'kind' | 'sku' | 'linkedServers'>): boolean {
  return tierFactsOf(snapshot).geoReplicationBlocksPrivateEndpoints && snapshot.linkedServers.length > 0;
}
