import { isNotFound } from '../azure/arm-errors';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface CreateLinkedServerInput {
  /** The primary cache. */
  cacheId: string;
  linkedServerName: string;
  linkedRedisCacheId: string;
  linkedRedisCacheLocation: string;
  serverRole: 'Primary' | 'Secondary';
}

/** Starts relinking passive geo-replication (the seed: "3. Last, relink the geo-replication"). */
export const createLinkedServer = defineActivity(
  ActivityNames.createLinkedServer,
  async (input: CreateLinkedServerInput, deps): Promise<Outcome<{ started: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const linked = deps.clients.redis(subscriptionId).linkedServer;
    try {
      await linked.get(resourceGroup, names[0], input.linkedServerName);
      return { ok: true, started: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await linked.beginCreate(resourceGroup, names[0], input.linkedServerName, {
      linkedRedisCacheId: input.linkedRedisCacheId,
      linkedRedisCacheLocation: input.linkedRedisCacheLocation,
      serverRole: input.serverRole,
    });
    return { ok: true, started: true };
  },
);
