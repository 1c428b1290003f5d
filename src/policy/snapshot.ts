/**
 * CacheSnapshot: everything `evaluate()` and `plan()` need to know about ONE cache and what is attached to it.
 *
 * Activities gather it (ARM reads), orchestrators pass it to the pure rules. It crosses the activity boundary, so it
 * is plain JSON: no classes, no Dates, no Maps, no `undefined` inside arrays. Optional fields may be omitted.
 *
 * Ids are ARM resource ids exactly as ARM returns them (any casing: the rules compare them case-insensitively).
 * Lists the lead cannot read (403, other tenant) are left empty; the rules then treat the missing facts as unknown
 * where it matters (documented per field).
 */

/** `Microsoft.Cache/Redis` (Basic, Standard, Premium) or `Microsoft.Cache/redisEnterprise` (Enterprise, Enterprise
 * Flash, Azure Managed Redis). */
export type CacheKind = 'redis' | 'redisEnterprise';

/** Private link connection state as seen on the cache (`privateLinkServiceConnectionState.status`). */
export type ConnectionStatus = 'Approved' | 'Pending' | 'Rejected' | 'Disconnected';

export const CONNECTION_STATUSES = ['Approved', 'Pending', 'Rejected', 'Disconnected'] as const;

export interface SnapshotSku {
  /** `Basic` | `Standard` | `Premium` for redis; `Enterprise_E10`, `EnterpriseFlash_F300`, `Balanced_B5`,
   * `MemoryOptimized_M10`, `ComputeOptimized_X5`, `FlashOptimized_A250`, ... for redisEnterprise. */
  name: string;
  /** redis only: `C` (Basic/Standard) or `P` (Premium). */
  family?: string;
  capacity?: number;
}

/** One passive geo-replication link of a redis cache (`GET .../Redis/{name}/linkedServers`). */
export interface SnapshotLinkedServer {
  /** The linked server resource id (`.../Redis/{this}/linkedServers/{other}`). */
  id: string;
  /** `properties.linkedRedisCacheId`: the OTHER cache of the pair. */
  linkedRedisCacheId: string;
  /** `properties.linkedRedisCacheLocation` (needed to relink). */
  linkedRedisCacheLocation?: string;
  /** `properties.serverRole`: the role of the OTHER (linked) cache: `Primary` or `Secondary`. */
  serverRole: 'Primary' | 'Secondary';
  provisioningState: string;
  /**
   * Number of APPROVED private endpoint connections on the linked cache, when the lead could read it.
   * Omitted when unknown; `geo-replica-without-endpoint` then only fires from the side that can see both.
   */
  linkedCacheApprovedEndpoints?: number;
}

/** One private endpoint connection on the cache (`properties.privateEndpointConnections[]` or the PEC list). */
export interface SnapshotConnection {
  /** The connection resource id (`.../Redis/{cache}/privateEndpointConnections/{name}`). */
  id: string;
  name: string;
  /** `properties.privateEndpoint.id` (the PE may live in another subscription). */
  privateEndpointId: string;
  status: ConnectionStatus;
  /** `privateLinkServiceConnectionState.description`. */
  description: string;
}

export interface SnapshotDnsZoneGroup {
  /** `.../privateEndpoints/{pe}/privateDnsZoneGroups/{group}` */
  id: string;
  /** `privateDnsZoneConfigs[].privateDnsZoneId`. */
  zoneIds: string[];
}

/** A private endpoint that targets this cache (one per connection the lead could read). */
export interface SnapshotPrivateEndpoint {
  id: string;
  name: string;
  location: string;
  /** `properties.subnet.id`. */
  subnetId: string;
  /** The VNet of `subnetId` (see `virtualNetworkIdOfSubnet`). */
  virtualNetworkId: string;
  provisioningState: string;
  /** The private IP of the endpoint's NIC / `customDnsConfigs[].ipAddresses[0]`; omitted when not (yet) known. */
  privateIp?: string;
  /** `customDnsConfigs[].fqdn` (informational). */
  fqdns: string[];
  /** `GET .../privateEndpoints/{pe}/privateDnsZoneGroups` (empty when it has none). */
  dnsZoneGroups: SnapshotDnsZoneGroup[];
  /**
   * True when `dnsZoneGroups` was not read but inferred from the A records (Resource Graph does not index zone
   * groups): an empty list then means "no A record holds its IP" (`dns-record-missing`), not "no zone group".
   */
  dnsZoneGroupsInferred?: boolean;
}

