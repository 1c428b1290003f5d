import type { Provider } from '../core/types';

/** Placeholder until this provider is written. */
export const networkProvider: Provider = { name: 'Microsoft.Network', routes: [] };
