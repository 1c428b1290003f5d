/**
 * Activities of the migration to Azure Managed Redis: read the source in full, read/create/delete the target
 * cluster (api 2025-07-01 with publicNetworkAccess) and its database, the Premium export and the AMR import, the
 * tooling's validate/start/get, and the decommission delete of the source cache. Each is one idempotent ARM step.
 */
import { ifExists, isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import {
  deleteManagedRedisCluster,
  getManagedRedisCluster,
  getMigration,
  getResourceProvider,
  putManagedRedisCluster,
  startMigration,
  validateMigration,
  type MigrationValidation,
} from '../azure/amr-rest';
import { expectResourceType, REDIS_ENTERPRISE_TYPE, REDIS_TYPE } from '../azure/resource-id';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { ActivityNames } from './names';

/** Tag on everything the migration creates: the source it migrates (compensation deletes only what carries it). */
export const MIGRATION_TAG = 'privatelink-autopilot-migration-source';

export interface MigrationSource {
  exists: boolean;
  cacheId: string;
  name: string;
  location: string;
  sku: { name: string; family: string; capacity: number };
  provisioningState: string;
  shardCount: number;
  replicasPerPrimary: number;
  enableNonSslPort: boolean;
  minimumTlsVersion: string;
  hostName: string;
  subnetId?: string;
  publicNetworkAccess?: string;
  persistence: { rdb: boolean; aof: boolean };
  identity: string;
  tags: Record<string, string>;
}

export const getMigrationSource = defineActivity(ActivityNames.getMigrationSource, async (input: { cacheId: string }, deps): Promise<Outcome<{ source?: MigrationSource }>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.cacheId, REDIS_TYPE) && input.cacheId);
  const c = await ifExists(deps.clients.redis(subscriptionId).redis.get(resourceGroup, names[0]));
  if (!c) return { ok: true };
  const cfg = (c.redisConfiguration ?? {}) as Record<string, unknown>;
  return {
    ok: true,
    source: {
      exists: true,
      cacheId: c.id ?? input.cacheId,
      name: c.name ?? names[0],
      location: c.location ?? '',
      sku: { name: c.sku?.name ?? '', family: c.sku?.family ?? '', capacity: c.sku?.capacity ?? 0 },
      provisioningState: c.provisioningState ?? '',
      shardCount: c.shardCount ?? 0,
      replicasPerPrimary: c.replicasPerPrimary ?? c.replicasPerMaster ?? 1,
      enableNonSslPort: !!c.enableNonSslPort,
      minimumTlsVersion: c.minimumTlsVersion ?? '1.2',
      hostName: c.hostName ?? '',
      ...(c.subnetId ? { subnetId: c.subnetId } : {}),
      ...(c.publicNetworkAccess ? { publicNetworkAccess: c.publicNetworkAccess } : {}),
      persistence: { rdb: String(cfg['rdbBackupEnabled'] ?? cfg['rdb-backup-enabled'] ?? '') === 'true', aof: String(cfg['aofBackupEnabled'] ?? cfg['aof-backup-enabled'] ?? '') === 'true' },
      identity: c.identity?.type ?? 'None',
      tags: c.tags ?? {},
    },
  };
});

export interface ManagedRedisTarget {
  exists: boolean;
  clusterId: string;
  provisioningState?: string;
  resourceState?: string;
  publicNetworkAccess?: string | null;
  hostName?: string;
  tags?: Record<string, string>;
  database?: { provisioningState?: string; port?: number; clientProtocol?: string; clusteringPolicy?: string };
  connections: Array<{ privateEndpointId: string; status: string }>;
}

export const getManagedRedisTarget = defineActivity(ActivityNames.getManagedRedisTarget, async (input: { clusterId: string }, deps): Promise<Outcome<ManagedRedisTarget>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.clusterId, REDIS_ENTERPRISE_TYPE) && input.clusterId);
  const cluster = await getManagedRedisCluster(deps.clients, input.clusterId);
  if (!cluster) return { ok: true, exists: false, clusterId: input.clusterId, connections: [] };
  const db = await ifExists(deps.clients.redisEnterprise(subscriptionId).databases.get(resourceGroup, names[0], 'default'));
  const props = cluster.properties ?? {};
  const connections = ((props.privateEndpointConnections ?? []) as Array<{ properties?: { privateEndpoint?: { id?: string }; privateLinkServiceConnectionState?: { status?: string } } }>).map((c) => ({
    privateEndpointId: c.properties?.privateEndpoint?.id ?? '',
    status: c.properties?.privateLinkServiceConnectionState?.status ?? 'Pending',
  }));
  return {
    ok: true,
    exists: true,
    clusterId: cluster.id ?? input.clusterId,
    provisioningState: props.provisioningState,
    resourceState: props.resourceState,
    publicNetworkAccess: props.publicNetworkAccess ?? null,
    hostName: props.hostName,
    tags: cluster.tags ?? {},
    ...(db ? { database: { provisioningState: db.provisioningState, port: db.port, clientProtocol: db.clientProtocol, clusteringPolicy: db.clusteringPolicy } } : {}),
    connections,
  };
});

