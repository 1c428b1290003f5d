/**
 * Unlink .. change .. relink of one passive geo-replication pair, as its own orchestration with the pair's
 * deterministic instance id (`geoPairInstanceId`): the lock that keeps two workflows from changing the same pair
 * at once. Runs the given steps with the relink saga; returns what it did.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import type { StepRecord } from './common';
import type { Escalation } from './saga';
import { ProgressReporter, type Orchestration } from './durable-helpers';
import { runStepsDirectly } from './execute-steps';
import type { ExecutablePlan } from './workflow-plan';

export interface GeoReplicationChangeInput {
  /** Only an executable plan: the executor refuses anything else (a dry run never reaches this lock). */
  plan: ExecutablePlan;
  settings: RuntimeSettings;
}

export interface GeoReplicationChangeResult {
  actions: StepRecord[];
  compensationErrors: string[];
  escalations: Escalation[];
}

export function* geoReplicationChangeOrchestrator(context: OrchestrationContext): Orchestration<GeoReplicationChangeResult> {
  const input = context.df.getInput() as GeoReplicationChangeInput;
  const progress = new ProgressReporter(context, input.plan?.steps?.length ?? 0);
  return yield* runStepsDirectly(context, input.settings, input.plan, progress);
}
