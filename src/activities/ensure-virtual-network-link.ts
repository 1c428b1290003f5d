import { sameId } from '../azure/resource-id';
import { pollOptions } from '../azure/dependencies';
import { linkNameFor } from '../policy/context';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface EnsureVirtualNetworkLinkInput {
  zoneId: string;
  virtualNetworkId: string;
}

/**
 * "To have multiple private endpoints in different virtual networks, the private DNS zone must be manually
 * configured to the multiple virtual networks before creating the private endpoint" (seed).
 */
export const ensureVirtualNetworkLink = defineActivity(
  ActivityNames.ensureVirtualNetworkLink,
  async (input: EnsureVirtualNetworkLinkInput, deps): Promise<Outcome<{ changed: boolean; linkId?: string }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.zoneId);
    const dns = deps.clients.privateDns(subscriptionId);
    for await (const link of dns.virtualNetworkLinks.list(resourceGroup, names[0])) {
      if (link.virtualNetwork?.id && sameId(link.virtualNetwork.id, input.virtualNetworkId)) {
        return { ok: true, changed: false, linkId: link.id };
      }
    }
    const link = await dns.virtualNetworkLinks.createOrUpdate(resourceGroup, names[0], linkNameFor(input.virtualNetworkId), {
      location: 'global',
      virtualNetwork: { id: input.virtualNetworkId },
      registrationEnabled: false,
    }, pollOptions(deps));
    return { ok: true, changed: true, linkId: link.id };
  },
);
