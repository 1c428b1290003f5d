/**
 * Remediate one cache: re-read the live state, evaluate the policy, run the plan (audit mode or dry-run: report
 * only). One instance per cache at a time (deterministic instance id); a re-check asked for while it runs (event
 * `recheck`) makes it start over with fresh state once it is done, instead of a second parallel workflow.
 */
import type { OrchestrationContext } from 'durable-functions';
import { ActivityNames } from '../activities/names';
import { evaluate } from '../policy/evaluate';
import { plan } from '../policy/plan';
import { effectiveMode } from '../policy/policy-schema';
import { tierOf } from '../policy/tiers';
import { addSeconds, isoAtOrBefore } from '../policy/time';
import type { Finding, Step } from '../policy/types';
import { topologyOf, type CacheTopology } from '../policy/topology';
import { callActivity, isSettled, pollUntil, ProgressReporter, type Orchestration } from './durable-helpers';
import type { CacheState } from '../activities/get-cache-state';
import { readSnapshot, type StepRecord, type WorkflowEnvelope, type WorkflowResult, endpointsInFlight, readSettledSnapshot } from './common';
import { planFor, runModeOf } from './workflow-plan';
import { GEO_PAIR_BUSY, describeStep, executeSteps } from './execute-steps';
import { ensureReachable, isReachable } from './last-endpoint';
import { GATE_REJECTED, windowFor } from './gates';
import { orchestrationLogger } from '../observability/logger';
import { logWorkflowOutcome } from '../observability/workflow-log';

export const RECHECK_EVENT = 'recheck';

export interface RemediateCacheInput extends WorkflowEnvelope {
  cacheId: string;
  dryRun?: boolean;
  /** Why it runs (event, sweep, runbook), for the report. */
  reason?: string;
  /** How many times it started over for a re-check (bounded). */
  rechecks?: number;
}

export interface RemediationResult extends WorkflowResult {
  mode: string;
  tier?: string;
  findings: Finding[];
  remaining?: Finding[];
  plan: Array<{ kind: Step['kind']; description: string; reason: string; rule: string }>;
  /** The network picture after the run (the dashboard draws it). */
  topology?: CacheTopology;
}

const MAX_RECHECKS = 5;
/** Execution passes in one remediation (the first plan, then what became safe after it). */
const MAX_PASSES = 3;
const GEO_BUSY_WAIT_SECONDS = 60;

