/**
 * The seed's first procedure: a virtual network and subnet, a cache with public network access Disabled, then
 * its private endpoint and DNS. The long cache creation is waited on with durable timers.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { BeginCreateCacheInput } from '../activities/begin-create-cache';
import type { CreateVirtualNetworkInput } from '../activities/create-virtual-network';
import type { CacheState } from '../activities/get-cache-state';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { resourceNameOf } from '../azure/resource-id';
import { addSeconds, isAfterOrAt } from '../policy/time';
import { callActivity, pollUntil, ProgressReporter, type Orchestration } from './durable-helpers';
import { expectOk, refused, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { ensureReachable } from './last-endpoint';
import type { AddPrivateEndpointInput } from './add-private-endpoint';
import { OrchestratorNames, subInstanceId } from './names';

export interface CreateCacheWithPrivateEndpointInput extends WorkflowEnvelope {
  cache: BeginCreateCacheInput;
  virtualNetwork: Omit<CreateVirtualNetworkInput, 'location'> & { location?: string };
  privateEndpointName?: string;
}

export function* createCacheWithPrivateEndpointOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as CreateCacheWithPrivateEndpointInput;
  const { settings } = input;
  const cacheId = input.cache.cacheId;
  const actions: StepRecord[] = [];
  const progress = new ProgressReporter(context, 4, cacheId);

  progress.next(`Creating virtual network ${resourceNameOf(input.virtualNetwork.virtualNetworkId)}`);
  const vnetOutcome = yield* callActivity<Outcome<{ created: boolean; subnetId: string }>>(context, settings, ActivityNames.createVirtualNetwork, {
    ...input.virtualNetwork,
    location: input.virtualNetwork.location ?? input.cache.location,
  });
  // Checked before the cache exists: a cache with public access Disabled is never created without a subnet for
  // its endpoint.
  if (!vnetOutcome.ok && vnetOutcome.code === 'SubnetNotFound') return refused(cacheId, 'subnet-not-found', vnetOutcome.message, actions);
  const vnet = expectOk('Creating the virtual network', vnetOutcome);
  actions.push({ step: `create-virtual-network ${input.virtualNetwork.virtualNetworkId}`, status: vnet.created ? 'done' : 'skipped' });

  progress.next(`Creating cache ${resourceNameOf(cacheId)} with public network access Disabled`);
  const started = expectOk('Creating the cache', yield* callActivity<Outcome<{ started: boolean; operation?: string }>>(context, settings, ActivityNames.beginCreateCache, input.cache));
  actions.push({ step: `create-cache ${cacheId}`, status: started.started ? 'done' : 'skipped' });

  progress.next('Waiting until the cache is Running (this takes a while)');
  if (started.operation) {
    // The creation's outcome is read from the operation (its Azure-AsyncOperation), polled on durable timers: a
    // creation that ended Failed fails the workflow at once with ARM's error.
    const deadline = addSeconds(context.df.currentUtcDateTime, settings.operationTimeoutSeconds);
    while (true) {
      const op = yield* callActivity<Outcome<{ done: boolean }>>(context, settings, ActivityNames.getCacheCreateOperation, { cache: input.cache, operation: started.operation });
      if (!op.ok) throw new Error(`Creating cache ${cacheId} failed: ${op.code}: ${op.message}`);
      if (op.done) break;
      if (isAfterOrAt(context.df.currentUtcDateTime, deadline)) throw new Error(`Creating cache ${cacheId}: timed out after ${settings.operationTimeoutSeconds} s`);
      yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, settings.pollIntervalSeconds));
    }
  }
  const state = yield* pollUntil<CacheState>(context, settings, `${resourceNameOf(cacheId)} is created`, ActivityNames.getCacheState, { cacheId }, (s) =>
    s.exists && (s.provisioningState === 'Succeeded' || s.provisioningState === 'Failed'),
  );
  if (state.provisioningState !== 'Succeeded') throw new Error(`Cache ${cacheId} ended ${state.provisioningState}.`);

  progress.next('Adding the private endpoint and DNS');
  const child: AddPrivateEndpointInput = {
    policy: input.policy,
    settings,
    cacheId,
    subnetId: vnet.subnetId,
    privateEndpointName: input.privateEndpointName,
    publicNetworkAccess: 'Disabled',
  };
  let added: WorkflowResult;
  try {
    added = (yield context.df.callSubOrchestrator(OrchestratorNames.addPrivateEndpoint, child, subInstanceId(context.df.instanceId, 'add-endpoint'))) as WorkflowResult;
  } catch (e) {
    added = { status: 'failed', cacheId, message: e instanceof Error ? e.message : String(e), actions: [] };
  }
  if (added.status !== 'succeeded') {
    // The cache exists with public access Disabled and no endpoint: compensate per the policy (public access
    // enabled unless onLastEndpointDeleted is report-only), never leave it silently unreachable.
    const fallbackActions: StepRecord[] = [];
    const fallback = yield* ensureReachable(context, { ...input, cacheId }, false, fallbackActions);
    const message = `Cache created, but its private endpoint was not: ${added.message}${fallback ? ` ${fallback}` : ' The cache has no private endpoint and public access is Disabled (policy: report-only).'}`;
    return { ...added, status: 'failed', actions: [...actions, ...added.actions, ...fallbackActions], message };
  }
  return { ...added, actions: [...actions, ...added.actions], message: `Cache created. ${added.message}` };
}
