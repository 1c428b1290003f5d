/**
 * Microsoft.Cache/Redis (Basic, Standard, Premium) as `@azure/arm-rediscache` 8.2.0 (api-version 2024-11-01)
 * calls it: caches, linked servers (passive geo-replication), private endpoint connections and private link
 * resources, with the seed's rules (see emulator/README.md for the list and the error codes).
 */
import { ArmError, type ArmResource, type EmulatorContext, type EmulatorRequest, type Provider, type RouteDef } from '../core/types';
import { listPage, ok, requireObjectBody, requireParent, requireResource, requireResourceGroup, isValidCacheName, stableKey, stablePublicIp } from '../core/helpers';
import { resourceGroupNotFound } from '../core/errors';
import { locationDisplayName } from '../core/locations';
import { parseResourceId, sameId } from '../core/ids';
import {
  adoptEmbeddedConnections,
  connections,
  createPrivateLinkTarget,
  privateLinkRoutes,
  refreshEmbeddedConnections,
  type PrivateLinkHostOptions,
} from '../core/private-link';

export const REDIS_TYPE = 'Microsoft.Cache/Redis';
export const LINKED_SERVER_TYPE = 'Microsoft.Cache/Redis/linkedServers';
export const REDIS_GROUP_ID = 'redisCache';
export const REDIS_PRIVATE_ZONE = 'privatelink.redis.cache.windows.net';
/** Private links per cache (seed: 100 for Basic/Standard/Premium, 1 on a Premium cache using clustering). */
export const REDIS_LINK_LIMIT = 100;
export const REDIS_CLUSTERED_LINK_LIMIT = 1;

const BASE = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis';
const CACHE = `${BASE}/{name}`;

/** Provisioning states during which the Redis RP refuses writes with 409 Conflict. */
export const BUSY_STATES = ['Creating', 'Updating', 'Scaling', 'Linking', 'Unlinking', 'Deleting', 'Provisioning', 'RecoveringScaleFailure', 'Unprovisioning', 'ConfiguringAAD'];

