/**
 * Builds `emulator/estates/demo.json` by driving the emulator's own providers over HTTP (the same calls a client
 * makes: PUT the VNets, subnets, caches, private DNS zone and links, private endpoints and their DNS zone groups,
 * link the geo-replicated pair, delete one endpoint), then writing the resulting state. The estate is therefore
 * consistent by construction (PEC resources under the caches, A records, NICs, subnet back-references).
 * GUIDs come from a counter so the output is reproducible.
 *
 *   npx tsx emulator/estates/build-demo.ts > emulator/estates/demo.json
 */
import { startEmulator, type RunningEmulator } from '../index';
import type { ArmResource } from '../core/types';

export const DEMO_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
export const DEMO_SUBSCRIPTION_2 = '22222222-2222-2222-2222-222222222222';
const S1 = `/subscriptions/${DEMO_SUBSCRIPTION}`;
const S2 = `/subscriptions/${DEMO_SUBSCRIPTION_2}`;

const API = { redis: '2024-11-01', enterprise: '2022-01-01', network: '2026-01-01', dns: '2024-06-01' } as const;

export const DEMO_RESOURCE_GROUPS = [
  { subscriptionId: DEMO_SUBSCRIPTION, name: 'rg-demo-network', location: 'eastus' },
  { subscriptionId: DEMO_SUBSCRIPTION, name: 'rg-demo-cache', location: 'eastus' },
  { subscriptionId: DEMO_SUBSCRIPTION_2, name: 'rg-team-b', location: 'westeurope' },
];

const NET = `${S1}/resourceGroups/rg-demo-network/providers/Microsoft.Network`;
const CACHE = `${S1}/resourceGroups/rg-demo-cache/providers/Microsoft.Cache`;
const VNET_EAST = `${NET}/virtualNetworks/vnet-app-eastus`;
const VNET_WEST = `${NET}/virtualNetworks/vnet-app-westus`;
const ZONE = `${NET}/privateDnsZones/privatelink.redis.cache.windows.net`;

function deterministicGuids(): () => string {
  let n = 0;
  return () => {
    n += 1;
    const hex = n.toString(16).padStart(12, '0');
    return `d3e00000-0000-4000-8000-${hex}`;
  };
}

