/**
 * Private DNS: the zone a tier's endpoints use in a cloud, and the A record name of a cache host in that zone.
 * Zone names and host suffixes come from `src/azure/cloud.ts`.
 *
 *   Basic/Standard/Premium  mycache.redis.cache.windows.net          -> zone privatelink.redis.cache.windows.net, record `mycache`
 *   Enterprise (Flash)      c1.eastus.redisenterprise.cache.azure.net -> zone privatelink.redisenterprise.cache.azure.net, record `c1.eastus`
 *   Azure Managed Redis     c1.eastus.redis.azure.net                 -> zone privatelink.redis.azure.net, record `c1.eastus`
 */
import { getCloud, type CloudName, type CloudSettings } from '../azure/cloud';
import { normalizeRegion } from './policy-schema';
import type { CacheSnapshot } from './snapshot';
import { TIER_FACTS, tierOf, type Tier, type TierFacts } from './tiers';

function cloudOf(cloud: CloudName | CloudSettings | undefined): CloudSettings {
  return typeof cloud === 'object' ? cloud : getCloud(cloud);
}

function factsOf(tier: Tier | TierFacts): TierFacts {
  return typeof tier === 'string' ? TIER_FACTS[tier] : tier;
}

/** The private DNS zone name for a tier in a cloud, e.g. `privatelink.redis.cache.windows.net`. */
export function zoneNameFor(tier: Tier | TierFacts, cloud?: CloudName | CloudSettings): string {
  return cloudOf(cloud).privateDnsZones[factsOf(tier).zoneKey];
}

/** The public host suffix for a tier in a cloud, e.g. `redis.cache.windows.net`. */
export function hostSuffixFor(tier: Tier | TierFacts, cloud?: CloudName | CloudSettings): string {
  return cloudOf(cloud).hostSuffixes[factsOf(tier).zoneKey];
}

/** The host name clients use: `{name}.{suffix}` (redis) or `{name}.{region}.{suffix}` (redisEnterprise). */
export function expectedHostName(
  snapshot: Pick<CacheSnapshot, 'kind' | 'sku' | 'name' | 'location'>,
  cloud?: CloudName | CloudSettings,
): string {
  const facts = TIER_FACTS[tierOf(snapshot)];
  const suffix = hostSuffixFor(facts, cloud);
  const name = snapshot.name.toLowerCase();
  return facts.kind === 'redis' ? `${name}.${suffix}` : `${name}.${normalizeRegion(snapshot.location)}.${suffix}`;
}

/**
 * The relative A record name of `hostName` in `zoneName`, lower-case. Accepts the public host
 * (`mycache.redis.cache.windows.net` in `privatelink.redis.cache.windows.net`) and the privatelink host
 * (`mycache.privatelink.redis.cache.windows.net`). Undefined when the host does not belong to the zone.
 */
export function recordNameFor(hostName: string, zoneName: string): string | undefined {
  const host = hostName.toLowerCase().replace(/\.$/, '');
  const zone = zoneName.toLowerCase().replace(/\.$/, '');
  const publicSuffix = zone.startsWith('privatelink.') ? zone.slice('privatelink.'.length) : undefined;
  for (const suffix of [zone, publicSuffix]) {
    if (suffix && host.endsWith(`.${suffix}`)) {
      const rel = host.slice(0, host.length - suffix.length - 1);
      if (rel.length > 0) return rel;
    }
  }
  return undefined;
}

/** The zone and record the cache's A record must live in, for the policy's cloud. */
export function dnsRecordOf(
  snapshot: Pick<CacheSnapshot, 'kind' | 'sku' | 'name' | 'location' | 'hostName'>,
  cloud?: CloudName | CloudSettings,
): { zoneName: string; recordName: string } {
  const facts = TIER_FACTS[tierOf(snapshot)];
  const zoneName = zoneNameFor(facts, cloud);
  const recordName =
    (snapshot.hostName ? recordNameFor(snapshot.hostName, zoneName) : undefined) ??
    (recordNameFor(expectedHostName(snapshot, cloud), zoneName) as string);
  return { zoneName, recordName };
}

/** Whether a zone name is the right one for the tier and cloud (case-insensitive, trailing dot ignored). */
export function isExpectedZoneName(name: string, tier: Tier | TierFacts, cloud?: CloudName | CloudSettings): boolean {
  return name.toLowerCase().replace(/\.$/, '') === zoneNameFor(tier, cloud).toLowerCase();
}
