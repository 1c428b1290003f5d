/**
 * The documented rules the policy code quotes, word for word, from "What is Azure Cache for Redis with Azure Private
 * Link?" (Microsoft Learn; project seed `azure-cache-for-redis-private-link.txt`). Typos are the source's.
 * Messages quote these so an operator can see which documented rule a finding or refusal comes from.
 */
export const SEED = {
  publicNetworkAccessFlag:
    'When set to enabled, this flag allows both public and private endpoint access to the cache. When set to Disabled, it allows only private endpoint access.',
  enterpriseNoPublicNetworkAccess:
    'Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag.',
  basicTierDataLoss:
    'When using the Basic tier, you might experience data loss when you delete and recreate a private endpoint.',
  storageFirewall:
    "When using private link, you cannot export or import data to a to a storage account that has firewall enabled unless you're using a Premium tier cache with managed identity to autenticate to the storage account.",
  cacheName:
    "The cache name must be a string between 1 and 63 characters. The string must contain only numbers, letters, or hyphens. The name must start and end with a number or letter, and can't contain consecutive hyphens.",
  virtualNetworkName:
    'The name must: begin with a letter or number; end with a letter, number, or underscore; and contain only letters, numbers, underscores, periods, or hyphens.',
  privateEndpointName:
    'The name must: begin with a letter or number; end with a letter, number, or underscore; and can contain only letters, numbers, underscores, periods, or hyphens.',
  privateDnsZoneVital:
    'The private DNS zone is vital for establishing the TLS connection with the private endpoint.',
  vnetInjected: "Private endpoints can't be used with your cache instance if your cache is already a VNet injected cache.",
  linkLimitBasicStandardPremium: 'For Basic, Standard, and Premium tier caches, you are limited to 100 private links.',
  linkLimitClustered: 'On Premium tier caches using clustering, you are limited to one private link.',
  linkLimitEnterprise: 'Enterprise and Enterprise Flash tier caches are limited to 84 private links.',
  storagePersistenceFirewall:
    'You try to persist data to storage account where firewall rules are applied might prevent you from creating the Private Link.',
  geoReplication:
    "Private links can't be added to caches that are already using passive geo-replication in the Premium tier. To add a private link to a geo-replicated cache: 1. Unlink the geo-replication. 2. Add a Private Link. 3. Last, relink the geo-replication.",
  verifyDns:
    'Run a command like nslookup <hostname> from within the VNet that is linked to the private endpoint to verify that the command resolves to the private IP address for the cache.',
  multipleVnets:
    'To have multiple private endpoints in different virtual networks, the private DNS zone must be manually configured to the multiple virtual networks before creating the private endpoint.',
  lastEndpointDeleted:
    'Once you delete the private endpoints on your cache, your cache instance can become unreachable until: you explicitly enable public network access, or you add another private endpoint.',
  subnetNetworkPolicies: 'You must have network policies enforcement disabled to deploy private endpoints in a subnet.',
  migration:
    'Refer to our migration guide for different approaches on how to migrate your VNet injected caches to Private Link caches.',
  recommendPrivateEndpoint:
    'We recommend using private endpoint instead of VNets. Private endpoints are easy to set up or remove, are supported on all tiers, and can connect your cache to multiple different VNets at once.',
} as const;

export const LINKS = {
  vnetMigration: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-vnet-migration',
  privateLink: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-private-link',
  storageFirewall:
    'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-managed-identity',
  geoReplication: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-how-to-geo-replication',
  privateEndpointDns: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns',
} as const;

/** Wrap a quote for messages: `... (documented rule: "<quote>")`. */
export function quote(rule: string): string {
  return `documented rule: "${rule}"`;
}