export function* remediateCacheOrchestrator(context: OrchestrationContext): Orchestration<RemediationResult | undefined> {
  const input = context.df.getInput() as RemediateCacheInput;
  const { policy, settings } = input;
  /** What the report says about a gated step: who must approve it and when it would run. */
  const gateNote = (kind: Step['kind']): string => {
    if (kind !== 'unlink-geo-replication') return '';
    const approval = policy.approvals?.geoUnlink ? ' Needs an approve decision (gate geoUnlink).' : '';
    const w = windowFor(context, policy, 'geoUnlink');
    const when = w ? ` Runs ${w.open ? 'now (a maintenance window is open)' : `in the next maintenance window, at ${w.runsAt.toISOString()}`}.` : '';
    return `${approval}${when}`;
  };
  const progress = new ProgressReporter(context, 3, input.cacheId);
  progress.next('Reading the live state of the cache');
  let readAt = context.df.currentUtcDateTime;
  let snapshot = yield* readSnapshot(context, input);
  if (snapshot && !isSettled(snapshot.provisioningState)) {
    // Creating, Updating, Linking, Unlinking, Scaling...: Azure refuses changes now; wait on durable timers.
    progress.next(`Waiting while the cache is ${snapshot.provisioningState}`);
    yield* pollUntil<CacheState>(context, settings, `${snapshot.name} is no longer ${snapshot.provisioningState}`, ActivityNames.getCacheState, { cacheId: input.cacheId }, (s) =>
      !s.exists || isSettled(s.provisioningState),
    );
    readAt = context.df.currentUtcDateTime;
    snapshot = yield* readSnapshot(context, input);
  }
  if (snapshot && endpointsInFlight(snapshot)) {
    // An endpoint is being created or deleted (an Event Grid event often arrives while the delete still settles):
    // decide on the state once it settled, never on the endpoint that is going away.
    progress.next('Waiting until the private endpoints of the cache settle');
    snapshot = yield* readSettledSnapshot(context, input);
    readAt = context.df.currentUtcDateTime;
  }
  let result: RemediationResult;
  if (!snapshot) {
    result = { status: 'no-change', cacheId: input.cacheId, message: 'The cache does not exist (deleted): nothing to remediate.', actions: [], mode: policy.mode, findings: [], plan: [] };
  } else {
    const mode = effectiveMode(policy, snapshot.tags);
    const findings = evaluate(snapshot, policy);
    // Audited caches (and dry-runs) are shown what enforce mode would do; nothing is executed for them.
    const steps = plan(findings, snapshot, policy, { assumeEnforce: mode === 'audit' || !!input.dryRun });
    const planned = steps.map((s) => ({ kind: s.kind, description: describeStep(s), reason: s.reason, rule: s.rule }));
    progress.next(`${findings.length} finding(s), ${steps.length} step(s) planned (${input.dryRun ? 'dry-run' : mode})`);
    // Dry run is a type: only enforce mode outside a dry run gets an executable plan.
    const workflowPlan = planFor(runModeOf(input) === 'execute' && mode === 'enforce' ? 'execute' : 'dry-run', steps.filter((s) => s.kind !== 'manual'));
    if (workflowPlan.mode === 'dry-run' || steps.length === 0) {
      const status = findings.length === 0 || (mode === 'enforce' && !input.dryRun) ? 'no-change' : input.dryRun ? 'planned' : 'audited';
      const actions: StepRecord[] = planned.map((p) => ({ step: p.description, status: 'planned', detail: `${p.reason}${gateNote(p.kind)}` }));
      result = {
        status,
        cacheId: snapshot.cacheId,
        message: findings.length === 0 ? `${snapshot.name} is compliant.` : `${snapshot.name}: ${findings.length} finding(s); ${mode === 'exempt' ? 'exempt by tag' : input.dryRun ? 'dry-run' : mode === 'audit' ? 'audit mode' : 'nothing to do'}, no change made.`,
        actions,
        mode,
        tier: tierOf(snapshot),
        findings,
        plan: planned,
        topology: topologyOf(snapshot, policy),
      };
    } else {
      const executable = steps.filter((s) => s.kind !== 'manual').length;
      // Phase 3 of 3 (fixed up front): the plan's steps are its items, then the confirming re-read.
      progress.next(`Executing ${executable} step(s)`);
      progress.beginItems(executable + 1);
      let executed: { actions: StepRecord[]; compensationErrors: string[] };
      const wasReachable = isReachable(snapshot, policy);
      try {
        executed = yield* executeSteps(context, settings, workflowPlan, progress, policy);
      } catch (e) {
        // A human rejected (or let time out) a gated step: nothing of the gated part ran; report the refusal.
        if (e instanceof Error && e.message.startsWith(GATE_REJECTED)) {
          return {
            status: 'refused',
            cacheId: snapshot.cacheId,
            rule: 'approval-rejected',
            message: `${snapshot.name}: ${e.message}`,
            actions: [],
            mode,
            tier: tierOf(snapshot),
            findings,
            plan: planned,
          };
        }
        // The geo-replication pair is being changed by another workflow: wait, then start over from fresh state.
        if (e instanceof Error && e.message.startsWith(GEO_PAIR_BUSY) && (input.rechecks ?? 0) < MAX_RECHECKS) {
          yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, GEO_BUSY_WAIT_SECONDS));
          context.df.continueAsNew({ ...input, rechecks: (input.rechecks ?? 0) + 1, reason: 'geo-replication pair was busy' });
          return undefined;
        }
        // Never unreachable by our hand: whatever failed (the replacement endpoint, its DNS zone group, ...), the
        // last-endpoint fallback runs before the workflow reports its failure.
        const message = e instanceof Error ? e.message : String(e);
        progress.next('The plan failed: making sure the cache is reachable');
        let fallback: string | undefined;
        try {
          fallback = yield* ensureReachable(context, input, wasReachable, []);
        } catch (f) {
          throw new Error(`${message}\n${f instanceof Error ? f.message : String(f)}`);
        }
        throw new Error(fallback ? `${message} (fallback: ${fallback})` : message);
      }
      const manual = steps.filter((s) => s.kind === 'manual').map((s) => ({ step: describeStep(s), status: 'skipped' as const, detail: s.reason }));
      progress.next('Re-reading the state to confirm');
      let after = yield* readSnapshot(context, input);
      let remaining = after ? evaluate(after, policy) : [];
      // What only becomes safe once the first pass verified (disabling public access after the new endpoint's DNS
      // checks out) runs in a bounded follow-up pass, so one workflow converges.
      for (let pass = 2; pass <= MAX_PASSES && after && remaining.length > 0; pass++) {
        const next = plan(remaining, after, policy).filter((s) => s.kind !== 'manual');
        if (next.length === 0) break;
        progress.beginItems(next.length);
        const more = yield* executeSteps(context, settings, planFor(workflowPlan.mode, next), progress, policy);
        executed = { actions: [...executed.actions, ...more.actions], compensationErrors: [...executed.compensationErrors, ...more.compensationErrors] };
        after = yield* readSnapshot(context, input);
        remaining = after ? evaluate(after, policy) : [];
      }
      if (after && !isReachable(after, policy)) {
        const fallbackActions: StepRecord[] = [];
        const fallback = yield* ensureReachable(context, input, wasReachable, fallbackActions);
        if (fallback) {
          executed = { ...executed, actions: [...executed.actions, ...fallbackActions] };
          after = yield* readSnapshot(context, input);
          remaining = after ? evaluate(after, policy) : [];
        }
      }
      const final = after;
      if (final) {
        const entries = final.connections.filter((c) => c.privateEndpointId).map((c) => ({ privateEndpointId: c.privateEndpointId, cacheId: final.cacheId }));
        if (entries.length > 0) yield* callActivity(context, settings, ActivityNames.recordInventory, { entries });
      }
      result = {
        status: 'succeeded',
        cacheId: snapshot.cacheId,
        message: `${snapshot.name}: ${executed.actions.filter((a) => a.status === 'done').length} change(s) made; ${remaining.length} finding(s) remain.`,
        actions: [...executed.actions, ...manual],
        mode,
        tier: tierOf(snapshot),
        findings,
        remaining,
        plan: planned,
        ...(final ? { topology: topologyOf(final, policy) } : {}),
      };
    }
  }
  // A dry run answers at once: it changed nothing, so there is nothing to re-check (its instance id is its own).
  if (runModeOf(input) === 'dry-run') return result;
  // Re-checks asked for while this ran (event `recheck` with the triggering event's time): start over with fresh
  // state, unless every such event happened before this run read the state (a burst or duplicates of what it
  // already saw). Buffered events are delivered at once; a short timer ends the wait.
  let startOver = false;
  while (true) {
    const recheck = context.df.waitForExternalEvent(RECHECK_EVENT);
    const settle = context.df.createTimer(addSeconds(context.df.currentUtcDateTime, 1));
    const winner = yield context.df.Task.any([recheck, settle]);
    if (winner !== recheck) break;
    if (!settle.isCompleted) settle.cancel();
    const eventTime = (recheck.result as { eventTime?: string } | undefined)?.eventTime;
    if (!isoAtOrBefore(eventTime, readAt)) startOver = true;
  }
  logWorkflowOutcome(orchestrationLogger(context, { cacheId: input.cacheId }), 'remediation', result);
  if (startOver && (input.rechecks ?? 0) < MAX_RECHECKS) {
    context.df.continueAsNew({ ...input, rechecks: (input.rechecks ?? 0) + 1, reason: 're-check requested while running' });
    return undefined;
  }
  return result;
}
