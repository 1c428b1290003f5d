/**
 * The compliance sweep on a schedule (AUTOPILOT_SWEEP_SCHEDULE, NCRONTAB with seconds; default hourly). One sweep
 * at a time: a tick while the previous sweep still runs is skipped.
 */
import { loggerFor } from '../observability/logger';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { OrchestratorNames } from '../orchestrations/names';
import type { ComplianceSweepInput } from '../orchestrations/compliance-sweep';
import { envelope } from './config';
import { SWEEP_INSTANCE_ID, startSweepUnlessRunning } from './start-or-signal';

export const DEFAULT_SWEEP_SCHEDULE = '0 0 * * * *';
export { SWEEP_INSTANCE_ID };

app.timer('timerComplianceSweep', {
  schedule: process.env.AUTOPILOT_SWEEP_SCHEDULE || DEFAULT_SWEEP_SCHEDULE,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const input: ComplianceSweepInput = { ...envelope() };
    const started = await startSweepUnlessRunning(df.getClient(context), OrchestratorNames.complianceSweep, input);
    loggerFor(context).info(started ? `timerComplianceSweep: started ${SWEEP_INSTANCE_ID} (${input.policy.mode} mode)` : 'timerComplianceSweep: the previous sweep still runs; skipping this tick.');
  },
});
