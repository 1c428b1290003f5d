/**
 * The network picture of one cache, as the dashboard draws it: cache -> private endpoints (IP, connection state) ->
 * subnets / VNets -> private DNS zone and its VNet links -> what the cache's host name resolves to from each VNet
 * (endpoint VNets and the policy's consumer VNets); public network access as an open or closed door; the geo
 * partner and whether the link is up. A pure function of a snapshot (the sweep's triage snapshot, or the live
 * re-read after a remediation). Name resolution follows the seed: inside a VNet linked to the private DNS zone the
 * name resolves (through the privatelink CNAME) to the A record in the zone; elsewhere to the public address,
 * which answers only when public network access is Enabled.
 */
import { sameId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import { dnsRecordOf } from './dns';
import type { Policy } from './policy-schema';
import type { CacheSnapshot } from './snapshot';

export interface TopologyEndpoint {
  id: string;
  name: string;
  subnetId: string;
  virtualNetworkId: string;
  privateIp?: string;
  connectionStatus: string;
  provisioningState: string;
  /** Zone ids of its DNS zone group(s). */
  dnsZoneIds: string[];
}

export interface TopologyResolution {
  virtualNetworkId: string;
  /** Why this VNet is drawn: it hosts an endpoint, the policy lists it as a consumer, or the zone is linked to it. */
  role: 'endpoint' | 'consumer' | 'endpoint+consumer' | 'zone-link';
  /** `private` (A record in a linked zone), `public` (public DNS), or `none` (linked zone without a record). */
  resolvesTo: 'private' | 'public' | 'none';
  addresses: string[];
  /** A client there can open a connection: private IP of an approved endpoint, or public access Enabled. */
  reachable: boolean;
}

export interface CacheTopology {
  cacheId: string;
  name: string;
  hostName: string;
  port: number;
  publicNetworkAccess: 'Enabled' | 'Disabled' | 'n/a';
  /** VNet-injected caches live in a subnet of their own and cannot have private endpoints. */
  injectedSubnetId?: string;
  endpoints: TopologyEndpoint[];
  dnsZone?: { id: string; name: string; recordName: string; addresses: string[]; linkedVirtualNetworks: string[] };
  resolutions: TopologyResolution[];
  geo?: { partnerId: string; role: string; linked: boolean; provisioningState: string };
  /** No VNet and not the internet can reach it (no approved endpoint resolving privately, public access off). */
  unreachable: boolean;
}

export function topologyOf(snapshot: CacheSnapshot, policy: Pick<Policy, 'cloud' | 'consumerVirtualNetworks'>): CacheTopology {
  const { zoneName, recordName } = dnsRecordOf(snapshot, policy.cloud);
  const zone = snapshot.dnsZones.find((z) => z.name.toLowerCase() === zoneName.toLowerCase());
  const addresses = zone ? (Object.entries(zone.aRecords).find(([k]) => k.toLowerCase() === recordName.toLowerCase())?.[1] ?? []) : [];
  const endpoints: TopologyEndpoint[] = snapshot.privateEndpoints.map((pe) => ({
    id: pe.id,
    name: pe.name,
    subnetId: pe.subnetId,
    virtualNetworkId: pe.virtualNetworkId || safeVnetOf(pe.subnetId),
    ...(pe.privateIp ? { privateIp: pe.privateIp } : {}),
    connectionStatus: snapshot.connections.find((c) => sameId(c.privateEndpointId, pe.id))?.status ?? 'missing',
    provisioningState: pe.provisioningState,
    dnsZoneIds: pe.dnsZoneGroups.flatMap((g) => g.zoneIds),
  }));
  const approvedIps = new Set(endpoints.filter((e) => e.connectionStatus === 'Approved' && e.privateIp).map((e) => e.privateIp!));
  const publicOpen = snapshot.kind === 'redisEnterprise' ? endpoints.length === 0 : snapshot.publicNetworkAccess !== 'Disabled';
  const vnets = new Map<string, TopologyResolution['role']>();
  for (const e of endpoints) vnets.set(e.virtualNetworkId.toLowerCase(), 'endpoint');
  for (const v of policy.consumerVirtualNetworks ?? []) {
    const key = v.toLowerCase();
    vnets.set(key, vnets.has(key) ? 'endpoint+consumer' : 'consumer');
  }
  for (const v of zone?.virtualNetworkLinks ?? []) if (!vnets.has(v.toLowerCase())) vnets.set(v.toLowerCase(), 'zone-link');
  const original = new Map<string, string>();
  for (const v of zone?.virtualNetworkLinks ?? []) original.set(v.toLowerCase(), v);
  for (const e of endpoints) original.set(e.virtualNetworkId.toLowerCase(), e.virtualNetworkId);
  for (const v of policy.consumerVirtualNetworks ?? []) if (!original.has(v.toLowerCase())) original.set(v.toLowerCase(), v);
  const resolutions: TopologyResolution[] = [...vnets.entries()].map(([key, role]) => {
    const vnet = original.get(key)!;
    const linked = !!zone && zone.virtualNetworkLinks.some((l) => sameId(l, vnet));
    if (linked) {
      return { virtualNetworkId: vnet, role, resolvesTo: addresses.length ? 'private' : 'none', addresses, reachable: addresses.some((a) => approvedIps.has(a)) };
    }
    return { virtualNetworkId: vnet, role, resolvesTo: 'public', addresses: [], reachable: publicOpen };
  });
  const link = snapshot.linkedServers[0];
  const privatelyReachable = resolutions.some((r) => r.reachable && r.resolvesTo === 'private');
  return {
    cacheId: snapshot.cacheId,
    name: snapshot.name,
    hostName: snapshot.hostName,
    port: snapshot.port,
    publicNetworkAccess: snapshot.kind === 'redisEnterprise' ? 'n/a' : (snapshot.publicNetworkAccess ?? 'Enabled'),
    ...(snapshot.subnetId ? { injectedSubnetId: snapshot.subnetId } : {}),
    endpoints,
    ...(zone ? { dnsZone: { id: zone.id, name: zone.name, recordName, addresses, linkedVirtualNetworks: zone.virtualNetworkLinks } } : {}),
    resolutions,
    ...(link
      ? { geo: { partnerId: link.linkedRedisCacheId, role: link.serverRole, linked: String(link.provisioningState).toLowerCase() === 'succeeded', provisioningState: link.provisioningState } }
      : {}),
    unreachable: !publicOpen && !privatelyReachable && !snapshot.subnetId,
  };
}

function safeVnetOf(subnetId: string): string {
  try {
    return virtualNetworkIdOfSubnet(subnetId);
  } catch {
    return subnetId;
  }
}
