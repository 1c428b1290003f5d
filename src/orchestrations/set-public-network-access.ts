/**
 * Set the publicNetworkAccess flag (the seed's PATCH). Disabling requires an approved endpoint whose DNS
 * verifies, unless forced: the lockout guard. Enterprise tiers have no such flag: a clear refusal.
 */
import type { OrchestrationContext } from 'durable-functions';
import { buildContext } from '../policy/context';
import { evaluate } from '../policy/evaluate';
import { SEED, quote } from '../policy/seed-rules';
import { tierFactsOf } from '../policy/tiers';
import { describeStep, runStepsDirectly } from './execute-steps';
import { planFor, plannedActions, runModeOf } from './workflow-plan';
import { ProgressReporter, type Orchestration } from './durable-helpers';
import { readSnapshot, refused, type WorkflowEnvelope, type WorkflowResult } from './common';
import { passGate } from './gates';

export interface SetPublicNetworkAccessInput extends WorkflowEnvelope {
  cacheId: string;
  value: 'Enabled' | 'Disabled';
  /** Skip the lockout guard. */
  force?: boolean;
  dryRun?: boolean;
}

const BLOCKING = new Set(['dns-zone-group-missing', 'dns-zone-wrong', 'dns-zone-not-linked', 'dns-record-mismatch']);

export function* setPublicNetworkAccessOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as SetPublicNetworkAccessInput;
  const progress = new ProgressReporter(context, 3, input.cacheId);
  progress.next('Reading the cache');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  if (!tierFactsOf(snapshot).supportsPublicNetworkAccess) {
    return refused(input.cacheId, 'public-access-unsupported', `${snapshot.name}: ${quote(SEED.enterpriseNoPublicNetworkAccess)}`);
  }
  if (snapshot.publicNetworkAccess === input.value) {
    return { status: 'no-change', cacheId: snapshot.cacheId, message: `publicNetworkAccess is already ${input.value}.`, actions: [] };
  }
  progress.next('Checking that the cache stays reachable');
  if (input.value === 'Disabled' && !input.force) {
    const approved = snapshot.connections.filter((c) => c.status === 'Approved');
    if (approved.length === 0) {
      return refused(
        input.cacheId,
        'lockout-guard',
        `Refusing to disable public network access on ${snapshot.name}: it has no approved private endpoint, so it would become unreachable (${quote(SEED.lastEndpointDeleted)}). Add an endpoint first, or pass force: true.`,
      );
    }
    const verified = buildContext(snapshot, input.policy).verified;
    if (verified.length === 0) {
      const problems = evaluate(snapshot, input.policy).filter((f) => BLOCKING.has(f.rule)).map((f) => f.message);
      return refused(
        input.cacheId,
        'lockout-guard',
        `Refusing to disable public network access on ${snapshot.name}: no approved endpoint's DNS verifies (the zone is linked to its VNet and the A record is its IP)${problems.length ? `: ${problems.join(' ')}` : '.'} ${quote(SEED.privateDnsZoneVital)} Pass force: true to override.`,
        [],
      );
    }
  }
  // Dry run is a type: the same checks ran above; a dry run answers with a plan the executor cannot run.
  const plan = planFor(runModeOf(input), [
    { kind: 'set-public-network-access', cacheId: snapshot.cacheId, rule: 'public-access-enabled', reason: `requested: publicNetworkAccess ${input.value}${input.force ? ' (forced)' : ''}`, value: input.value },
  ]);
  if (plan.mode === 'dry-run') {
    return {
      status: 'planned',
      cacheId: snapshot.cacheId,
      message: `Dry-run: publicNetworkAccess would be set to ${input.value} on ${snapshot.name}; nothing was changed.`,
      actions: plannedActions(plan, describeStep),
    };
  }
  if (input.value === 'Enabled' && input.policy.approvals?.publicAccessEnable) {
    const gate = yield* passGate(context, input.policy, { gate: 'publicAccessEnable', what: `enable public network access on ${snapshot.name}` });
    if (!gate.approved) return refused(input.cacheId, 'approval-rejected', gate.message, [{ step: 'decision publicAccessEnable', status: 'failed', detail: gate.message }]);
  }
  progress.next(`Setting publicNetworkAccess to ${input.value}`);
  // Through the step executor (an executable plan only); awaited until the cache has settled again.
  const executed = yield* runStepsDirectly(context, input.settings, plan);
  return {
    status: 'succeeded',
    cacheId: snapshot.cacheId,
    message: `publicNetworkAccess set to ${input.value} on ${snapshot.name}.`,
    actions: executed.actions,
  };
}
