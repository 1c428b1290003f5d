/**
 * ARM resource ids: strict parsing, formatting and comparison.
 *
 *   /subscriptions/{guid}[/resourceGroups/{rg}][/providers/{Namespace}/{type}/{name}[/{childType}/{childName}]...]
 *
 * Parsing rejects anything else and names the segment that is wrong. Comparison is case-insensitive, as in ARM.
 * Pure: no I/O. Used inside orchestrators too.
 */

export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Resource group names: 1-90 characters; letters (Unicode), digits, underscores, hyphens, periods, parentheses;
 * must not end with a period. */
export const RESOURCE_GROUP_RE = /^[-\w.()\p{L}\p{N}]{1,90}$/u;
/** Provider namespaces: dot-separated identifiers, e.g. `Microsoft.Cache`. */
export const NAMESPACE_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
/** Resource type segments: letters and digits, e.g. `Redis`, `privateEndpointConnections`. */
export const TYPE_RE = /^[A-Za-z][A-Za-z0-9]*$/;

export const REDIS_TYPE = 'Microsoft.Cache/Redis';
export const REDIS_ENTERPRISE_TYPE = 'Microsoft.Cache/redisEnterprise';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const VIRTUAL_NETWORK_TYPE = 'Microsoft.Network/virtualNetworks';
export const PRIVATE_ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';
export const PRIVATE_DNS_ZONE_TYPE = 'Microsoft.Network/privateDnsZones';

export class ResourceIdError extends Error {
  override readonly name = 'ResourceIdError';
  constructor(
    readonly resourceId: string,
    /** Which part is wrong, e.g. `subscription`, `resourceGroup`, `namespace`, `type[1]`, `name[0]`. */
    readonly segment: string,
    readonly reason: string,
  ) {
    super(`Invalid resource id '${resourceId}': ${segment} ${reason}`);
  }
}

export interface ResourceTypeName {
  type: string;
  name: string;
}

export interface ResourceId {
  subscriptionId: string;
  /** Omitted for subscription-level ids (`/subscriptions/{sub}/providers/...`). */
  resourceGroup?: string;
  /** Omitted for subscription and resource group ids. */
  namespace?: string;
  /** Type/name pairs from the top-level resource down to the last child. Empty for subscription/RG ids. */
  resources: ResourceTypeName[];
}

function fail(id: string, segment: string, reason: string): never {
  throw new ResourceIdError(id, segment, reason);
}

/** Parse and validate an ARM id. Throws `ResourceIdError` naming the wrong segment. */
export function parseResourceId(id: string): ResourceId {
  if (typeof id !== 'string' || id.length === 0) fail(String(id), 'id', 'is empty');
  if (!id.startsWith('/')) fail(id, 'id', "must start with '/subscriptions/'");
  const parts = id.slice(1).split('/');
  if (parts.some((p) => p.length === 0)) fail(id, 'id', "has an empty segment ('//' or a trailing '/')");
  if (parts[0]?.toLowerCase() !== 'subscriptions') fail(id, 'id', "must start with '/subscriptions/'");
  const subscriptionId = parts[1];
  if (subscriptionId === undefined) fail(id, 'subscription', 'is missing');
  if (!GUID_RE.test(subscriptionId)) fail(id, 'subscription', `'${subscriptionId}' is not a GUID`);
  const out: ResourceId = { subscriptionId, resources: [] };
  let i = 2;
  if (i < parts.length && parts[i]!.toLowerCase() === 'resourcegroups') {
    const rg = parts[i + 1];
    if (rg === undefined) fail(id, 'resourceGroup', 'is missing');
    checkResourceGroupName(id, rg);
    out.resourceGroup = rg;
    i += 2;
  }
  if (i === parts.length) return out;
  if (parts[i]!.toLowerCase() !== 'providers') {
    fail(id, `segment '${parts[i]}'`, out.resourceGroup ? "is not 'providers'" : "is not 'resourceGroups' or 'providers'");
  }
  const namespace = parts[i + 1];
  if (namespace === undefined) fail(id, 'namespace', 'is missing');
  if (!NAMESPACE_RE.test(namespace)) fail(id, 'namespace', `'${namespace}' is not a provider namespace like 'Microsoft.Cache'`);
  out.namespace = namespace;
  const rest = parts.slice(i + 2);
  if (rest.length === 0) fail(id, 'type[0]', 'is missing (an id must name a resource type and a name after the namespace)');
  for (let k = 0; k < rest.length; k += 2) {
    const n = k / 2;
    const type = rest[k]!;
    const name = rest[k + 1];
    if (!TYPE_RE.test(type)) fail(id, `type[${n}]`, `'${type}' is not a resource type`);
    if (name === undefined) fail(id, `name[${n}]`, `is missing after type '${type}'`);
    out.resources.push({ type, name });
  }
  return out;
}

function checkResourceGroupName(id: string, rg: string): void {
  if (!RESOURCE_GROUP_RE.test(rg)) {
    fail(
      id,
      'resourceGroup',
      `'${rg}' is not a resource group name (1-90 letters, digits, underscores, hyphens, periods or parentheses)`,
    );
  }
  if (rg.endsWith('.')) fail(id, 'resourceGroup', `'${rg}' must not end with a period`);
}

/** Parse, returning undefined instead of throwing. */
export function tryParseResourceId(id: string): ResourceId | undefined {
  try {
    return parseResourceId(id);
  } catch {
    return undefined;
  }
}

