/**
 * Estates for the scale profile: `caches` Azure Cache for Redis instances spread over `caches / 100` subscriptions
 * (100 caches each), the shape of a landing-zone estate:
 * - each subscription has its spoke VNet (`vnet-q<k>`, 10.0.0.0/16, subnet `snet-pe` 10.0.0.0/20) and its caches;
 * - one hub subscription holds the private DNS zone `privatelink.redis.cache.windows.net`, linked to every spoke;
 * - 90% of the caches are compliant (an Approved endpoint in their spoke with a DNS zone group, public access
 *   Disabled); every tenth is not, in one of three ways (as in bench/lib/estates.ts).
 *
 * Building 100,000 caches through the emulator's providers one PUT at a time would take far too long, so one
 * subscription is built through the providers (the same PUTs a client sends: endpoints, NICs, connections, A
 * records are all derived by the emulator) and then copied for every other subscription by renaming: the
 * subscription id and the `q00000` marker that every name of the template carries. The hub zone and its SOA are
 * shared (kept once); the emulator's seed hooks recompute what is derived from children (zone counters, subnets).
 */
import { createEngine, type Estate } from '../../emulator';
import type { ArmResource } from '../../emulator/core/types';
import { API, arm } from './arm';
import { ZONES, type CacheScenario } from './estates';

export const HUB_SUBSCRIPTION = '0d0d0d0d-0000-4000-8000-0000000000aa';
export const CACHES_PER_SUBSCRIPTION = 100;
const TEMPLATE_MARKER = 'q00000';

export function scaleSubscription(k: number): string {
  return `0b0b0b0b-0000-4000-8000-${String(k).padStart(12, '0')}`;
}

const marker = (k: number) => `q${String(k).padStart(5, '0')}`;

export function scenarioOf(i: number): CacheScenario {
  return i % 10 === 7 ? (['public-no-endpoint', 'endpoint-public-enabled', 'endpoint-no-dns'] as const)[Math.floor(i / 10) % 3]! : 'compliant';
}

const ids = (sub: string) => ({
  vnet: (name: string) => `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${name}`,
  redis: (name: string) => `/subscriptions/${sub}/resourceGroups/rg-cache/providers/Microsoft.Cache/Redis/${name}`,
  pe: (name: string) => `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`,
});
const HUB_ZONE = `/subscriptions/${HUB_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${ZONES.redis}`;

export interface ScaleEstate {
  estate: Estate;
  subscriptions: string[];
  /** Lower-case names of the compliant caches. */
  compliant: Set<string>;
  caches: number;
  policy: Record<string, unknown>;
}

/** Cache names: `q<k>-c<i>` (k = subscription, i = index in it). */
export function cacheName(k: number, i: number): string {
  return `${marker(k)}-c${String(i).padStart(3, '0')}`;
}

