import type { PrivateEndpointConnection as RedisPec } from '@azure/arm-rediscache';
import { ifExists, isNotFound } from '../azure/arm-errors';
import { privateLinkServiceOf, getCloud } from '../azure/cloud';
import type { Dependencies } from '../azure/dependencies';
import { cacheKindOf, privateDnsZoneIdOf, sameId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import type {
  CacheSnapshot,
  SnapshotConnection,
  SnapshotDnsZone,
  SnapshotLinkedServer,
  SnapshotPrivateEndpoint,
} from '../policy/snapshot';
import { toConnectionStatus } from '../policy/snapshot';
import { dnsRecordOf } from '../policy/dns';
import { idParts } from './arm-ids';
import { defineActivity } from './define';
import { ActivityNames } from './names';
import { viewPrivateEndpoint } from './private-endpoint-view';
import { declaredStorageAccount, persistenceOf, storageFirewalls } from './storage-persistence';

export interface GetCacheSnapshotInput {
  cacheId: string;
  cloud: string;
  /** Where the policy keeps private DNS zones; the zone for this cache's tier is read from there. */
  dnsZones?: { subscriptionId: string; resourceGroup: string };
}

export type GetCacheSnapshotResult = { exists: false; cacheId: string } | { exists: true; snapshot: CacheSnapshot };

function connectionOf(pec: RedisPec): SnapshotConnection {
  const status = toConnectionStatus(pec.privateLinkServiceConnectionState?.status);
  return {
    id: pec.id!,
    name: pec.name!,
    privateEndpointId: pec.privateEndpoint?.id ?? '',
    status,
    description: pec.privateLinkServiceConnectionState?.description ?? '',
  };
}

async function readPrivateEndpoint(deps: Dependencies, id: string): Promise<SnapshotPrivateEndpoint | undefined> {
  const { subscriptionId, resourceGroup, names } = idParts(id);
  const network = deps.clients.network(subscriptionId);
  const pe = await ifExists(network.privateEndpoints.get(resourceGroup, names[0]));
  if (!pe) return undefined;
  const view = viewPrivateEndpoint(pe);
  const dnsZoneGroups: SnapshotPrivateEndpoint['dnsZoneGroups'] = [];
  try {
    for await (const g of network.privateDnsZoneGroups.list(resourceGroup, names[0])) {
      dnsZoneGroups.push({ id: g.id!, zoneIds: (g.privateDnsZoneConfigs ?? []).map((c) => c.privateDnsZoneId!).filter(Boolean) });
    }
  } catch (e) {
    // Deleted between the two reads (an Event Grid delete event races the delete): the endpoint is gone.
    if (isNotFound(e)) return undefined;
    throw e;
  }
  return {
    id: view.id,
    name: view.name,
    location: view.location ?? '',
    subnetId: view.subnetId ?? '',
    virtualNetworkId: view.subnetId ? virtualNetworkIdOfSubnet(view.subnetId) : '',
    provisioningState: view.provisioningState ?? 'Unknown',
    ...(view.privateIp ? { privateIp: view.privateIp } : {}),
    fqdns: view.fqdns,
    dnsZoneGroups,
  };
}

/**
 * A zone with its links and the cache's own A record: one GET of that record set, not a list of the zone's (a
 * shared zone holds a record per cache of the estate, listed 100 a page).
 */
async function readZone(deps: Dependencies, zoneId: string, recordName: string | undefined): Promise<SnapshotDnsZone | undefined> {
  const { subscriptionId, resourceGroup, names } = idParts(zoneId);
  const dns = deps.clients.privateDns(subscriptionId);
  const zone = await ifExists(dns.privateZones.get(resourceGroup, names[0]));
  if (!zone) return undefined;
  const virtualNetworkLinks: string[] = [];
  for await (const link of dns.virtualNetworkLinks.list(resourceGroup, names[0])) {
    if (link.virtualNetwork?.id) virtualNetworkLinks.push(link.virtualNetwork.id);
  }
  const aRecords: Record<string, string[]> = {};
  if (recordName) {
    const rs = await ifExists(dns.recordSets.get(resourceGroup, names[0], 'A', recordName));
    if (rs) aRecords[rs.name ?? recordName] = (rs.aRecords ?? []).map((a) => a.ipv4Address!).filter(Boolean);
  } else {
    for await (const r of dns.recordSets.listByType(resourceGroup, names[0], 'A')) aRecords[r.name!] = (r.aRecords ?? []).map((a) => a.ipv4Address!).filter(Boolean);
  }
  return { id: zone.id!, name: zone.name!, virtualNetworkLinks, aRecords };
}

async function approvedCount(deps: Dependencies, cacheId: string): Promise<number | undefined> {
  try {
    const { subscriptionId, resourceGroup, names } = idParts(cacheId);
    const other = await deps.clients.redis(subscriptionId).redis.get(resourceGroup, names[0]);
    return (other.privateEndpointConnections ?? []).filter((c) => c.privateLinkServiceConnectionState?.status === 'Approved').length;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Re-reads the live state of one cache and everything attached to it: connections, their private endpoints and
 * DNS zone groups, the private DNS zones (links and A records), and passive geo-replication links.
 */
export const getCacheSnapshot = defineActivity(
  ActivityNames.getCacheSnapshot,
  async (input: GetCacheSnapshotInput, deps): Promise<GetCacheSnapshotResult> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const kind = cacheKindOf(input.cacheId);
    const cloud = getCloud(input.cloud);
    let base: Omit<CacheSnapshot, 'privateEndpoints' | 'dnsZones'>;
    try {
      if (kind === 'redisEnterprise') {
        const client = deps.clients.redisEnterprise(subscriptionId);
        const c = await client.redisEnterprise.get(resourceGroup, names[0]);
        const connections: SnapshotConnection[] = [];
        for await (const pec of client.privateEndpointConnections.list(resourceGroup, names[0])) connections.push(connectionOf(pec as RedisPec));
        base = {
          cacheId: c.id!,
          kind,
          name: c.name!,
          location: c.location,
          subscriptionId,
          resourceGroup,
          sku: { name: c.sku.name, ...(c.sku.capacity !== undefined ? { capacity: c.sku.capacity } : {}) },
          tags: c.tags ?? {},
          provisioningState: c.provisioningState ?? 'Unknown',
          hostName: c.hostName ?? '',
          port: 10000,
          linkedServers: [],
          connections,
        };
      } else {
        const client = deps.clients.redis(subscriptionId);
        const c = await client.redis.get(resourceGroup, names[0]);
        const connections: SnapshotConnection[] = [];
        for await (const pec of client.privateEndpointConnections.list(resourceGroup, names[0])) connections.push(connectionOf(pec));
        const linkedServers: SnapshotLinkedServer[] = [];
        if ((c.linkedServers ?? []).length > 0) {
          for await (const ls of client.linkedServer.list(resourceGroup, names[0])) {
            const linkedCacheApprovedEndpoints = await approvedCount(deps, ls.linkedRedisCacheId!);
            linkedServers.push({
              id: ls.id!,
              linkedRedisCacheId: ls.linkedRedisCacheId!,
              ...(ls.linkedRedisCacheLocation ? { linkedRedisCacheLocation: ls.linkedRedisCacheLocation } : {}),
              serverRole: ls.serverRole as 'Primary' | 'Secondary',
              provisioningState: ls.provisioningState ?? 'Unknown',
              ...(linkedCacheApprovedEndpoints !== undefined ? { linkedCacheApprovedEndpoints } : {}),
            });
          }
        }
        const declared = declaredStorageAccount(c.tags);
        const persistence = declared
          ? persistenceOf(declared, await storageFirewalls(deps.clients.resourceGraph(), [declared]), c.identity?.type, c.redisConfiguration?.preferredDataPersistenceAuthMethod)
          : undefined;
        base = {
          ...(persistence ? { persistence } : {}),
          cacheId: c.id!,
          kind,
          name: c.name!,
          location: c.location,
          subscriptionId,
          resourceGroup,
          sku: { name: c.sku.name, family: c.sku.family, capacity: c.sku.capacity },
          tags: c.tags ?? {},
          provisioningState: c.provisioningState ?? 'Unknown',
          ...(c.publicNetworkAccess ? { publicNetworkAccess: c.publicNetworkAccess as 'Enabled' | 'Disabled' } : {}),
          ...(c.subnetId ? { subnetId: c.subnetId } : {}),
          ...(c.shardCount ? { shardCount: c.shardCount } : {}),
          hostName: c.hostName ?? '',
          port: c.sslPort ?? 6380,
          linkedServers,
          connections,
        };
      }
    } catch (e) {
      if (isNotFound(e)) return { exists: false, cacheId: input.cacheId };
      throw e;
    }

    const privateEndpoints: SnapshotPrivateEndpoint[] = [];
    for (const conn of base.connections) {
      if (!conn.privateEndpointId || privateEndpoints.some((p) => sameId(p.id, conn.privateEndpointId))) continue;
      const pe = await readPrivateEndpoint(deps, conn.privateEndpointId);
      if (pe) privateEndpoints.push(pe);
    }
    const zoneIds: string[] = [];
    const addZone = (id: string) => {
      if (!zoneIds.some((z) => sameId(z, id))) zoneIds.push(id);
    };
    for (const pe of privateEndpoints) for (const g of pe.dnsZoneGroups) g.zoneIds.forEach(addZone);
    if (input.dnsZones) {
      const zoneName = cloud.privateDnsZones[privateLinkServiceOf(kind, base.sku.name)];
      addZone(privateDnsZoneIdOf(input.dnsZones.subscriptionId, input.dnsZones.resourceGroup, zoneName));
    }
    const dnsZones: SnapshotDnsZone[] = [];
    let recordName: string | undefined;
    try {
      recordName = dnsRecordOf(base, cloud).recordName;
    } catch {
      recordName = undefined; // an unknown SKU: the rules refuse it anyway; read the zone's records as a list
    }
    for (const id of zoneIds) {
      const zone = await readZone(deps, id, recordName);
      if (zone) dnsZones.push(zone);
    }
    return { exists: true, snapshot: { ...base, privateEndpoints, dnsZones } };
  },
);
