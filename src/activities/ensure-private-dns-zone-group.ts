import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { DNS_ZONE_GROUP_NAME } from '../policy/naming';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { ActivityNames } from './names';
import { sameId } from '../azure/resource-id';

export interface EnsurePrivateDnsZoneGroupInput {
  privateEndpointId: string;
  zoneId: string;
  /** PUT the group again even when it already lists the zone, so Network rewrites the A record. */
  refresh?: boolean;
}

/** The endpoint's DNS zone group, which writes (and later removes) its A record in the private DNS zone. */
export const ensurePrivateDnsZoneGroup = defineActivity(
  ActivityNames.ensurePrivateDnsZoneGroup,
  async (input: EnsurePrivateDnsZoneGroupInput, deps): Promise<Outcome<{ changed: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.privateEndpointId);
    const network = deps.clients.network(subscriptionId);
    try {
      const group = await network.privateDnsZoneGroups.get(resourceGroup, names[0], DNS_ZONE_GROUP_NAME);
      const configs = group.privateDnsZoneConfigs ?? [];
      // A group whose last operation Failed may not have written its A record: PUT it again.
      const failed = String(group.provisioningState ?? '').toLowerCase() === 'failed';
      if (!input.refresh && !failed && configs.some((c) => sameId(c.privateDnsZoneId, input.zoneId))) return { ok: true, changed: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const zoneName = idParts(input.zoneId).names[0];
    try {
      await network.privateDnsZoneGroups.createOrUpdate(resourceGroup, names[0], DNS_ZONE_GROUP_NAME, {
        privateDnsZoneConfigs: [{ name: zoneName.replace(/\./g, '-'), privateDnsZoneId: input.zoneId }],
      }, pollOptions(deps));
    } catch (e) {
      if (isNotFound(e)) return failure('PrivateEndpointNotFound', `Private endpoint ${input.privateEndpointId} does not exist.`, 404);
      throw e;
    }
    return { ok: true, changed: true };
  },
);
