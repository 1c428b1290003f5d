import { CLOUDS } from '../../../src/azure/cloud';
import { dnsRecordOf, expectedHostName, hostSuffixFor, isExpectedZoneName, recordNameFor, zoneNameFor } from '../../../src/policy/dns';
import {
  TIER_FACTS,
  UnknownTierError,
  geoReplicationBlocks,
  isClustered,
  linkLimitOf,
  tierOf,
  tierOfSku,
} from '../../../src/policy/tiers';
import { bareSnapshot, enterpriseId } from './builders';

describe('tierOf', () => {
  it.each([
    ['redis', 'Basic', 'Basic'],
    ['redis', 'standard', 'Standard'],
    ['redis', 'Premium', 'Premium'],
    ['redisEnterprise', 'Enterprise_E10', 'Enterprise'],
    ['redisEnterprise', 'EnterpriseFlash_F300', 'EnterpriseFlash'],
    ['redisEnterprise', 'Balanced_B5', 'AzureManagedRedis'],
    ['redisEnterprise', 'MemoryOptimized_M10', 'AzureManagedRedis'],
    ['redisEnterprise', 'ComputeOptimized_X5', 'AzureManagedRedis'],
    ['redisEnterprise', 'FlashOptimized_A250', 'AzureManagedRedis'],
  ] as const)('%s %s -> %s', (kind, sku, tier) => {
    expect(tierOfSku(kind, sku)).toBe(tier);
    expect(tierOf({ kind, sku: { name: sku } })).toBe(tier);
  });

  it('throws for unknown SKUs', () => {
    expect(() => tierOfSku('redis', 'Enterprise_E10')).toThrow(UnknownTierError);
    expect(() => tierOfSku('redisEnterprise', 'Premium')).toThrow(/Unknown Microsoft.Cache\/redisEnterprise SKU 'Premium'/);
  });
});

describe('tier facts', () => {
  it('group ids, ports, limits and publicNetworkAccess support follow the seed', () => {
    for (const t of ['Basic', 'Standard', 'Premium'] as const) {
      expect(TIER_FACTS[t]).toMatchObject({ groupId: 'redisCache', port: 6380, linkLimit: 100, supportsPublicNetworkAccess: true });
    }
    for (const t of ['Enterprise', 'EnterpriseFlash', 'AzureManagedRedis'] as const) {
      expect(TIER_FACTS[t]).toMatchObject({ groupId: 'redisEnterprise', port: 10000, linkLimit: 84, supportsPublicNetworkAccess: false });
    }
    expect(TIER_FACTS.Premium.geoReplicationBlocksPrivateEndpoints).toBe(true);
    expect(TIER_FACTS.Enterprise.geoReplicationBlocksPrivateEndpoints).toBe(false);
    expect(TIER_FACTS.Premium.supportsVnetInjection).toBe(true);
    expect(TIER_FACTS.Standard.supportsVnetInjection).toBe(false);
  });

  it('clustered Premium caches are limited to one private link', () => {
    const premium = bareSnapshot({ sku: { name: 'Premium', family: 'P', capacity: 1 } });
    expect(isClustered(premium)).toBe(false);
    expect(linkLimitOf(premium).limit).toBe(100);
    const clustered = { ...premium, shardCount: 2 };
    expect(isClustered(clustered)).toBe(true);
    expect(linkLimitOf(clustered)).toEqual({ limit: 1, rule: 'On Premium tier caches using clustering, you are limited to one private link.' });
    expect(isClustered({ ...bareSnapshot(), shardCount: 2 })).toBe(false); // shardCount only means clustering on Premium
  });

  it('passive geo-replication blocks endpoints on linked Premium caches only', () => {
    const link = { id: 'x', linkedRedisCacheId: 'y', serverRole: 'Secondary' as const, provisioningState: 'Succeeded' };
    expect(geoReplicationBlocks(bareSnapshot({ sku: { name: 'Premium' }, linkedServers: [link] }))).toBe(true);
    expect(geoReplicationBlocks(bareSnapshot({ sku: { name: 'Premium' } }))).toBe(false);
    expect(geoReplicationBlocks(bareSnapshot({ kind: 'redisEnterprise', sku: { name: 'Enterprise_E10' }, linkedServers: [link] }))).toBe(false);
  });
});

describe('DNS zones and records', () => {
  it.each([
    ['Standard', 'AzureCloud', 'privatelink.redis.cache.windows.net'],
    ['Premium', 'AzureChinaCloud', 'privatelink.redis.cache.chinacloudapi.cn'],
    ['Basic', 'AzureUSGovernment', 'privatelink.redis.cache.usgovcloudapi.net'],
    ['Enterprise', 'AzureCloud', 'privatelink.redisenterprise.cache.azure.net'],
    ['EnterpriseFlash', 'AzureChinaCloud', 'privatelink.redisenterprise.cache.chinacloudapi.cn'],
    ['AzureManagedRedis', 'AzureCloud', 'privatelink.redis.azure.net'],
  ] as const)('%s in %s uses %s', (tier, cloud, zone) => {
    expect(zoneNameFor(tier, cloud)).toBe(zone);
    expect(zoneNameFor(tier, CLOUDS[cloud])).toBe(zone);
    expect(isExpectedZoneName(`${zone.toUpperCase()}.`, tier, cloud)).toBe(true);
  });

  it('a zone of another tier or cloud is not expected', () => {
    expect(isExpectedZoneName('privatelink.redis.cache.windows.net', 'Standard', 'AzureUSGovernment')).toBe(false);
    expect(isExpectedZoneName('privatelink.redis.cache.windows.net', 'Enterprise', 'AzureCloud')).toBe(false);
    expect(hostSuffixFor('Premium', 'AzureCloud')).toBe('redis.cache.windows.net');
  });

  it('recordNameFor maps a host to its relative record name in the zone', () => {
    expect(recordNameFor('MyCache.redis.cache.windows.net', 'privatelink.redis.cache.windows.net')).toBe('mycache');
    expect(recordNameFor('mycache.privatelink.redis.cache.windows.net', 'privatelink.redis.cache.windows.net')).toBe('mycache');
    expect(recordNameFor('c1.eastus.redisenterprise.cache.azure.net', 'privatelink.redisenterprise.cache.azure.net')).toBe('c1.eastus');
    expect(recordNameFor('c1.eastus.redis.azure.net', 'privatelink.redis.azure.net')).toBe('c1.eastus');
    expect(recordNameFor('mycache.redis.cache.windows.net', 'privatelink.redis.azure.net')).toBeUndefined();
    expect(recordNameFor('redis.cache.windows.net', 'privatelink.redis.cache.windows.net')).toBeUndefined();
  });

  it('expectedHostName and dnsRecordOf per kind', () => {
    expect(expectedHostName(bareSnapshot())).toBe('cache1.redis.cache.windows.net');
    const ent = bareSnapshot({
      cacheId: enterpriseId('c1'),
      kind: 'redisEnterprise',
      name: 'c1',
      location: 'West US 2',
      sku: { name: 'Enterprise_E10', capacity: 2 },
      hostName: '',
    });
    expect(expectedHostName(ent)).toBe('c1.westus2.redisenterprise.cache.azure.net');
    expect(dnsRecordOf(ent)).toEqual({ zoneName: 'privatelink.redisenterprise.cache.azure.net', recordName: 'c1.westus2' });
    expect(dnsRecordOf(bareSnapshot(), 'AzureChinaCloud')).toEqual({ zoneName: 'privatelink.redis.cache.chinacloudapi.cn', recordName: 'cache1' });
  });
});
