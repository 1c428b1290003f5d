/**
 * Facts derived once from a snapshot and a policy, shared by `evaluate()` and `plan()` (so both agree on what the
 * expected zone, the placement, the autopilot's own endpoint and the verified endpoints are).
 */
import { getCloud, type CloudSettings } from '../azure/cloud';
import {
  formatResourceId,
  normalizeId,
  parseResourceId,
  privateDnsZoneIdOf,
  privateEndpointIdOf,
  resourceNameOf,
  sameId,
  virtualNetworkIdOfSubnet,
} from '../azure/resource-id';
import { dnsRecordOf, isExpectedZoneName } from './dns';
import { dnsZoneLinkName, privateEndpointName } from './naming';
import { effectiveMode, inScope, placementFor, type EffectiveMode, type Policy } from './policy-schema';
import type { CacheSnapshot, SnapshotConnection, SnapshotDnsZone, SnapshotPrivateEndpoint } from './snapshot';
import { geoReplicationBlocks, isClustered, linkLimitOf, tierFactsOf, type TierFacts } from './tiers';

export interface Placement {
  subnetId: string;
  virtualNetworkId: string;
  location: string;
  /** The endpoint the autopilot creates there: `pe-<cache>-<vnet>` in the subnet's subscription and RG. */
  privateEndpointId: string;
  privateEndpointName: string;
}

export interface EndpointView {
  connection: SnapshotConnection;
  /** Undefined when the lead could not read the endpoint. */
  endpoint?: SnapshotPrivateEndpoint;
}

export interface PolicyContext {
  snapshot: CacheSnapshot;
  policy: Policy;
  cloud: CloudSettings;
  mode: EffectiveMode;
  inScope: boolean;
  facts: TierFacts;
  clustered: boolean;
  linkLimit: { limit: number; rule: string };
  geoBlocked: boolean;
  expectedZoneName: string;
  recordName: string;
  /** The expected zone in the policy's DNS home. */
  homeZoneId: string;
  placement?: Placement;
  /** Every connection with its endpoint (when read). */
  endpoints: EndpointView[];
  approved: EndpointView[];
  pending: EndpointView[];
  dead: EndpointView[];
  /** The autopilot's own endpoint at the placement, when its connection is Rejected/Disconnected. */
  deadManaged?: EndpointView;
  /** Approved endpoints whose DNS verifies (see `isVerified`). */
  verified: EndpointView[];
  zoneById(zoneId: string): SnapshotDnsZone | undefined;
  /** The zone an endpoint resolves through once fixed: its first correctly named zone, else the home zone. */
  effectiveZoneIdOf(pe: SnapshotPrivateEndpoint): string;
}

export function zoneIdsOf(pe: SnapshotPrivateEndpoint): string[] {
  return pe.dnsZoneGroups.flatMap((g) => g.zoneIds);
}

export function zoneNameOfId(zoneId: string): string {
  try {
    return resourceNameOf(zoneId);
  } catch {
    return zoneId.split('/').pop() ?? zoneId;
  }
}

export function subscriptionOfId(id: string): string | undefined {
  try {
    return parseResourceId(id).subscriptionId;
  } catch {
    return undefined;
  }
}

export function vnetNameOf(virtualNetworkId: string): string {
  return resourceNameOf(virtualNetworkId);
}

export function linkNameFor(virtualNetworkId: string): string {
  return dnsZoneLinkName(vnetNameOf(virtualNetworkId));
}

/**
 * Lower-cased record name -> addresses of one zone's A records, built once per `aRecords` object (a zone read live
 * can hold thousands of records; evaluate and plan look the cache's record up several times).
 */
const recordIndexes = new WeakMap<Record<string, string[]>, Map<string, string[]>>();

export function recordIndexOf(zone: SnapshotDnsZone): Map<string, string[]> {
  let index = recordIndexes.get(zone.aRecords);
  if (!index) {
    index = new Map();
    for (const [name, ips] of Object.entries(zone.aRecords)) {
      const key = name.toLowerCase();
      // ARM names are unique case-insensitively; keep the first like the linear scan did.
      if (!index.has(key)) index.set(key, ips);
    }
    recordIndexes.set(zone.aRecords, index);
  }
  return index;
}

function lookupRecord(zone: SnapshotDnsZone, recordName: string): string[] | undefined {
  return recordIndexOf(zone).get(recordName.toLowerCase());
}

export function recordOf(zone: SnapshotDnsZone | undefined, recordName: string): string[] | undefined {
  return zone ? lookupRecord(zone, recordName) : undefined;
}

/** Normalized linked VNet ids of one zone, built once per `virtualNetworkLinks` array (a hub zone links every spoke). */
const linkIndexes = new WeakMap<string[], Set<string>>();

