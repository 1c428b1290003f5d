/**
 * Passive geo-replication around private endpoint changes (seed: "1. Unlink the geo-replication. 2. Add a Private
 * Link. 3. Last, relink the geo-replication.").
 *
 * Both operations are awaited through the operation itself: the activity starts it and returns the SDK poller's
 * state (the `Azure-AsyncOperation` / `Location` URL), and the orchestrator polls that operation on durable timers
 * (`getLinkedServerOperation`). An operation that ends Failed fails the step at once with ARM's error; nothing is
 * inferred from the caches' later state, which a failed operation leaves unchanged (the former 3,600 s hang).
 * Only when the operation is unknown (a redelivered activity found it already running) is the resource state read,
 * and then a settled cache without the expected change also ends the wait at once.
 *
 * The cache this product unlinks carries the tag `privatelink-autopilot-geo-unlinked` (the secondary's id) from
 * before the unlink until the relink succeeded: a durable record on the cache itself, so a sweep finds a pair the
 * product unlinked and did not relink (rule `geo-replication-unlinked`) whatever happened to the workflow.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { resourceNameOf, sameId } from '../azure/resource-id';
import type { CacheState } from '../activities/get-cache-state';
import type { LinkedServerOperationStarted } from '../activities/create-linked-server';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { GEO_UNLINKED_TAG } from '../policy/naming';
import type { SnapshotLinkedServer } from '../policy/snapshot';
import { addSeconds, isAfterOrAt } from '../policy/time';
import { callActivity, isSettled, throwIfFailed, type Orchestration } from './durable-helpers';

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

/** The saga key of a pair's relink (one relink per pair, however many rounds the unlink took). */
export function relinkKey(link: Pick<GeoLink, 'primaryCacheId' | 'secondaryCacheId'>): string {
  return `relink|${link.primaryCacheId}|${link.secondaryCacheId}`.toLowerCase();
}

function unwrap<T extends object>(what: string, outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${what} failed: ${outcome.code}: ${outcome.message}`);
  return outcome;
}

/**
 * Waits for a started linked-server operation by polling the operation (durable timers between polls, bounded by
 * the operation timeout). Throws at once with ARM's error when it ended Failed or Canceled.
 */
function* awaitOperation(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  what: string,
  input: { action: 'create' | 'delete'; cacheId: string; linkedServerName: string; operation: string; parameters?: LinkedServerOperationStarted['parameters'] },
): Orchestration<void> {
  const deadline = addSeconds(context.df.currentUtcDateTime, settings.operationTimeoutSeconds);
  while (true) {
    const r = yield* callActivity<Outcome<{ done: boolean }>>(context, settings, ActivityNames.getLinkedServerOperation, input);
    if (!r.ok) throw new Error(`${what} failed: ${r.code}: ${r.message}`);
    if (r.done) return;
    if (isAfterOrAt(context.df.currentUtcDateTime, deadline)) throw new Error(`${what}: timed out after ${settings.operationTimeoutSeconds} s`);
    yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, settings.pollIntervalSeconds));
  }
}

/**
 * No operation to poll (the activity was redelivered while the operation ran): read the cache until it settles.
 * `reached` tells whether the change happened; a settled cache without it fails at once (no hang).
 */
function* awaitByState(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  what: string,
  cacheId: string,
  reached: (s: CacheState) => boolean,
): Orchestration<void> {
  const deadline = addSeconds(context.df.currentUtcDateTime, settings.operationTimeoutSeconds);
  while (true) {
    const s = yield* callActivity<CacheState>(context, settings, ActivityNames.getCacheState, { cacheId });
    throwIfFailed(ActivityNames.getCacheState, s);
    if (!s.exists) throw new Error(`${what} failed: the cache ${cacheId} no longer exists`);
    if (isSettled(s.provisioningState) && reached(s)) return;
    if (isSettled(s.provisioningState)) {
      throw new Error(`${what} failed: ${resourceNameOf(cacheId)} is ${s.provisioningState} without the change (the operation did not succeed)`);
    }
    if (isAfterOrAt(context.df.currentUtcDateTime, deadline)) throw new Error(`${what}: timed out after ${settings.operationTimeoutSeconds} s`);
    yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, settings.pollIntervalSeconds));
  }
}

const linkedTo = (s: CacheState, otherId: string) => s.linkedServers.some((l) => sameId(l.linkedRedisCacheId, otherId));

/** Records the unlink on the primary (tag), then unlinks and waits for the operation's outcome. */
export function* unlinkGeoReplication(context: OrchestrationContext, settings: RuntimeSettings, link: GeoLink): Orchestration<void> {
  const what = `Unlinking geo-replication ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)}`;
  unwrap(
    'Recording the unlink on the cache (tag)',
    yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.updateCacheTags, {
      cacheId: link.primaryCacheId,
      set: { [GEO_UNLINKED_TAG]: link.secondaryCacheId },
    }),
  );
  const linkedServerName = resourceNameOf(link.secondaryCacheId);
  const started = unwrap(
    what,
    yield* callActivity<Outcome<LinkedServerOperationStarted>>(context, settings, ActivityNames.deleteLinkedServer, {
      cacheId: link.primaryCacheId,
      linkedServerName,
    }),
  );
  if (started.operation) {
    yield* awaitOperation(context, settings, what, { action: 'delete', cacheId: link.primaryCacheId, linkedServerName, operation: started.operation });
  } else {
    yield* awaitByState(context, settings, what, link.primaryCacheId, (s) => !linkedTo(s, link.secondaryCacheId));
  }
  // Both caches accept writes again (Unlinking is over on the secondary too).
  yield* awaitByState(context, settings, what, link.secondaryCacheId, (s) => !linkedTo(s, link.primaryCacheId));
}

/** Relinks, waits for the operation's outcome, then removes the unlink record (tag). */
export function* relinkGeoReplication(context: OrchestrationContext, settings: RuntimeSettings, link: GeoLink): Orchestration<void> {
  const what = `Relinking geo-replication ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)}`;
  const linkedServerName = resourceNameOf(link.secondaryCacheId);
  const started = unwrap(
    what,
    yield* callActivity<Outcome<LinkedServerOperationStarted>>(context, settings, ActivityNames.createLinkedServer, {
      cacheId: link.primaryCacheId,
      linkedServerName,
      linkedRedisCacheId: link.secondaryCacheId,
      linkedRedisCacheLocation: link.secondaryLocation,
      serverRole: 'Secondary',
    }),
  );
  if (started.operation) {
    yield* awaitOperation(context, settings, what, { action: 'create', cacheId: link.primaryCacheId, linkedServerName, operation: started.operation, parameters: started.parameters });
  }
  yield* awaitByState(context, settings, what, link.primaryCacheId, (s) =>
    s.linkedServers.some((l) => sameId(l.linkedRedisCacheId, link.secondaryCacheId) && isSettled(l.provisioningState) && String(l.provisioningState).toLowerCase() === 'succeeded'),
  );
  unwrap(
    'Removing the unlink record (tag)',
    yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.updateCacheTags, {
      cacheId: link.primaryCacheId,
      remove: [GEO_UNLINKED_TAG],
    }),
  );
}
