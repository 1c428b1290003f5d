/**
 * What to do when a cache with public network access Disabled has lost its last approved endpoint.
 * enable-public-access: PATCH publicNetworkAccess Enabled. recreate-endpoint: add a replacement endpoint in the
 * policy's placement for the region (falls back to enabling public access when there is no placement, or when
 * the replacement fails: a cache is never left unreachable). report-only: say so.
 */
import type { OrchestrationContext } from 'durable-functions';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { SEED, quote } from '../policy/seed-rules';
import { placementFor } from '../policy/policy-schema';
import type { CacheSnapshot } from '../policy/snapshot';
import { tierFactsOf } from '../policy/tiers';
import { callActivity, type Orchestration } from './durable-helpers';
import { expectOk, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import type { AddPrivateEndpointInput } from './add-private-endpoint';
import { OrchestratorNames, subInstanceId } from './names';

function* enablePublicAccess(context: OrchestrationContext, input: WorkflowEnvelope, cacheId: string, actions: StepRecord[]): Orchestration<string> {
  const r = expectOk(
    'Enabling public network access',
    yield* callActivity<Outcome<{ changed: boolean }>>(context, input.settings, ActivityNames.updatePublicNetworkAccess, { cacheId, value: 'Enabled' }),
  );
  actions.push({ step: 'set-public-network-access Enabled', status: r.changed ? 'done' : 'skipped' });
  return `Public network access enabled so the cache stays reachable (${quote(SEED.lastEndpointDeleted)}).`;
}

export function* applyLastEndpointPolicy(
  context: OrchestrationContext,
  input: WorkflowEnvelope,
  snapshot: CacheSnapshot,
  actions: StepRecord[],
): Orchestration<string> {
  const facts = tierFactsOf(snapshot);
  const mode = input.policy.onLastEndpointDeleted;
  if (mode === 'report-only') {
    actions.push({ step: 'report unreachable cache', status: 'done' });
    return `The cache has no approved endpoint and public access is Disabled: it is unreachable (${quote(SEED.lastEndpointDeleted)}).`;
  }
  if (mode === 'recreate-endpoint') {
    const placement = placementFor(input.policy, snapshot.location);
    if (placement) {
      const child: AddPrivateEndpointInput = { ...input, cacheId: snapshot.cacheId, subnetId: placement.subnetId };
      try {
        const result = (yield context.df.callSubOrchestrator(
          OrchestratorNames.addPrivateEndpoint,
          child,
          subInstanceId(context.df.instanceId, 'replace-endpoint'),
        )) as WorkflowResult;
        if (result.status === 'succeeded') {
          actions.push({ step: `create-private-endpoint (replacement) ${String(result.privateEndpointId)}`, status: 'done' });
          return `A replacement private endpoint was added: ${result.message}`;
        }
        actions.push({ step: 'create-private-endpoint (replacement)', status: 'failed', detail: result.message });
      } catch (e) {
        actions.push({ step: 'create-private-endpoint (replacement)', status: 'failed', detail: e instanceof Error ? e.message : String(e) });
      }
    } else {
      actions.push({ step: 'create-private-endpoint (replacement)', status: 'skipped', detail: `no endpointPlacement for ${snapshot.location}` });
    }
  }
  if (!facts.supportsPublicNetworkAccess) {
    return 'The cache has no approved endpoint; its tier has no publicNetworkAccess flag to fall back on.';
  }
  return yield* enablePublicAccess(context, input, snapshot.cacheId, actions);
}
