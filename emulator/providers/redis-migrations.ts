/**
 * Migration from Azure Cache for Redis (Basic/Standard/Premium) to Azure Managed Redis: the
 * `Microsoft.Cache/redisEnterprise/{cluster}/migrations/default` API on the precreated TARGET cluster, and the
 * Premium RDB export (`Microsoft.Cache/redis/{name}/export`) / AMR database import
 * (`redisEnterprise/{cluster}/databases/{db}/import`) used for a side-by-side data copy (recorded, no data).
 *
 * Evidence (emulator/README.md, "Azure Managed Redis migration"): REST shapes from the azure-rest-api-specs examples in
 * shared/fixtures/arm/amr-migration (Validate body flat; Start with `properties`; Undo `{rollbackReason}`; 202 with
 * Azure-AsyncOperation + Location); blocking errors and warnings from Microsoft's amr-migration-skill
 * `references/migration-validation.md` and Learn `migrate-basic-standard-premium-with-tooling.md` (requirements: target
 * Running with a database, same region and subscription, source Running; errors: private endpoints, VNet injection,
 * geo-replication, TLS mismatch, unsupported SKU). The exact wire text of the TLS error and of the managed identity and
 * persistence warnings is the spec example's; the text of the other disparities is the skill's table wording (the
 * service's own text is not published), so clients must key on the presence of errors, never on the text.
 *
 * Facts the reference marks unknown are refused with `EmulatorUnsupported` (400) rather than invented:
 * - Start for a source that Validate rejects (what Azure answers is not documented);
 * - Start with `switchDns: true` while the target cluster has private endpoint connections or the source has
 *   private endpoints (what a DNS switch does to private DNS zone records is undocumented);
 * - Undo after `rollbackEligibleUntil` ("the source cache is released"; the error is not documented).
 */
import { ArmError, type ArmResource, type EmulatorContext, type EmulatorRequest, type EmulatorResponse, type Provider, type RouteDef, type RouteParams } from '../core/types';
import { resourceNotFound } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { parseResourceId } from '../core/ids';
import { listPage, requireObjectBody, requireResource } from '../core/helpers';
import { enterpriseSkuFamily } from './redis-enterprise';

const BASE = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redisEnterprise/{clusterName}';
const MIGRATION = `${BASE}/migrations/default`;
export const MIGRATION_TYPE = 'Microsoft.Cache/redisEnterprise/migrations';
/** "Rollback ... until rollbackEligibleUntil": the PowerShell example shows 30 days after LastModifiedTime. */
export const ROLLBACK_WINDOW_DAYS = 30;
export const ROLLBACK_REASONS = ['performance', 'compatibility', 'clientConnection', 'cost', 'testing', 'stability', 'other'];

