/** Every orchestrator, keyed by its registered name (the export name). */
import type { OrchestrationHandler } from 'durable-functions';
import { addPrivateEndpointOrchestrator } from './add-private-endpoint';
import { createCacheWithPrivateEndpointOrchestrator } from './create-cache-with-private-endpoint';
import { remediateCacheOrchestrator } from './remediate-cache';
import { removePrivateEndpointOrchestrator } from './remove-private-endpoint';
import { reviewConnectionsOrchestrator } from './review-connections';
import { setPublicNetworkAccessOrchestrator } from './set-public-network-access';
import { verifyCacheOrchestrator } from './verify-cache';
import { complianceSweepOrchestrator } from './compliance-sweep';
import { geoReplicationChangeOrchestrator } from './geo-replication-change';
import { migrateToManagedRedisOrchestrator } from './migrate-to-managed-redis';
import { OrchestratorNames } from './names';

export const ORCHESTRATORS: Record<string, OrchestrationHandler> = {
  [OrchestratorNames.addPrivateEndpoint]: addPrivateEndpointOrchestrator,
  [OrchestratorNames.removePrivateEndpoint]: removePrivateEndpointOrchestrator,
  [OrchestratorNames.setPublicNetworkAccess]: setPublicNetworkAccessOrchestrator,
  [OrchestratorNames.createCacheWithPrivateEndpoint]: createCacheWithPrivateEndpointOrchestrator,
  [OrchestratorNames.remediateCache]: remediateCacheOrchestrator,
  [OrchestratorNames.verifyCache]: verifyCacheOrchestrator,
  [OrchestratorNames.reviewConnections]: reviewConnectionsOrchestrator,
  [OrchestratorNames.complianceSweep]: complianceSweepOrchestrator,
  [OrchestratorNames.geoReplicationChange]: geoReplicationChangeOrchestrator,
  [OrchestratorNames.migrateToManagedRedis]: migrateToManagedRedisOrchestrator,
};
