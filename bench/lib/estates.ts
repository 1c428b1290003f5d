/**
 * Generated estates for the benchmarks, built by driving the emulator's own providers (the same PUTs a client
 * sends, straight into the engine), so they are consistent by construction: private endpoint connections under
 * the caches, NICs, A records in the zones, subnet back-references. Everything is deterministic (by index, and
 * GUIDs from a counter).
 *
 * Large estates are built in shards: the emulator's write paths scan the whole store (cloning resources), so one
 * engine holding 1,000 caches takes about a minute to build, while ten engines of 100 caches take a few seconds.
 * Shards are disjoint (their own VNets, caches, endpoints, NICs, A records) except for the shared parents they
 * each create identically (the private DNS zones and their SOA records): the merge keeps one copy of those and the
 * emulator's seed hooks recompute what is derived from children (zone record and link counters, subnets).
 */
import { createEngine, type EmulatorEngine, type Estate } from '../../emulator';
import type { ArmResource } from '../../emulator/core/types';
import { API, arm } from './arm';

export const BENCH_SUBSCRIPTION = '0b0b0b0b-0000-4000-8000-000000000001';
const S = `/subscriptions/${BENCH_SUBSCRIPTION}`;
export const RG_NET = 'rg-bench-net';
export const RG_DNS = 'rg-bench-dns';
export const RG_CACHE = 'rg-bench-cache';
export const LOCATION = 'eastus';

const NET = `${S}/resourceGroups/${RG_NET}/providers/Microsoft.Network`;
const DNS = `${S}/resourceGroups/${RG_DNS}/providers/Microsoft.Network/privateDnsZones`;
const CACHE = `${S}/resourceGroups/${RG_CACHE}/providers/Microsoft.Cache`;

export const ids = {
  vnet: (name: string) => `${NET}/virtualNetworks/${name}`,
  subnet: (vnet: string, subnet: string) => `${NET}/virtualNetworks/${vnet}/subnets/${subnet}`,
  zone: (name: string) => `${DNS}/${name}`,
  redis: (name: string) => `${CACHE}/Redis/${name}`,
  enterprise: (name: string) => `${CACHE}/redisEnterprise/${name}`,
  pe: (name: string) => `${NET}/privateEndpoints/${name}`,
};

export const ZONES = { redis: 'privatelink.redis.cache.windows.net', enterprise: 'privatelink.redisenterprise.cache.azure.net' } as const;

/** The empty estate the builders start from: the three resource groups. */
export function emptyBenchEstate(): Estate {
  return {
    resources: [],
    resourceGroups: [RG_NET, RG_DNS, RG_CACHE].map((name) => ({ subscriptionId: BENCH_SUBSCRIPTION, name, location: LOCATION })),
  };
}

function deterministicGuids(shard: number): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `be000000-0000-4000-8000-${shard.toString(16).padStart(4, '0')}${n.toString(16).padStart(8, '0')}`;
  };
}

/**
 * Builds each shard in a fresh engine (no socket) and merges their resources into one estate. A resource id
 * present in several shards must be a shared parent (kept once); anything else is an error.
 */
export async function buildSharded(shards: Array<(engine: EmulatorEngine) => Promise<void>>, shared: (r: ArmResource) => boolean): Promise<Estate> {
  const base = emptyBenchEstate();
  const merged = new Map<string, ArmResource>();
  for (const [k, build] of shards.entries()) {
    const engine = createEngine({ estate: base });
    engine.ctx.newGuid = deterministicGuids(k + 1);
    await build(engine);
    for (const r of engine.store.snapshot()) {
      const key = r.id.toLowerCase();
      if (!merged.has(key)) merged.set(key, r);
      else if (!shared(r)) throw new Error(`shard ${k} repeats ${r.id}, which is not a shared parent`);
    }
  }
  return { resourceGroups: base.resourceGroups, resources: [...merged.values()] };
}

export type Tier = 'Basic' | 'Standard' | 'Premium' | 'Enterprise';

const SKU: Record<Exclude<Tier, 'Enterprise'>, { name: string; family: string; capacity: number }> = {
  Basic: { name: 'Basic', family: 'C', capacity: 0 },
  Standard: { name: 'Standard', family: 'C', capacity: 1 },
  Premium: { name: 'Premium', family: 'P', capacity: 1 },
};

export async function putRedis(
  engine: EmulatorEngine,
  name: string,
  tier: Exclude<Tier, 'Enterprise'>,
  props: { publicNetworkAccess: 'Enabled' | 'Disabled'; shardCount?: number },
  location = LOCATION,
): Promise<string> {
  await arm(engine, 'PUT', ids.redis(name), API.redis, {
    location,
    tags: { purpose: 'bench' },
    properties: { sku: SKU[tier], minimumTlsVersion: '1.2', ...props },
  });
  return ids.redis(name);
}

