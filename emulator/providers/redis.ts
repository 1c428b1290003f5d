import type { Provider } from '../core/types';

/** Placeholder until this provider is written. */
export const redisProvider: Provider = { name: 'Microsoft.Cache/Redis', routes: [] };