async function buildTemplate(): Promise<ArmResource[]> {
  const sub = scaleSubscription(0);
  const at = ids(sub);
  const engine = createEngine({
    estate: {
      resources: [],
      resourceGroups: [
        { subscriptionId: sub, name: 'rg-net', location: 'eastus' },
        { subscriptionId: sub, name: 'rg-cache', location: 'eastus' },
        { subscriptionId: HUB_SUBSCRIPTION, name: 'rg-dns', location: 'eastus' },
      ],
    },
  });
  let n = 0;
  engine.ctx.newGuid = () => `5ca1e000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
  const vnetName = `vnet-${TEMPLATE_MARKER}`;
  await arm(engine, 'PUT', at.vnet(vnetName), API.network, {
    location: 'eastus',
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'snet-pe', properties: { addressPrefix: '10.0.0.0/20', privateEndpointNetworkPolicies: 'Disabled' } }] },
  });
  await arm(engine, 'PUT', HUB_ZONE, API.dns, { location: 'global' });
  await arm(engine, 'PUT', `${HUB_ZONE}/virtualNetworkLinks/link-${vnetName}`, API.dns, {
    location: 'global',
    properties: { virtualNetwork: { id: at.vnet(vnetName) }, registrationEnabled: false },
  });
  const subnetId = `${at.vnet(vnetName)}/subnets/snet-pe`;
  for (let i = 0; i < CACHES_PER_SUBSCRIPTION; i++) {
    const scenario = scenarioOf(i);
    const name = cacheName(0, i);
    const tier = (['Basic', 'Standard', 'Standard', 'Premium'] as const)[i % 4]!;
    const publicNetworkAccess = scenario === 'public-no-endpoint' || scenario === 'endpoint-public-enabled' ? 'Enabled' : 'Disabled';
    // bench/lib/estates.ts builds in rg-bench-cache; the scale estate uses its own ids through `arm` directly.
    await arm(engine, 'PUT', at.redis(name), API.redis, {
      location: 'eastus',
      tags: { purpose: 'bench-scale' },
      properties: { sku: { name: tier, family: tier === 'Premium' ? 'P' : 'C', capacity: 1 }, minimumTlsVersion: '1.2', publicNetworkAccess },
    });
    if (scenario === 'public-no-endpoint') continue;
    const pe = at.pe(`pe-${name}`);
    await arm(engine, 'PUT', pe, API.network, {
      location: 'eastus',
      properties: { subnet: { id: subnetId }, privateLinkServiceConnections: [{ name: `pe-${name}`, properties: { privateLinkServiceId: at.redis(name), groupIds: ['redisCache'] } }] },
    });
    if (scenario !== 'endpoint-no-dns') {
      await arm(engine, 'PUT', `${pe}/privateDnsZoneGroups/default`, API.network, {
        properties: { privateDnsZoneConfigs: [{ name: 'privatelink-redis-cache-windows-net', properties: { privateDnsZoneId: HUB_ZONE } }] },
      });
    }
  }
  return engine.store.snapshot();
}

/** Shared parents every copy would repeat: the hub zone and its SOA record set. */
function isShared(r: ArmResource): boolean {
  const id = r.id.toLowerCase();
  return id === HUB_ZONE.toLowerCase() || id === `${HUB_ZONE}/SOA/@`.toLowerCase();
}

export async function buildScaleEstate(caches: number): Promise<ScaleEstate> {
  if (caches % CACHES_PER_SUBSCRIPTION !== 0) throw new Error(`caches must be a multiple of ${CACHES_PER_SUBSCRIPTION}`);
  const template = await buildTemplate();
  const shared = template.filter(isShared);
  const text = JSON.stringify(template.filter((r) => !isShared(r)));
  const subs = caches / CACHES_PER_SUBSCRIPTION;
  const resources: ArmResource[] = [...shared];
  const subRe = new RegExp(scaleSubscription(0), 'gi');
  const markerRe = new RegExp(TEMPLATE_MARKER, 'g');
  const subscriptions: string[] = [];
  const compliant = new Set<string>();
  for (let k = 0; k < subs; k++) {
    const sub = scaleSubscription(k);
    subscriptions.push(sub);
    const copy = k === 0 ? text : text.replace(subRe, sub).replace(markerRe, marker(k));
    for (const r of JSON.parse(copy) as ArmResource[]) resources.push(r);
    for (let i = 0; i < CACHES_PER_SUBSCRIPTION; i++) if (scenarioOf(i) === 'compliant') compliant.add(cacheName(k, i).toLowerCase());
  }
  const resourceGroups = [
    { subscriptionId: HUB_SUBSCRIPTION, name: 'rg-dns', location: 'eastus' },
    ...subscriptions.flatMap((s) => [
      { subscriptionId: s, name: 'rg-net', location: 'eastus' },
      { subscriptionId: s, name: 'rg-cache', location: 'eastus' },
    ]),
  ];
  return {
    estate: { resources, resourceGroups },
    subscriptions,
    compliant,
    caches,
    policy: {
      scopes: { subscriptions },
      mode: 'audit',
      dnsZones: { subscriptionId: HUB_SUBSCRIPTION, resourceGroup: 'rg-dns' },
      // Endpoints live in each subscription's spoke; the policy's placement (for new endpoints) is in a region
      // without caches here, so the rules ask for an Approved endpoint with DNS, wherever it is.
      endpointPlacement: { westus3: { subnetId: `${ids(HUB_SUBSCRIPTION).vnet('vnet-hub')}/subnets/snet-pe` } },
      consumerVirtualNetworks: [],
      publicNetworkAccess: 'Disabled',
      onLastEndpointDeleted: 'report-only',
      connectionApproval: { mode: 'leave' },
      geoReplication: 'manual',
    },
  };
}