export async function putEnterprise(engine: EmulatorEngine, name: string, location = LOCATION): Promise<string> {
  await arm(engine, 'PUT', ids.enterprise(name), API.enterprise, {
    location,
    tags: { purpose: 'bench' },
    sku: { name: 'Enterprise_E10', capacity: 2 },
    properties: { minimumTlsVersion: '1.2' },
  });
  await arm(engine, 'PUT', `${ids.enterprise(name)}/databases/default`, API.enterprise, {
    properties: { clientProtocol: 'Encrypted', clusteringPolicy: 'OSSCluster', evictionPolicy: 'VolatileLRU', port: 10000 },
  });
  return ids.enterprise(name);
}

/** A VNet with one subnet; `policies` = privateEndpointNetworkPolicies of the subnet. */
export async function putVnet(
  engine: EmulatorEngine,
  name: string,
  addressSpace: string,
  subnet: { name: string; prefix: string; policies: 'Enabled' | 'Disabled' },
  location = LOCATION,
): Promise<string> {
  await arm(engine, 'PUT', ids.vnet(name), API.network, {
    location,
    properties: {
      addressSpace: { addressPrefixes: [addressSpace] },
      subnets: [{ name: subnet.name, properties: { addressPrefix: subnet.prefix, privateEndpointNetworkPolicies: subnet.policies } }],
    },
  });
  return ids.vnet(name);
}

/** A private DNS zone in rg-bench-dns linked to the given VNets. */
export async function putZone(engine: EmulatorEngine, zoneName: string, linkedVnets: string[]): Promise<string> {
  const zone = ids.zone(zoneName);
  await arm(engine, 'PUT', zone, API.dns, { location: 'global' });
  for (const vnet of linkedVnets) {
    await arm(engine, 'PUT', `${zone}/virtualNetworkLinks/link-${vnet.split('/').pop()}`, API.dns, {
      location: 'global',
      properties: { virtualNetwork: { id: vnet }, registrationEnabled: false },
    });
  }
  return zone;
}

/** An auto-approved private endpoint to `targetId` in `subnetId`, with a DNS zone group on `zoneId` unless null. */
export async function putEndpoint(
  engine: EmulatorEngine,
  name: string,
  target: { id: string; groupId: string },
  subnetId: string,
  zoneId: string | null,
  location = LOCATION,
): Promise<string> {
  const pe = ids.pe(name);
  const targetId = target.id;
  const groupId = target.groupId;
  await arm(engine, 'PUT', pe, API.network, {
    location,
    properties: {
      subnet: { id: subnetId },
      privateLinkServiceConnections: [{ name, properties: { privateLinkServiceId: targetId, groupIds: [groupId] } }],
    },
  });
  if (zoneId) {
    await arm(engine, 'PUT', `${pe}/privateDnsZoneGroups/default`, API.network, {
      properties: { privateDnsZoneConfigs: [{ name: zoneId.split('/').pop()!.replace(/\./g, '-'), properties: { privateDnsZoneId: zoneId } }] },
    });
  }
  return pe;
}

// ---------------------------------------------------------------------------------------------- the sweep estate

export type CacheScenario =
  /** Approved endpoint in the placement VNet, DNS zone group, zone linked, public access Disabled. */
  | 'compliant'
  /** Public access Enabled and no endpoint at all. */
  | 'public-no-endpoint'
  /** An approved endpoint with DNS, but public access still Enabled. */
  | 'endpoint-public-enabled'
  /** An approved endpoint without a DNS zone group (public access Disabled). */
  | 'endpoint-no-dns';

export interface SweepCache {
  id: string;
  name: string;
  tier: Tier;
  region: string;
  scenario: CacheScenario;
}

export interface SweepEstate {
  caches: SweepCache[];
  /** Policy input (pass through parsePolicy). */
  policy: Record<string, unknown>;
}

/**
 * The sweep estate's regions: one endpoint VNet each (`vnet-<region>`, 10.<k>.0.0/16, subnet `snet-pe`
 * 10.<k>.0.0/22 with private endpoint network policies Disabled), the policy's placement for that region.
 * (Spreading the endpoints over ten VNets also keeps the build fast: the emulator's network provider
 * re-derives a VNet's subnets on every endpoint write.)
 */
export const SWEEP_REGIONS = ['eastus', 'eastus2', 'westus2', 'westus3', 'centralus', 'northeurope', 'westeurope', 'uksouth', 'swedencentral', 'southeastasia'] as const;

