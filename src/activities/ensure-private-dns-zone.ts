import { ifExists } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface EnsurePrivateDnsZoneInput {
  zoneId: string;
}

/** The private DNS zone (`privatelink.redis.cache.windows.net`, ...) exists, in the configured home. */
export const ensurePrivateDnsZone = defineActivity(
  ActivityNames.ensurePrivateDnsZone,
  async (input: EnsurePrivateDnsZoneInput, deps): Promise<Outcome<{ changed: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.zoneId);
    const dns = deps.clients.privateDns(subscriptionId);
    if (await ifExists(dns.privateZones.get(resourceGroup, names[0]))) return { ok: true, changed: false };
    await dns.privateZones.createOrUpdate(resourceGroup, names[0], { location: 'global' }, pollOptions(deps));
    return { ok: true, changed: true };
  },
);
