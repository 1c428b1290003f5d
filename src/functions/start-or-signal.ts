/**
 * Starting per-cache workflows from triggers: deterministic instance ids, so a second start for the same cache is
 * a re-check of the running instance (event `recheck`), never a parallel workflow.
 */
import type { DurableClient } from 'durable-functions';
import { RECHECK_EVENT } from '../orchestrations/remediate-cache';

const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew']);

/** Whether a runtime status means the instance still runs (a second start is refused). */
export function isActiveStatus(runtimeStatus: unknown): boolean {
  return ACTIVE.has(String(runtimeStatus));
}

export async function isActive(client: DurableClient, instanceId: string): Promise<boolean> {
  const status = await client.getStatus(instanceId).catch(() => undefined);
  return !!status && isActiveStatus(status.runtimeStatus);
}

/** Starts the instance, or, when it runs already, raises `recheck` on it. Returns what was done. */
export async function startOrSignal(
  client: DurableClient,
  name: string,
  instanceId: string,
  input: unknown,
  recheck: unknown = {},
): Promise<'started' | 'signalled'> {
  if (await isActive(client, instanceId)) {
    await client.raiseEvent(instanceId, RECHECK_EVENT, recheck);
    return 'signalled';
  }
  try {
    await client.startNew(name, { instanceId, input });
    return 'started';
  } catch (e) {
    // Lost a race with another trigger that started it a moment ago: signal that one instead.
    if (await isActive(client, instanceId)) {
      await client.raiseEvent(instanceId, RECHECK_EVENT, recheck);
      return 'signalled';
    }
    throw e;
  }
}

/** The compliance sweep is a singleton: start it unless one runs already (its last run's history is purged). */
export const SWEEP_INSTANCE_ID = 'compliance-sweep';

export async function startSweepUnlessRunning(client: DurableClient, name: string, input: unknown): Promise<boolean> {
  if (await isActive(client, SWEEP_INSTANCE_ID)) return false;
  const existing = await client.getStatus(SWEEP_INSTANCE_ID).catch(() => undefined);
  if (existing) await client.purgeInstanceHistory(SWEEP_INSTANCE_ID);
  await client.startNew(name, { instanceId: SWEEP_INSTANCE_ID, input });
  return true;
}
