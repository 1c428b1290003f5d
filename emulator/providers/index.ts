import type { Provider } from '../core/types';
import { redisProvider } from './redis';
import { redisEnterpriseProvider } from './redis-enterprise';
import { networkProvider } from './network';
import { privateDnsProvider } from './private-dns';
import { resourceGraphProvider } from './resource-graph';

export { redisProvider, redisEnterpriseProvider, networkProvider, privateDnsProvider, resourceGraphProvider };

/** Every resource provider the emulator serves. */
export function allProviders(): Provider[] {
  return [redisProvider, redisEnterpriseProvider, networkProvider, privateDnsProvider, resourceGraphProvider];
}