export interface CreateManagedRedisInput {
  clusterId: string;
  location: string;
  sku: string;
  highAvailability: 'Enabled' | 'Disabled';
  sourceCacheId: string;
}

/** Creates the cluster with public network access Disabled (private from birth), tagged with its source. */
export const createManagedRedisCluster = defineActivity(ActivityNames.createManagedRedisCluster, async (input: CreateManagedRedisInput, deps): Promise<Outcome<{ created: boolean }>> => {
  const existing = await getManagedRedisCluster(deps.clients, input.clusterId);
  if (existing) {
    if (String(existing.tags?.[MIGRATION_TAG] ?? '').toLowerCase() !== input.sourceCacheId.toLowerCase()) {
      return failure('TargetNameTaken', `${input.clusterId} exists and was not created by this migration (tag ${MIGRATION_TAG}).`, 409);
    }
    return { ok: true, created: false };
  }
  await putManagedRedisCluster(deps.clients, input.clusterId, {
    location: input.location,
    sku: input.sku,
    highAvailability: input.highAvailability,
    publicNetworkAccess: 'Disabled',
    tags: { 'managed-by': 'redis-private-link-autopilot', [MIGRATION_TAG]: input.sourceCacheId },
  });
  return { ok: true, created: true };
});

export interface CreateManagedRedisDatabaseInput {
  clusterId: string;
  clusteringPolicy: 'EnterpriseCluster' | 'OSSCluster';
}

/** The database `default`: port 10000, TLS only (Encrypted). */
export const createManagedRedisDatabase = defineActivity(ActivityNames.createManagedRedisDatabase, async (input: CreateManagedRedisDatabaseInput, deps): Promise<Outcome<{ created: boolean }>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.clusterId, REDIS_ENTERPRISE_TYPE) && input.clusterId);
  const client = deps.clients.redisEnterprise(subscriptionId);
  if (await ifExists(client.databases.get(resourceGroup, names[0], 'default'))) return { ok: true, created: false };
  await client.databases.beginCreate(resourceGroup, names[0], 'default', {
    clientProtocol: 'Encrypted',
    port: 10000,
    clusteringPolicy: input.clusteringPolicy,
    evictionPolicy: 'VolatileLRU',
  }, pollOptions(deps));
  return { ok: true, created: true };
});

/** Deletes the target cluster, only when it carries this migration's tag (what the workflow created). */
export const deleteManagedRedisClusterActivity = defineActivity(ActivityNames.deleteManagedRedisCluster, async (input: { clusterId: string; sourceCacheId: string }, deps): Promise<Outcome<{ deleted: boolean }>> => {
  const existing = await getManagedRedisCluster(deps.clients, input.clusterId);
  if (!existing) return { ok: true, deleted: false };
  if (String(existing.tags?.[MIGRATION_TAG] ?? '').toLowerCase() !== input.sourceCacheId.toLowerCase()) {
    return failure('NotCreatedByMigration', `${input.clusterId} does not carry ${MIGRATION_TAG}=${input.sourceCacheId}: left alone.`, 409);
  }
  return { ok: true, deleted: await deleteManagedRedisCluster(deps.clients, input.clusterId) };
});

/** Premium RDB export to a storage container (`POST redis/{name}/export`), waited on. */
export const exportCacheData = defineActivity(ActivityNames.exportCacheData, async (input: { cacheId: string; containerUrl: string; prefix: string }, deps): Promise<Outcome<{ exported: string }>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.cacheId, REDIS_TYPE) && input.cacheId);
  await deps.clients.redis(subscriptionId).redis.beginExportDataAndWait(resourceGroup, names[0], { prefix: input.prefix, container: input.containerUrl, preferredDataArchiveAuthMethod: 'ManagedIdentity' }, pollOptions(deps));
  return { ok: true, exported: `${input.containerUrl.replace(/\/$/, '')}/${input.prefix}` };
});

