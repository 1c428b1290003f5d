import type { PrivateEndpoint } from '@azure/arm-network';

/** What orchestrators need to know about a private endpoint (JSON-serialisable). */
export interface PrivateEndpointView {
  id: string;
  name: string;
  location?: string;
  provisioningState?: string;
  subnetId?: string;
  /** The cache it connects to, and the connection's state as the endpoint sees it. */
  targetId?: string;
  groupId?: string;
  connectionStatus?: string;
  privateIp?: string;
  fqdns: string[];
}

export function viewPrivateEndpoint(pe: PrivateEndpoint): PrivateEndpointView {
  const conn = pe.privateLinkServiceConnections?.[0] ?? pe.manualPrivateLinkServiceConnections?.[0];
  const dns = pe.customDnsConfigs ?? [];
  return {
    id: pe.id!,
    name: pe.name!,
    location: pe.location,
    provisioningState: pe.provisioningState,
    subnetId: pe.subnet?.id,
    targetId: conn?.privateLinkServiceId,
    groupId: conn?.groupIds?.[0],
    connectionStatus: conn?.privateLinkServiceConnectionState?.status,
    privateIp: dns.flatMap((d) => d.ipAddresses ?? [])[0],
    fqdns: dns.map((d) => d.fqdn!).filter(Boolean),
  };
}
