import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { ActivityNames } from './names';
import { viewPrivateEndpoint, type PrivateEndpointView } from './private-endpoint-view';
import { sameId } from '../azure/resource-id';

export interface CreatePrivateEndpointInput {
  privateEndpointId: string;
  cacheId: string;
  subnetId: string;
  /** `redisCache` or `redisEnterprise`. */
  groupId: string;
  location: string;
  /** Connection name on the endpoint (deterministic). */
  connectionName: string;
  tags?: Record<string, string>;
}

/**
 * The seed's `az network private-endpoint create ... --group-ids redisCache`: creates the endpoint, or returns
 * the existing one when it already connects to this cache (idempotent on redelivery).
 */
export const createPrivateEndpoint = defineActivity(
  ActivityNames.createPrivateEndpoint,
  async (input: CreatePrivateEndpointInput, deps): Promise<Outcome<{ created: boolean; endpoint: PrivateEndpointView }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.privateEndpointId);
    const network = deps.clients.network(subscriptionId);
    try {
      const existing = viewPrivateEndpoint(await network.privateEndpoints.get(resourceGroup, names[0]));
      if (!sameId(existing.targetId, input.cacheId)) {
        return failure(
          'PrivateEndpointNameTaken',
          `Private endpoint ${input.privateEndpointId} already exists and connects to ${existing.targetId ?? 'nothing'}, not to ${input.cacheId}.`,
          409,
        );
      }
      if (existing.provisioningState !== 'Failed') return { ok: true, created: false, endpoint: existing };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const pe = await network.privateEndpoints.createOrUpdate(resourceGroup, names[0], {
      location: input.location,
      tags: { 'managed-by': 'redis-private-link-autopilot', ...(input.tags ?? {}) },
      subnet: { id: input.subnetId },
      privateLinkServiceConnections: [
        { name: input.connectionName, privateLinkServiceId: input.cacheId, groupIds: [input.groupId] },
      ],
    }, pollOptions(deps));
    return { ok: true, created: true, endpoint: viewPrivateEndpoint(pe) };
  },
);