async function call(emu: RunningEmulator, method: string, path: string, apiVersion: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emu.url}${path}?api-version=${apiVersion}`, {
    method,
    headers: { Authorization: 'Bearer demo-builder', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  emu.control.settleOperations();
  return text ? JSON.parse(text) : undefined;
}

export async function buildDemoEstate(): Promise<{ resourceGroups: typeof DEMO_RESOURCE_GROUPS; resources: ArmResource[] }> {
  const emu = await startEmulator({ estate: { resources: [], resourceGroups: DEMO_RESOURCE_GROUPS } });
  emu.ctx.newGuid = deterministicGuids();
  try {
    const net = (method: string, path: string, body?: unknown) => call(emu, method, path, API.network, body);
    const redis = (method: string, path: string, body?: unknown) => call(emu, method, path, API.redis, body);

    // Networks: an app VNet per region; `snet-pe` hosts private endpoints (network policies disabled, as the seed
    // requires), `snet-app` hosts clients, `snet-redis` is the injection subnet of the VNet-injected cache.
    await net('PUT', VNET_EAST, {
      location: 'eastus',
      tags: { purpose: 'demo' },
      properties: {
        addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
        subnets: [
          { name: 'snet-app', properties: { addressPrefix: '10.10.1.0/24' } },
          { name: 'snet-pe', properties: { addressPrefix: '10.10.2.0/24', privateEndpointNetworkPolicies: 'Disabled' } },
          { name: 'snet-redis', properties: { addressPrefix: '10.10.3.0/24' } },
        ],
      },
    });
    await net('PUT', VNET_WEST, {
      location: 'westus',
      tags: { purpose: 'demo' },
      properties: {
        addressSpace: { addressPrefixes: ['10.20.0.0/16'] },
        subnets: [
          { name: 'snet-app', properties: { addressPrefix: '10.20.1.0/24' } },
          { name: 'snet-pe', properties: { addressPrefix: '10.20.2.0/24', privateEndpointNetworkPolicies: 'Disabled' } },
        ],
      },
    });

    // The private DNS zone for Basic/Standard/Premium, linked to the east VNet (the one with endpoints).
    await call(emu, 'PUT', ZONE, API.dns, { location: 'global', tags: { purpose: 'demo' } });
    await call(emu, 'PUT', `${ZONE}/virtualNetworkLinks/link-vnet-app-eastus`, API.dns, {
      location: 'global',
      properties: { virtualNetwork: { id: VNET_EAST }, registrationEnabled: false },
    });

    const cache = (name: string, location: string, sku: [string, string, number], props: Record<string, unknown> = {}) =>
      redis('PUT', `${CACHE}/redis/${name}`, {
        location,
        tags: { purpose: 'demo' },
        properties: { sku: { name: sku[0], family: sku[1], capacity: sku[2] }, minimumTlsVersion: '1.2', ...props },
      });

    // 1. Basic, public access, no endpoint.
    await cache('demo-basic-public', 'eastus', ['Basic', 'C', 0], { publicNetworkAccess: 'Enabled' });
    // 2. Standard with an approved endpoint, but public access still Enabled.
    await cache('demo-std-pe-public', 'eastus', ['Standard', 'C', 1], { publicNetworkAccess: 'Enabled' });
    // 3. Premium passive geo-replicated pair (East US primary, West US secondary), no endpoints.
    await cache('demo-geo-primary', 'eastus', ['Premium', 'P', 1], { publicNetworkAccess: 'Enabled' });
    await cache('demo-geo-secondary', 'westus', ['Premium', 'P', 1], { publicNetworkAccess: 'Enabled' });
    // 4. Premium with clustering (2 shards) and its one allowed endpoint; public access Disabled.
    await cache('demo-premium-clustered', 'eastus', ['Premium', 'P', 1], { shardCount: 2, publicNetworkAccess: 'Disabled' });
    // 5. VNet-injected Premium (private endpoints are refused on it).
    await cache('demo-premium-vnet', 'eastus', ['Premium', 'P', 1], { subnetId: `${VNET_EAST}/subnets/snet-redis`, staticIP: '10.10.3.10', publicNetworkAccess: 'Disabled' });
    // 7. Premium whose endpoints were all deleted, with public access Disabled: unreachable.
    await cache('demo-premium-orphaned', 'eastus', ['Premium', 'P', 1], { publicNetworkAccess: 'Disabled' });

    await redis('PUT', `${CACHE}/redis/demo-geo-primary/linkedServers/demo-geo-secondary`, {
      properties: {
        linkedRedisCacheId: `${CACHE}/Redis/demo-geo-secondary`,
        linkedRedisCacheLocation: 'West US',
        serverRole: 'Secondary',
      },
    });

    const endpoint = async (cacheName: string, withZoneGroup: boolean) => {
      const pe = `${NET}/privateEndpoints/pe-${cacheName}-vnet-app-eastus`;
      await net('PUT', pe, {
        location: 'eastus',
        tags: { purpose: 'demo' },
        properties: {
          subnet: { id: `${VNET_EAST}/subnets/snet-pe` },
          privateLinkServiceConnections: [
            {
              name: `pe-${cacheName}-vnet-app-eastus`,
              properties: { privateLinkServiceId: `${CACHE}/Redis/${cacheName}`, groupIds: ['redisCache'] },
            },
          ],
        },
      });
      if (withZoneGroup) {
        await net('PUT', `${pe}/privateDnsZoneGroups/default`, {
          properties: { privateDnsZoneConfigs: [{ name: 'privatelink-redis-cache-windows-net', properties: { privateDnsZoneId: ZONE } }] },
        });
      }
      return pe;
    };
    await endpoint('demo-std-pe-public', true);
    await endpoint('demo-premium-clustered', true);
    const orphan = await endpoint('demo-premium-orphaned', true);
    await net('DELETE', orphan);

    // 6. Enterprise cluster with its default database, no endpoint.
    await call(emu, 'PUT', `${CACHE}/redisEnterprise/demo-enterprise`, API.enterprise, {
      location: 'eastus',
      tags: { purpose: 'demo' },
      sku: { name: 'Enterprise_E10', capacity: 2 },
      zones: ['1', '2', '3'],
      properties: { minimumTlsVersion: '1.2' },
    });
    await call(emu, 'PUT', `${CACHE}/redisEnterprise/demo-enterprise/databases/default`, API.enterprise, {
      properties: { clientProtocol: 'Encrypted', clusteringPolicy: 'OSSCluster', evictionPolicy: 'VolatileLRU', port: 10000 },
    });

    // Second subscription: one Standard cache, public.
    await call(emu, 'PUT', `${S2}/resourceGroups/rg-team-b/providers/Microsoft.Cache/redis/teamb-cache`, API.redis, {
      location: 'westeurope',
      tags: { team: 'b' },
      properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, minimumTlsVersion: '1.2', publicNetworkAccess: 'Enabled' },
    });

    return { resourceGroups: DEMO_RESOURCE_GROUPS, resources: emu.control.snapshot() };
  } finally {
    await emu.close();
  }
}

if (require.main === module) {
  buildDemoEstate().then(
    (estate) => process.stdout.write(`${JSON.stringify(estate, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`build-demo: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
