/**
 * Unlink .. change .. relink of one passive geo-replication pair, as its own orchestration with the pair's
 * deterministic instance id (`geoPairInstanceId`): the lock that keeps two workflows from changing the same pair
 * at once. Runs the given steps with the relink saga; returns what it did.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import type { Step } from '../policy/types';
import type { StepRecord } from './common';
import type { Escalation } from './saga';
import { ProgressReporter, type Orchestration } from './durable-helpers';
import { runStepsDirectly } from './execute-steps';

export interface GeoReplicationChangeInput {
  steps: Step[];
  settings: RuntimeSettings;
}

export interface GeoReplicationChangeResult {
  actions: StepRecord[];
  compensationErrors: string[];
  escalations: Escalation[];
}

export function* geoReplicationChangeOrchestrator(context: OrchestrationContext): Orchestration<GeoReplicationChangeResult> {
  const input = context.df.getInput() as GeoReplicationChangeInput;
  const progress = new ProgressReporter(context, input.steps.length);
  return yield* runStepsDirectly(context, input.settings, input.steps, progress);
}
