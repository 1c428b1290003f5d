import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { ActivityNames } from './names';

export interface CreateVirtualNetworkInput {
  virtualNetworkId: string;
  location: string;
  addressPrefixes: string[];
  subnetName: string;
  subnetAddressPrefix: string;
}

/** The seed's "Create a virtual network" with one subnet ready for private endpoints; existing ones are kept. */
export const createVirtualNetwork = defineActivity(
  ActivityNames.createVirtualNetwork,
  async (input: CreateVirtualNetworkInput, deps): Promise<Outcome<{ created: boolean; subnetId: string }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.virtualNetworkId);
    const network = deps.clients.network(subscriptionId);
    const subnetId = `${input.virtualNetworkId}/subnets/${input.subnetName}`;
    try {
      const existing = await network.virtualNetworks.get(resourceGroup, names[0]);
      // An existing VNet is kept: its subnet must exist (the endpoint goes there), never assumed.
      if (!(existing.subnets ?? []).some((s) => String(s.name).toLowerCase() === input.subnetName.toLowerCase())) {
        return failure('SubnetNotFound', `Virtual network ${input.virtualNetworkId} exists but has no subnet '${input.subnetName}' for the private endpoint.`, 404);
      }
      return { ok: true, created: false, subnetId };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await network.virtualNetworks.createOrUpdate(resourceGroup, names[0], {
      location: input.location,
      addressSpace: { addressPrefixes: input.addressPrefixes },
      subnets: [{ name: input.subnetName, addressPrefix: input.subnetAddressPrefix, privateEndpointNetworkPolicies: 'Disabled' }],
    }, pollOptions(deps));
    return { ok: true, created: true, subnetId };
  },
);
