/**
 * `GET /subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}` (Providers_Get, api 2021-04-01):
 * whether a namespace is registered in a subscription and where each of its resource types is offered. Shape from
 * the spec example `GetProvider.json` (Microsoft.Resources stable/2021-04-01). Every namespace the emulator serves is
 * `Registered` in a fixed list of common regions by default; tests make a namespace unregistered in a subscription or a
 * resource type unavailable in a region with `setProviderAvailability` (what Azure offers where is not modelled
 * from any source: the defaults are neutral, the cases under test are set explicitly).
 */
import type { EmulatorContext, Provider, RouteDef } from '../core/types';
import { locationDisplayName, normalizeLocation } from '../core/locations';

const KNOWN: Record<string, string[]> = {
  'microsoft.cache': ['redis', 'redisEnterprise', 'locations', 'locations/operationsStatus', 'locations/asyncOperations', 'locations/operationResults'],
  'microsoft.network': ['virtualNetworks', 'privateEndpoints', 'privateDnsZones', 'networkInterfaces', 'locations'],
  'microsoft.resourcegraph': ['resources'],
};
const NAMESPACES: Record<string, string> = { 'microsoft.cache': 'Microsoft.Cache', 'microsoft.network': 'Microsoft.Network', 'microsoft.resourcegraph': 'Microsoft.ResourceGraph' };
const REGIONS = ['eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northeurope', 'westeurope', 'uksouth', 'southeastasia', 'japaneast', 'australiaeast'];

interface Availability {
  unregistered: Set<string>;
  /** `namespace/type` (lower case) -> normalised regions where the type is NOT offered. */
  unavailable: Map<string, Set<string>>;
}
const state = new WeakMap<EmulatorContext, Availability>();
function of(ctx: EmulatorContext): Availability {
  let a = state.get(ctx);
  if (!a) state.set(ctx, (a = { unregistered: new Set(), unavailable: new Map() }));
  return a;
}

/** Test control: a namespace not registered in a subscription; a resource type not offered in regions. */
export function setProviderAvailability(ctx: EmulatorContext, p: { unregistered?: Array<{ subscriptionId: string; namespace: string }>; unavailable?: Array<{ type: string; location: string }> }): void {
  const a = of(ctx);
  for (const u of p.unregistered ?? []) a.unregistered.add(`${u.subscriptionId}/${u.namespace}`.toLowerCase());
  for (const u of p.unavailable ?? []) {
    const key = u.type.toLowerCase();
    a.unavailable.set(key, new Set([...(a.unavailable.get(key) ?? []), normalizeLocation(u.location)]));
  }
}

const routes: RouteDef[] = [
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}',
    kind: 'read',
    handler: (_req, p, ctx) => {
      const ns = p.resourceProviderNamespace!.toLowerCase();
      const types = KNOWN[ns];
      const name = NAMESPACES[ns] ?? p.resourceProviderNamespace!;
      const a = of(ctx);
      const registered = !a.unregistered.has(`${p.subscriptionId}/${ns}`.toLowerCase());
      return {
        status: 200,
        body: {
          id: `/subscriptions/${p.subscriptionId}/providers/${name}`,
          namespace: name,
          registrationState: types && registered ? 'Registered' : 'NotRegistered',
          registrationPolicy: 'RegistrationRequired',
          resourceTypes: (types ?? []).map((t) => ({
            resourceType: t,
            locations: REGIONS.filter((r) => !a.unavailable.get(`${name}/${t}`.toLowerCase())?.has(r)).map(locationDisplayName),
            apiVersions: [],
          })),
        },
      };
    },
  },
];

export const resourceProvidersProvider: Provider = { name: 'Microsoft.Resources/providers', routes };
