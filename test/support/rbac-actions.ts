/**
 * Maps one Azure Resource Manager request to the Azure RBAC action(s) the caller must hold for it to succeed.
 *
 * Used to prove that `infra/role-actions.json` grants exactly what the automation calls: replay the emulator's
 * request log through `rbacActionsFor` and compare the union with the role (case-insensitively: RBAC actions
 * are case-insensitive, this module returns the casing of the "Azure resource provider operations" pages).
 *
 * How ARM derives the action (Azure RBAC docs, "Azure resource provider operations" and "Understand role
 * definitions"):
 * - `{Namespace}/{type}[/{childType}...]/{read|write|delete}` for GET (and HEAD), PUT/PATCH and DELETE,
 *   where the types are the path's type segments (names dropped);
 * - `{Namespace}/{type}/{actionName}/action` for a POST on `.../{type}/{name}/{actionName}`;
 * - Resource Graph is a POST to `/providers/Microsoft.ResourceGraph/resources`, authorized as
 *   `Microsoft.ResourceGraph/resources/read`;
 * - polls of long-running operations are GETs of their own resource types
 *   (`Microsoft.Cache/locations/asyncOperations/read`, `Microsoft.Network/locations/operations/read`, ...).
 *
 * Linked access checks (ARM's `LinkedAuthorizationFailed`): a write that references another resource also needs
 * an action on that resource. The ones this product meets:
 * - PUT privateEndpoints: `Microsoft.Network/virtualNetworks/subnets/join/action` (the PE joins a subnet), and,
 *   for each auto-approved connection (`privateLinkServiceConnections`, not `manualPrivateLinkServiceConnections`),
 *   `{target namespace}/{target type}/PrivateEndpointConnectionsApproval/action` on the target (for a cache:
 *   `Microsoft.Cache/redis/PrivateEndpointConnectionsApproval/action`, "Approve Private Endpoint Connections");
 *   see "Azure RBAC permissions for Azure Private Link", "Approval RBAC for private endpoint";
 * - PUT privateEndpoints/privateDnsZoneGroups: `Microsoft.Network/privateDnsZones/join/action` (the group joins
 *   each zone it names);
 * - PUT privateDnsZones/virtualNetworkLinks: `Microsoft.Network/virtualNetworks/join/action` (the link joins the
 *   virtual network);
 * - PUT virtualNetworks/subnets (and subnets inline in a PUT virtualNetworks): a join action for each network
 *   security group, route table, NAT gateway or service endpoint policy the (whole-subnet) body references.
 *
 * The subnet join of a private endpoint and the DNS zone join of a zone group are implied by the operation itself
 * (a private endpoint always has a subnet, a zone group always names a zone), so they are returned even without a
 * body. The approval action of a private endpoint and the joins of a subnet depend on the body: without one they
 * cannot be known and are not returned.
 */

export type ArmMethod = 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';

/** Canonical casing of namespaces (lower-case key). */
const NAMESPACES: Record<string, string> = {
  'microsoft.cache': 'Microsoft.Cache',
  'microsoft.network': 'Microsoft.Network',
  'microsoft.resourcegraph': 'Microsoft.ResourceGraph',
  'microsoft.resources': 'Microsoft.Resources',
  'microsoft.authorization': 'Microsoft.Authorization',
  'microsoft.storage': 'Microsoft.Storage',
  'microsoft.web': 'Microsoft.Web',
  'microsoft.insights': 'Microsoft.Insights',
  'microsoft.eventgrid': 'Microsoft.EventGrid',
};

/** Canonical casing of resource type segments and POST action names, as the RBAC operation pages spell them. */
const SEGMENTS: Record<string, string> = Object.fromEntries(
  [
    // Microsoft.Cache
    'redis',
    'redisEnterprise',
    'databases',
    'privateEndpointConnections',
    'privateEndpointConnectionProxies',
    'privateLinkResources',
    'linkedServers',
    'firewallRules',
    'patchSchedules',
    'accessPolicies',
    'accessPolicyAssignments',
    'locations',
    'asyncOperations',
    'operationResults',
    'operationsStatus',
    'listKeys',
    'regenerateKey',
    'forceReboot',
    'forceUnlink',
    'checkNameAvailability',
    // Microsoft.Network
    'operations',
    'virtualNetworks',
    'subnets',
    'privateEndpoints',
    'privateDnsZoneGroups',
    'networkInterfaces',
    'networkSecurityGroups',
    'routeTables',
    'natGateways',
    'serviceEndpointPolicies',
    'privateDnsZones',
    'virtualNetworkLinks',
    'privateDnsOperationResults',
    'privateDnsOperationStatuses',
    // Microsoft.ResourceGraph, Microsoft.Resources
    'resources',
    'subscriptions',
    'resourceGroups',
  ].map((s) => [s.toLowerCase(), s]),
);

