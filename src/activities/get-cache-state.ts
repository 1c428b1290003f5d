import { isNotFound } from '../azure/arm-errors';
import { cacheKindOf as cacheKind } from '../azure/resource-id';
import { idParts } from './arm-ids';
import { defineActivity } from './define';
import { ActivityNames } from './names';

export interface GetCacheStateInput {
  cacheId: string;
}

export interface CacheState {
  exists: boolean;
  kind: 'redis' | 'redisEnterprise';
  provisioningState?: string;
  publicNetworkAccess?: string;
  linkedServers: Array<{ name: string; linkedRedisCacheId: string; serverRole?: string; provisioningState?: string; location?: string }>;
}


/** Reads what an orchestrator polls on: provisioning state and geo-replication links. */
export const getCacheState = defineActivity(ActivityNames.getCacheState, async (input: GetCacheStateInput, deps): Promise<CacheState> => {
  const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
  const kind = cacheKind(input.cacheId);
  try {
    if (kind === 'redisEnterprise') {
      const c = await deps.clients.redisEnterprise(subscriptionId).redisEnterprise.get(resourceGroup, names[0]);
      return { exists: true, kind, provisioningState: c.provisioningState, linkedServers: [] };
    }
    const client = deps.clients.redis(subscriptionId);
    const cache = await client.redis.get(resourceGroup, names[0]);
    const linkedServers: CacheState['linkedServers'] = [];
    if ((cache.linkedServers ?? []).length > 0) {
      for await (const ls of client.linkedServer.list(resourceGroup, names[0])) {
        linkedServers.push({
          name: ls.name!,
          linkedRedisCacheId: ls.linkedRedisCacheId!,
          serverRole: ls.serverRole,
          provisioningState: ls.provisioningState,
          location: ls.linkedRedisCacheLocation,
        });
      }
    }
    return { exists: true, kind, provisioningState: cache.provisioningState, publicNetworkAccess: cache.publicNetworkAccess, linkedServers };
  } catch (e) {
    if (isNotFound(e)) return { exists: false, kind, linkedServers: [] };
    throw e;
  }
});
