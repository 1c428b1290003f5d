/**
 * Findings (what is wrong with a cache) and Steps (what the autopilot would do about it).
 * Both are plain JSON: they cross the activity boundary and are printed by the dry-run.
 */
export type { Policy, PolicyInput, PolicyMode, EffectiveMode, ConnectionApproval } from './policy-schema';

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every rule id `evaluate()` can return. Stable: dashboards and suppressions key on them. */
export const RULE_IDS = [
  'private-endpoint-missing',
  'public-access-enabled',
  'unreachable-no-endpoint',
  'dns-zone-group-missing',
  'dns-zone-wrong',
  'dns-zone-not-linked',
  'dns-record-mismatch',
  'connection-pending',
  'connection-rejected',
  'vnet-injected',
  'link-limit-reached',
  'geo-replica-without-endpoint',
  'basic-tier-data-loss-risk',
  'storage-firewall-persistence',
  'geo-replication-unlinked',
  'private-endpoint-failed',
  'dns-record-missing',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** One sentence for humans; quotes the documented rule where there is one. */
  message: string;
  /** The cache the finding is about. */
  cacheId: string;
  /** The resource at fault when it is not the cache itself (endpoint, connection, zone, ...). */
  resourceId?: string;
  /** Machine-readable details (rule specific, documented in evaluate.ts). */
  data?: { [key: string]: JsonValue };
}

/** Fields every step carries. */
export interface StepBase {
  /** The cache this step is for. */
  cacheId: string;
  /** The rule the step fixes. */
  rule: RuleId;
  /** Why the step is needed (printed by the dry-run). */
  reason: string;
}

/** Make sure the subnet can host private endpoints: `privateEndpointNetworkPolicies` = `Disabled`. */
export interface EnsureSubnetReadyStep extends StepBase {
  kind: 'ensure-subnet-ready';
  subnetId: string;
}

/** Create the private DNS zone if absent (location `global`). */
export interface EnsureDnsZoneStep extends StepBase {
  kind: 'ensure-dns-zone';
  zoneId: string;
}

/** Link the zone to the VNet if no link to that VNet exists yet (match existing links on the VNet id, not the name;
 * registration disabled). */
export interface EnsureDnsZoneLinkStep extends StepBase {
  kind: 'ensure-dns-zone-link';
  zoneId: string;
  virtualNetworkId: string;
  /** Deterministic link name to use when creating: `link-<vnet>`. */
  linkName: string;
}

/**
 * Create the private endpoint (auto-approved `privateLinkServiceConnections`, connection name = endpoint name)
 * and its DNS zone group (`dnsZoneGroupName`) pointing at `zoneId`. No-op if it exists already.
 */
export interface CreatePrivateEndpointStep extends StepBase {
  kind: 'create-private-endpoint';
  /** Deterministic: `.../providers/Microsoft.Network/privateEndpoints/pe-<cache>-<vnet>` in the subnet's sub/RG. */
  privateEndpointId: string;
  subnetId: string;
  /** `redisCache` or `redisEnterprise`. */
  groupId: string;
  /** Region of the endpoint (the VNet's region). */
  location: string;
  zoneId: string;
  /** Always `default`. */
  dnsZoneGroupName: string;
}

/** Make the endpoint's DNS zone group list exactly `zoneId`. With `refresh`, PUT it again even when it already does,
 * so Network rewrites the A record. */
export interface EnsureDnsZoneGroupStep extends StepBase {
  kind: 'ensure-dns-zone-group';
  privateEndpointId: string;
  zoneId: string;
  /** Always `default` for groups the autopilot creates; the existing group's name when repairing one. */
  dnsZoneGroupName: string;
  refresh: boolean;
}

export interface SetPublicNetworkAccessStep extends StepBase {
  kind: 'set-public-network-access';
  value: 'Enabled' | 'Disabled';
}

export interface ApproveConnectionStep extends StepBase {
  kind: 'approve-connection';
  connectionId: string;
}

export interface RejectConnectionStep extends StepBase {
  kind: 'reject-connection';
  connectionId: string;
}

export interface DeletePrivateEndpointStep extends StepBase {
  kind: 'delete-private-endpoint';
  privateEndpointId: string;
}

/**
 * Passive geo-replication blocks adding a private link ("1. Unlink the geo-replication. 2. Add a Private Link.
 * 3. Last, relink the geo-replication."). Only planned when `policy.geoReplication` is `unlink-and-relink`.
 * Unlink: DELETE `{primary}/linkedServers/{secondaryName}`.
 */
export interface UnlinkGeoReplicationStep extends StepBase {
  kind: 'unlink-geo-replication';
  primaryCacheId: string;
  secondaryCacheId: string;
}

/** Relink: PUT `{primary}/linkedServers/{secondaryName}` with `serverRole: Secondary`. */
export interface RelinkGeoReplicationStep extends StepBase {
  kind: 'relink-geo-replication';
  primaryCacheId: string;
  secondaryCacheId: string;
  secondaryLocation: string;
}

/** Something the autopilot will not do by itself; the message says what a human should do. */
export interface ManualStep extends StepBase {
  kind: 'manual';
  message: string;
  /** Documentation to follow, when there is one. */
  link?: string;
}

export type Step =
  | EnsureSubnetReadyStep
  | EnsureDnsZoneStep
  | EnsureDnsZoneLinkStep
  | CreatePrivateEndpointStep
  | EnsureDnsZoneGroupStep
  | SetPublicNetworkAccessStep
  | ApproveConnectionStep
  | RejectConnectionStep
  | DeletePrivateEndpointStep
  | UnlinkGeoReplicationStep
  | RelinkGeoReplicationStep
  | ManualStep;

export type StepKind = Step['kind'];

export const STEP_KINDS = [
  'set-public-network-access',
  'approve-connection',
  'reject-connection',
  'ensure-subnet-ready',
  'ensure-dns-zone',
  'ensure-dns-zone-link',
  'unlink-geo-replication',
  'delete-private-endpoint',
  'create-private-endpoint',
  'relink-geo-replication',
  'ensure-dns-zone-group',
  'manual',
] as const satisfies readonly StepKind[];

/** Result of a single pure check (naming rule, preflight). */
export type CheckResult = { ok: true } | { ok: false; rule: string; message: string };
