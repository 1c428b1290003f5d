/**
 * Snapshot and policy builders for the policy unit tests. `healthySnapshot()` is a cache that satisfies every rule of
 * `basePolicy()`; each test breaks one thing.
 */
import { parsePolicy, type Policy, type PolicyInput } from '../../../src/policy/policy-schema';
import type { CacheSnapshot, ConnectionStatus, SnapshotPrivateEndpoint } from '../../../src/policy/snapshot';

export const SUB = '11111111-1111-4111-8111-111111111111';
export const DNS_SUB = '22222222-2222-4222-8222-222222222222';
export const OTHER_SUB = '33333333-3333-4333-8333-333333333333';
export const OUT_OF_SCOPE_SUB = '44444444-4444-4444-8444-444444444444';

export const vnetId = (name: string, sub = SUB, rg = 'rg-net') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;
export const subnetId = (vnet: string, subnet = 'snet-pe', sub = SUB, rg = 'rg-net') => `${vnetId(vnet, sub, rg)}/subnets/${subnet}`;
export const zoneId = (zone: string, sub = DNS_SUB, rg = 'rg-dns') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${zone}`;
export const peId = (name: string, sub = SUB, rg = 'rg-net') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/${name}`;
export const redisId = (name: string, sub = SUB, rg = 'rg-app') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Cache/Redis/${name}`;
export const enterpriseId = (name: string, sub = SUB, rg = 'rg-app') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Cache/redisEnterprise/${name}`;

export const REDIS_ZONE = 'privatelink.redis.cache.windows.net';
export const HOME_ZONE_ID = zoneId(REDIS_ZONE);
export const HUB = 'vnet-hub';
export const CONSUMER = vnetId('vnet-consumer', OTHER_SUB, 'rg-consumer');

export function policyInput(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    scopes: { subscriptions: [SUB] },
    mode: 'enforce',
    endpointPlacement: { eastus: { subnetId: subnetId(HUB) } },
    dnsZones: { subscriptionId: DNS_SUB, resourceGroup: 'rg-dns' },
    consumerVirtualNetworks: [CONSUMER],
    ...overrides,
  };
}

export function basePolicy(overrides: Partial<PolicyInput> = {}): Policy {
  return parsePolicy(policyInput(overrides));
}

export interface EndpointSpec {
  name: string;
  vnet: string;
  ip?: string;
  status?: ConnectionStatus;
  /** Zone ids of the endpoint's zone group; [] = no group. Default: the home zone. */
  zoneIds?: string[];
  sub?: string;
  provisioningState?: string;
}

/** Add a connection + its private endpoint to a snapshot (returns a new snapshot). */
export function withEndpoint(s: CacheSnapshot, spec: EndpointSpec): CacheSnapshot {
  const id = peId(spec.name, spec.sub ?? SUB);
  const vnet = vnetId(spec.vnet, spec.sub ?? SUB);
  const zoneIds = spec.zoneIds ?? [HOME_ZONE_ID];
  const pe: SnapshotPrivateEndpoint = {
    id,
    name: spec.name,
    location: 'eastus',
    subnetId: `${vnet}/subnets/snet-pe`,
    virtualNetworkId: vnet,
    provisioningState: spec.provisioningState ?? 'Succeeded',
    ...(spec.ip ? { privateIp: spec.ip } : {}),
    fqdns: [s.hostName],
    dnsZoneGroups: zoneIds.length > 0 ? [{ id: `${id}/privateDnsZoneGroups/default`, zoneIds }] : [],
  };
  return {
    ...s,
    connections: [
      ...s.connections,
      {
        id: `${s.cacheId}/privateEndpointConnections/${spec.name}.conn`,
        name: `${spec.name}.conn`,
        privateEndpointId: id,
        status: spec.status ?? 'Approved',
        description: spec.status === 'Pending' ? 'Awaiting approval' : 'Auto-Approved',
      },
    ],
    privateEndpoints: [...s.privateEndpoints, pe],
  };
}

/** A Standard cache in eastus with no endpoint, public access Enabled. */
export function bareSnapshot(overrides: Partial<CacheSnapshot> = {}): CacheSnapshot {
  return {
    cacheId: redisId('cache1'),
    kind: 'redis',
    name: 'cache1',
    location: 'East US',
    subscriptionId: SUB,
    resourceGroup: 'rg-app',
    sku: { name: 'Standard', family: 'C', capacity: 1 },
    tags: {},
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
    hostName: 'cache1.redis.cache.windows.net',
    port: 6380,
    linkedServers: [],
    connections: [],
    privateEndpoints: [],
    dnsZones: [],
    ...overrides,
  };
}

/** A cache that satisfies basePolicy(): approved endpoint `pe-cache1-vnet-hub` in the hub, DNS verified, public
 * access Disabled. */
export function healthySnapshot(overrides: Partial<CacheSnapshot> = {}): CacheSnapshot {
  const s = withEndpoint(bareSnapshot({ publicNetworkAccess: 'Disabled' }), { name: 'pe-cache1-vnet-hub', vnet: HUB, ip: '10.0.1.4' });
  return {
    ...s,
    dnsZones: [{ id: HOME_ZONE_ID, name: REDIS_ZONE, virtualNetworkLinks: [vnetId(HUB), CONSUMER], aRecords: { cache1: ['10.0.1.4'] } }],
    ...overrides,
  };
}

export function rules(findings: { rule: string }[]): string[] {
  return findings.map((f) => f.rule);
}

export const ENTERPRISE_ZONE = 'privatelink.redisenterprise.cache.azure.net';

/** An Enterprise E10 cluster `c1` in eastus with no endpoint. */
export function enterpriseSnapshot(overrides: Partial<CacheSnapshot> = {}): CacheSnapshot {
  const { publicNetworkAccess: _omit, ...rest } = bareSnapshot();
  return {
    ...rest,
    cacheId: enterpriseId('c1'),
    kind: 'redisEnterprise',
    name: 'c1',
    location: 'eastus',
    sku: { name: 'Enterprise_E10', capacity: 2 },
    hostName: 'c1.eastus.redisenterprise.cache.azure.net',
    port: 10000,
    ...overrides,
  };
}

/** An Enterprise cluster with a verified approved endpoint in the hub. */
export function healthyEnterprise(overrides: Partial<CacheSnapshot> = {}): CacheSnapshot {
  const zone = zoneId('privatelink.redisenterprise.cache.azure.net');
  const s = withEndpoint(enterpriseSnapshot(), { name: 'pe-c1-vnet-hub', vnet: HUB, ip: '10.0.1.5', zoneIds: [zone] });
  return {
    ...s,
    dnsZones: [{ id: zone, name: 'privatelink.redisenterprise.cache.azure.net', virtualNetworkLinks: [vnetId(HUB), CONSUMER], aRecords: { 'c1.eastus': ['10.0.1.5'] } }],
    ...overrides,
  };
}
