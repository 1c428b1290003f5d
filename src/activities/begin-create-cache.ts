import { isNotFound, mapArmError } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, type Outcome } from './define';
import { ActivityNames } from './names';

export interface BeginCreateCacheInput {
  cacheId: string;
  location: string;
  sku: { name: 'Basic' | 'Standard' | 'Premium'; family: 'C' | 'P'; capacity: number };
  shardCount?: number;
  enableNonSslPort?: boolean;
  tags?: Record<string, string>;
}

/** The create body: public network access Disabled (private endpoint only), TLS 1.2. */
export function cacheCreateParameters(input: BeginCreateCacheInput) {
  return {
    location: input.location,
    sku: input.sku,
    enableNonSslPort: input.enableNonSslPort ?? false,
    minimumTlsVersion: '1.2',
    publicNetworkAccess: 'Disabled',
    ...(input.shardCount ? { shardCount: input.shardCount } : {}),
    tags: { 'managed-by': 'redis-private-link-autopilot', ...(input.tags ?? {}) },
  };
}

/**
 * Starts creating a cache with public network access Disabled (private endpoint only) and returns at once with the
 * operation to await (the SDK poller's state: its Azure-AsyncOperation URL): creation takes a while, and the
 * orchestrator polls the operation on durable timers (`getCacheCreateOperation`), not in an activity.
 */
export const beginCreateCache = defineActivity(
  ActivityNames.beginCreateCache,
  async (input: BeginCreateCacheInput, deps): Promise<Outcome<{ started: boolean; provisioningState?: string; operation?: string }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const redis = deps.clients.redis(subscriptionId).redis;
    try {
      const existing = await redis.get(resourceGroup, names[0]);
      return { ok: true, started: false, provisioningState: existing.provisioningState };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const poller = await redis.beginCreate(resourceGroup, names[0], cacheCreateParameters(input), pollOptions(deps));
    return { ok: true, started: true, provisioningState: 'Creating', operation: poller.toString() };
  },
);

export interface GetCacheCreateOperationInput {
  cache: BeginCreateCacheInput;
  operation: string;
}

/**
 * Polls the cache creation ONCE through the SDK's poller resumed from its state: `done: false` while it runs; an
 * operation that ended Failed or Canceled is a failure with ARM's error (never inferred from the cache's state).
 */
export const getCacheCreateOperation = defineActivity(
  ActivityNames.getCacheCreateOperation,
  async (input: GetCacheCreateOperationInput, deps): Promise<Outcome<{ done: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cache.cacheId);
    try {
      const poller = await deps.clients.redis(subscriptionId).redis.beginCreate(resourceGroup, names[0], cacheCreateParameters(input.cache), { ...pollOptions(deps), resumeFrom: input.operation });
      const state = poller.getOperationState();
      if (state.status === 'failed' || state.status === 'canceled') {
        const error = state.error ? mapArmError(state.error) : undefined;
        return { ok: false, code: error?.code ?? 'OperationFailed', message: `The operation ended ${state.status}: ${error?.message ?? 'no error detail'}` };
      }
      return { ok: true, done: state.status === 'succeeded' };
    } catch (e) {
      const mapped = mapArmError(e);
      if (mapped.kind === 'lro-failed') return { ok: false, code: mapped.code, message: `The operation ended Failed: ${mapped.message}` };
      throw e;
    }
  },
);
