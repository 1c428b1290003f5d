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
import { expectOk, readSnapshot, refused, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { ensureReachable } from './last-endpoint';
import type { AddPrivateEndpointInput } from './add-private-endpoint';
import { OrchestratorNames, subInstanceId } from './names';
import { runModeOf } from './workflow-plan';
import type { CacheSnapshot } from '../policy/snapshot';

export interface CreateCacheWithPrivateEndpointInput extends WorkflowEnvelope {
  cache: BeginCreateCacheInput;
  virtualNetwork: Omit<CreateVirtualNetworkInput, 'location'> & { location?: string };
  privateEndpointName?: string;
  /** Read and plan only: nothing is created (a dry run never reaches a write). */
  dryRun?: boolean;
}

const region = (l: string | undefined) => String(l ?? '').toLowerCase().replace(/\s+/g, '');

/** What differs between the requested cache and the existing one of that name (empty: the same cache). */
function differences(existing: CacheSnapshot, wanted: BeginCreateCacheInput): string[] {
  const out: string[] = [];
  if (existing.kind !== 'redis' || existing.sku.name.toLowerCase() !== wanted.sku.name.toLowerCase()) out.push(`SKU ${existing.sku.name} (requested ${wanted.sku.name})`);
  else if (existing.sku.capacity !== undefined && existing.sku.capacity !== wanted.sku.capacity) out.push(`capacity ${existing.sku.family ?? ''}${existing.sku.capacity} (requested ${wanted.sku.family}${wanted.sku.capacity})`);
  if (region(existing.location) !== region(wanted.location)) out.push(`region ${existing.location} (requested ${wanted.location})`);
  if ((existing.shardCount ?? 0) !== (wanted.shardCount ?? 0)) out.push(`shard count ${existing.shardCount ?? 0} (requested ${wanted.shardCount ?? 0})`);
  return out;
}

export function* createCacheWithPrivateEndpointOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as CreateCacheWithPrivateEndpointInput;
  const { settings } = input;
  const cacheId = input.cache.cacheId;
  const actions: StepRecord[] = [];
  const progress = new ProgressReporter(context, 4, cacheId);

  // An existing cache of that name is never silently adopted: another SKU, size, region or shard count is refused
  // (before any write, in a dry run too); the same one is reported as existing.
  progress.next(`Reading cache ${resourceNameOf(cacheId)}`);
  const existing = yield* readSnapshot(context, { ...input, cacheId });
  if (existing) {
    const diff = differences(existing, input.cache);
    if (diff.length > 0) {
      return refused(cacheId, 'cache-exists-different', `A cache named ${existing.name} already exists with ${diff.join(', ')}: refusing to adopt it. Choose another name, or add an endpoint to the existing cache with the add-endpoint runbook.`);
    }
  }
  if (runModeOf(input) === 'dry-run') {
    const subnetId = `${input.virtualNetwork.virtualNetworkId}/subnets/${input.virtualNetwork.subnetName}`;
    const planned: StepRecord[] = [
      { step: `create-virtual-network ${input.virtualNetwork.virtualNetworkId}`, status: 'planned', detail: `with subnet ${input.virtualNetwork.subnetName}, unless it exists (then the subnet must exist)` },
      existing
        ? { step: `create-cache ${cacheId}`, status: 'skipped', detail: `${existing.name} exists already with the requested SKU and region; not created again` }
        : { step: `create-cache ${cacheId}`, status: 'planned', detail: 'public network access Disabled' },
      { step: `add-private-endpoint ${subnetId}`, status: 'planned', detail: 'subnet ready, DNS zone and links, endpoint and zone group (the add-endpoint workflow)' },
    ];
    return {
      status: 'planned',
      cacheId,
      message: `Dry-run: ${planned.filter((a) => a.status === 'planned').length} step(s) would run; nothing was changed.${existing ? ` The cache ${existing.name} exists already (same SKU and region).` : ''}`,
      actions: planned,
      existingCache: !!existing,
    };
  }

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
