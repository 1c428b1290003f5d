/**
 * Cloud settings: ARM endpoint, token scope and the private DNS zone names per service and cloud.
 * Sources: "Azure services DNS zone configuration" (Microsoft Learn) for the zone names.
 */
export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';

export interface CloudSettings {
  name: CloudName;
  /** Resource Manager endpoint, no trailing slash. */
  armEndpoint: string;
  /** Token scope for Resource Manager. */
  armScope: string;
  /** The value the modular SDK clients take as `cloudSetting`. */
  sdkCloudSetting: 'AZURE_PUBLIC_CLOUD' | 'AZURE_CHINA_CLOUD' | 'AZURE_US_GOVERNMENT';
  /** Private DNS zones per private link service (group id). */
  privateDnsZones: {
    /** Basic, Standard and Premium caches (group id `redisCache`). */
    redisCache: string;
    /** Enterprise and Enterprise Flash clusters (group id `redisEnterprise`). */
    redisEnterprise: string;
    /** Azure Managed Redis (redisEnterprise with Balanced/Memory/Compute/Flash SKUs). */
    azureManagedRedis: string;
  };
  /** Public host suffixes, used to derive host names and A record names. */
  hostSuffixes: { redisCache: string; redisEnterprise: string; azureManagedRedis: string };
}

export const CLOUDS: Readonly<Record<CloudName, CloudSettings>> = {
  AzureCloud: {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
    sdkCloudSetting: 'AZURE_PUBLIC_CLOUD',
    privateDnsZones: {
      redisCache: 'privatelink.redis.cache.windows.net',
      redisEnterprise: 'privatelink.redisenterprise.cache.azure.net',
      azureManagedRedis: 'privatelink.redis.azure.net',
    },
    hostSuffixes: {
      redisCache: 'redis.cache.windows.net',
      redisEnterprise: 'redisenterprise.cache.azure.net',
      azureManagedRedis: 'redis.azure.net',
    },
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    sdkCloudSetting: 'AZURE_CHINA_CLOUD',
    privateDnsZones: {
      redisCache: 'privatelink.redis.cache.chinacloudapi.cn',
      redisEnterprise: 'privatelink.redisenterprise.cache.chinacloudapi.cn',
      azureManagedRedis: 'privatelink.redis.chinacloudapi.cn',
    },
    hostSuffixes: {
      redisCache: 'redis.cache.chinacloudapi.cn',
      redisEnterprise: 'redisenterprise.cache.chinacloudapi.cn',
      azureManagedRedis: 'redis.chinacloudapi.cn',
    },
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
    sdkCloudSetting: 'AZURE_US_GOVERNMENT',
    privateDnsZones: {
      redisCache: 'privatelink.redis.cache.usgovcloudapi.net',
      redisEnterprise: 'privatelink.redisenterprise.cache.usgovcloudapi.net',
      azureManagedRedis: 'privatelink.redis.usgovcloudapi.net',
    },
    hostSuffixes: {
      redisCache: 'redis.cache.usgovcloudapi.net',
      redisEnterprise: 'redisenterprise.cache.usgovcloudapi.net',
      azureManagedRedis: 'redis.usgovcloudapi.net',
    },
  },
};

export function getCloud(name: string | undefined): CloudSettings {
  const key = (name ?? 'AzureCloud') as CloudName;
  const cloud = CLOUDS[key];
  if (!cloud) {
    throw new Error(`Unknown cloud '${name}': expected one of ${Object.keys(CLOUDS).join(', ')}`);
  }
  return cloud;
}

export type PrivateLinkService = keyof CloudSettings['privateDnsZones'];

/** Azure Managed Redis SKUs (on Microsoft.Cache/redisEnterprise) versus Enterprise / Enterprise Flash SKUs. */
export function isAzureManagedRedisSku(skuName: string | undefined): boolean {
  return /^(Balanced|MemoryOptimized|ComputeOptimized|FlashOptimized)_/i.test(skuName ?? '');
}

/** Which private link service (and so which private DNS zone) a cache uses. */
export function privateLinkServiceOf(kind: 'redis' | 'redisEnterprise', skuName: string | undefined): PrivateLinkService {
  if (kind === 'redis') return 'redisCache';
  return isAzureManagedRedisSku(skuName) ? 'azureManagedRedis' : 'redisEnterprise';
}
