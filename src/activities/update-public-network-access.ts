import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { cacheKindOf as cacheKind } from '../azure/resource-id';
import { ActivityNames } from './names';

export interface UpdatePublicNetworkAccessInput {
  cacheId: string;
  value: 'Enabled' | 'Disabled';
}

/** The seed's PATCH `{ "properties": { "publicNetworkAccess": "Disabled" } }` (Redis - Update). */
export const updatePublicNetworkAccess = defineActivity(
  ActivityNames.updatePublicNetworkAccess,
  async (input: UpdatePublicNetworkAccessInput, deps): Promise<Outcome<{ changed: boolean; previous?: string }>> => {
    if (cacheKind(input.cacheId) === 'redisEnterprise') {
      return failure(
        'PublicNetworkAccessNotSupported',
        'Neither the Enterprise nor Enterprise Flash tier supports the publicNetworkAccess flag.',
        400,
      );
    }
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const redis = deps.clients.redis(subscriptionId).redis;
    const cache = await redis.get(resourceGroup, names[0]);
    // Already so, unless the cache's last operation Failed: then the PATCH is applied again to bring it back.
    if (cache.publicNetworkAccess === input.value && cache.provisioningState !== 'Failed') return { ok: true, changed: false, previous: cache.publicNetworkAccess };
    await redis.beginUpdateAndWait(resourceGroup, names[0], { publicNetworkAccess: input.value }, pollOptions(deps));
    return { ok: true, changed: true, previous: cache.publicNetworkAccess };
  },
);
