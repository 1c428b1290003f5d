/**
 * Event Grid auto-remediation. Every event is a hint: the workflow re-reads live state. Accepts the Event Grid
 * schema and CloudEvents 1.0 (one invocation per event, as the host delivers them). A cache event starts the
 * per-cache remediation with a deterministic instance id, or asks the running one to re-check; a private endpoint
 * event is mapped to its cache through the inventory (the delete event cannot say which cache it served).
 * Foreign or malformed events are logged and acknowledged: never retried forever.
 */
import { loggerFor } from '../observability/logger';
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getDependencies } from '../azure/dependencies';
import { parseResourceId } from '../azure/resource-id';
import { inScope } from '../policy/policy-schema';
import { OrchestratorNames, cacheInstanceId } from '../orchestrations/names';
import type { RemediateCacheInput } from '../orchestrations/remediate-cache';
import { groupByTarget } from './event-grid/classify';
import { normalizeEvents } from './event-grid/normalize';
import { envelope } from './config';
import { startOrSignal, startSweepUnlessRunning } from './start-or-signal';

export async function handleResourceEvents(body: unknown, context: InvocationContext): Promise<Array<{ cacheId: string; outcome: string }>> {
  const { events, rejected } = normalizeEvents(body);
  for (const r of rejected) loggerFor(context).warn(`eventGridResourceChanged: dropped malformed event #${r.index}: ${r.reason}`);
  const { groups, ignored } = groupByTarget(events);
  for (const i of ignored) loggerFor(context).info(`eventGridResourceChanged: ignored ${i.event.eventType} ${i.event.operationName}: ${i.reason}`);
  if (groups.length === 0) return [];
  let env;
  try {
    env = envelope();
  } catch (e) {
    // A bad policy is a configuration error: retrying the delivery would not fix it. Acknowledge, log loudly.
    loggerFor(context).error(`eventGridResourceChanged: cannot act on ${groups.length} event target(s): ${(e as Error).message}`);
    return [];
  }
  const client = df.getClient(context);
  const done: Array<{ cacheId: string; outcome: string }> = [];
  for (const g of groups) {
    let cacheId: string | undefined;
    if (g.target.action === 'remediate-cache') cacheId = g.target.cacheId;
    else if (g.target.action === 'lookup-endpoint') {
      cacheId = (await getDependencies().inventory.lookup(g.target.privateEndpointId))?.cacheId;
      if (!cacheId) {
        loggerFor(context).warn(`eventGridResourceChanged: private endpoint ${g.target.privateEndpointId} is not in the inventory; the next sweep will catch any drift.`);
        continue;
      }
    } else {
      // Any cache using the zone may have lost private name resolution in that VNet: a sweep (Resource Graph
      // triage, then remediation of what is broken) re-checks them all and relinks where the policy wants a link.
      const started = await startSweepUnlessRunning(client, OrchestratorNames.complianceSweep, { ...env, reason: `zone link deleted on ${g.target.zoneId}` });
      loggerFor(context).info(`eventGridResourceChanged: zone link deleted on ${g.target.zoneId}: ${started ? 'started a compliance sweep' : 'a compliance sweep is already running'}.`);
      done.push({ cacheId: g.target.zoneId, outcome: started ? 'sweep-started' : 'sweep-running' });
      continue;
    }
    const subscriptionId = parseResourceId(cacheId).subscriptionId;
    if (!inScope(env.policy, subscriptionId)) {
      loggerFor(context, { cacheId }).info(`eventGridResourceChanged: ${cacheId} is outside the policy's scopes; ignored.`);
      continue;
    }
    const input: RemediateCacheInput = { ...env, cacheId, reason: `${g.latest.operationName} at ${g.latest.eventTime}` };
    const outcome = await startOrSignal(client, OrchestratorNames.remediateCache, cacheInstanceId('remediate', cacheId), input, { eventTime: g.latest.eventTime });
    loggerFor(context, { cacheId }).info(`eventGridResourceChanged: ${outcome} remediation for ${cacheId}`);
    done.push({ cacheId, outcome });
  }
  return done;
}

app.eventGrid('eventGridResourceChanged', {
  extraInputs: [df.input.durableClient()],
  handler: async (event: unknown, context: InvocationContext) => {
    await handleResourceEvents(event, context);
  },
});
