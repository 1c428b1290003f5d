import { ifExists } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface DeletePrivateEndpointInput {
  privateEndpointId: string;
}

/** `az network private-endpoint delete`; a missing endpoint is success. Its DNS zone group's records go with it. */
export const deletePrivateEndpoint = defineActivity(
  ActivityNames.deletePrivateEndpoint,
  async (input: DeletePrivateEndpointInput, deps): Promise<Outcome<{ deleted: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.privateEndpointId);
    const network = deps.clients.network(subscriptionId);
    if (!(await ifExists(network.privateEndpoints.get(resourceGroup, names[0])))) return { ok: true, deleted: false };
    await network.privateEndpoints.delete(resourceGroup, names[0], pollOptions(deps));
    return { ok: true, deleted: true };
  },
);