/** Record set types inside a private DNS zone (the path segment after the zone name). */
const DNS_RECORD_TYPES = new Set(['a', 'aaaa', 'cname', 'mx', 'ptr', 'soa', 'srv', 'txt', 'all']);

const VERB: Record<Exclude<ArmMethod, 'POST'>, 'read' | 'write' | 'delete'> = {
  GET: 'read',
  HEAD: 'read',
  PUT: 'write',
  PATCH: 'write',
  DELETE: 'delete',
};

function canonicalNamespace(ns: string): string {
  return NAMESPACES[ns.toLowerCase()] ?? ns;
}

function canonicalSegment(segment: string, parentType: string | undefined): string {
  const lower = segment.toLowerCase();
  if (parentType === 'privateDnsZones' && DNS_RECORD_TYPES.has(lower)) return segment.toUpperCase();
  return SEGMENTS[lower] ?? segment;
}

function splitPath(path: string): string[] {
  let p = path.trim();
  if (/^https?:\/\//i.test(p)) p = new URL(p).pathname;
  p = p.split('#')[0]!.split('?')[0]!;
  return p
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

interface ParsedTarget {
  /** Canonical namespace, e.g. `Microsoft.Cache`. */
  namespace: string;
  /** Canonical type segments, e.g. `['redis', 'privateEndpointConnections']`. */
  types: string[];
  /** True when the path ends with a resource name (an instance), false for a collection. */
  instance: boolean;
  /** For a POST on an instance: the action segment after the instance (e.g. `listKeys`). */
  postAction?: string;
}

/** Parses the part after `/providers/`: `{ns}/{type}/{name}/{type}/{name}...`. */
function parseProviderPart(part: string[], method: ArmMethod, original: string): ParsedTarget {
  // Extension resources (`.../{type}/{name}/providers/{ns2}/...`): authorize the innermost provider.
  for (let i = part.length - 1; i >= 1; i--) {
    if (part[i]!.toLowerCase() === 'providers' && i % 2 === 1) {
      return parseProviderPart(part.slice(i + 1), method, original);
    }
  }
  if (part.length < 2) throw new Error(`rbacActionsFor: no resource type in ${original}`);
  const namespace = canonicalNamespace(part[0]!);
  const rest = part.slice(1);
  const types: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(canonicalSegment(rest[i]!, types[types.length - 1]));
  }
  const instance = rest.length % 2 === 0;
  if (method === 'POST' && !instance && rest.length >= 3) {
    // `{type}/{name}/{action}`: the last "type" is the action name on the instance.
    const postAction = types.pop()!;
    return { namespace, types, instance: true, postAction };
  }
  return { namespace, types, instance };
}

function parseRequest(method: ArmMethod, path: string): ParsedTarget {
  const segs = splitPath(path);
  if (segs.length === 0) throw new Error(`rbacActionsFor: empty path`);
  const head = segs[0]!.toLowerCase();
  if (head === 'providers') return parseProviderPart(segs.slice(1), method, path);
  if (head !== 'subscriptions' || segs.length < 2) throw new Error(`rbacActionsFor: not an ARM path: ${path}`);
  const rest = segs.slice(2);
  if (rest.length === 0) return { namespace: 'Microsoft.Resources', types: ['subscriptions'], instance: true };
  const r0 = rest[0]!.toLowerCase();
  if (r0 === 'providers') return parseProviderPart(rest.slice(1), method, path);
  if (r0 === 'resources') return { namespace: 'Microsoft.Resources', types: ['subscriptions', 'resources'], instance: false };
  if (r0 === 'resourcegroups') {
    if (rest.length <= 2) {
      return { namespace: 'Microsoft.Resources', types: ['subscriptions', 'resourceGroups'], instance: rest.length === 2 };
    }
    const r2 = rest[2]!.toLowerCase();
    if (r2 === 'providers') return parseProviderPart(rest.slice(3), method, path);
    if (r2 === 'resources') {
      return { namespace: 'Microsoft.Resources', types: ['subscriptions', 'resourceGroups', 'resources'], instance: false };
    }
  }
  throw new Error(`rbacActionsFor: unsupported ARM path: ${path}`);
}

function parseBody(body: unknown): any {
  if (typeof body === 'string') {
    if (body.trim() === '') return undefined;
    return JSON.parse(body);
  }
  return body;
}

/** `props.x` whether the body is in wire form (`{ properties: { x } }`) or SDK-flattened (`{ x }`). */
function prop(obj: any, name: string): any {
  if (obj === null || typeof obj !== 'object') return undefined;
  if (obj.properties && typeof obj.properties === 'object' && name in obj.properties) return obj.properties[name];
  return obj[name];
}

function idOf(ref: any): string | undefined {
  return ref && typeof ref === 'object' && typeof ref.id === 'string' && ref.id.length > 0 ? ref.id : undefined;
}

/** `{ns}/{type}/PrivateEndpointConnectionsApproval/action` for the private link target of a connection. */
function approvalActionFor(targetId: string): string {
  const target = parseRequest('GET', targetId);
  if (!target.instance || target.types.length !== 1) {
    throw new Error(`rbacActionsFor: privateLinkServiceId is not a top-level resource id: ${targetId}`);
  }
  return `${target.namespace}/${target.types[0]}/PrivateEndpointConnectionsApproval/action`;
}

/** Join actions for the network objects a (whole) subnet body references. */
function subnetJoins(subnet: any): string[] {
  const out: string[] = [];
  if (idOf(prop(subnet, 'networkSecurityGroup'))) out.push('Microsoft.Network/networkSecurityGroups/join/action');
  if (idOf(prop(subnet, 'routeTable'))) out.push('Microsoft.Network/routeTables/join/action');
  if (idOf(prop(subnet, 'natGateway'))) out.push('Microsoft.Network/natGateways/join/action');
  const policies = prop(subnet, 'serviceEndpointPolicies');
  if (Array.isArray(policies) && policies.some((p) => idOf(p))) {
    out.push('Microsoft.Network/serviceEndpointPolicies/join/action');
  }
  return out;
}

function linkedActions(method: ArmMethod, t: ParsedTarget, body: any): string[] {
  if (method !== 'PUT' || !t.instance) return [];
  const type = `${t.namespace}/${t.types.join('/')}`;
  const out: string[] = [];
  switch (type) {
    case 'Microsoft.Network/privateEndpoints': {
      out.push('Microsoft.Network/virtualNetworks/subnets/join/action');
      const auto = prop(body, 'privateLinkServiceConnections');
      for (const connection of Array.isArray(auto) ? auto : []) {
        const targetId = prop(connection, 'privateLinkServiceId');
        if (typeof targetId === 'string' && targetId) out.push(approvalActionFor(targetId));
      }
      break;
    }
    case 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups':
      out.push('Microsoft.Network/privateDnsZones/join/action');
      break;
    case 'Microsoft.Network/privateDnsZones/virtualNetworkLinks':
      out.push('Microsoft.Network/virtualNetworks/join/action');
      break;
    case 'Microsoft.Network/virtualNetworks/subnets':
      out.push(...subnetJoins(body));
      break;
    case 'Microsoft.Network/virtualNetworks': {
      // Subnets given inline in a virtual network PUT are checked like subnet PUTs.
      const subnets = prop(body, 'subnets');
      for (const subnet of Array.isArray(subnets) ? subnets : []) out.push(...subnetJoins(subnet));
      break;
    }
    default:
      break;
  }
  return out;
}

/**
 * The RBAC actions one ARM request needs: the action of the operation itself first, then the linked actions.
 * @param method HTTP method as sent (`GET`, `PUT`, `PATCH`, `DELETE`, `POST`, `HEAD`), any case.
 * @param path the request path (`/subscriptions/...`), or a full URL; the query string is ignored and
 *   percent-encoded segments are decoded (`East%20US`).
 * @param body the request body (parsed JSON or its text), needed for body-dependent linked actions.
 * @throws for a method or path that is not an ARM resource request (so unknown traffic is never silently ignored).
 */
export function rbacActionsFor(method: string, path: string, body?: any): string[] {
  const m = method.toUpperCase() as ArmMethod;
  if (!['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'POST'].includes(m)) {
    throw new Error(`rbacActionsFor: unsupported method ${method}`);
  }
  const t = parseRequest(m, path);
  const typePath = `${t.namespace}/${t.types.join('/')}`;
  let primary: string;
  if (m === 'POST') {
    if (t.postAction) primary = `${typePath}/${t.postAction}/action`;
    else if (typePath === 'Microsoft.ResourceGraph/resources') primary = 'Microsoft.ResourceGraph/resources/read';
    else if (!t.instance && t.types.length === 1) primary = `${t.namespace}/${t.types[0]}/action`;
    else throw new Error(`rbacActionsFor: POST without an action segment: ${path}`);
  } else {
    primary = `${typePath}/${VERB[m]}`;
  }
  const actions = [primary, ...linkedActions(m, t, parseBody(body))];
  return [...new Set(actions)];
}

/** Case-insensitive union of the actions of many requests, sorted (for comparing with the role). */
export function rbacActionsForAll(requests: ReadonlyArray<{ method: string; path: string; body?: any }>): string[] {
  const byLower = new Map<string, string>();
  for (const r of requests) {
    for (const a of rbacActionsFor(r.method, r.path, r.body)) {
      if (!byLower.has(a.toLowerCase())) byLower.set(a.toLowerCase(), a);
    }
  }
  return [...byLower.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}
