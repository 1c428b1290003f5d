/** Every activity, registered under its name from `names.ts`. */
import type { ActivityDefinition } from './define';
import { beginCreateCache, getCacheCreateOperation } from './begin-create-cache';
import { createLinkedServer } from './create-linked-server';
import { createPrivateEndpoint } from './create-private-endpoint';
import { createVirtualNetwork } from './create-virtual-network';
import { deleteLinkedServer } from './delete-linked-server';
import { getLinkedServerOperation } from './get-linked-server-operation';
import { updateCacheTags } from './update-cache-tags';
import { deletePrivateEndpoint } from './delete-private-endpoint';
import { ensurePrivateDnsZone } from './ensure-private-dns-zone';
import { ensurePrivateDnsZoneGroup } from './ensure-private-dns-zone-group';
import { ensureSubnetReady } from './ensure-subnet-ready';
import { ensureVirtualNetworkLink } from './ensure-virtual-network-link';
import { getCacheSnapshot } from './get-cache-snapshot';
import { getCacheState } from './get-cache-state';
import { getPrivateEndpoint } from './get-private-endpoint';
import { lookupInventory, recordInventory } from './record-inventory';
import { updateConnectionState } from './update-connection-state';
import { updatePublicNetworkAccess } from './update-public-network-access';
import { evaluateCachePage, recordRemediations } from './evaluate-cache-page';
import { writeReport } from './write-report';
import { MANAGED_REDIS_ACTIVITIES } from './managed-redis';

export const ACTIVITIES: ActivityDefinition[] = [
  getCacheSnapshot,
  getCacheState,
  ensureSubnetReady,
  ensurePrivateDnsZone,
  ensureVirtualNetworkLink,
  createPrivateEndpoint,
  getPrivateEndpoint,
  ensurePrivateDnsZoneGroup,
  deletePrivateEndpoint,
  updatePublicNetworkAccess,
  deleteLinkedServer,
  createLinkedServer,
  getLinkedServerOperation,
  updateCacheTags,
  updateConnectionState,
  createVirtualNetwork,
  beginCreateCache,
  getCacheCreateOperation,
  recordInventory,
  lookupInventory,
  evaluateCachePage,
  recordRemediations,
  writeReport,
  ...MANAGED_REDIS_ACTIVITIES,
];
