/**
 * Microsoft.Cache/redisEnterprise (Enterprise, Enterprise Flash and Azure Managed Redis clusters), as
 * `@azure/arm-redisenterprisecache@2.2.0` (api-version 2022-01-01) calls it. Any api-version is accepted.
 *
 * Served: cluster create (PUT, LRO), get, list by resource group / subscription (paged), update (PATCH, LRO),
 * delete (LRO); databases create (PUT, LRO, active geo-replication fields), get, list, update, delete, listKeys;
 * privateEndpointConnections list/get/put (approve/reject)/delete; privateLinkResources (group id
 * `redisEnterprise`). Long-running operations use the service's style: `Azure-AsyncOperation:
 * .../providers/Microsoft.Cache/locations/{loc}/operationsStatus/{id}`.
 *
 * Rules enforced (seed + Microsoft Learn):
 * - `publicNetworkAccess` in a cluster create/PATCH is refused (400) for api-versions before 2025-07-01:
 *   "Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag." (Newer api versions
 *   expose the property; it is then accepted and stored.)
 * - At most 84 private links per cluster ("Enterprise and Enterprise Flash tier caches are limited to 84 private links").
 * - Writes while the cluster is Creating/Updating/Deleting answer 409 `Conflict`.
 * - Names follow the seed's DNS-name rule; only the database `default` exists per cluster (as in Azure).
 * - Active geo-replication can only be set when the database is created; linked databases must exist; no persistence.
 *
 * Public reachability (for the connectivity oracle): clusters created with an api-version that has no
 * `publicNetworkAccess` property are treated as public while they have no approved private endpoint connection and
 * private-only once they have one [INF: Learn says the tiers do not support the flag; this is our reading].
 */
import { ArmError, type ArmResource, type EmulatorContext, type EmulatorRequest, type EmulatorResponse, type Provider, type RouteDef, type RouteParams } from '../core/types';
import { resourceNotFound } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { sameId } from '../core/ids';
import { isValidCacheName, listPage, requireObjectBody, requireParent, requireResource, requireResourceGroup, stableKey, stablePublicIp } from '../core/helpers';
import { adoptEmbeddedConnections, connections, createPrivateLinkTarget, privateLinkRoutes, refreshEmbeddedConnections, type PrivateLinkHostOptions } from '../core/private-link';

export const REDIS_ENTERPRISE_TYPE = 'Microsoft.Cache/redisEnterprise';
export const REDIS_ENTERPRISE_GROUP_ID = 'redisEnterprise';
/** "Enterprise and Enterprise Flash tier caches are limited to 84 private links." */
export const ENTERPRISE_PRIVATE_LINK_LIMIT = 84;
const DB = 'databases';
const BASE = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redisEnterprise';
const CLUSTER = `${BASE}/{clusterName}`;
const BUSY = new Set(['creating', 'updating', 'deleting']);

/** Which product a SKU belongs to: the Enterprise tiers, or Azure Managed Redis. */
export function enterpriseSkuFamily(skuName: string): 'Enterprise' | 'EnterpriseFlash' | 'AzureManagedRedis' | undefined {
  if (/^Enterprise_E\d+$/i.test(skuName)) return 'Enterprise';
  if (/^EnterpriseFlash_F\d+$/i.test(skuName)) return 'EnterpriseFlash';
  if (/^(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)\d+$/i.test(skuName)) return 'AzureManagedRedis';
  return undefined;
}

/** `<name>.<region>.redisenterprise.cache.azure.net` (Enterprise tiers) or `<name>.<region>.redis.azure.net` (Azure Managed Redis). */
export function enterpriseHostName(name: string, location: string, skuName: string): string {
  const region = normalizeLocation(location);
  return enterpriseSkuFamily(skuName) === 'AzureManagedRedis'
    ? `${name}.${region}.redis.azure.net`
    : `${name}.${region}.redisenterprise.cache.azure.net`;
}

