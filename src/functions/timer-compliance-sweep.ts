/**
 * The compliance sweep on a schedule (AUTOPILOT_SWEEP_SCHEDULE, NCRONTAB with seconds; default hourly). One sweep
 * at a time: a tick while the previous sweep still runs is skipped.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { OrchestratorNames } from '../orchestrations/names';
import type { ComplianceSweepInput } from '../orchestrations/compliance-sweep';
import { envelope } from './config';
import { isActive } from './start-or-signal';

export const DEFAULT_SWEEP_SCHEDULE = '0 0 * * * *';
export const SWEEP_INSTANCE_ID = 'compliance-sweep';

app.timer('timerComplianceSweep', {
  schedule: process.env.AUTOPILOT_SWEEP_SCHEDULE || DEFAULT_SWEEP_SCHEDULE,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const client = df.getClient(context);
    if (await isActive(client, SWEEP_INSTANCE_ID)) {
      context.log('timerComplianceSweep: the previous sweep still runs; skipping this tick.');
      return;
    }
    const existing = await client.getStatus(SWEEP_INSTANCE_ID).catch(() => undefined);
    if (existing) await client.purgeInstanceHistory(SWEEP_INSTANCE_ID);
    const input: ComplianceSweepInput = { ...envelope() };
    await client.startNew(OrchestratorNames.complianceSweep, { instanceId: SWEEP_INSTANCE_ID, input });
    context.log(`timerComplianceSweep: started ${SWEEP_INSTANCE_ID} (${input.policy.mode} mode)`);
  },
});
