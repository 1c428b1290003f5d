import type { Provider } from '../core/types';

/** Placeholder until this provider is written. */
export const privateDnsProvider: Provider = { name: 'Microsoft.Network/privateDnsZones', routes: [] };