/** The private DNS zone clients need for a cluster's private endpoint. */
export function enterprisePrivateDnsZone(skuName: string): string {
  return enterpriseSkuFamily(skuName) === 'AzureManagedRedis' ? 'privatelink.redis.azure.net' : 'privatelink.redisenterprise.cache.azure.net';
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

function clusterIdOf(p: RouteParams): string {
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Cache/redisEnterprise/${p.clusterName}`;
}

function getCluster(ctx: EmulatorContext, p: RouteParams): ArmResource {
  return requireResource(ctx, clusterIdOf(p));
}

/** For child routes: the parent must exist (ParentResourceNotFound otherwise). */
function getParentCluster(ctx: EmulatorContext, p: RouteParams): ArmResource {
  return requireParent(ctx, clusterIdOf(p));
}

function isBusy(r: ArmResource): boolean {
  return BUSY.has(String(r.properties?.provisioningState ?? '').toLowerCase());
}

function assertNotBusy(r: ArmResource): void {
  if (isBusy(r)) {
    throw new ArmError(
      409,
      'Conflict',
      `The resource '${r.id}' is busy (provisioning state: ${r.properties.provisioningState}). Please retry later.`,
    );
  }
}

function apiAtLeast(apiVersion: string | null, min: string): boolean {
  return (apiVersion ?? '').slice(0, 10) >= min;
}

function assertNoPublicNetworkAccess(req: EmulatorRequest): void {
  const props = req.body?.properties;
  if (props && Object.prototype.hasOwnProperty.call(props, 'publicNetworkAccess') && !apiAtLeast(req.apiVersion, '2025-07-01')) {
    throw new ArmError(
      400,
      'PublicNetworkAccessNotSupported',
      "The property 'publicNetworkAccess' is not supported for Microsoft.Cache/redisEnterprise: " +
        '"Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag."',
      { target: 'properties.publicNetworkAccess' },
    );
  }
}

function startOperation(
  ctx: EmulatorContext,
  resource: ArmResource,
  location: string,
  headers: Array<'azure-async-operation' | 'location'>,
  complete: () => void,
  fail: (e: { code: string; message: string }) => void,
): Record<string, string> {
  const sub = resource.id.split('/')[2];
  return ctx.lro.start({
    style: 'redisEnterprise',
    subscriptionId: sub,
    location: normalizeLocation(location),
    headers,
    resourceId: resource.id,
    complete,
    fail,
  }).headers;
}

/** Sets provisioningState/resourceState on a stored resource if it still exists. */
function setState(ctx: EmulatorContext, id: string, provisioningState: string, resourceState: string): void {
  const r = ctx.store.get(id);
  if (!r) return;
  r.properties.provisioningState = provisioningState;
  r.properties.resourceState = resourceState;
  ctx.store.put(r);
}

// ---------------------------------------------------------------------------------------------------------------
// clusters

function putCluster(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const body = requireObjectBody(req);
  const id = clusterIdOf(p);
  const existing = ctx.store.get(id);
  if (!existing && !isValidCacheName(p.clusterName)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `The cluster name '${p.clusterName}' is invalid: "The cache name must be a string between 1 and 63 characters. The string must contain only numbers, letters, or hyphens. The name must start and end with a number or letter, and can't contain consecutive hyphens."`,
      { target: 'clusterName' },
    );
  }
  if (typeof body.location !== 'string' || body.location.trim() === '') {
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.', { target: 'location' });
  }
  const skuName = body.sku?.name;
  if (typeof skuName !== 'string' || !enterpriseSkuFamily(skuName)) {
    throw new ArmError(
      400,
      'InvalidSku',
      `The SKU '${String(skuName)}' is not valid for Microsoft.Cache/redisEnterprise (expected Enterprise_E*, EnterpriseFlash_F*, Balanced_B*, MemoryOptimized_M*, ComputeOptimized_X* or FlashOptimized_A*).`,
      { target: 'sku.name' },
    );
  }
  assertNoPublicNetworkAccess(req);
  const props = body.properties ?? {};
  if (existing) {
    assertNotBusy(existing);
    if (normalizeLocation(existing.location ?? '') !== normalizeLocation(body.location)) {
      throw new ArmError(400, 'LocationNotAvailableForResourceType', `The location of an existing cluster cannot change (it is '${existing.location}').`);
    }
  }
  const family = enterpriseSkuFamily(skuName)!;
  const resource: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? p.clusterName,
    type: REDIS_ENTERPRISE_TYPE,
    location: body.location,
    tags: body.tags ?? {},
    sku: { name: skuName, ...(body.sku.capacity !== undefined ? { capacity: body.sku.capacity } : {}) },
    ...(body.zones ? { zones: body.zones } : {}),
    ...(body.identity ? { identity: body.identity } : {}),
    properties: {
      provisioningState: existing ? 'Updating' : 'Creating',
      resourceState: existing ? 'Updating' : 'Creating',
      hostName: existing?.properties.hostName ?? enterpriseHostName(p.clusterName, body.location, skuName),
      redisVersion: existing?.properties.redisVersion ?? (family === 'AzureManagedRedis' ? '7.4' : '6'),
      minimumTlsVersion: props.minimumTlsVersion ?? existing?.properties.minimumTlsVersion ?? '1.2',
      ...(props.publicNetworkAccess !== undefined ? { publicNetworkAccess: props.publicNetworkAccess } : {}),
      privateEndpointConnections: existing?.properties.privateEndpointConnections ?? [],
    },
  };
  const stored = ctx.store.put(resource);
  const headers = startOperation(
    ctx,
    stored,
    body.location,
    ['azure-async-operation'],
    () => setState(ctx, stored.id, 'Succeeded', 'Running'),
    () => setState(ctx, stored.id, 'Failed', existing ? 'UpdateFailed' : 'CreateFailed'),
  );
  return { status: existing ? 200 : 201, headers, body: stored };
}

function getClusterRoute(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  return { status: 200, body: getCluster(ctx, p) };
}

function listByResourceGroup(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const prefix = `/subscriptions/${p.subscriptionId}/resourcegroups/${p.resourceGroupName}/`.toLowerCase();
  return listPage(ctx, req, ctx.store.list(REDIS_ENTERPRISE_TYPE).filter((r) => r.id.toLowerCase().startsWith(prefix)));
}

function listBySubscription(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const prefix = `/subscriptions/${p.subscriptionId}/`.toLowerCase();
  return listPage(ctx, req, ctx.store.list(REDIS_ENTERPRISE_TYPE).filter((r) => r.id.toLowerCase().startsWith(prefix)));
}

function patchCluster(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getCluster(ctx, p);
  const body = requireObjectBody(req);
  assertNoPublicNetworkAccess(req);
  assertNotBusy(cluster);
  if (body.sku?.name !== undefined && !enterpriseSkuFamily(body.sku.name)) {
    throw new ArmError(400, 'InvalidSku', `The SKU '${String(body.sku.name)}' is not valid for Microsoft.Cache/redisEnterprise.`, { target: 'sku.name' });
  }
  if (body.tags !== undefined) cluster.tags = body.tags;
  if (body.sku !== undefined) cluster.sku = { ...(cluster.sku ?? {}), ...body.sku };
  if (body.identity !== undefined) cluster.identity = body.identity;
  const props = body.properties ?? {};
  if (props.minimumTlsVersion !== undefined) cluster.properties.minimumTlsVersion = props.minimumTlsVersion;
  if (props.publicNetworkAccess !== undefined) cluster.properties.publicNetworkAccess = props.publicNetworkAccess;
  cluster.properties.provisioningState = 'Updating';
  cluster.properties.resourceState = 'Updating';
  const stored = ctx.store.put(cluster);
  const headers = startOperation(
    ctx,
    stored,
    stored.location ?? 'eastus',
    ['azure-async-operation'],
    () => setState(ctx, stored.id, 'Succeeded', 'Running'),
    () => setState(ctx, stored.id, 'Failed', 'UpdateFailed'),
  );
  return { status: 202, headers, body: stored };
}

function deleteCluster(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const cluster = ctx.store.get(clusterIdOf(p));
  if (!cluster) return { status: 204 };
  const before = { ...cluster.properties };
  cluster.properties.provisioningState = 'Deleting';
  cluster.properties.resourceState = 'Deleting';
  const stored = ctx.store.put(cluster);
  const headers = startOperation(
    ctx,
    stored,
    stored.location ?? 'eastus',
    ['azure-async-operation', 'location'],
    () => {
      // Geo-replicated databases leave their groups first.
      for (const db of ctx.store.children(stored.id, DB)) unlinkFromPeers(ctx, db.id);
      ctx.store.delete(stored.id);
    },
    () => {
      const r = ctx.store.get(stored.id);
      if (r) {
        r.properties = { ...before, provisioningState: 'Failed', resourceState: 'DeleteFailed' };
        ctx.store.put(r);
      }
    },
  );
  return { status: 202, headers };
}

// ---------------------------------------------------------------------------------------------------------------
// databases

function dbId(clusterId: string, name: string): string {
  return `${clusterId}/databases/${name}`;
}

function linkedIds(db: ArmResource | undefined): string[] {
  const list = db?.properties?.geoReplication?.linkedDatabases;
  return Array.isArray(list) ? list.map((l: { id: string }) => l.id) : [];
}

/** Removes a database from the geo-replication group of every peer. */
function unlinkFromPeers(ctx: EmulatorContext, id: string): void {
  const db = ctx.store.get(id);
  for (const peerId of linkedIds(db)) {
    if (sameId(peerId, id)) continue;
    const peer = ctx.store.get(peerId);
    if (!peer?.properties?.geoReplication) continue;
    peer.properties.geoReplication.linkedDatabases = peer.properties.geoReplication.linkedDatabases.filter(
      (l: { id: string }) => !sameId(l.id, id),
    );
    ctx.store.put(peer);
  }
}

function putDatabase(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  const body = requireObjectBody(req);
  assertNotBusy(cluster);
  if (p.databaseName !== 'default') {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `The database name '${p.databaseName}' is invalid: a Redis Enterprise cluster has exactly one database, named 'default'.`,
      { target: 'databaseName' },
    );
  }
  const id = dbId(cluster.id, p.databaseName);
  const existing = ctx.store.get(id);
  if (existing) assertNotBusy(existing);
  const props = body.properties ?? {};

  let geo: { groupNickname: string; linkedDatabases: Array<{ id: string; state: string }> } | undefined;
  if (props.geoReplication !== undefined) {
    const before = existing?.properties.geoReplication;
    const requested = props.geoReplication;
    if (existing && JSON.stringify(linkedIds(existing).map((x) => x.toLowerCase()).sort()) !==
        JSON.stringify((requested.linkedDatabases ?? []).map((l: { id: string }) => l.id.toLowerCase()).sort())) {
      throw new ArmError(
        400,
        'InvalidParameter',
        'Active geo-replication can only be configured when the database is created (use forceUnlink to remove a member).',
        { target: 'properties.geoReplication' },
      );
    }
    if (typeof requested.groupNickname !== 'string' || requested.groupNickname === '') {
      throw new ArmError(400, 'InvalidParameter', 'geoReplication.groupNickname is required.', { target: 'properties.geoReplication.groupNickname' });
    }
    const ids: string[] = (requested.linkedDatabases ?? []).map((l: { id: string }) => l.id);
    if (!ids.some((x) => sameId(x, id))) {
      throw new ArmError(400, 'InvalidParameter', `geoReplication.linkedDatabases must include the database itself (${id}).`, {
        target: 'properties.geoReplication.linkedDatabases',
      });
    }
    if (ids.length > 5) {
      throw new ArmError(400, 'InvalidParameter', 'An active geo-replication group has at most 5 members.', {
        target: 'properties.geoReplication.linkedDatabases',
      });
    }
    for (const other of ids) {
      if (sameId(other, id)) continue;
      const peer = ctx.store.get(other);
      if (!peer) {
        throw new ArmError(400, 'LinkedDatabaseNotFound', `The linked database '${other}' does not exist.`, {
          target: 'properties.geoReplication.linkedDatabases',
        });
      }
      const nick = peer.properties?.geoReplication?.groupNickname;
      if (nick !== undefined && nick !== requested.groupNickname) {
        throw new ArmError(400, 'InvalidParameter', `The linked database '${other}' belongs to group '${nick}', not '${requested.groupNickname}'.`);
      }
    }
    const p2 = props.persistence;
    if (p2 && (p2.aofEnabled || p2.rdbEnabled)) {
      throw new ArmError(400, 'InvalidParameter', 'Data persistence is not supported with active geo-replication.', { target: 'properties.persistence' });
    }
    geo = {
      groupNickname: requested.groupNickname,
      linkedDatabases: ids.map((x) => ({ id: x, state: before ? 'Linked' : 'Linking' })),
    };
  }

  const persistence = props.persistence ?? existing?.properties.persistence;
  const modules: Array<Record<string, unknown>> | undefined = props.modules ?? existing?.properties.modules;
  const geoReplication = geo ?? existing?.properties.geoReplication;
  const resource: ArmResource = {
    id: existing?.id ?? id,
    name: `${cluster.name}/${p.databaseName}`,
    type: `${REDIS_ENTERPRISE_TYPE}/databases`,
    properties: {
      provisioningState: existing ? 'Updating' : 'Creating',
      resourceState: existing ? 'Updating' : 'Creating',
      clientProtocol: props.clientProtocol ?? existing?.properties.clientProtocol ?? 'Encrypted',
      clusteringPolicy: props.clusteringPolicy ?? existing?.properties.clusteringPolicy ?? 'OSSCluster',
      evictionPolicy: props.evictionPolicy ?? existing?.properties.evictionPolicy ?? 'VolatileLRU',
      ...(persistence ? { persistence } : {}),
      port: props.port ?? existing?.properties.port ?? 10000,
      ...(modules ? { modules: modules.map((m) => ({ ...m, args: m.args ?? '', version: m.version ?? '1.0.0' })) } : {}),
      ...(geoReplication ? { geoReplication } : {}),
    },
  };
  const stored = ctx.store.put(resource);
  const headers = startOperation(
    ctx,
    stored,
    cluster.location ?? 'eastus',
    ['azure-async-operation'],
    () => {
      const r = ctx.store.get(stored.id);
      if (!r) return;
      r.properties.provisioningState = 'Succeeded';
      r.properties.resourceState = 'Running';
      const g = r.properties.geoReplication;
      if (g) {
        g.linkedDatabases = g.linkedDatabases.map((l: { id: string }) => ({ id: l.id, state: 'Linked' }));
        // Every peer now lists this database too.
        for (const l of g.linkedDatabases) {
          if (sameId(l.id, r.id)) continue;
          const peer = ctx.store.get(l.id);
          if (!peer) continue;
          const pg = peer.properties.geoReplication ?? { groupNickname: g.groupNickname, linkedDatabases: [{ id: peer.id, state: 'Linked' }] };
          if (!pg.linkedDatabases.some((x: { id: string }) => sameId(x.id, r.id))) pg.linkedDatabases.push({ id: r.id, state: 'Linked' });
          peer.properties.geoReplication = pg;
          ctx.store.put(peer);
        }
      }
      ctx.store.put(r);
    },
    () => {
      const r = ctx.store.get(stored.id);
      if (!r) return;
      r.properties.provisioningState = 'Failed';
      r.properties.resourceState = existing ? 'UpdateFailed' : 'CreateFailed';
      if (r.properties.geoReplication) {
        r.properties.geoReplication.linkedDatabases = r.properties.geoReplication.linkedDatabases.map((l: { id: string }) =>
          sameId(l.id, r.id) ? l : { id: l.id, state: 'LinkFailed' },
        );
      }
      ctx.store.put(r);
    },
  );
  return { status: existing ? 200 : 201, headers, body: stored };
}

function getDatabase(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  const id = dbId(cluster.id, p.databaseName);
  const db = ctx.store.get(id);
  if (!db) throw resourceNotFound(id);
  return { status: 200, body: db };
}

function listDatabases(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  return listPage(ctx, req, ctx.store.children(cluster.id, DB));
}

function patchDatabase(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  const body = requireObjectBody(req);
  const id = dbId(cluster.id, p.databaseName);
  const db = ctx.store.get(id);
  if (!db) throw resourceNotFound(id);
  assertNotBusy(cluster);
  assertNotBusy(db);
  const props = body.properties ?? {};
  if (props.geoReplication !== undefined) {
    throw new ArmError(400, 'InvalidParameter', 'Active geo-replication can only be configured when the database is created.', {
      target: 'properties.geoReplication',
    });
  }
  for (const k of ['clientProtocol', 'evictionPolicy', 'persistence', 'modules', 'clusteringPolicy', 'port']) {
    if (props[k] !== undefined) db.properties[k] = props[k];
  }
  db.properties.provisioningState = 'Updating';
  db.properties.resourceState = 'Updating';
  const stored = ctx.store.put(db);
  const headers = startOperation(
    ctx,
    stored,
    cluster.location ?? 'eastus',
    ['azure-async-operation'],
    () => setState(ctx, stored.id, 'Succeeded', 'Running'),
    () => setState(ctx, stored.id, 'Failed', 'UpdateFailed'),
  );
  return { status: 202, headers, body: stored };
}

function deleteDatabase(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  const id = dbId(cluster.id, p.databaseName);
  const db = ctx.store.get(id);
  if (!db) return { status: 204 };
  assertNotBusy(cluster);
  db.properties.provisioningState = 'Deleting';
  db.properties.resourceState = 'Deleting';
  const stored = ctx.store.put(db);
  const headers = startOperation(
    ctx,
    stored,
    cluster.location ?? 'eastus',
    ['azure-async-operation', 'location'],
    () => {
      unlinkFromPeers(ctx, stored.id);
      ctx.store.delete(stored.id);
    },
    () => setState(ctx, stored.id, 'Failed', 'DeleteFailed'),
  );
  return { status: 202, headers };
}

function listDatabaseKeys(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = getParentCluster(ctx, p);
  const id = dbId(cluster.id, p.databaseName);
  if (!ctx.store.get(id)) throw resourceNotFound(id);
  return { status: 200, body: { primaryKey: stableKey(`${id}#primary`), secondaryKey: stableKey(`${id}#secondary`) } };
}

// ---------------------------------------------------------------------------------------------------------------
// private endpoint connections and private link resources

const privateLinkHost: PrivateLinkHostOptions = {
  type: REDIS_ENTERPRISE_TYPE,
  targetTemplate: CLUSTER,
  targetId: clusterIdOf,
  groupId: REDIS_ENTERPRISE_GROUP_ID,
  requiredZoneNames: (target) => [enterprisePrivateDnsZone(String(target.sku?.name ?? 'Enterprise_E10'))],
  assertWritable: assertNotBusy,
  validateNewConnection(ctx, target, privateEndpointId) {
    const existing = connections(ctx, target.id);
    if (existing.some((c) => sameId(c.properties?.privateEndpoint?.id, privateEndpointId))) return;
    if (existing.length >= ENTERPRISE_PRIVATE_LINK_LIMIT) {
      throw new ArmError(
        400,
        'PrivateEndpointLimitReached',
        `The cluster '${target.name}' already has ${existing.length} private endpoint connections: "Enterprise and Enterprise Flash tier caches are limited to 84 private links."`,
      );
    }
  },
  fqdns: (target) => [String(target.properties.hostName)],
  endpointInfo: () => {
    throw new Error('replaced in init');
  },
};

function endpointInfo(ctx: EmulatorContext, target: ArmResource) {
  const hostName = String(target.properties.hostName);
  const flag = target.properties.publicNetworkAccess;
  const approved = connections(ctx, target.id).some((c) => c.properties?.privateLinkServiceConnectionState?.status === 'Approved');
  const publicNetworkAccess = flag === undefined || flag === null ? !approved : String(flag).toLowerCase() === 'enabled';
  return { hostName, port: 10000, publicNetworkAccess, publicIp: stablePublicIp(hostName) };
}

// ---------------------------------------------------------------------------------------------------------------

const routes: RouteDef[] = [
  { method: 'PUT', template: CLUSTER, handler: putCluster },
  { method: 'GET', template: CLUSTER, handler: getClusterRoute },
  { method: 'PATCH', template: CLUSTER, handler: patchCluster },
  { method: 'DELETE', template: CLUSTER, handler: deleteCluster },
  { method: 'GET', template: BASE, handler: listByResourceGroup },
  { method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.Cache/redisEnterprise', handler: listBySubscription },
  { method: 'GET', template: `${CLUSTER}/databases`, handler: listDatabases },
  { method: 'PUT', template: `${CLUSTER}/databases/{databaseName}`, handler: putDatabase },
  { method: 'GET', template: `${CLUSTER}/databases/{databaseName}`, handler: getDatabase },
  { method: 'PATCH', template: `${CLUSTER}/databases/{databaseName}`, handler: patchDatabase },
  { method: 'DELETE', template: `${CLUSTER}/databases/{databaseName}`, handler: deleteDatabase },
  { method: 'POST', template: `${CLUSTER}/databases/{databaseName}/listKeys`, handler: listDatabaseKeys, kind: 'write' },
  ...privateLinkRoutes(privateLinkHost),
];

export const redisEnterpriseProvider: Provider = {
  name: REDIS_ENTERPRISE_TYPE,
  routes,
  init(ctx) {
    ctx.privateLinkTargets.register(
      createPrivateLinkTarget(ctx, { ...privateLinkHost, endpointInfo: (target) => endpointInfo(ctx, target) }),
    );
  },
  /** After an estate load: connection resources exist for every embedded entry, and the arrays follow them. */
  seed(ctx) {
    for (const cluster of ctx.store.list(REDIS_ENTERPRISE_TYPE)) {
      adoptEmbeddedConnections(ctx, REDIS_ENTERPRISE_TYPE, cluster);
      refreshEmbeddedConnections(ctx, cluster.id);
    }
  },
};
