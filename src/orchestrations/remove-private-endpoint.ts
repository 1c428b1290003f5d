/**
 * Remove a private endpoint from a cache, then keep the cache reachable: "Once you delete the private endpoints
 * on your cache, your cache instance can become unreachable until: you explicitly enable public network access,
 * or you add another private endpoint." The policy's `onLastEndpointDeleted` chooses which.
 */
import type { OrchestrationContext } from 'durable-functions';
import { sameId, resourceNameOf } from '../azure/resource-id';
import type { GetPrivateEndpointResult } from '../activities/get-private-endpoint';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { SEED, quote } from '../policy/seed-rules';
import { tierOf } from '../policy/tiers';
import { callActivity, pollUntil, ProgressReporter, type Orchestration } from './durable-helpers';
import { expectOk, readSnapshot, refused, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { applyLastEndpointPolicy } from './last-endpoint';

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
  const progress = new ProgressReporter(context, 4, input.cacheId);

  progress.next('Reading the cache and its endpoints');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const connection = snapshot.connections.find((c) => sameId(c.privateEndpointId, input.privateEndpointId));
  if (!connection) {
    return refused(input.cacheId, 'endpoint-not-connected', `Private endpoint ${input.privateEndpointId} is not connected to ${snapshot.name}.`);
  }
  const otherApproved = snapshot.connections.filter((c) => c.status === 'Approved' && !sameId(c.privateEndpointId, input.privateEndpointId));
  const isLast = otherApproved.length === 0 && snapshot.publicNetworkAccess !== 'Enabled';
  const wouldRecreate = isLast && policy.onLastEndpointDeleted === 'recreate-endpoint';
  if (tierOf(snapshot) === 'Basic' && wouldRecreate && !input.acceptDataLoss) {
    return refused(
      input.cacheId,
      'basic-tier-data-loss-risk',
      `${snapshot.name} is a Basic cache and this is its last endpoint, which the policy would recreate: ${quote(SEED.basicTierDataLoss)} Set acceptDataLoss: true to go ahead.`,
    );
  }

  if (input.dryRun) {
    const steps = [`delete-private-endpoint ${input.privateEndpointId}`, ...(isLast ? [`on-last-endpoint-deleted: ${policy.onLastEndpointDeleted}`] : [])];
    return { status: 'planned', cacheId: snapshot.cacheId, message: `Dry-run: ${steps.length} step(s) would run; nothing was changed.`, actions: steps.map((step) => ({ step, status: 'planned' as const })) };
  }
  progress.next(`Deleting private endpoint ${resourceNameOf(input.privateEndpointId)}`);
  const deleted = expectOk(
    'Deleting the private endpoint',
    yield* callActivity<Outcome<{ deleted: boolean }>>(context, settings, ActivityNames.deletePrivateEndpoint, { privateEndpointId: input.privateEndpointId }),
  );
  actions.push({ step: `delete-private-endpoint ${input.privateEndpointId}`, status: deleted.deleted ? 'done' : 'skipped' });
  yield* pollUntil<GetPrivateEndpointResult>(context, settings, 'the endpoint is gone', ActivityNames.getPrivateEndpoint, { privateEndpointId: input.privateEndpointId }, (pe) => !pe.exists);

  progress.next(isLast ? `Last endpoint removed: applying onLastEndpointDeleted = ${policy.onLastEndpointDeleted}` : 'Other endpoints remain');
  let message = `Private endpoint ${resourceNameOf(input.privateEndpointId)} removed from ${snapshot.name}.`;
  if (isLast) {
    const outcome = yield* applyLastEndpointPolicy(context, input, snapshot, actions);
    message += ` ${outcome}`;
  }
  progress.next('Done');
  return { status: 'succeeded', cacheId: snapshot.cacheId, message, actions };
}
