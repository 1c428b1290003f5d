/**
 * Passive geo-replication around private endpoint changes (seed: "1. Unlink the geo-replication. 2. Add a Private
 * Link. 3. Last, relink the geo-replication."). Each unlink registers its relink as a compensation, so the relink
 * runs in `finally` even when adding the endpoint failed.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { resourceNameOf, sameId } from '../azure/resource-id';
import type { CacheState } from '../activities/get-cache-state';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import type { SnapshotLinkedServer } from '../policy/snapshot';
import { callActivity, pollUntil, type Compensations, type Orchestration } from './durable-helpers';

export interface GeoLink {
  primaryCacheId: string;
  secondaryCacheId: string;
  secondaryLocation: string;
}

/** The link seen from a cache: `serverRole` is the role of the OTHER cache. */
export function geoLinkOf(cacheId: string, cacheLocation: string, ls: SnapshotLinkedServer): GeoLink {
  if (ls.serverRole === 'Secondary') {
    return { primaryCacheId: cacheId, secondaryCacheId: ls.linkedRedisCacheId, secondaryLocation: ls.linkedRedisCacheLocation ?? '' };
  }
  return { primaryCacheId: ls.linkedRedisCacheId, secondaryCacheId: cacheId, secondaryLocation: cacheLocation };
}

function unwrap<T extends object>(what: string, outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${what} failed: ${outcome.code}: ${outcome.message}`);
  return outcome;
}

export function* unlinkGeoReplication(context: OrchestrationContext, settings: RuntimeSettings, link: GeoLink): Orchestration<void> {
  unwrap(
    'Unlinking geo-replication',
    yield* callActivity<Outcome<{ started: boolean }>>(context, settings, ActivityNames.deleteLinkedServer, {
      cacheId: link.primaryCacheId,
      linkedServerName: resourceNameOf(link.secondaryCacheId),
    }),
  );
  for (const cacheId of [link.primaryCacheId, link.secondaryCacheId]) {
    yield* pollUntil<CacheState>(
      context,
      settings,
      `${resourceNameOf(cacheId)} is unlinked`,
      ActivityNames.getCacheState,
      { cacheId },
      (s) =>
        !s.exists ||
        (s.provisioningState === 'Succeeded' &&
          !s.linkedServers.some((l) => sameId(l.linkedRedisCacheId, cacheId === link.primaryCacheId ? link.secondaryCacheId : link.primaryCacheId))),
    );
  }
}

export function* relinkGeoReplication(context: OrchestrationContext, settings: RuntimeSettings, link: GeoLink): Orchestration<void> {
  unwrap(
    'Relinking geo-replication',
    yield* callActivity<Outcome<{ started: boolean }>>(context, settings, ActivityNames.createLinkedServer, {
      cacheId: link.primaryCacheId,
      linkedServerName: resourceNameOf(link.secondaryCacheId),
      linkedRedisCacheId: link.secondaryCacheId,
      linkedRedisCacheLocation: link.secondaryLocation,
      serverRole: 'Secondary',
    }),
  );
  yield* pollUntil<CacheState>(
    context,
    settings,
    `${resourceNameOf(link.primaryCacheId)} is linked again to ${resourceNameOf(link.secondaryCacheId)}`,
    ActivityNames.getCacheState,
    { cacheId: link.primaryCacheId },
    (s) =>
      s.provisioningState === 'Succeeded' &&
      s.linkedServers.some((l) => sameId(l.linkedRedisCacheId, link.secondaryCacheId) && l.provisioningState === 'Succeeded'),
  );
}

/** Unlinks every link of the cache and registers each relink as a compensation (relink always runs). */
export function* unlinkAll(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  links: GeoLink[],
  compensations: Compensations,
): Orchestration<void> {
  for (const link of links) {
    compensations.push(`relink ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)}`, () =>
      relinkGeoReplication(context, settings, link),
    );
    yield* unlinkGeoReplication(context, settings, link);
  }
}
