import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import type { LinkedServerOperationStarted } from './create-linked-server';
import { ActivityNames } from './names';

export interface DeleteLinkedServerInput {
  /** The primary cache of the geo-replication link. */
  cacheId: string;
  linkedServerName: string;
}

/**
 * Starts unlinking passive geo-replication (the seed: "1. Unlink the geo-replication") and returns the operation
 * to await (`getLinkedServerOperation`); a missing link is success.
 */
export const deleteLinkedServer = defineActivity(
  ActivityNames.deleteLinkedServer,
  async (input: DeleteLinkedServerInput, deps): Promise<Outcome<LinkedServerOperationStarted>> => {
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
    const poller = await linked.beginDelete(resourceGroup, names[0], input.linkedServerName, pollOptions(deps));
    return { ok: true, started: true, operation: poller.toString() };
  },
);
