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
} as const;

/** Deterministic instance id for per-cache work: one instance per cache and workflow at a time. */
export function cacheInstanceId(workflow: string, cacheId: string): string {
  const s = cacheId.toLowerCase().split('/').filter(Boolean);
  // subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.cache/{type}/{name}
  const sub = s[1] ?? 'x';
  const rg = s[3] ?? 'x';
  const type = s[6] ?? 'x';
  const name = s[7] ?? 'x';
  return `${workflow}:${sub}:${rg}:${type}:${name}`;
}

export function subInstanceId(parent: string, suffix: string): string {
  return `${parent}:${suffix}`;
}
