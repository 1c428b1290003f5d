import type { Provider } from '../core/types';

/** Placeholder until this provider is written. */
export const redisEnterpriseProvider: Provider = { name: 'Microsoft.Cache/redisEnterprise', routes: [] };