/** A private DNS zone relevant to this cache. */
export interface SnapshotDnsZone {
  /** `.../providers/Microsoft.Network/privateDnsZones/{zoneName}` */
  id: string;
  /** The zone name, e.g. `privatelink.redis.cache.windows.net`. */
  name: string;
  /** `virtualNetworkLinks[].properties.virtualNetwork.id`. */
  virtualNetworkLinks: string[];
  /** A record sets of the zone: relative record name (as ARM returns it, usually lower-case) -> IPv4 addresses.
   * Only the records the rules need must be present (the cache's record); more is fine. */
  aRecords: Record<string, string[]>;
}

/** Storage used by persistence or import/export, when the lead can tell (Premium only feature). */
export interface SnapshotPersistence {
  /** The storage account used for persistence/export/import has a firewall (network rules default action Deny). */
  storageFirewall: boolean;
  /** The cache authenticates to storage with a managed identity (`storage-subscription-id`/identity configured). */
  managedIdentity: boolean;
}

/**
 * The snapshot of one cache.
 *
 * Which DNS zones to include in `dnsZones`: every zone referenced by a zone group of `privateEndpoints` that exists,
 * plus the policy's home zone for this tier (`policy.dnsZones` + `zoneNameFor(tier, cloud)`) if it exists.
 * A zone referenced by a zone group but absent from `dnsZones` is treated as "does not exist".
 */
export interface CacheSnapshot {
  /** ARM id of the cache, e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Cache/Redis/{name}`. */
  cacheId: string;
  kind: CacheKind;
  name: string;
  /** `location` as ARM returns it (`East US` or `eastus`: the rules normalise it). */
  location: string;
  subscriptionId: string;
  resourceGroup: string;
  sku: SnapshotSku;
  tags: Record<string, string>;
  /** `properties.provisioningState` (`Succeeded`, `Creating`, `Updating`, `Linking`, ...). */
  provisioningState: string;
  /** redis: `properties.publicNetworkAccess`; redisEnterprise: omitted (not supported by the tier / SDK). */
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  /** redis Premium VNet injection: `properties.subnetId`. Set => VNet-injected, private endpoints impossible. */
  subnetId?: string;
  /** redis Premium: `properties.shardCount` when clustering is enabled (omit or 0 when not clustered). */
  shardCount?: number;
  /** `properties.hostName`, e.g. `mycache.redis.cache.windows.net` or `c1.eastus.redisenterprise.cache.azure.net`. */
  hostName: string;
  /** TLS port clients use: redis `sslPort` (6380); redisEnterprise database port (10000). */
  port: number;
  /** redis: passive geo-replication links (empty when not linked; always empty for redisEnterprise). */
  linkedServers: SnapshotLinkedServer[];
  /** Private endpoint connections on the cache, every status. */
  connections: SnapshotConnection[];
  /** The private endpoints of `connections` the lead could read (same order not required). */
  privateEndpoints: SnapshotPrivateEndpoint[];
  /** See the interface comment. */
  dnsZones: SnapshotDnsZone[];
  /** Omitted when the cache uses no storage account for persistence/import/export, or when unknown. */
  persistence?: SnapshotPersistence;
}

/** A connection status as ARM spells it (any case) to the snapshot's enum; unknown values count as Pending. */
export function toConnectionStatus(raw: unknown): ConnectionStatus {
  return CONNECTION_STATUSES.find((s) => s.toLowerCase() === String(raw ?? '').toLowerCase()) ?? 'Pending';
}
