import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { cacheKindOf as cacheKind } from '../azure/resource-id';
import { ActivityNames } from './names';

export interface UpdateConnectionStateInput {
  /** `<cache id>/privateEndpointConnections/<name>`. */
  connectionId: string;
  status: 'Approved' | 'Rejected';
  description: string;
}

/** Approves or rejects a private endpoint connection on the cache. */
export const updateConnectionState = defineActivity(
  ActivityNames.updateConnectionState,
  async (input: UpdateConnectionStateInput, deps): Promise<Outcome<{ changed: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.connectionId);
    const [cacheName, connectionName] = names;
    const state = { status: input.status, description: input.description };
    if (cacheKind(input.connectionId) === 'redisEnterprise') {
      const pec = deps.clients.redisEnterprise(subscriptionId).privateEndpointConnections;
      const current = await pec.get(resourceGroup, cacheName, connectionName);
      if (current.privateLinkServiceConnectionState?.status === input.status) return { ok: true, changed: false };
      await pec.beginPutAndWait(resourceGroup, cacheName, connectionName, { privateLinkServiceConnectionState: state }, pollOptions(deps));
      return { ok: true, changed: true };
    }
    const pec = deps.clients.redis(subscriptionId).privateEndpointConnections;
    const current = await pec.get(resourceGroup, cacheName, connectionName);
    if (current.privateLinkServiceConnectionState?.status === input.status) return { ok: true, changed: false };
    await pec.beginPutAndWait(resourceGroup, cacheName, connectionName, { privateLinkServiceConnectionState: state }, pollOptions(deps));
    return { ok: true, changed: true };
  },
);
