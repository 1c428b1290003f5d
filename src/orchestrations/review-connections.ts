/** Approve or reject pending private endpoint connections per the policy's connectionApproval. */
import type { OrchestrationContext } from 'durable-functions';
import { evaluate } from '../policy/evaluate';
import { plan } from '../policy/plan';
import { ProgressReporter, type Orchestration } from './durable-helpers';
import { readSnapshot, refused, type WorkflowEnvelope, type WorkflowResult } from './common';
import { describeStep, executeSteps } from './execute-steps';
import { planFor, runModeOf } from './workflow-plan';

export interface ReviewConnectionsInput extends WorkflowEnvelope {
  cacheId: string;
  dryRun?: boolean;
}

export function* reviewConnectionsOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as ReviewConnectionsInput;
  const progress = new ProgressReporter(context, 3, input.cacheId);
  progress.next('Reading the cache connections');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const steps = plan(evaluate(snapshot, input.policy), snapshot, input.policy).filter(
    (s) => s.kind === 'approve-connection' || s.kind === 'reject-connection',
  );
  progress.next(`${steps.length} connection decision(s)`);
  const workflowPlan = planFor(runModeOf(input), steps);
  if (workflowPlan.mode === 'dry-run' || steps.length === 0) {
    return {
      status: steps.length === 0 ? 'no-change' : 'planned',
      cacheId: snapshot.cacheId,
      message: steps.length === 0 ? 'No pending connection to decide.' : `${steps.length} connection decision(s) planned (dry-run).`,
      actions: steps.map((s) => ({ step: describeStep(s), status: 'planned' as const, detail: s.reason })),
    };
  }
  const executed = yield* executeSteps(context, input.settings, workflowPlan, progress);
  return { status: 'succeeded', cacheId: snapshot.cacheId, message: `${executed.actions.length} connection(s) decided.`, actions: executed.actions };
}
