import type { Provider } from '../core/types';
import { redisProvider } from './redis';
import { redisEnterpriseProvider } from './redis-enterprise';
import { networkProvider } from './network';
import { privateDnsProvider } from './private-dns';
import { resourceGraphProvider } from './resource-graph';
import { redisMigrationsProvider } from './redis-migrations';
import { resourceProvidersProvider } from './resource-providers';

export { redisProvider, redisEnterpriseProvider, networkProvider, privateDnsProvider, resourceGraphProvider, redisMigrationsProvider };

/** Every resource provider the emulator serves. */
export function allProviders(): Provider[] {
  return [redisProvider, redisEnterpriseProvider, redisMigrationsProvider, networkProvider, privateDnsProvider, resourceGraphProvider, resourceProvidersProvider];
}
