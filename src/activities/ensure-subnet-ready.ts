import { isNotFound } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import { ActivityNames } from './names';

export interface EnsureSubnetReadyInput {
  subnetId: string;
}

/**
 * "You must have network policies enforcement disabled to deploy private endpoints in a subnet" (seed): the
 * CLI's `az network vnet subnet update --disable-private-endpoint-network-policies true`.
 */
export const ensureSubnetReady = defineActivity(
  ActivityNames.ensureSubnetReady,
  async (input: EnsureSubnetReadyInput, deps): Promise<Outcome<{ changed: boolean; location?: string }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.subnetId);
    const [vnetName, subnetName] = names;
    const network = deps.clients.network(subscriptionId);
    let vnet;
    try {
      vnet = await network.virtualNetworks.get(resourceGroup, vnetName);
    } catch (e) {
      if (isNotFound(e)) return failure('VirtualNetworkNotFound', `Virtual network '${vnetName}' of subnet ${input.subnetId} does not exist.`, 404);
      throw e;
    }
    let subnet;
    try {
      subnet = await network.subnets.get(resourceGroup, vnetName, subnetName);
    } catch (e) {
      if (isNotFound(e)) return failure('SubnetNotFound', `Subnet ${input.subnetId} does not exist.`, 404);
      throw e;
    }
    if (subnet.privateEndpointNetworkPolicies === 'Disabled') return { ok: true, changed: false, location: vnet.location };
    await network.subnets.createOrUpdate(resourceGroup, vnetName, subnetName, { ...subnet, privateEndpointNetworkPolicies: 'Disabled' }, pollOptions(deps));
    return { ok: true, changed: true, location: vnet.location };
  },
);
