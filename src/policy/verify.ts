/**
 * The seed's "How do I verify if my private endpoint is configured correctly?" as a pure check of a snapshot:
 * for each endpoint, the A record in the linked private DNS zone equals the endpoint's IP, and the zone is linked
 * to the VNet hosting the endpoint (so `nslookup <hostname>` from there resolves to the private IP); plus the host
 * name and port a client must use.
 */
import { sameId } from '../azure/resource-id';
import { isLinked, recordOf } from './context';
import { dnsRecordOf } from './dns';
import type { Policy } from './policy-schema';
import type { CacheSnapshot } from './snapshot';
import { tierFactsOf } from './tiers';

export interface EndpointVerification {
  privateEndpointId: string;
  virtualNetworkId: string;
  connectionStatus: string;
  privateIp?: string;
  zoneName: string;
  recordName: string;
  /** What the A record holds in the zone (empty when missing or no zone). */
  recordAddresses: string[];
  zoneLinkedToEndpointVnet: boolean;
  ok: boolean;
  problems: string[];
}

export interface CacheVerification {
  cacheId: string;
  hostName: string;
  port: number;
  /** What a client inside a linked VNet should see: `nslookup <hostName>` -> the private IP. */
  instructions: string;
  publicNetworkAccess?: string;
  endpoints: EndpointVerification[];
  ok: boolean;
}

export function verifySnapshot(snapshot: CacheSnapshot, policy: Pick<Policy, 'cloud'>): CacheVerification {
  const facts = tierFactsOf(snapshot);
  const { zoneName, recordName } = dnsRecordOf(snapshot, policy.cloud);
  const endpoints: EndpointVerification[] = snapshot.privateEndpoints.map((pe) => {
    const connection = snapshot.connections.find((c) => sameId(c.privateEndpointId, pe.id));
    const zoneIds = pe.dnsZoneGroups.flatMap((g) => g.zoneIds);
    const zone = snapshot.dnsZones.find((z) => z.name.toLowerCase() === zoneName && zoneIds.some((id) => sameId(id, z.id)))
      ?? snapshot.dnsZones.find((z) => z.name.toLowerCase() === zoneName);
    const recordAddresses = (zone ? recordOf(zone, recordName) : undefined) ?? [];
    const linked = isLinked(zone, pe.virtualNetworkId);
    const problems: string[] = [];
    if (connection?.status !== 'Approved') problems.push(`connection is ${connection?.status ?? 'missing'}, not Approved`);
    if (!zone) problems.push(`no private DNS zone ${zoneName} found for the endpoint`);
    else if (!linked) problems.push(`zone ${zoneName} is not linked to ${pe.virtualNetworkId}`);
    if (zone && !pe.privateIp) problems.push('the endpoint has no private IP yet');
    if (zone && pe.privateIp && !recordAddresses.includes(pe.privateIp)) {
      problems.push(`A record ${recordName}.${zoneName} is [${recordAddresses.join(', ')}], expected ${pe.privateIp}`);
    }
    return {
      privateEndpointId: pe.id,
      virtualNetworkId: pe.virtualNetworkId,
      connectionStatus: connection?.status ?? 'missing',
      ...(pe.privateIp ? { privateIp: pe.privateIp } : {}),
      zoneName,
      recordName,
      recordAddresses,
      zoneLinkedToEndpointVnet: linked,
      ok: problems.length === 0,
      problems,
    };
  });
  return {
    cacheId: snapshot.cacheId,
    hostName: snapshot.hostName,
    port: facts.port,
    instructions: `From a VM in a linked VNet: nslookup ${snapshot.hostName} must return the endpoint's private IP; connect with TLS to ${snapshot.hostName}:${facts.port}.`,
    ...(snapshot.publicNetworkAccess ? { publicNetworkAccess: snapshot.publicNetworkAccess } : {}),
    endpoints,
    ok: endpoints.length > 0 && endpoints.every((e) => e.ok),
  };
}
