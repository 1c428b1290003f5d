/**
 * Remove a private endpoint from a cache without ever making it unreachable: "Once you delete the private endpoints
 * on your cache, your cache instance can become unreachable until: you explicitly enable public network access,
 * or you add another private endpoint." When the endpoint is the last approved one of a cache with public access
 * Disabled, what keeps the cache reachable comes FIRST (never an outage window):
 *  - onLastEndpointDeleted = enable-public-access: public access is enabled (awaited), then the endpoint deleted;
 *  - recreate-endpoint: a replacement endpoint is added at the policy's placement (and verified) first; when that is
 *    impossible (no placement, the placement endpoint IS the one removed) or fails, public access is enabled first,
 *    and the placement endpoint is recreated after the delete;
 *  - report-only: refused (the removal would leave the cache unreachable).
 * After the delete, the cache is re-read: should it still be unreachable, public access is enabled (ensureReachable).
 */
import type { OrchestrationContext } from 'durable-functions';
import { sameId, resourceNameOf } from '../azure/resource-id';
import type { GetPrivateEndpointResult } from '../activities/get-private-endpoint';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { buildContext } from '../policy/context';
import { SEED, quote } from '../policy/seed-rules';
import { tierFactsOf, tierOf } from '../policy/tiers';
import { callActivity, pollUntil, ProgressReporter, type Orchestration } from './durable-helpers';
import { expectOk, readSnapshot, refused, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { addReplacementEndpoint, enablePublicAccessWithBudget, ensureReachable, isReachable } from './last-endpoint';
import { withBudget } from './saga';

export interface RemovePrivateEndpointInput extends WorkflowEnvelope {
  cacheId: string;
  privateEndpointId: string;
  /** Basic tier: deleting (and recreating) an endpoint can lose data; required to go ahead. */
  acceptDataLoss?: boolean;
  dryRun?: boolean;
}

export function* removePrivateEndpointOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as RemovePrivateEndpointInput;
  const { settings, policy } = input;
  const actions: StepRecord[] = [];
  const progress = new ProgressReporter(context, 5, input.cacheId);

  progress.next('Reading the cache and its endpoints');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const connection = snapshot.connections.find((c) => sameId(c.privateEndpointId, input.privateEndpointId));
  if (!connection) {
    return refused(input.cacheId, 'endpoint-not-connected', `Private endpoint ${input.privateEndpointId} is not connected to ${snapshot.name}.`);
  }
  const otherApproved = snapshot.connections.filter((c) => c.status === 'Approved' && !sameId(c.privateEndpointId, input.privateEndpointId));
  const facts = tierFactsOf(snapshot);
  const isLast = otherApproved.length === 0 && snapshot.publicNetworkAccess !== 'Enabled';
  const mode = policy.onLastEndpointDeleted;
  const placementEndpoint = buildContext(snapshot, policy).placement?.privateEndpointId;
  const replaceFirst = isLast && mode === 'recreate-endpoint' && !!placementEndpoint && !sameId(placementEndpoint, input.privateEndpointId);
  if (isLast && mode === 'report-only' && facts.supportsPublicNetworkAccess) {
    return refused(
      input.cacheId,
      'last-endpoint',
      `Refusing to remove ${resourceNameOf(input.privateEndpointId)}: it is the last approved private endpoint of ${snapshot.name}, whose public network access is Disabled, and the policy's onLastEndpointDeleted is report-only, so the cache would become unreachable (${quote(SEED.lastEndpointDeleted)}). Add another endpoint or enable public access first.`,
    );
  }
  if (tierOf(snapshot) === 'Basic' && isLast && mode === 'recreate-endpoint' && !input.acceptDataLoss) {
    return refused(
      input.cacheId,
      'basic-tier-data-loss-risk',
      `${snapshot.name} is a Basic cache and this is its last endpoint, which the policy would recreate: ${quote(SEED.basicTierDataLoss)} Set acceptDataLoss: true to go ahead.`,
    );
  }

  if (input.dryRun) {
    const first = !isLast ? [] : replaceFirst ? ['create-private-endpoint (replacement, before the removal)'] : facts.supportsPublicNetworkAccess ? ['set-public-network-access Enabled (before the removal)'] : [];
    const after = isLast && mode === 'recreate-endpoint' && !replaceFirst && placementEndpoint ? ['create-private-endpoint (placement, after the removal)'] : [];
    const steps = [...first, `delete-private-endpoint ${input.privateEndpointId}`, ...after];
    return { status: 'planned', cacheId: snapshot.cacheId, message: `Dry-run: ${steps.length} step(s) would run; nothing was changed.`, actions: steps.map((step) => ({ step, status: 'planned' as const })) };
  }

  // What keeps the cache reachable comes before the removal.
  let message = `Private endpoint ${resourceNameOf(input.privateEndpointId)} removed from ${snapshot.name}.`;
  if (isLast) {
    progress.next(`Last endpoint: keeping ${snapshot.name} reachable before the removal (onLastEndpointDeleted = ${mode})`);
    const replaced = replaceFirst ? yield* addReplacementEndpoint(context, input, snapshot, actions, 'replace-endpoint') : undefined;
    if (replaced) message += ` A replacement private endpoint was added first: ${replaced.message}`;
    else if (facts.supportsPublicNetworkAccess) message += ` ${yield* enablePublicAccessWithBudget(context, input, snapshot.cacheId, actions)}`;
  }

  progress.next(`Deleting private endpoint ${resourceNameOf(input.privateEndpointId)}`);
  // The removal asked for is finished, not left half-way: a delete that ended Failed (the endpoint then sits in
  // Failed) runs again on durable timers with the compensation budget.
  let deletedNow = false;
  try {
    yield* withBudget(context, settings, `deleting ${resourceNameOf(input.privateEndpointId)}`, function* () {
      const deleted = expectOk(
        'Deleting the private endpoint',
        yield* callActivity<Outcome<{ deleted: boolean }>>(context, settings, ActivityNames.deletePrivateEndpoint, { privateEndpointId: input.privateEndpointId }),
      );
      deletedNow ||= deleted.deleted;
      yield* pollUntil<GetPrivateEndpointResult>(context, settings, 'the endpoint is gone', ActivityNames.getPrivateEndpoint, { privateEndpointId: input.privateEndpointId }, (pe) => !pe.exists);
    });
  } catch (e) {
    actions.push({ step: `delete-private-endpoint ${input.privateEndpointId}`, status: 'failed', detail: e instanceof Error ? e.message : String(e) });
    yield* ensureReachable(context, input, isReachable(snapshot, policy), actions);
    throw e;
  }
  actions.push({ step: `delete-private-endpoint ${input.privateEndpointId}`, status: deletedNow ? 'done' : 'skipped' });

  if (isLast && mode === 'recreate-endpoint' && !replaceFirst && placementEndpoint) {
    progress.next('Recreating the endpoint at the placement');
    const again = yield* readSnapshot(context, input);
    if (again) {
      const recreated = yield* addReplacementEndpoint(context, input, again, actions, 'recreate-endpoint');
      if (recreated) message += ` The placement endpoint was recreated: ${recreated.message}`;
    }
  }
  progress.next('Checking the cache is still reachable');
  const fallback = yield* ensureReachable(context, input, isReachable(snapshot, policy), actions);
  if (fallback) message += ` ${fallback}`;
  progress.next('Done');
  return { status: 'succeeded', cacheId: snapshot.cacheId, message, actions };
}