function clusterIdOf(p: RouteParams): string {
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Cache/redisEnterprise/${p.clusterName}`;
}

const unsupported = (message: string) => new ArmError(400, 'EmulatorUnsupported', `The emulator refuses this combination: ${message}`);

interface Disparity {
  category: string;
  message: string;
}

export interface ValidationResult {
  isValid: boolean;
  errors: Array<{ disparities: Disparity[] }>;
  warnings: Array<{ disparities: Disparity[] }>;
}

/** Migrations_Validate: the documented blocking errors and warnings for a source and the target cluster. */
export function validateMigration(ctx: EmulatorContext, target: ArmResource, sourceResourceId: string, options: { skipDataMigration?: boolean } = {}): ValidationResult {
  const errors: Disparity[] = [];
  const warnings: Disparity[] = [];
  const source = ctx.store.get(sourceResourceId);
  const parsed = parseResourceId(sourceResourceId);
  if (!source || !/^microsoft\.cache\/redis$/i.test(source.type)) {
    throw new ArmError(404, 'ResourceNotFound', `The source resource '${sourceResourceId}' was not found.`, { target: 'sourceResourceId' });
  }
  const sp = source.properties;
  const tp = target.properties;
  if (String(sp.provisioningState) !== 'Succeeded') errors.push({ category: 'Source State', message: 'Source cache must be in Running state' });
  if (String(tp.provisioningState) !== 'Succeeded' || String(tp.resourceState ?? 'Running') !== 'Running') errors.push({ category: 'Target State', message: 'Target cluster must be in Running state' });
  const databases = ctx.store.children(target.id, 'databases');
  if (databases.length === 0) errors.push({ category: 'Target Database', message: 'Target resource must have at least one database' });
  if (enterpriseSkuFamily(String(target.sku?.name ?? '')) !== 'AzureManagedRedis') errors.push({ category: 'SKU', message: 'Unsupported target SKU' });
  if (normalizeLocation(source.location ?? '') !== normalizeLocation(target.location ?? '')) errors.push({ category: 'Region', message: 'Source and target must be in the same region' });
  if (parsed?.subscriptionId?.toLowerCase() !== target.id.split('/')[2]?.toLowerCase()) errors.push({ category: 'Subscription', message: 'Source and target must be in the same subscription' });
  if (ctx.store.children(source.id, 'linkedServers').length > 0) errors.push({ category: 'Geo-replication', message: 'Geo-replication enabled on source. Disable geo-replication on the source before migration.' });
  if (ctx.store.children(source.id, 'privateEndpointConnections').length > 0) errors.push({ category: 'Private Endpoint', message: 'Private endpoints on source. Remove private endpoints from the source before migration.' });
  if (sp.subnetId) errors.push({ category: 'VNet', message: 'VNet injection enabled on source. Automated migration is not supported for VNet-injected caches.' });
  const tlsOnly = !sp.enableNonSslPort;
  const db = databases[0];
  if (tlsOnly && db && String(db.properties.clientProtocol) === 'Plaintext') {
    errors.push({ category: 'TLS', message: 'The source resource only accepts TLS connections, but the target resource only accepts non-TLS connections.' });
  }
  if (options.skipDataMigration !== false) warnings.push({ category: 'Data', message: 'Data migration not currently supported' });
  const identity = String((source.identity as { type?: string } | undefined)?.type ?? 'None');
  if (/SystemAssigned/i.test(identity)) warnings.push({ category: 'Managed Identity', message: 'The source resource has a system-assigned managed identity. Managed identities are not copied as part of migration.' });
  if (String(sp.redisConfiguration?.['rdb-backup-enabled'] ?? '').toLowerCase() === 'true') {
    warnings.push({ category: 'Persistence', message: 'The source resource has RDB persistence enabled. Persistence settings are not copied as part of migration.' });
  }
  const sourcePublic = String(sp.publicNetworkAccess ?? 'Enabled');
  const targetPublic = String(tp.publicNetworkAccess ?? 'Enabled');
  if (sourcePublic.toLowerCase() !== targetPublic.toLowerCase()) warnings.push({ category: 'Public Network Access', message: 'Public network access mismatch' });
  const sourceClustered = Number(sp.shardCount ?? 0) > 0;
  if (db && sourceClustered !== (String(db.properties.clusteringPolicy) === 'OSSCluster')) warnings.push({ category: 'Clustering Policy', message: 'Clustering policy mismatch' });
  return {
    isValid: errors.length === 0,
    errors: errors.length ? [{ disparities: errors }] : [],
    warnings: warnings.length ? [{ disparities: warnings }] : [],
  };
}

function validateRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const target = requireResource(ctx, clusterIdOf(p));
  const body = requireObjectBody(req);
  if (typeof body.sourceResourceId !== 'string') throw new ArmError(400, 'InvalidRequestBody', "'sourceResourceId' is required.", { target: 'sourceResourceId' });
  return { status: 200, body: validateMigration(ctx, target, body.sourceResourceId, { skipDataMigration: body.skipDataMigration }) };
}

function migrationIdOf(clusterId: string): string {
  return `${clusterId}/migrations/default`;
}

function setMigration(ctx: EmulatorContext, id: string, patch: Record<string, unknown>): void {
  const m = ctx.store.get(id);
  if (!m) return;
  Object.assign(m.properties, patch, { lastModifiedTime: ctx.now().toISOString() });
  ctx.store.put(m);
}

function startOp(ctx: EmulatorContext, cluster: ArmResource, resourceId: string, headers: Array<'azure-async-operation' | 'location'>, complete: () => void, fail: () => void): Record<string, string> {
  return ctx.lro.start({
    style: 'redisEnterprise',
    subscriptionId: cluster.id.split('/')[2]!,
    location: normalizeLocation(cluster.location ?? 'eastus'),
    headers,
    resourceId,
    complete,
    fail,
  }).headers;
}

function startRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  const body = requireObjectBody(req);
  const props = body.properties ?? {};
  for (const field of ['sourceType', 'sourceResourceId', 'switchDns', 'skipDataMigration'] as const) {
    if (props[field] === undefined) throw new ArmError(400, 'InvalidRequestBody', `'properties.${field}' is required.`, { target: `properties.${field}` });
  }
  if (props.sourceType !== 'AzureCacheForRedis') {
    throw new ArmError(400, 'InvalidRequestBody', `'properties.sourceType' must be 'AzureCacheForRedis'.`, { target: 'properties.sourceType' });
  }
  const id = migrationIdOf(cluster.id);
  const existing = ctx.store.get(id);
  if (existing && ['Accepted', 'InProgress', 'Cancelling', 'Unlinking'].includes(String(existing.properties.provisioningState))) {
    throw new ArmError(409, 'Conflict', `A migration to '${cluster.name}' is already ${existing.properties.provisioningState}.`);
  }
  const validation = validateMigration(ctx, cluster, props.sourceResourceId, { skipDataMigration: props.skipDataMigration });
  if (!validation.isValid) {
    throw unsupported(
      `Migrations_Start for a source that Migrations_Validate rejects (${validation.errors.flatMap((e) => e.disparities.map((d) => d.message)).join('; ')}): what Azure answers is not documented. Call validate first.`,
    );
  }
  const sourcePe = ctx.store.children(props.sourceResourceId, 'privateEndpointConnections').length;
  const targetPe = ctx.store.children(cluster.id, 'privateEndpointConnections').length;
  if (props.switchDns === true && (sourcePe > 0 || targetPe > 0)) {
    throw unsupported(
      `switchDns with private endpoints (source: ${sourcePe}, target: ${targetPe}): what a DNS switch does to the records in privatelink.redis.cache.windows.net / privatelink.redis.azure.net is not documented (shared/reference/amr-migration.md: "DNS with private endpoints: undocumented").`,
    );
  }
  if (!props.forceMigrate && validation.warnings.length > 0) {
    // Warnings do not block Start in the tooling; forceMigrate only skips them in the skill's scripts. Recorded.
  }
  const now = ctx.now().toISOString();
  const resource: ArmResource = {
    id,
    name: 'default',
    type: MIGRATION_TYPE,
    properties: {
      sourceType: 'AzureCacheForRedis',
      sourceResourceId: props.sourceResourceId,
      targetResourceId: cluster.id,
      switchDns: props.switchDns,
      skipDataMigration: props.skipDataMigration,
      ...(props.forceMigrate !== undefined ? { forceMigrate: props.forceMigrate } : {}),
      provisioningState: 'Accepted',
      statusDetails: '',
      creationTime: now,
      lastModifiedTime: now,
    },
  };
  const stored = ctx.store.put(resource);
  setMigration(ctx, id, { provisioningState: 'InProgress' });
  const headers = startOp(
    ctx,
    cluster,
    id,
    ['azure-async-operation'],
    () => {
      const source = ctx.store.get(props.sourceResourceId);
      if (props.switchDns === true) {
        // "rollbackEligibleUntil: only returned while Succeeded"; 30 days after LastModifiedTime (PowerShell example).
        const until = new Date(ctx.now().getTime() + ROLLBACK_WINDOW_DAYS * 86_400_000).toISOString();
        setMigration(ctx, id, { provisioningState: 'Succeeded', rollbackEligibleUntil: until });
        const c = ctx.store.get(cluster.id);
        if (c && source) {
          c.properties.migratedEndpoint = String(source.properties.hostName ?? '');
          ctx.store.put(c);
        }
      } else {
        // "ReadyForDnsSwitch: completed transferring data and is ready for DNS switch" [INF: reached without switchDns].
        setMigration(ctx, id, { provisioningState: 'ReadyForDnsSwitch' });
      }
    },
    () => setMigration(ctx, id, { provisioningState: 'Failed', statusDetails: 'The migration failed.' }),
  );
  return { status: existing ? 200 : 201, headers, body: stored };
}

function getRoute(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  const m = ctx.store.get(migrationIdOf(cluster.id));
  if (!m) throw resourceNotFound(migrationIdOf(cluster.id));
  return { status: 200, body: withoutStaleRollback(m) };
}

function withoutStaleRollback(m: ArmResource): ArmResource {
  if (m.properties.provisioningState === 'Succeeded') return m;
  const { rollbackEligibleUntil: _dropped, ...rest } = m.properties;
  return { ...m, properties: rest };
}

function listRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  return listPage(ctx, req, ctx.store.children(cluster.id, 'migrations').map(withoutStaleRollback));
}

function cancelRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  const id = migrationIdOf(cluster.id);
  const m = ctx.store.get(id);
  if (!m) throw resourceNotFound(id);
  const reason = req.body?.rollbackReason;
  if (reason !== undefined && !ROLLBACK_REASONS.includes(reason)) {
    throw new ArmError(400, 'InvalidRequestBody', `'rollbackReason' must be one of ${ROLLBACK_REASONS.join(', ')}.`, { target: 'rollbackReason' });
  }
  const state = String(m.properties.provisioningState);
  if (state === 'Succeeded') {
    const until = Date.parse(String(m.properties.rollbackEligibleUntil ?? ''));
    if (!Number.isFinite(until) || ctx.now().getTime() > until) {
      throw unsupported(`undo after rollbackEligibleUntil (${String(m.properties.rollbackEligibleUntil)}): "the source cache is released"; Azure's answer is not documented.`);
    }
  } else if (!['Failed', 'InProgress', 'ReadyForDnsSwitch'].includes(state)) {
    throw new ArmError(409, 'Conflict', `The migration is ${state}; it cannot be cancelled now.`);
  }
  setMigration(ctx, id, { provisioningState: 'Cancelling', ...(reason ? { rollbackReason: reason } : {}) });
  const headers = startOp(
    ctx,
    cluster,
    id,
    ['azure-async-operation', 'location'],
    () => {
      setMigration(ctx, id, { provisioningState: 'Cancelled' });
      const c = ctx.store.get(cluster.id);
      if (c && c.properties.migratedEndpoint !== undefined) {
        delete c.properties.migratedEndpoint;
        ctx.store.put(c);
      }
    },
    () => setMigration(ctx, id, { provisioningState: 'CancellationFailed' }),
  );
  return { status: 202, headers };
}

