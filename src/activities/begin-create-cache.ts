import { isNotFound } from '../azure/arm-errors';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface BeginCreateCacheInput {
  cacheId: string;
  location: string;
  sku: { name: 'Basic' | 'Standard' | 'Premium'; family: 'C' | 'P'; capacity: number };
  shardCount?: number;
  enableNonSslPort?: boolean;
  tags?: Record<string, string>;
}

/**
 * Starts creating a cache with public network access Disabled (private endpoint only) and returns at once:
 * creation takes a while, and the orchestrator waits for it on durable timers, not in an activity.
 */
export const beginCreateCache = defineActivity(
  ActivityNames.beginCreateCache,
  async (input: BeginCreateCacheInput, deps): Promise<Outcome<{ started: boolean; provisioningState?: string }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const redis = deps.clients.redis(subscriptionId).redis;
    try {
      const existing = await redis.get(resourceGroup, names[0]);
      return { ok: true, started: false, provisioningState: existing.provisioningState };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await redis.beginCreate(resourceGroup, names[0], {
      location: input.location,
      sku: input.sku,
      enableNonSslPort: input.enableNonSslPort ?? false,
      minimumTlsVersion: '1.2',
      publicNetworkAccess: 'Disabled',
      ...(input.shardCount ? { shardCount: input.shardCount } : {}),
      tags: { 'managed-by': 'redis-private-link-autopilot', ...(input.tags ?? {}) },
    });
    return { ok: true, started: true, provisioningState: 'Creating' };
  },
);