export function isResourceId(id: unknown): id is string {
  return typeof id === 'string' && tryParseResourceId(id) !== undefined;
}

/** Format parts back into an id (validates them the same way). */
export function formatResourceId(parts: ResourceId): string {
  let id = `/subscriptions/${parts.subscriptionId}`;
  if (parts.resourceGroup !== undefined) id += `/resourceGroups/${parts.resourceGroup}`;
  if (parts.namespace !== undefined) {
    id += `/providers/${parts.namespace}`;
    for (const r of parts.resources) id += `/${r.type}/${r.name}`;
  } else if (parts.resources.length > 0) {
    fail(id, 'namespace', 'is missing but resource types were given');
  }
  const reparsed = parseResourceId(id);
  if (reparsed.resources.length !== parts.resources.length) fail(id, 'name', 'contains a slash');
  return id;
}

/** Full resource type, e.g. `Microsoft.Cache/Redis/privateEndpointConnections`; undefined for sub/RG ids. */
export function resourceTypeOf(id: string | ResourceId): string | undefined {
  const p = typeof id === 'string' ? parseResourceId(id) : id;
  if (!p.namespace) return undefined;
  return [p.namespace, ...p.resources.map((r) => r.type)].join('/');
}

/** Last name of the id (the resource's own name). */
export function resourceNameOf(id: string): string {
  const p = parseResourceId(id);
  const last = p.resources[p.resources.length - 1];
  if (last) return last.name;
  return p.resourceGroup ?? p.subscriptionId;
}

/** Normalise for comparison: lower-case, no trailing slash. */
export function normalizeId(id: string): string {
  // The regex only when there is a trailing slash: this runs for every id compared in the sweep's hot path.
  return (id.endsWith('/') ? id.replace(/\/+$/, '') : id).toLowerCase();
}

/** ARM ids compare case-insensitively. Undefined equals nothing. */
export function sameId(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  return normalizeId(a) === normalizeId(b);
}

/** True when `type` (e.g. `Microsoft.Network/virtualNetworks/subnets`) is the full type of `p`. */
export function isOfType(id: string | ResourceId, type: string): boolean {
  const t = resourceTypeOf(typeof id === 'string' ? parseResourceId(id) : id);
  return t !== undefined && t.toLowerCase() === type.toLowerCase();
}

export interface CacheIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  kind: 'redis' | 'redisEnterprise';
}

/**
 * The cache id: built from parts, or extracted from any id at or under a cache
 * (`.../Redis/{c}/privateEndpointConnections/{x}` -> `.../Redis/{c}`). Throws when the id is not a cache's.
 */
export function cacheIdOf(input: string | CacheIdParts): string {
  if (typeof input !== 'string') {
    return formatResourceId({
      subscriptionId: input.subscriptionId,
      resourceGroup: input.resourceGroup,
      namespace: 'Microsoft.Cache',
      resources: [{ type: input.kind === 'redis' ? 'Redis' : 'redisEnterprise', name: input.name }],
    });
  }
  const p = parseResourceId(input);
  const top = p.resources[0];
  const isCache =
    p.resourceGroup !== undefined &&
    p.namespace?.toLowerCase() === 'microsoft.cache' &&
    top !== undefined &&
    (top.type.toLowerCase() === 'redis' || top.type.toLowerCase() === 'redisenterprise');
  if (!isCache) fail(input, 'type[0]', `is not ${REDIS_TYPE} or ${REDIS_ENTERPRISE_TYPE}`);
  return formatResourceId({ ...p, resources: [top!] });
}

/** `redis` or `redisEnterprise` for a cache id (or an id under a cache). */
export function cacheKindOf(id: string): 'redis' | 'redisEnterprise' {
  const top = parseResourceId(cacheIdOf(id)).resources[0]!;
  return top.type.toLowerCase() === 'redis' ? 'redis' : 'redisEnterprise';
}

/** The VNet id of a subnet id. Throws when `subnetId` is not a `Microsoft.Network/virtualNetworks/subnets` id. */
export function virtualNetworkIdOfSubnet(subnetId: string): string {
  const p = parseResourceId(subnetId);
  if (!p.resourceGroup) fail(subnetId, 'resourceGroup', 'is missing (a subnet lives in a resource group)');
  if (!isOfType(p, SUBNET_TYPE)) fail(subnetId, 'type', `is '${resourceTypeOf(p) ?? ''}', expected ${SUBNET_TYPE}`);
  return formatResourceId({ ...p, resources: [p.resources[0]!] });
}

/** Assert the id is of a given full type (and in a resource group); returns the parsed id. */
export function expectResourceType(id: string, type: string): ResourceId {
  const p = parseResourceId(id);
  if (!p.resourceGroup) fail(id, 'resourceGroup', 'is missing');
  if (!isOfType(p, type)) fail(id, 'type', `is '${resourceTypeOf(p) ?? ''}', expected ${type}`);
  return p;
}

export function privateEndpointIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return formatResourceId({
    subscriptionId,
    resourceGroup,
    namespace: 'Microsoft.Network',
    resources: [{ type: 'privateEndpoints', name }],
  });
}

export function privateDnsZoneIdOf(subscriptionId: string, resourceGroup: string, zoneName: string): string {
  return formatResourceId({
    subscriptionId,
    resourceGroup,
    namespace: 'Microsoft.Network',
    resources: [{ type: 'privateDnsZones', name: zoneName }],
  });
}