function unlinkRoute(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  const id = migrationIdOf(cluster.id);
  const m = ctx.store.get(id);
  if (!m) throw resourceNotFound(id);
  const state = String(m.properties.provisioningState);
  if (state === 'Unlinked') return { status: 204 };
  if (state !== 'Succeeded') throw new ArmError(409, 'Conflict', `The migration is ${state}; only a Succeeded migration's endpoint can be unlinked.`);
  setMigration(ctx, id, { provisioningState: 'Unlinking' });
  const headers = startOp(
    ctx,
    cluster,
    id,
    ['azure-async-operation', 'location'],
    () => {
      setMigration(ctx, id, { provisioningState: 'Unlinked', unlinkedTime: ctx.now().toISOString() });
      const c = ctx.store.get(cluster.id);
      if (c) {
        delete c.properties.migratedEndpoint;
        ctx.store.put(c);
      }
    },
    () => setMigration(ctx, id, { provisioningState: 'UnlinkFailed' }),
  );
  return { status: 202, headers };
}

// ---------------------------------------------------------------------------------------------------------------
// Premium export and AMR import (recorded: the request log keeps the bodies; no data moves)

const REDIS_CACHE = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{name}';

function exportRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const id = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Cache/Redis/${p.name}`;
  const cache = requireResource(ctx, id);
  const body = requireObjectBody(req);
  if (String((cache.properties.sku as { name?: string } | undefined)?.name ?? '') !== 'Premium') {
    throw new ArmError(400, 'BadRequest', `Import/Export is a Premium tier feature: '${cache.name}' is ${String(cache.properties.sku?.name)}.`);
  }
  for (const field of ['prefix', 'container'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') throw new ArmError(400, 'InvalidRequestBody', `'${field}' is required.`, { target: field });
  }
  const headers = ctx.lro.start({
    style: 'redis',
    subscriptionId: p.subscriptionId!,
    location: String(cache.location ?? 'East US'),
    headers: ['azure-async-operation', 'location'],
    resourceId: `${cache.id}/export`,
    complete: () => undefined,
  }).headers;
  return { status: 202, headers };
}

function importRoute(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const cluster = requireResource(ctx, clusterIdOf(p));
  const db = ctx.store.get(`${cluster.id}/databases/${p.databaseName}`);
  if (!db) throw resourceNotFound(`${cluster.id}/databases/${p.databaseName}`);
  const body = requireObjectBody(req);
  if (!Array.isArray(body.sasUris) || body.sasUris.length === 0) throw new ArmError(400, 'InvalidRequestBody', "'sasUris' is required (a list of blob SAS URIs).", { target: 'sasUris' });
  const headers = startOp(ctx, cluster, `${db.id}/import`, ['azure-async-operation', 'location'], () => undefined, () => undefined);
  return { status: 202, headers };
}

const routes: RouteDef[] = [
  { method: 'POST', template: `${MIGRATION}/validate`, handler: validateRoute, kind: 'read' },
  { method: 'PUT', template: MIGRATION, handler: startRoute },
  { method: 'GET', template: MIGRATION, handler: getRoute },
  { method: 'GET', template: `${BASE}/migrations`, handler: listRoute },
  { method: 'POST', template: `${MIGRATION}/cancel`, handler: cancelRoute, kind: 'write' },
  { method: 'POST', template: `${MIGRATION}/unlinkMigratedEndpoint`, handler: unlinkRoute, kind: 'write' },
  { method: 'POST', template: `${REDIS_CACHE}/export`, handler: exportRoute, kind: 'write' },
  { method: 'POST', template: `${BASE}/databases/{databaseName}/import`, handler: importRoute, kind: 'write' },
];

export const redisMigrationsProvider: Provider = { name: MIGRATION_TYPE, routes };
