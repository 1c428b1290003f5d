import type { Provider } from '../core/types';

/** Placeholder until this provider is written. */
export const resourceGraphProvider: Provider = { name: 'Microsoft.ResourceGraph', routes: [] };
