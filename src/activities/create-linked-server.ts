import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface CreateLinkedServerInput {
  /** The primary cache. */
  cacheId: string;
  linkedServerName: string;
  linkedRedisCacheId: string;
  /** The secondary's region; read from the secondary cache when empty (e.g. a relink planned from a tag). */
  linkedRedisCacheLocation: string;
  serverRole: 'Primary' | 'Secondary';
}

export interface LinkedServerOperationStarted {
  /** False when the link already existed (or is being created): nothing was sent. */
  started: boolean;
  /** The SDK poller's serialized state (the operation's Azure-AsyncOperation / Location URL), when started. */
  operation?: string;
  /** The parameters the operation was started with (needed to resume its poller). */
  parameters?: { linkedRedisCacheId: string; linkedRedisCacheLocation: string; serverRole: 'Primary' | 'Secondary' };
}

/**
 * Starts relinking passive geo-replication (the seed: "3. Last, relink the geo-replication") and returns the
 * operation to await (`getLinkedServerOperation`): its outcome is read from the operation, not from the cache.
 */
export const createLinkedServer = defineActivity(
  ActivityNames.createLinkedServer,
  async (input: CreateLinkedServerInput, deps): Promise<Outcome<LinkedServerOperationStarted>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const client = deps.clients.redis(subscriptionId);
    const linked = client.linkedServer;
    try {
      await linked.get(resourceGroup, names[0], input.linkedServerName);
      return { ok: true, started: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    let location = input.linkedRedisCacheLocation;
    if (!location) {
      const other = idParts(input.linkedRedisCacheId);
      location = (await deps.clients.redis(other.subscriptionId).redis.get(other.resourceGroup, other.names[0])).location ?? '';
    }
    const parameters = { linkedRedisCacheId: input.linkedRedisCacheId, linkedRedisCacheLocation: location, serverRole: input.serverRole };
    const poller = await linked.beginCreate(resourceGroup, names[0], input.linkedServerName, parameters, pollOptions(deps));
    return { ok: true, started: true, operation: poller.toString(), parameters };
  },
);