/** Tier, region and scenario of cache `i`: 2% Enterprise, the rest Basic/Standard/Premium; every tenth non-compliant. */
export function sweepCacheOf(i: number): { name: string; tier: Tier; region: string; shardCount?: number; scenario: CacheScenario } {
  const name = `cache-${String(i).padStart(5, '0')}`;
  const tier: Tier = i % 50 === 49 ? 'Enterprise' : (['Basic', 'Standard', 'Standard', 'Premium'] as const)[Math.floor(i / 3) % 4]!;
  const shardCount = tier === 'Premium' && i % 2 === 0 ? 2 : undefined;
  const scenario: CacheScenario =
    i % 10 === 7 ? (['public-no-endpoint', 'endpoint-public-enabled', 'endpoint-no-dns'] as const)[Math.floor(i / 10) % 3]! : 'compliant';
  return { name, tier, region: SWEEP_REGIONS[Math.floor(i / 10) % SWEEP_REGIONS.length]!, ...(shardCount ? { shardCount } : {}), scenario };
}

/**
 * `count` caches in one subscription over ten regions: most compliant (approved endpoint in the region's
 * placement subnet, DNS zone group on the tier's zone, zone linked to every endpoint VNet, public access
 * Disabled), every tenth non-compliant in one of three ways. Enterprise clusters use their own zone (they have no
 * public network access flag). One shard per region.
 */
export async function buildSweepEstate(count: number): Promise<SweepEstate & { estate: Estate }> {
  const placement: Record<string, { subnetId: string }> = {};
  const caches: SweepCache[] = [];
  const shards = SWEEP_REGIONS.map((region, k) => async (engine: EmulatorEngine) => {
    const vnet = await putVnet(engine, `vnet-${region}`, `10.${k}.0.0/16`, { name: 'snet-pe', prefix: `10.${k}.0.0/22`, policies: 'Disabled' }, region);
    const subnetId = ids.subnet(`vnet-${region}`, 'snet-pe');
    placement[region] = { subnetId };
    const redisZone = await putZone(engine, ZONES.redis, [vnet]);
    const enterpriseZone = await putZone(engine, ZONES.enterprise, [vnet]);
    for (let i = 0; i < count; i++) {
      const c = sweepCacheOf(i);
      if (c.region !== region) continue;
      const enterprise = c.tier === 'Enterprise';
      let id: string;
      if (c.tier === 'Enterprise') {
        id = await putEnterprise(engine, c.name, c.region);
      } else {
        const publicNetworkAccess = c.scenario === 'public-no-endpoint' || c.scenario === 'endpoint-public-enabled' ? 'Enabled' : 'Disabled';
        id = await putRedis(engine, c.name, c.tier, { publicNetworkAccess, ...(c.shardCount ? { shardCount: c.shardCount } : {}) }, c.region);
      }
      if (c.scenario !== 'public-no-endpoint') {
        const zone = c.scenario === 'endpoint-no-dns' ? null : enterprise ? enterpriseZone : redisZone;
        const target = { id, groupId: enterprise ? 'redisEnterprise' : 'redisCache' };
        await putEndpoint(engine, `pe-${c.name}-vnet-${c.region}`, target, subnetId, zone, c.region);
      }
      caches.push({ id, name: c.name, tier: c.tier, region: c.region, scenario: c.scenario });
    }
  });
  const zoneIds = Object.values(ZONES).map((z) => ids.zone(z).toLowerCase());
  const estate = await buildSharded(shards, (r) => zoneIds.some((z) => r.id.toLowerCase() === z || r.id.toLowerCase() === `${z}/soa/@`));
  caches.sort((a, b) => a.name.localeCompare(b.name));
  return {
    estate,
    caches,
    policy: {
      scopes: { subscriptions: [BENCH_SUBSCRIPTION] },
      mode: 'audit',
      dnsZones: { subscriptionId: BENCH_SUBSCRIPTION, resourceGroup: RG_DNS },
      endpointPlacement: placement,
      consumerVirtualNetworks: [],
      publicNetworkAccess: 'Disabled',
      onLastEndpointDeleted: 'report-only',
      connectionApproval: { mode: 'leave' },
      geoReplication: 'manual',
    },
  };
}

/** `count` plain caches (mixed tiers, public, no endpoints) for inventory queries, built in shards of 250. */
export async function buildPlainCacheEstate(count: number): Promise<Estate> {
  const shards: Array<(engine: EmulatorEngine) => Promise<void>> = [];
  for (let start = 0; start < count; start += 250) {
    shards.push(async (engine) => {
      for (let i = start; i < Math.min(count, start + 250); i++) {
        const tier = (['Basic', 'Standard', 'Premium'] as const)[i % 3]!;
        await putRedis(engine, `inv-${String(i).padStart(5, '0')}`, tier, { publicNetworkAccess: 'Enabled' });
      }
    });
  }
  return buildSharded(shards, () => false);
}
