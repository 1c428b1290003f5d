import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface UpdateCacheTagsInput {
  cacheId: string;
  /** Tags to set (merged into the cache's tags). */
  set?: Record<string, string>;
  /** Tag names to remove. */
  remove?: string[];
}

/**
 * Merges tags into a redis cache's tags (PATCH `{ tags }`: ARM replaces the whole map, so the current tags are read
 * first). No-op when nothing changes. Used to record durably, on the cache itself, that this product unlinked its
 * passive geo-replication (so a sweep relinks it should the workflow not).
 */
export const updateCacheTags = defineActivity(
  ActivityNames.updateCacheTags,
  async (input: UpdateCacheTagsInput, deps): Promise<Outcome<{ changed: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const redis = deps.clients.redis(subscriptionId).redis;
    const cache = await redis.get(resourceGroup, names[0]);
    const current = { ...(cache.tags ?? {}) };
    const next = { ...current, ...(input.set ?? {}) };
    for (const name of input.remove ?? []) {
      for (const k of Object.keys(next)) if (k.toLowerCase() === name.toLowerCase()) delete next[k];
    }
    if (JSON.stringify(Object.entries(next).sort()) === JSON.stringify(Object.entries(current).sort())) return { ok: true, changed: false };
    await redis.beginUpdateAndWait(resourceGroup, names[0], { tags: next }, pollOptions(deps));
    return { ok: true, changed: true };
  },
);