export function redisCacheId(subscriptionId: string, resourceGroupName: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${REDIS_TYPE}/${name}`;
}

const idOf = (p: Record<string, string>) => redisCacheId(p.subscriptionId, p.resourceGroupName, p.name ?? p.cacheName);

function hostName(name: string): string {
  return `${name.toLowerCase()}.redis.cache.windows.net`;
}

/** Clustering on Premium = `shardCount` set to 1 or more (documented decision: the seed's "Premium with clustering"). */
export function isClustered(cache: ArmResource): boolean {
  return cache.properties?.sku?.name === 'Premium' && typeof cache.properties?.shardCount === 'number' && cache.properties.shardCount >= 1;
}

export function linkedServers(ctx: EmulatorContext, cacheId: string): ArmResource[] {
  return ctx.store.children(cacheId, 'linkedServers');
}

function busyError(cache: ArmResource): ArmError {
  return new ArmError(
    409,
    'Conflict',
    `The resource '${cache.id}' is busy processing a previous update request or is undergoing system maintenance (provisioning state: ${cache.properties.provisioningState}). As such, it is currently unable to accept the update request. Please retry later.`,
  );
}

export function assertNotBusy(cache: ArmResource): void {
  if (BUSY_STATES.includes(cache.properties?.provisioningState)) throw busyError(cache);
}

function bad(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

// ---------------------------------------------------------------------------------------------- validation

const SKUS: Record<string, { family: string; capacities: number[] }> = {
  Basic: { family: 'C', capacities: [0, 1, 2, 3, 4, 5, 6] },
  Standard: { family: 'C', capacities: [0, 1, 2, 3, 4, 5, 6] },
  Premium: { family: 'P', capacities: [1, 2, 3, 4, 5] },
};

function validateSku(sku: any): { name: string; family: string; capacity: number } {
  if (!sku || typeof sku !== 'object') throw bad('InvalidRequestBody', "The property 'properties.sku' is required.");
  const name = Object.keys(SKUS).find((k) => k.toLowerCase() === String(sku.name ?? '').toLowerCase());
  if (!name) throw bad('InvalidRequestBody', `The sku name '${sku.name}' is not valid. Valid values: Basic, Standard, Premium.`);
  const family = String(sku.family ?? '').toUpperCase();
  if (family !== SKUS[name].family) throw bad('InvalidRequestBody', `The sku family '${sku.family}' is not valid for sku '${name}' (expected '${SKUS[name].family}').`);
  const capacity = Number(sku.capacity);
  if (!SKUS[name].capacities.includes(capacity)) {
    throw bad('InvalidRequestBody', `The capacity '${sku.capacity}' is not valid for sku '${name}'. Valid values: ${SKUS[name].capacities.join(', ')}.`);
  }
  return { name, family, capacity };
}

function validateEnum(value: unknown, allowed: string[], field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (!v) throw bad('InvalidRequestBody', `The value '${String(value)}' of '${field}' is not valid. Valid values: ${allowed.join(', ')}.`);
  return v;
}

function resolveRedisVersion(v: unknown): string {
  if (v === undefined || v === null || String(v).toLowerCase() === 'latest') return '6.0';
  const s = String(v);
  if (/^4(\.0)?(\.\d+)?$/.test(s)) return '4.0.14';
  if (/^6(\.0)?(\.\d+)?$/.test(s)) return '6.0';
  throw bad('InvalidRequestBody', `The redis version '${s}' is not supported. Supported versions: 4.0, 6.0 (or 'latest').`);
}

export function validateCacheName(name: string): void {
  if (!isValidCacheName(name)) {
    throw bad(
      'InvalidResourceName',
      `The cache name '${name}' is invalid. The cache name must be a string between 1 and 63 characters. The string must contain only numbers, letters, or hyphens. The name must start and end with a number or letter, and can't contain consecutive hyphens.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------- shape

function defaultRedisConfiguration(sku: { name: string; capacity: number }): Record<string, string> {
  const maxclients = sku.name === 'Premium' ? [0, 7500, 15000, 30000, 40000, 40000][sku.capacity] : [256, 1000, 2000, 5000, 10000, 15000, 20000][sku.capacity];
  const reserved = sku.name === 'Premium' ? 642 : [30, 50, 200, 642, 1330, 2660, 5320][sku.capacity];
  return {
    maxclients: String(maxclients ?? 1000),
    'maxmemory-reserved': String(reserved ?? 50),
    'maxfragmentationmemory-reserved': String(reserved ?? 50),
    'maxmemory-delta': String(reserved ?? 50),
    'maxmemory-policy': 'volatile-lru',
  };
}

function buildInstances(props: Record<string, any>, zones: string[] | undefined): Array<Record<string, unknown>> {
  const clustered = props.sku?.name === 'Premium' && typeof props.shardCount === 'number' && props.shardCount >= 1;
  const shards = clustered ? props.shardCount : 1;
  const replicas = props.sku?.name === 'Basic' ? 0 : Number(props.replicasPerPrimary ?? props.replicasPerMaster ?? 1);
  const out: Array<Record<string, unknown>> = [];
  let i = 0;
  for (let s = 0; s < shards; s++) {
    for (let k = 0; k <= replicas; k++) {
      out.push({
        sslPort: 15000 + i,
        nonSslPort: 13000 + i,
        ...(zones && zones.length > 0 ? { zone: zones[(s + k) % zones.length] } : {}),
        ...(clustered ? { shardId: s } : {}),
        isMaster: k === 0,
        isPrimary: k === 0,
      });
      i++;
    }
  }
  return out;
}

/** Fills the read-only and defaulted properties a GET shows (used on create and for estate entries). */
export function normalizeCache(cache: ArmResource): ArmResource {
  const p = cache.properties ?? (cache.properties = {});
  if (cache.location) cache.location = locationDisplayName(cache.location);
  cache.type = REDIS_TYPE;
  cache.tags = cache.tags ?? {};
  p.provisioningState = p.provisioningState ?? 'Succeeded';
  p.redisVersion = p.redisVersion ?? '6.0';
  p.sku = p.sku ?? { name: 'Standard', family: 'C', capacity: 1 };
  p.enableNonSslPort = p.enableNonSslPort ?? false;
  if (p.sku.name !== 'Basic') {
    const replicas = p.replicasPerPrimary ?? p.replicasPerMaster ?? 1;
    p.replicasPerMaster = replicas;
    p.replicasPerPrimary = replicas;
  }
  p.updateChannel = p.updateChannel ?? 'Stable';
  p.zonalAllocationPolicy = p.zonalAllocationPolicy ?? (Array.isArray(cache.zones) && cache.zones.length > 0 ? 'UserDefined' : 'Automatic');
  p.redisConfiguration = { ...defaultRedisConfiguration(p.sku), ...(p.redisConfiguration ?? {}) };
  p.hostName = p.hostName ?? hostName(cache.name);
  p.port = p.port ?? 6379;
  p.sslPort = p.sslPort ?? 6380;
  p.minimumTlsVersion = p.minimumTlsVersion ?? '1.2';
  p.publicNetworkAccess = p.publicNetworkAccess ?? 'Enabled';
  p.disableAccessKeyAuthentication = p.disableAccessKeyAuthentication ?? false;
  p.accessKeys = null;
  p.instances = p.instances ?? buildInstances(p, cache.zones);
  p.linkedServers = p.linkedServers ?? [];
  p.privateEndpointConnections = p.privateEndpointConnections ?? [];
  return cache;
}

/** Rewrites the cache's embedded `linkedServers` and `privateEndpointConnections` arrays from its children. */
export function refreshCache(ctx: EmulatorContext, cacheId: string): void {
  const cache = ctx.store.get(cacheId);
  if (!cache) return;
  cache.properties.linkedServers = linkedServers(ctx, cacheId).map((l) => ({ id: l.id }));
  ctx.store.put(cache);
  refreshEmbeddedConnections(ctx, cacheId);
}

function setState(ctx: EmulatorContext, id: string, state: string): void {
  const r = ctx.store.get(id);
  if (!r) return;
  r.properties.provisioningState = state;
  ctx.store.put(r);
}

function resourceUrl(ctx: EmulatorContext, req: EmulatorRequest): string {
  return `${ctx.publicBaseUrl}${req.url.pathname}${req.url.search}`;
}

function keysFor(id: string): { primaryKey: string; secondaryKey: string } {
  return { primaryKey: stableKey(`${id}#primary`), secondaryKey: stableKey(`${id}#secondary`) };
}

// ---------------------------------------------------------------------------------------------- caches

const PATCHABLE = [
  'enableNonSslPort', 'minimumTlsVersion', 'publicNetworkAccess', 'shardCount', 'replicasPerMaster', 'replicasPerPrimary',
  'tenantSettings', 'updateChannel', 'disableAccessKeyAuthentication', 'redisVersion', 'zonalAllocationPolicy', 'sku',
  'redisConfiguration',
];

function validateCommonProperties(props: Record<string, any>): void {
  validateEnum(props.publicNetworkAccess, ['Enabled', 'Disabled'], 'properties.publicNetworkAccess');
  validateEnum(props.minimumTlsVersion, ['1.0', '1.1', '1.2'], 'properties.minimumTlsVersion');
  validateEnum(props.updateChannel, ['Stable', 'Preview'], 'properties.updateChannel');
  if (props.shardCount !== undefined && (!Number.isInteger(props.shardCount) || props.shardCount < 0 || props.shardCount > 30)) {
    throw bad('InvalidRequestBody', `The shard count '${props.shardCount}' is not valid (0-30).`);
  }
  if (props.redisConfiguration !== undefined && (typeof props.redisConfiguration !== 'object' || props.redisConfiguration === null)) {
    throw bad('InvalidRequestBody', "'properties.redisConfiguration' must be an object.");
  }
}

function createCache(req: EmulatorRequest, p: Record<string, string>, ctx: EmulatorContext) {
  const id = idOf(p);
  validateCacheName(p.name);
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const body = requireObjectBody(req);
  const existing = ctx.store.get(id);
  if (existing) return replaceCache(req, existing, body, ctx);
  if (typeof body.location !== 'string' || body.location.length === 0) {
    throw bad('LocationRequired', 'The location property is required for this definition.');
  }
  const props: Record<string, any> = body.properties ?? {};
  const sku = validateSku(props.sku);
  validateCommonProperties(props);
  if (sku.name !== 'Premium') {
    for (const f of ['subnetId', 'staticIP', 'shardCount'] as const) {
      if (props[f] !== undefined && props[f] !== null && !(f === 'shardCount' && props[f] === 0)) {
        throw bad('InvalidRequestBody', `'properties.${f}' is only supported on the Premium tier.`);
      }
    }
  }
  if (props.subnetId !== undefined && !parseResourceId(String(props.subnetId))?.type?.toLowerCase().endsWith('virtualnetworks/subnets')) {
    throw bad('InvalidRequestBody', `'properties.subnetId' must be a subnet resource id.`);
  }
  const taken = ctx.store.list(REDIS_TYPE).find((c) => c.name.toLowerCase() === p.name.toLowerCase());
  if (taken) {
    throw new ArmError(409, 'NameNotAvailable', `The cache name '${p.name}' is already in use (host name ${hostName(p.name)}). Cache names are globally unique.`);
  }
  const resource: ArmResource = {
    id,
    location: locationDisplayName(body.location),
    name: p.name,
    type: REDIS_TYPE,
    tags: body.tags ?? {},
    ...(Array.isArray(body.zones) ? { zones: body.zones } : {}),
    ...(body.identity ? { identity: body.identity } : {}),
    properties: {
      provisioningState: 'Creating',
      redisVersion: resolveRedisVersion(props.redisVersion),
      sku,
      enableNonSslPort: props.enableNonSslPort ?? false,
      ...(props.replicasPerPrimary ?? props.replicasPerMaster ? { replicasPerPrimary: props.replicasPerPrimary ?? props.replicasPerMaster } : {}),
      ...(props.tenantSettings ? { tenantSettings: props.tenantSettings } : {}),
      updateChannel: props.updateChannel ?? 'Stable',
      zonalAllocationPolicy: props.zonalAllocationPolicy ?? (Array.isArray(body.zones) && body.zones.length > 0 ? 'UserDefined' : 'Automatic'),
      redisConfiguration: props.redisConfiguration ?? {},
      minimumTlsVersion: props.minimumTlsVersion ?? '1.2',
      publicNetworkAccess: validateEnum(props.publicNetworkAccess, ['Enabled', 'Disabled'], 'publicNetworkAccess') ?? 'Enabled',
      ...(props.shardCount ? { shardCount: props.shardCount } : {}),
      ...(props.subnetId ? { subnetId: props.subnetId } : {}),
      ...(props.staticIP ? { staticIP: props.staticIP } : {}),
      ...(props.disableAccessKeyAuthentication !== undefined ? { disableAccessKeyAuthentication: props.disableAccessKeyAuthentication } : {}),
    },
  };
  const stored = ctx.store.put(normalizeCache(resource));
  const { headers } = ctx.lro.start({
    style: 'redis',
    subscriptionId: p.subscriptionId,
    location: stored.location as string,
    headers: ['azure-async-operation', 'location'],
    locationUrl: resourceUrl(ctx, req),
    resourceId: id,
    complete: () => setState(ctx, id, 'Succeeded'),
    fail: () => setState(ctx, id, 'Failed'),
  });
  // The create response carries the access keys; GET and PATCH answer accessKeys: null.
  return ok({ ...stored, properties: { ...stored.properties, accessKeys: keysFor(id) } }, 201, headers);
}

/** PUT on an existing cache: a full update, as an LRO (200 + Updating). */
function replaceCache(req: EmulatorRequest, existing: ArmResource, body: Record<string, any>, ctx: EmulatorContext) {
  assertNotBusy(existing);
  const props: Record<string, any> = body.properties ?? {};
  if (props.sku) validateSku(props.sku);
  validateCommonProperties(props);
  if ((props.subnetId ?? null) !== (existing.properties.subnetId ?? null) && props.subnetId !== undefined) {
    throw bad('InvalidRequestBody', 'The virtual network of an existing cache cannot be changed.');
  }
  const updated = applyPatch(existing, body);
  updated.properties.provisioningState = 'Updating';
  const stored = ctx.store.put(updated);
  const { headers } = ctx.lro.start({
    style: 'redis',
    subscriptionId: parseResourceId(existing.id)!.subscriptionId,
    location: existing.location as string,
    headers: ['azure-async-operation', 'location'],
    locationUrl: resourceUrl(ctx, req),
    resourceId: existing.id,
    complete: () => setState(ctx, existing.id, 'Succeeded'),
    fail: () => setState(ctx, existing.id, 'Failed'),
  });
  return ok(stored, 200, headers);
}

function applyPatch(existing: ArmResource, body: Record<string, any>): ArmResource {
  const next = structuredClone(existing);
  if (body.tags !== undefined) next.tags = body.tags ?? {};
  if (body.identity !== undefined) next.identity = body.identity;
  const props: Record<string, any> = body.properties ?? {};
  for (const k of PATCHABLE) {
    if (props[k] === undefined) continue;
    if (k === 'redisConfiguration') next.properties.redisConfiguration = { ...next.properties.redisConfiguration, ...props[k] };
    else if (k === 'sku') next.properties.sku = validateSku(props.sku);
    else if (k === 'redisVersion') next.properties.redisVersion = resolveRedisVersion(props[k]);
    else if (k === 'publicNetworkAccess') next.properties.publicNetworkAccess = validateEnum(props[k], ['Enabled', 'Disabled'], k);
    else next.properties[k] = props[k];
  }
  if (props.replicasPerPrimary !== undefined || props.replicasPerMaster !== undefined) {
    const r = props.replicasPerPrimary ?? props.replicasPerMaster;
    next.properties.replicasPerPrimary = r;
    next.properties.replicasPerMaster = r;
  }
  next.properties.instances = buildInstances(next.properties, next.zones);
  return next;
}

function updateCache(req: EmulatorRequest, p: Record<string, string>, ctx: EmulatorContext) {
  const cache = requireResource(ctx, idOf(p));
  const body = requireObjectBody(req);
  const props: Record<string, any> = body.properties ?? {};
  validateCommonProperties(props);
  assertNotBusy(cache);
  if (props.subnetId !== undefined && props.subnetId !== cache.properties.subnetId) {
    throw bad('InvalidRequestBody', 'The virtual network of an existing cache cannot be changed.');
  }
  const next = applyPatch(cache, body);
  const scaling =
    JSON.stringify(next.properties.sku) !== JSON.stringify(cache.properties.sku) ||
    (next.properties.shardCount ?? 0) !== (cache.properties.shardCount ?? 0) ||
    (next.properties.replicasPerPrimary ?? 0) !== (cache.properties.replicasPerPrimary ?? 0);
  if (scaling && linkedServers(ctx, cache.id).length > 0) {
    throw new ArmError(
      409,
      'GeoReplicationLinkExists',
      `The cache '${cache.name}' is geo-replicated; it cannot be scaled or have its shard count changed while linked. Unlink the geo-replication first.`,
    );
  }
  if (scaling && next.properties.sku.name !== 'Premium' && cache.properties.sku.name === 'Premium') {
    throw bad('InvalidRequestBody', 'A Premium cache cannot be scaled down to a lower tier.');
  }
  // A PATCH on a cache whose last operation Failed runs an update again even when it changes nothing: re-applying
  // the operation is how a Failed resource is brought back ("Failed: Last operation on the resource wasn't
  // successful", learn.microsoft.com/azure/networking/troubleshoot-failed-state) [our reading for Redis].
  const changed = JSON.stringify(next.properties) !== JSON.stringify(cache.properties) || cache.properties.provisioningState === 'Failed';
  if (changed) {
    next.properties.provisioningState = scaling ? 'Scaling' : 'Updating';
    // Real Redis answers PATCH with 200 and the resource (no async headers): the SDK's poller is done at once
    // while the cache stays Updating/Scaling for a while (lroDurationMs here).
    ctx.lro.start({
      style: 'redis',
      subscriptionId: p.subscriptionId,
      location: cache.location as string,
      headers: [],
      resourceId: cache.id,
      complete: () => setState(ctx, cache.id, 'Succeeded'),
      fail: () => setState(ctx, cache.id, 'Failed'),
    });
  }
  return ok(ctx.store.put(next), 200);
}

function deleteCache(_req: EmulatorRequest, p: Record<string, string>, ctx: EmulatorContext) {
  const id = idOf(p);
  const cache = ctx.store.get(id);
  if (!cache) {
    if (!ctx.store.resourceGroupExists(p.subscriptionId, p.resourceGroupName)) throw resourceGroupNotFound(p.resourceGroupName);
    return { status: 204 };
  }
  if (linkedServers(ctx, id).length > 0) {
    throw new ArmError(
      409,
      'GeoReplicationLinkExists',
      `The cache '${cache.name}' cannot be deleted while it is geo-replicated (linked servers: ${linkedServers(ctx, id).map((l) => l.name).join(', ')}). Unlink the geo-replication first.`,
    );
  }
  if (cache.properties.provisioningState === 'Deleting') throw busyError(cache);
  const { headers } = ctx.lro.start({
    style: 'redis',
    subscriptionId: p.subscriptionId,
    location: cache.location as string,
    headers: ['location'],
    resourceId: id,
    complete: () => void ctx.store.delete(id),
    fail: () => setState(ctx, id, 'Failed'),
  });
  setState(ctx, id, 'Deleting');
  return { status: 202, headers };
}

// ---------------------------------------------------------------------------------------------- linked servers

const LINKED = `${CACHE}/linkedServers/{linkedServerName}`;

function linkedServerBody(
  id: string,
  name: string,
  linked: ArmResource,
  role: 'Primary' | 'Secondary',
  primary: ArmResource,
  state: string,
): ArmResource {
  return {
    id,
    name,
    type: LINKED_SERVER_TYPE,
    properties: {
      linkedRedisCacheId: linked.id,
      linkedRedisCacheLocation: linked.location,
      geoReplicatedPrimaryHostName: `${primary.name.toLowerCase()}.geo.redis.cache.windows.net`,
      primaryHostName: primary.properties.hostName,
      provisioningState: state,
      serverRole: role,
    },
  };
}

function createLinkedServer(req: EmulatorRequest, p: Record<string, string>, ctx: EmulatorContext) {
  const primaryId = idOf(p);
  const primary = requireParent(ctx, primaryId);
  const body = requireObjectBody(req);
  const props: Record<string, any> = body.properties ?? {};
  if (typeof props.linkedRedisCacheId !== 'string') throw bad('InvalidRequestBody', "'properties.linkedRedisCacheId' is required.");
  if (typeof props.linkedRedisCacheLocation !== 'string') throw bad('InvalidRequestBody', "'properties.linkedRedisCacheLocation' is required.");
  const role = validateEnum(props.serverRole, ['Primary', 'Secondary'], 'properties.serverRole');
  if (!role) throw bad('InvalidRequestBody', "'properties.serverRole' is required.");
  if (role !== 'Secondary') throw bad('InvalidRequestBody', "The linked cache must take the 'Secondary' role: create the link on the primary cache.");
  const secondary = ctx.store.get(props.linkedRedisCacheId);
  if (!secondary || secondary.type.toLowerCase() !== REDIS_TYPE.toLowerCase()) {
    throw bad('LinkedCacheNotFound', `The linked cache '${props.linkedRedisCacheId}' was not found.`);
  }
  if (secondary.name.toLowerCase() !== p.linkedServerName.toLowerCase()) {
    throw bad('InvalidRequestBody', `The linked server name '${p.linkedServerName}' must be the name of the linked cache ('${secondary.name}').`);
  }
  if (sameId(secondary.id, primary.id)) throw bad('InvalidRequestBody', 'A cache cannot be linked to itself.');
  const entryId = `${primary.id}/linkedServers/${secondary.name}`;
  const existing = ctx.store.get(entryId);
  if (existing && sameId(existing.properties.linkedRedisCacheId, secondary.id)) return ok(existing, 200);
  for (const c of [primary, secondary]) {
    if (c.properties.sku?.name !== 'Premium') {
      throw bad('GeoReplicationNotSupported', `Passive geo-replication needs Premium caches; '${c.name}' is ${c.properties.sku?.name}.`);
    }
  }
  if (parseResourceId(primary.id)!.subscriptionId.toLowerCase() !== parseResourceId(secondary.id)!.subscriptionId.toLowerCase()) {
    throw bad('GeoReplicationNotSupported', 'Both caches of a geo-replication link must be in the same subscription.');
  }
  if ((primary.properties.shardCount ?? 0) !== (secondary.properties.shardCount ?? 0)) {
    throw bad('GeoReplicationNotSupported', `Both caches must have the same shard count (${primary.properties.shardCount ?? 0} vs ${secondary.properties.shardCount ?? 0}).`);
  }
  for (const c of [primary, secondary]) {
    if (linkedServers(ctx, c.id).length > 0) {
      throw new ArmError(409, 'GeoReplicationLinkExists', `The cache '${c.name}' is already geo-replicated; only two caches can be linked.`);
    }
  }
  assertNotBusy(primary);
  assertNotBusy(secondary);
  // Documented decision: caches that already have private endpoints can be linked (the seed's procedure is
  // unlink, add the private link, relink); only new private links on linked caches are refused.
  const mirrorId = `${secondary.id}/linkedServers/${primary.name}`;
  const entry = ctx.store.put(linkedServerBody(entryId, secondary.name, secondary, 'Secondary', primary, 'Creating'));
  ctx.store.put(linkedServerBody(mirrorId, primary.name, primary, 'Primary', primary, 'Creating'));
  setState(ctx, primary.id, 'Linking');
  setState(ctx, secondary.id, 'Linking');
  refreshCache(ctx, primary.id);
  refreshCache(ctx, secondary.id);
  const { headers } = ctx.lro.start({
    style: 'redis',
    subscriptionId: p.subscriptionId,
    location: primary.location as string,
    headers: ['azure-async-operation', 'location'],
    locationUrl: resourceUrl(ctx, req),
    resourceId: entryId,
    complete: () => {
      setState(ctx, entryId, 'Succeeded');
      setState(ctx, mirrorId, 'Succeeded');
      setState(ctx, primary.id, 'Succeeded');
      setState(ctx, secondary.id, 'Succeeded');
    },
    fail: () => {
      // A failed link leaves no link behind; both caches are usable again.
      ctx.store.delete(entryId);
      ctx.store.delete(mirrorId);
      setState(ctx, primary.id, 'Succeeded');
      setState(ctx, secondary.id, 'Succeeded');
      refreshCache(ctx, primary.id);
      refreshCache(ctx, secondary.id);
    },
  });
  return ok(entry, 201, headers);
}

function deleteLinkedServer(_req: EmulatorRequest, p: Record<string, string>, ctx: EmulatorContext) {
  const cacheId = idOf(p);
  const cache = requireParent(ctx, cacheId);
  const entry = ctx.store.get(`${cacheId}/linkedServers/${p.linkedServerName}`);
  if (!entry) return { status: 204 };
  const other = ctx.store.get(entry.properties.linkedRedisCacheId);
  assertNotBusy(cache);
  if (other) assertNotBusy(other);
  const mirror = other ? linkedServers(ctx, other.id).find((l) => sameId(l.properties.linkedRedisCacheId, cache.id)) : undefined;
  setState(ctx, cache.id, 'Unlinking');
  if (other) setState(ctx, other.id, 'Unlinking');
  const { headers } = ctx.lro.start({
    style: 'redis',
    subscriptionId: p.subscriptionId,
    location: cache.location as string,
    headers: ['location'],
    resourceId: entry.id,
    complete: () => {
      ctx.store.delete(entry.id);
      if (mirror) ctx.store.delete(mirror.id);
      setState(ctx, cache.id, 'Succeeded');
      refreshCache(ctx, cache.id);
      if (other) {
        setState(ctx, other.id, 'Succeeded');
        refreshCache(ctx, other.id);
      }
    },
    fail: () => {
      setState(ctx, cache.id, 'Succeeded');
      if (other) setState(ctx, other.id, 'Succeeded');
    },
  });
  return { status: 202, headers };
}

// ---------------------------------------------------------------------------------------------- private link

function validateNewConnection(ctx: EmulatorContext, cache: ArmResource, privateEndpointId: string): void {
  if (cache.properties.subnetId) {
    throw bad(
      'PrivateEndpointNotSupportedOnVNetInjectedCache',
      `Private endpoints can't be used with cache '${cache.name}' because it is already a VNet injected cache (subnetId ${cache.properties.subnetId}).`,
    );
  }
  if (cache.properties.sku?.name === 'Premium' && linkedServers(ctx, cache.id).length > 0) {
    throw bad(
      'PrivateEndpointNotSupportedOnGeoReplicatedCache',
      `Private links can't be added to caches that are already using passive geo-replication in the Premium tier (cache '${cache.name}'). To add a private link to a geo-replicated cache: 1. Unlink the geo-replication. 2. Add a Private Link. 3. Last, relink the geo-replication.`,
    );
  }
  const others = connections(ctx, cache.id).filter((c) => !sameId(c.properties?.privateEndpoint?.id, privateEndpointId));
  const limit = isClustered(cache) ? REDIS_CLUSTERED_LINK_LIMIT : REDIS_LINK_LIMIT;
  if (others.length >= limit) {
    throw bad(
      'PrivateEndpointLimitReached',
      isClustered(cache)
        ? `On Premium tier caches using clustering, you are limited to one private link (cache '${cache.name}' already has ${others.length}).`
        : `For Basic, Standard, and Premium tier caches, you are limited to 100 private links (cache '${cache.name}' already has ${others.length}).`,
    );
  }
}

export const redisPrivateLink: PrivateLinkHostOptions = {
  type: REDIS_TYPE,
  targetTemplate: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}',
  targetId: idOf,
  groupId: REDIS_GROUP_ID,
  requiredZoneNames: () => [REDIS_PRIVATE_ZONE],
  assertWritable: assertNotBusy,
  validateNewConnection,
  fqdns: (cache) => [cache.properties.hostName ?? hostName(cache.name)],
  endpointInfo: (cache) => ({
    hostName: cache.properties.hostName ?? hostName(cache.name),
    port: cache.properties.sslPort ?? 6380,
    // A VNet-injected cache has no public endpoint (reachable only inside its VNet, see properties.subnetId).
    publicNetworkAccess: cache.properties.publicNetworkAccess !== 'Disabled' && !cache.properties.subnetId,
    publicIp: stablePublicIp(cache.properties.hostName ?? hostName(cache.name)),
  }),
};

