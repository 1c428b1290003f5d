import { shortHash } from '../policy/naming';

/** Orchestrator names as registered (the export name of each orchestrator function). */
export const OrchestratorNames = {
  addPrivateEndpoint: 'addPrivateEndpointOrchestrator',
  removePrivateEndpoint: 'removePrivateEndpointOrchestrator',
  setPublicNetworkAccess: 'setPublicNetworkAccessOrchestrator',
  createCacheWithPrivateEndpoint: 'createCacheWithPrivateEndpointOrchestrator',
  remediateCache: 'remediateCacheOrchestrator',
  verifyCache: 'verifyCacheOrchestrator',
  reviewConnections: 'reviewConnectionsOrchestrator',
  complianceSweep: 'complianceSweepOrchestrator',
  geoReplicationChange: 'geoReplicationChangeOrchestrator',
  migrateToManagedRedis: 'migrateToManagedRedisOrchestrator',
} as const;

/** Durable instance ids stay within 100 characters (the Azure Storage backend's limit): longer ones are cut and
 * keep a hash of the whole id, so they stay distinct and deterministic. */
export function boundedInstanceId(id: string): string {
  if (id.length <= 100) return id;
  return `${id.slice(0, 91)}-${shortHash(id)}`;
}

/** Deterministic instance id for per-cache work: one instance per cache and workflow at a time. */
export function cacheInstanceId(workflow: string, cacheId: string): string {
  const s = cacheId.toLowerCase().split('/').filter(Boolean);
  // subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.cache/{type}/{name}
  const sub = s[1] ?? 'x';
  const rg = s[3] ?? 'x';
  const type = s[6] ?? 'x';
  const name = s[7] ?? 'x';
  return boundedInstanceId(`${workflow}:${sub}:${rg}:${type}:${name}`);
}

/**
 * The lock of a passive geo-replication pair: the unlink .. relink change of a pair runs as a sub-orchestration
 * with this id, so two workflows (one per cache of the pair, or a sweep and an event) never unlink and relink the
 * same pair at once: the second start is refused while the first runs.
 */
export function geoPairInstanceId(cacheA: string, cacheB: string): string {
  const [a, b] = [cacheA.toLowerCase(), cacheB.toLowerCase()].sort();
  const short = (id: string) => id.split('/').pop();
  return boundedInstanceId(`geo:${short(a)}:${short(b)}:${shortHash(`${a}|${b}`)}`);
}

export function subInstanceId(parent: string, suffix: string): string {
  return boundedInstanceId(`${parent}:${suffix}`);
}
