import { declaredStorageAccount, persistenceOf, usesManagedIdentity } from '../../../src/activities/storage-persistence';

const ID = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';

describe('storage persistence facts', () => {
  it('reads the declared account from the tag, whatever its case', () => {
    expect(declaredStorageAccount({ 'PrivateLink-Autopilot-Storage': ` ${ID} ` })).toBe(ID);
    expect(declaredStorageAccount({ other: ID })).toBeUndefined();
    expect(declaredStorageAccount(undefined)).toBeUndefined();
  });
  it('managed identity needs an assigned identity and the ManagedIdentity auth method', () => {
    expect(usesManagedIdentity('SystemAssigned', 'ManagedIdentity')).toBe(true);
    expect(usesManagedIdentity('SystemAssigned, UserAssigned', 'managedidentity')).toBe(true);
    expect(usesManagedIdentity('SystemAssigned', 'SAS')).toBe(false);
    expect(usesManagedIdentity('None', 'ManagedIdentity')).toBe(false);
    expect(usesManagedIdentity(undefined, undefined)).toBe(false);
  });
  it('is unknown (undefined) when the account is not declared or could not be read', () => {
    expect(persistenceOf(undefined, new Map([[ID.toLowerCase(), true]]), 'SystemAssigned', 'SAS')).toBeUndefined();
    expect(persistenceOf(ID, new Map(), 'SystemAssigned', 'SAS')).toBeUndefined();
  });
  it('reports the firewall and the identity when known', () => {
    expect(persistenceOf(ID, new Map([[ID.toLowerCase(), true]]), 'SystemAssigned', 'ManagedIdentity')).toEqual({ storageFirewall: true, managedIdentity: true });
    expect(persistenceOf(ID.toUpperCase(), new Map([[ID.toLowerCase(), false]]), undefined, undefined)).toEqual({ storageFirewall: false, managedIdentity: false });
  });
});