export function linkIndexOf(zone: SnapshotDnsZone): Set<string> {
  let index = linkIndexes.get(zone.virtualNetworkLinks);
  if (!index) {
    index = new Set(zone.virtualNetworkLinks.map(normalizeId));
    linkIndexes.set(zone.virtualNetworkLinks, index);
  }
  return index;
}

export function isLinked(zone: SnapshotDnsZone | undefined, virtualNetworkId: string): boolean {
  return !!zone && !!virtualNetworkId && linkIndexOf(zone).has(normalizeId(virtualNetworkId));
}

export function buildContext(snapshot: CacheSnapshot, policy: Policy): PolicyContext {
  const cloud = getCloud(policy.cloud);
  const facts = tierFactsOf(snapshot);
  const { zoneName, recordName } = dnsRecordOf(snapshot, cloud);
  const homeZoneId = privateDnsZoneIdOf(policy.dnsZones.subscriptionId, policy.dnsZones.resourceGroup, zoneName);

  const zones = new Map<string, SnapshotDnsZone>();
  for (const z of snapshot.dnsZones) zones.set(normalizeId(z.id), z);
  const zoneById = (id: string) => zones.get(normalizeId(id));

  let placement: Placement | undefined;
  const p = placementFor(policy, snapshot.location);
  if (p) {
    const vnetId = virtualNetworkIdOfSubnet(p.subnetId);
    const vnet = parseResourceId(vnetId);
    const name = privateEndpointName(snapshot.name, vnet.resources[0]!.name);
    placement = {
      subnetId: p.subnetId,
      virtualNetworkId: vnetId,
      location: p.location,
      privateEndpointName: name,
      privateEndpointId: privateEndpointIdOf(vnet.subscriptionId, vnet.resourceGroup!, name),
    };
  }

  const peById = new Map<string, SnapshotPrivateEndpoint>();
  for (const pe of snapshot.privateEndpoints) peById.set(normalizeId(pe.id), pe);
  const endpoints: EndpointView[] = snapshot.connections.map((connection) => ({
    connection,
    endpoint: peById.get(normalizeId(connection.privateEndpointId)),
  }));
  const approved = endpoints.filter((e) => e.connection.status === 'Approved');
  const pending = endpoints.filter((e) => e.connection.status === 'Pending');
  const dead = endpoints.filter((e) => e.connection.status === 'Rejected' || e.connection.status === 'Disconnected');
  const deadManaged = placement ? dead.find((e) => sameId(e.connection.privateEndpointId, placement!.privateEndpointId)) : undefined;

  const effectiveZoneIdOf = (pe: SnapshotPrivateEndpoint): string =>
    zoneIdsOf(pe).find((id) => isExpectedZoneName(zoneNameOfId(id), facts, cloud)) ?? homeZoneId;

  const isVerified = (e: EndpointView): boolean => {
    const pe = e.endpoint;
    if (!pe || !pe.privateIp || pe.provisioningState.toLowerCase() !== 'succeeded') return false;
    const ids = zoneIdsOf(pe);
    const correct = ids.filter((id) => isExpectedZoneName(zoneNameOfId(id), facts, cloud));
    if (correct.length === 0 || correct.length !== ids.length) return false;
    const zone = zoneById(correct[0]!);
    if (!zone || !isLinked(zone, pe.virtualNetworkId)) return false;
    return (recordOf(zone, recordName) ?? []).includes(pe.privateIp);
  };

  return {
    snapshot,
    policy,
    cloud,
    mode: effectiveMode(policy, snapshot.tags),
    inScope: inScope(policy, snapshot.subscriptionId),
    facts,
    clustered: isClustered(snapshot),
    linkLimit: linkLimitOf(snapshot),
    geoBlocked: geoReplicationBlocks(snapshot),
    expectedZoneName: zoneName,
    recordName,
    homeZoneId,
    placement,
    endpoints,
    approved,
    pending,
    dead,
    deadManaged,
    verified: approved.filter(isVerified),
    zoneById,
    effectiveZoneIdOf,
  };
}

/** Decision for a pending connection under the policy's connection approval. */
export function decideConnection(policy: Pick<Policy, 'connectionApproval'>, privateEndpointId: string): 'approve' | 'reject' | 'leave' {
  const a = policy.connectionApproval;
  if (a.mode === 'leave') return 'leave';
  const sub = subscriptionOfId(privateEndpointId)?.toLowerCase();
  if (sub && a.subscriptions.some((s) => s.toLowerCase() === sub)) return 'approve';
  return a.rejectUnlisted ? 'reject' : 'leave';
}

/** Build a resource id under a parent id (used for record-set ids in findings). */
export function childId(parentId: string, type: string, name: string): string {
  const p = parseResourceId(parentId);
  return formatResourceId({ ...p, resources: [...p.resources, { type, name }] });
}
