/**
 * Snapshots of many caches from Azure Resource Graph rows (plus the A records of the few private DNS zones they
 * use), for the compliance sweep's triage: no per-cache ARM call. Resource Graph does not index private DNS zone
 * groups, so an endpoint counts as having its zone group when the zone's A record for the cache equals the
 * endpoint's IP (what a zone group maintains); a remediation re-reads the live state before changing anything.
 */
import { getCloud, privateLinkServiceOf } from '../azure/cloud';
import { cacheKindOf, privateDnsZoneIdOf, sameId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import { dnsRecordOf } from '../policy/dns';
import type { Policy } from '../policy/policy-schema';
import { declaredStorageAccount, persistenceOf } from './storage-persistence';
import type {
  CacheSnapshot,
  SnapshotConnection,
  SnapshotDnsZone,
  SnapshotLinkedServer,
  SnapshotPrivateEndpoint,
} from '../policy/snapshot';
import { toConnectionStatus } from '../policy/snapshot';

/** A `resources` row as Resource Graph returns it (objectArray). */
export interface GraphRow {
  id: string;
  name: string;
  type: string;
  location: string;
  resourceGroup: string;
  subscriptionId: string;
  sku?: Record<string, any> | null;
  tags?: Record<string, string> | null;
  properties?: Record<string, any> | null;
  identity?: Record<string, any> | null;
}

export interface GraphEstate {
  caches: GraphRow[];
  privateEndpoints: GraphRow[];
  zones: GraphRow[];
  zoneLinks: GraphRow[];
  /** zone id (lower-case) -> record name (lower-case) -> IPv4 addresses. */
  aRecords: Map<string, Map<string, string[]>>;
  /** Declared persistence storage accounts (lower-case id) -> firewall on. */
  storageFirewalls?: Map<string, boolean>;
}


function endpointOf(row: GraphRow): Omit<SnapshotPrivateEndpoint, 'dnsZoneGroups'> {
  const p = row.properties ?? {};
  const dns: Array<{ fqdn?: string; ipAddresses?: string[] }> = p.customDnsConfigs ?? [];
  const subnetId: string = p.subnet?.id ?? '';
  const ip = dns.flatMap((d) => d.ipAddresses ?? [])[0];
  return {
    id: row.id,
    name: row.name,
    location: row.location,
    subnetId,
    virtualNetworkId: subnetId ? virtualNetworkIdOfSubnet(subnetId) : '',
    provisioningState: p.provisioningState ?? 'Unknown',
    ...(ip ? { privateIp: ip } : {}),
    fqdns: dns.map((d) => d.fqdn ?? '').filter(Boolean),
  };
}

/**
 * The lookups the triage makes per cache, keyed once (per page or per sweep) so each cache costs map lookups, never
 * scans of the estate's endpoints, zones, links or records.
 */
export interface GraphIndex {
  /** lower-case private endpoint id -> row */
  endpointById: Map<string, GraphRow>;
  /** lower-case zone name -> zones of that name */
  zonesByName: Map<string, GraphRow[]>;
  /** lower-case zone id -> zone */
  zoneById: Map<string, GraphRow>;
  /** lower-case zone id -> linked virtual network ids */
  linksByZone: Map<string, string[]>;
  /** zone id (lower-case) -> record name (lower-case) -> IPv4 addresses. */
  aRecords: Map<string, Map<string, string[]>>;
  storageFirewalls: Map<string, boolean>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Keys what is looked up per cache (endpoints, zones, links; records are already keyed). */
export function indexGraphEstate(estate: Omit<GraphEstate, 'caches'>): GraphIndex {
  const endpointById = new Map<string, GraphRow>();
  for (const r of estate.privateEndpoints) endpointById.set(r.id.toLowerCase(), r);
  const zonesByName = new Map<string, GraphRow[]>();
  const zoneById = new Map<string, GraphRow>();
  for (const z of estate.zones) {
    push(zonesByName, z.name.toLowerCase(), z);
    zoneById.set(z.id.toLowerCase(), z);
  }
  const linksByZone = new Map<string, string[]>();
  for (const l of estate.zoneLinks) {
    const zoneId = l.id.split('/virtualNetworkLinks/')[0].toLowerCase();
    const vnet = l.properties?.virtualNetwork?.id;
    if (vnet) push(linksByZone, zoneId, vnet);
  }
  return { endpointById, zonesByName, zoneById, linksByZone, aRecords: estate.aRecords, storageFirewalls: estate.storageFirewalls ?? new Map() };
}

export function snapshotsFromGraph(estate: GraphEstate, policy: Policy): CacheSnapshot[] {
  return snapshotsFromIndex(estate.caches, indexGraphEstate(estate), policy);
}

/** Snapshots of one page of caches. Per cache: map lookups only; each snapshot carries only its own A record. */
export function snapshotsFromIndex(caches: GraphRow[], index: GraphIndex, policy: Policy): CacheSnapshot[] {
  const cloud = getCloud(policy.cloud);
  const estate = { caches, aRecords: index.aRecords, storageFirewalls: index.storageFirewalls };
  const peById = index.endpointById;
  // Linked servers name a cache of the same page or of another one; only this page's caches are known here.
  const cacheByName = new Map<string, GraphRow[]>();
  for (const c of caches) push(cacheByName, c.name.toLowerCase(), c);
  const zoneOf = (row: GraphRow, recordName: string): SnapshotDnsZone => {
    const ips = index.aRecords.get(row.id.toLowerCase())?.get(recordName.toLowerCase());
    return {
      id: row.id,
      name: row.name,
      virtualNetworkLinks: index.linksByZone.get(row.id.toLowerCase()) ?? [],
      // Only the record the rules read for this cache: no copy of the zone's (possibly 100,000) records per cache.
      aRecords: ips ? { [recordName.toLowerCase()]: ips } : {},
    };
  };

  return estate.caches.map((c) => {
    const kind = cacheKindOf(c.id);
    const p = c.properties ?? {};
    const sku = (kind === 'redis' ? p.sku : c.sku) ?? {};
    const connections: SnapshotConnection[] = (p.privateEndpointConnections ?? []).map((pec: any) => ({
      id: pec.id,
      name: pec.name ?? String(pec.id).split('/').pop(),
      privateEndpointId: pec.properties?.privateEndpoint?.id ?? '',
      status: toConnectionStatus(pec.properties?.privateLinkServiceConnectionState?.status),
      description: pec.properties?.privateLinkServiceConnectionState?.description ?? '',
    }));
    const base = {
      cacheId: c.id,
      kind,
      name: c.name,
      location: c.location,
      subscriptionId: c.subscriptionId,
      resourceGroup: c.resourceGroup,
      sku: { name: String(sku.name ?? ''), ...(sku.family ? { family: sku.family } : {}), ...(sku.capacity !== undefined ? { capacity: sku.capacity } : {}) },
      hostName: p.hostName ?? '',
    };
    const { zoneName, recordName } = dnsRecordOf({ ...base, kind, sku: base.sku }, cloud.name);
    const homeZoneId = privateDnsZoneIdOf(policy.dnsZones.subscriptionId, policy.dnsZones.resourceGroup, cloud.privateDnsZones[privateLinkServiceOf(kind, base.sku.name)]);
    const candidateZones = index.zonesByName.get(zoneName.toLowerCase()) ?? [];
    const privateEndpoints: SnapshotPrivateEndpoint[] = [];
    const zonesUsed = new Map<string, GraphRow>();
    for (const conn of connections) {
      const row = peById.get(conn.privateEndpointId.toLowerCase());
      if (!row || privateEndpoints.some((e) => sameId(e.id, row.id))) continue;
      const pe = endpointOf(row);
      const served = candidateZones.filter((z) => {
        const ips = estate.aRecords.get(z.id.toLowerCase())?.get(recordName.toLowerCase()) ?? [];
        return !!pe.privateIp && ips.includes(pe.privateIp);
      });
      served.forEach((z) => zonesUsed.set(z.id.toLowerCase(), z));
      privateEndpoints.push({ ...pe, dnsZoneGroups: served.length ? [{ id: `${row.id}/privateDnsZoneGroups/default`, zoneIds: served.map((z) => z.id) }] : [], dnsZoneGroupsInferred: true });
    }
    const home = index.zoneById.get(homeZoneId.toLowerCase());
    if (home) zonesUsed.set(home.id.toLowerCase(), home);
    const linkedServers: SnapshotLinkedServer[] = (p.linkedServers ?? []).map((ls: any) => {
      const name = String(ls.id).split('/').pop()!.toLowerCase();
      const other = (cacheByName.get(name) ?? []).find((x) => !sameId(x.id, c.id));
      const otherApproved = other ? (other.properties?.privateEndpointConnections ?? []).filter((x: any) => toConnectionStatus(x.properties?.privateLinkServiceConnectionState?.status) === 'Approved').length : undefined;
      return {
        id: ls.id,
        linkedRedisCacheId: other?.id ?? `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Cache/Redis/${name}`,
        ...(other ? { linkedRedisCacheLocation: other.location } : {}),
        // Resource Graph does not carry the role; the remediation reads it live before unlinking anything.
        serverRole: 'Secondary' as const,
        provisioningState: 'Succeeded',
        ...(otherApproved !== undefined ? { linkedCacheApprovedEndpoints: otherApproved } : {}),
      };
    });
    const persistence = persistenceOf(declaredStorageAccount(c.tags), estate.storageFirewalls ?? new Map(), c.identity?.type, p.redisConfiguration?.['preferred-data-persistence-auth-method']);
    return {
      ...base,
      ...(persistence ? { persistence } : {}),
      tags: c.tags ?? {},
      provisioningState: p.provisioningState ?? 'Unknown',
      ...(kind === 'redis' && p.publicNetworkAccess ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
      ...(p.subnetId ? { subnetId: p.subnetId } : {}),
      ...(p.shardCount ? { shardCount: p.shardCount } : {}),
      port: kind === 'redis' ? (p.sslPort ?? 6380) : 10000,
      linkedServers,
      connections,
      privateEndpoints,
      dnsZones: [...zonesUsed.values()].map((z) => zoneOf(z, recordName)),
    } as CacheSnapshot;
  });
}
