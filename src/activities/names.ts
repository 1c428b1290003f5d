/** Activity names: one ARM step each, named with Azure SDK verbs. */
export const ActivityNames = {
  getCacheSnapshot: 'getCacheSnapshot',
  getCacheState: 'getCacheState',
  ensureSubnetReady: 'ensureSubnetReady',
  ensurePrivateDnsZone: 'ensurePrivateDnsZone',
  ensureVirtualNetworkLink: 'ensureVirtualNetworkLink',
  createPrivateEndpoint: 'createPrivateEndpoint',
  getPrivateEndpoint: 'getPrivateEndpoint',
  ensurePrivateDnsZoneGroup: 'ensurePrivateDnsZoneGroup',
  deletePrivateEndpoint: 'deletePrivateEndpoint',
  updatePublicNetworkAccess: 'updatePublicNetworkAccess',
  deleteLinkedServer: 'deleteLinkedServer',
  createLinkedServer: 'createLinkedServer',
  getLinkedServerOperation: 'getLinkedServerOperation',
  updateCacheTags: 'updateCacheTags',
  updateConnectionState: 'updateConnectionState',
  createVirtualNetwork: 'createVirtualNetwork',
  beginCreateCache: 'beginCreateCache',
  evaluateCachePage: 'evaluateCachePage',
  recordRemediations: 'recordRemediations',
  recordInventory: 'recordInventory',
  lookupInventory: 'lookupInventory',
  writeReport: 'writeReport',
} as const;

export type ActivityName = (typeof ActivityNames)[keyof typeof ActivityNames];