// ---------------------------------------------------------------------------------------------- routes

const routes: RouteDef[] = [
  { method: 'PUT', template: CACHE, handler: createCache },
  { method: 'GET', template: CACHE, handler: (_req, p, ctx) => ok(requireResource(ctx, idOf(p))) },
  { method: 'PATCH', template: CACHE, handler: updateCache },
  { method: 'DELETE', template: CACHE, handler: deleteCache },
  {
    method: 'GET',
    template: BASE,
    handler: (req, p, ctx) => {
      requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
      return listPage(ctx, req, ctx.store.listIn(REDIS_TYPE, p.subscriptionId, p.resourceGroupName));
    },
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Cache/redis',
    handler: (req, p, ctx) => listPage(ctx, req, ctx.store.listIn(REDIS_TYPE, p.subscriptionId)),
  },
  {
    method: 'POST',
    template: `${CACHE}/listKeys`,
    handler: (_req, p, ctx) => ok(keysFor(requireResource(ctx, idOf(p)).id)),
  },
  { method: 'PUT', template: LINKED, handler: createLinkedServer },
  {
    method: 'GET',
    template: LINKED,
    handler: (_req, p, ctx) => ok(requireResource(ctx, `${idOf(p)}/linkedServers/${p.linkedServerName}`)),
  },
  { method: 'DELETE', template: LINKED, handler: deleteLinkedServer },
  {
    method: 'GET',
    template: `${CACHE}/linkedServers`,
    handler: (req, p, ctx) => {
      const cache = requireParent(ctx, idOf(p));
      return listPage(ctx, req, linkedServers(ctx, cache.id));
    },
  },
  ...privateLinkRoutes(redisPrivateLink),
];

export const redisProvider: Provider = {
  name: 'Microsoft.Cache/Redis',
  routes,
  init(ctx) {
    ctx.privateLinkTargets.register(createPrivateLinkTarget(ctx, redisPrivateLink));
  },
  seed(ctx) {
    for (const cache of ctx.store.list(REDIS_TYPE)) {
      ctx.store.put(normalizeCache(cache));
      adoptEmbeddedConnections(ctx, REDIS_TYPE, cache);
      refreshCache(ctx, cache.id);
    }
  },
};
