/**
 * The public network access PATCH, awaited: Redis answers the PATCH with 200 at once and the cache stays Updating
 * for a while, so the step waits (durable timers) until the cache has settled again, and an update that ended
 * Failed fails the step (it is never reported as done).
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { resourceNameOf } from '../azure/resource-id';
import type { CacheState } from '../activities/get-cache-state';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { callActivity, isSettled, pollUntil, type Orchestration } from './durable-helpers';

export function* setPublicNetworkAccess(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  cacheId: string,
  value: 'Enabled' | 'Disabled',
): Orchestration<{ changed: boolean }> {
  const what = `Setting publicNetworkAccess ${value} on ${resourceNameOf(cacheId)}`;
  const r = yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.updatePublicNetworkAccess, { cacheId, value });
  if (!r.ok) throw new Error(`${what}: ${r.code}: ${r.message}`);
  const s = yield* pollUntil<CacheState>(context, settings, `${resourceNameOf(cacheId)} has applied publicNetworkAccess ${value}`, ActivityNames.getCacheState, { cacheId }, (c) =>
    !c.exists || isSettled(c.provisioningState),
  );
  if (!s.exists) throw new Error(`${what}: the cache no longer exists`);
  if (String(s.provisioningState).toLowerCase() !== 'succeeded') throw new Error(`${what}: the update ended ${s.provisioningState}`);
  if (s.publicNetworkAccess !== undefined && s.publicNetworkAccess !== value) throw new Error(`${what}: the cache still reports ${s.publicNetworkAccess}`);
  return { changed: r.changed };
}