/** AMR import of the exported RDB (`POST databases/default/import`), waited on. */
export const importManagedRedisData = defineActivity(ActivityNames.importManagedRedisData, async (input: { clusterId: string; blobUrls: string[] }, deps): Promise<Outcome<{ imported: number }>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.clusterId, REDIS_ENTERPRISE_TYPE) && input.clusterId);
  await deps.clients.redisEnterprise(subscriptionId).databases.beginImportAndWait(resourceGroup, names[0], 'default', { sasUris: input.blobUrls }, pollOptions(deps));
  return { ok: true, imported: input.blobUrls.length };
});

export const validateManagedRedisMigration = defineActivity(ActivityNames.validateManagedRedisMigration, async (input: { clusterId: string; sourceCacheId: string }, deps): Promise<Outcome<MigrationValidation>> => {
  return { ok: true, ...(await validateMigration(deps.clients, input.clusterId, input.sourceCacheId, true)) };
});

export const startManagedRedisMigration = defineActivity(ActivityNames.startManagedRedisMigration, async (input: { clusterId: string; sourceCacheId: string }, deps): Promise<Outcome<{ state: string }>> => {
  const existing = await getMigration(deps.clients, input.clusterId);
  if (existing && String(existing.properties?.sourceResourceId ?? '').toLowerCase() === input.sourceCacheId.toLowerCase()) return { ok: true, state: String(existing.properties?.provisioningState) };
  const m = await startMigration(deps.clients, input.clusterId, input.sourceCacheId, { switchDns: true, skipDataMigration: true });
  return { ok: true, state: String(m.properties?.provisioningState ?? 'Accepted') };
});

export const getManagedRedisMigration = defineActivity(ActivityNames.getManagedRedisMigration, async (input: { clusterId: string }, deps): Promise<Outcome<{ exists: boolean; state?: string; rollbackEligibleUntil?: string }>> => {
  const m = await getMigration(deps.clients, input.clusterId);
  if (!m) return { ok: true, exists: false };
  return { ok: true, exists: true, state: String(m.properties?.provisioningState ?? ''), ...(m.properties?.rollbackEligibleUntil ? { rollbackEligibleUntil: String(m.properties.rollbackEligibleUntil) } : {}) };
});

/** Decommission: delete the source cache (after the approved gate), waited on. 404 = done. */
export const deleteCache = defineActivity(ActivityNames.deleteCache, async (input: { cacheId: string }, deps): Promise<Outcome<{ deleted: boolean }>> => {
  const { subscriptionId, resourceGroup, names } = idParts(expectResourceType(input.cacheId, REDIS_TYPE) && input.cacheId);
  const redis = deps.clients.redis(subscriptionId).redis;
  try {
    await redis.get(resourceGroup, names[0]);
  } catch (e) {
    if (isNotFound(e)) return { ok: true, deleted: false };
    throw e;
  }
  await redis.beginDeleteAndWait(resourceGroup, names[0], pollOptions(deps));
  return { ok: true, deleted: true };
});

/** Whether Microsoft.Cache is registered in a subscription and where redisEnterprise is offered (Providers_Get). */
export const getCacheProvider = defineActivity(ActivityNames.getCacheProvider, async (input: { subscriptionId: string }, deps): Promise<Outcome<{ registered: boolean; redisEnterpriseLocations: string[] }>> => {
  if (!/^[0-9a-fA-F-]{36}$/.test(input.subscriptionId)) return failure('InvalidSubscriptionId', `${input.subscriptionId} is not a subscription id`, 400);
  const p = await getResourceProvider(deps.clients, input.subscriptionId, 'Microsoft.Cache');
  return { ok: true, registered: p.registrationState === 'Registered', redisEnterpriseLocations: p.locations['redisenterprise'] ?? [] };
});

export const MANAGED_REDIS_ACTIVITIES = [
  getCacheProvider,
  getMigrationSource,
  getManagedRedisTarget,
  createManagedRedisCluster,
  createManagedRedisDatabase,
  deleteManagedRedisClusterActivity,
  exportCacheData,
  importManagedRedisData,
  validateManagedRedisMigration,
  startManagedRedisMigration,
  getManagedRedisMigration,
  deleteCache,
];
