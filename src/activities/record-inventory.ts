import { defineActivity } from './define';
import { ActivityNames } from './names';

export interface RecordInventoryInput {
  entries: Array<{ privateEndpointId: string; cacheId: string }>;
}

/** Remembers which cache each private endpoint serves, for "private endpoint deleted" events. */
export const recordInventory = defineActivity(ActivityNames.recordInventory, async (input: RecordInventoryInput, deps) => {
  const written = await deps.inventory.record(input.entries, new Date().toISOString());
  return { ok: true as const, written };
});

export interface LookupInventoryInput {
  privateEndpointId: string;
}

export const lookupInventory = defineActivity(ActivityNames.lookupInventory, async (input: LookupInventoryInput, deps) => {
  const entry = await deps.inventory.lookup(input.privateEndpointId);
  return entry ? { found: true as const, cacheId: entry.cacheId } : { found: false as const };
});
