import { isNotFound } from '../azure/arm-errors';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface DeleteLinkedServerInput {
  /** The primary cache of the geo-replication link. */
  cacheId: string;
  linkedServerName: string;
}

/**
 * Starts unlinking passive geo-replication (the seed: "1. Unlink the geo-replication"). The orchestrator waits
 * for the unlink on durable timers; a missing link is success.
 */
export const deleteLinkedServer = defineActivity(
  ActivityNames.deleteLinkedServer,
  async (input: DeleteLinkedServerInput, deps): Promise<Outcome<{ started: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const client = deps.clients.redis(subscriptionId);
    const linked = client.linkedServer;
    try {
      await linked.get(resourceGroup, names[0], input.linkedServerName);
    } catch (e) {
      if (isNotFound(e)) return { ok: true, started: false };
      throw e;
    }
    // Redelivered after the unlink was already accepted (e.g. the host died mid-activity): it is in progress.
    const cache = await client.redis.get(resourceGroup, names[0]);
    if (cache.provisioningState === 'Unlinking') return { ok: true, started: false };
    await linked.beginDelete(resourceGroup, names[0], input.linkedServerName);
    return { ok: true, started: true };
  },
);
