import { shapeDiff } from '../../support/shape';

describe('shapeDiff (the fidelity tests compare emulator bodies with real payloads through it)', () => {
  const example = { id: '/x', properties: { publicNetworkAccess: 'Enabled', provisioningState: 'Succeeded', sslPort: 6380, privateEndpointConnections: [{ properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }] } };
  it('accepts the same shape with other values of the same enums', () => {
    expect(shapeDiff(example, { id: '/y', properties: { publicNetworkAccess: 'Disabled', provisioningState: 'Creating', sslPort: 1, privateEndpointConnections: [{ properties: { privateLinkServiceConnectionState: { status: 'Pending' } } }] } })).toEqual([]);
  });
  it('reports missing keys, wrong types, values outside an enum and empty arrays', () => {
    expect(shapeDiff(example, { id: 1, properties: { publicNetworkAccess: 'Open', provisioningState: 'Succeeded', privateEndpointConnections: [] } })).toEqual([
      'id: expected string, got number',
      "properties.publicNetworkAccess: 'Open' is not one of Enabled, Disabled",
      'properties.sslPort: missing',
      'properties.privateEndpointConnections: expected a non-empty array',
    ]);
  });
  it('skips ignored paths and, when asked, tolerates empty arrays', () => {
    expect(shapeDiff(example, { id: '/y', properties: { publicNetworkAccess: 'Enabled', provisioningState: 'Succeeded', privateEndpointConnections: [] } }, { ignore: ['properties.sslPort'], nonEmptyArrays: false })).toEqual([]);
  });
});
