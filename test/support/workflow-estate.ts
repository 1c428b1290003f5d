/**
 * Builds a small estate through the real SDK clients against the emulator (so the test bed itself goes through
 * ARM's wire format): a consumer VNet and an endpoint VNet, caches of several tiers, a passive geo pair.
 */
import type { AzureClients } from '../../src/azure/clients';
import { parsePolicy, type Policy } from '../../src/policy/policy-schema';
import type { RuntimeSettings } from '../../src/azure/settings';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const RG = 'rg-app';
export const RG_NET = 'rg-net';
export const RG_DNS = 'rg-dns';
export const LOCATION = 'westus2';

export const ids = {
  cache: (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/Redis/${name}`,
  vnet: (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG_NET}/providers/Microsoft.Network/virtualNetworks/${name}`,
  subnet: (vnet: string, subnet: string) => `${ids.vnet(vnet)}/subnets/${subnet}`,
  pe: (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG_NET}/providers/Microsoft.Network/privateEndpoints/${name}`,
  zone: (name = 'privatelink.redis.cache.windows.net') => `/subscriptions/${SUB}/resourceGroups/${RG_DNS}/providers/Microsoft.Network/privateDnsZones/${name}`,
};

export const ESTATE_RESOURCE_GROUPS = [RG, RG_NET, RG_DNS, 'rg-geo'].map((name) => ({ subscriptionId: SUB, name, location: LOCATION }));

export const FAST_SETTINGS: RuntimeSettings = {
  cloud: 'AzureCloud',
  pollIntervalSeconds: 10,
  operationTimeoutSeconds: 3600,
  activityRetry: { firstRetryIntervalMs: 2000, maxNumberOfAttempts: 6, backoffCoefficient: 2 },
};

export function testPolicy(overrides: Record<string, unknown> = {}): Policy {
  return parsePolicy({
    scopes: { subscriptions: [SUB] },
    mode: 'enforce',
    dnsZones: { subscriptionId: SUB, resourceGroup: RG_DNS },
    endpointPlacement: { [LOCATION]: { subnetId: ids.subnet('vnet-app', 'endpoints') } },
    consumerVirtualNetworks: [ids.vnet('vnet-consumer')],
    geoReplication: 'unlink-and-relink',
    onLastEndpointDeleted: 'enable-public-access',
    ...overrides,
  });
}

const POLL = { updateIntervalInMs: 5 };

export async function createVnet(clients: AzureClients, name: string, prefix: string, policies: 'Enabled' | 'Disabled' = 'Enabled'): Promise<void> {
  await clients.network(SUB).virtualNetworks.createOrUpdate(RG_NET, name, {
    location: LOCATION,
    addressSpace: { addressPrefixes: [`${prefix}.0.0/16`] },
    subnets: [{ name: 'endpoints', addressPrefix: `${prefix}.1.0/24`, privateEndpointNetworkPolicies: policies }],
  }, POLL);
}

export async function createCache(
  clients: AzureClients,
  name: string,
  sku: 'Basic' | 'Standard' | 'Premium',
  extra: { publicNetworkAccess?: 'Enabled' | 'Disabled'; shardCount?: number; subnetId?: string; resourceGroup?: string; location?: string } = {},
): Promise<string> {
  const family = sku === 'Premium' ? 'P' : 'C';
  const cache = await clients.redis(SUB).redis.beginCreateAndWait(extra.resourceGroup ?? RG, name, {
    location: extra.location ?? LOCATION,
    sku: { name: sku, family, capacity: 1 },
    publicNetworkAccess: extra.publicNetworkAccess ?? 'Enabled',
    ...(extra.shardCount ? { shardCount: extra.shardCount } : {}),
    ...(extra.subnetId ? { subnetId: extra.subnetId } : {}),
  }, POLL);
  return cache.id!;
}

/** vnet-app (endpoint subnet with network policies still Enabled) and vnet-consumer. */
export async function createNetworks(clients: AzureClients): Promise<void> {
  await createVnet(clients, 'vnet-app', '10.1');
  await createVnet(clients, 'vnet-consumer', '10.2', 'Disabled');
}

export async function linkGeoPair(clients: AzureClients, primaryId: string, secondaryId: string, secondaryLocation: string): Promise<void> {
  const [primaryRg, primaryName] = [primaryId.split('/')[4], primaryId.split('/')[8]];
  await clients.redis(SUB).linkedServer.beginCreateAndWait(primaryRg, primaryName, secondaryId.split('/')[8], {
    linkedRedisCacheId: secondaryId,
    linkedRedisCacheLocation: secondaryLocation,
    serverRole: 'Secondary',
  }, POLL);
}
