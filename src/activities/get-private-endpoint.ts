import { ifExists } from '../azure/arm-errors';
import { idParts } from './arm-ids';
import { defineActivity } from './define';
import { ActivityNames } from './names';
import { viewPrivateEndpoint, type PrivateEndpointView } from './private-endpoint-view';

export interface GetPrivateEndpointInput {
  privateEndpointId: string;
}

export type GetPrivateEndpointResult = { exists: false } | ({ exists: true } & PrivateEndpointView);

export const getPrivateEndpoint = defineActivity(
  ActivityNames.getPrivateEndpoint,
  async (input: GetPrivateEndpointInput, deps): Promise<GetPrivateEndpointResult> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.privateEndpointId);
    const pe = await ifExists(deps.clients.network(subscriptionId).privateEndpoints.get(resourceGroup, names[0]));
    return pe ? { exists: true, ...viewPrivateEndpoint(pe) } : { exists: false };
  },
);
