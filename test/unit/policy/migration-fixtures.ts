import type { CacheSnapshot } from '../../../src/policy/snapshot';

export function demoSnapshot(): CacheSnapshot {
  return {
    cacheId: '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Cache/Redis/c1',
    kind: 'redis',
    name: 'c1',
    location: 'westus2',
    subscriptionId: '11111111-1111-1111-1111-111111111111',
    resourceGroup: 'rg',
    sku: { name: 'Premium', family: 'P', capacity: 1 },
    tags: {},
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Disabled',
    hostName: 'c1.redis.cache.windows.net',
    port: 6380,
    linkedServers: [],
    connections: [],
    privateEndpoints: [],
    dnsZones: [],
  };
}
