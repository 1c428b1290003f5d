/**
 * The storage account a cache persists to (or exports/imports with) cannot be read back from ARM (the connection
 * string is write-only), so operators declare it with the cache tag `privatelink-autopilot-storage: <storage
 * account id>`. Its firewall is read through Resource Graph (`properties.networkAcls.defaultAction`); managed
 * identity is the cache's identity plus `preferred-data-persistence-auth-method: ManagedIdentity`.
 */
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { parseResourceId } from '../azure/resource-id';
import type { SnapshotPersistence } from '../policy/snapshot';

export const STORAGE_TAG = 'privatelink-autopilot-storage';

export function declaredStorageAccount(tags: Record<string, string> | undefined | null): string | undefined {
  const entry = Object.entries(tags ?? {}).find(([k]) => k.toLowerCase() === STORAGE_TAG);
  return entry?.[1]?.trim() || undefined;
}

export function usesManagedIdentity(identityType: string | undefined, authMethod: string | undefined): boolean {
  return /assigned/i.test(identityType ?? '') && String(authMethod ?? '').toLowerCase() === 'managedidentity';
}

/** Firewall state of storage accounts by id (lower-case): true when the default network action is Deny. */
export async function storageFirewalls(graph: ResourceGraphClient, accountIds: string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const valid = [...new Set(accountIds.map((id) => id.toLowerCase()))].filter((id) => {
    try {
      return !!parseResourceId(id).subscriptionId && !/['\\]/.test(id);
    } catch {
      return false;
    }
  });
  if (valid.length === 0) return out;
  const subscriptions = [...new Set(valid.map((id) => parseResourceId(id).subscriptionId))];
  const list = valid.map((id) => `'${id}'`).join(', ');
  const r = await graph.resources({
    subscriptions,
    query: `resources | where type =~ 'microsoft.storage/storageaccounts' | where tolower(id) in (${list}) | project id, properties`,
  });
  for (const row of (r.data as Array<{ id: string; properties?: any }>) ?? []) {
    out.set(row.id.toLowerCase(), String(row.properties?.networkAcls?.defaultAction ?? 'Allow').toLowerCase() === 'deny');
  }
  return out;
}

export function persistenceOf(
  declared: string | undefined,
  firewalls: Map<string, boolean>,
  identityType: string | undefined,
  authMethod: string | undefined,
): SnapshotPersistence | undefined {
  if (!declared) return undefined;
  const firewall = firewalls.get(declared.toLowerCase());
  if (firewall === undefined) return undefined; // not readable: unknown
  return { storageFirewall: firewall, managedIdentity: usesManagedIdentity(identityType, authMethod) };
}
