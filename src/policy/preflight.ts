/**
 * Preflight for "add a private endpoint to this cache" (HTTP runbook, plan execution): refuse what Azure refuses,
 * with the documented reason, before any ARM call.
 */
import { sameId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import { SEED, quote } from './seed-rules';
import type { CacheSnapshot } from './snapshot';
import { geoReplicationBlocks, isClustered, linkLimitOf, tierFactsOf } from './tiers';

export interface AddEndpointTarget {
  /** Where the endpoint goes. When the cache already has a live endpoint in this VNet, adding is a no-op (ok). */
  subnetId?: string;
  /** A publicNetworkAccess value requested together with the endpoint. */
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  /** How passive geo-replication is handled (policy `geoReplication`); default `manual` = refuse. */
  geoReplication?: 'manual' | 'unlink-and-relink';
}

export type PreflightRule =
  | 'cache-not-ready'
  | 'vnet-injected'
  | 'public-network-access-unsupported'
  | 'geo-replication-blocks-private-link'
  | 'clustered-link-limit-reached'
  | 'link-limit-reached';

export type PreflightResult = { ok: true } | { ok: false; rule: PreflightRule; message: string };

export function preflightAddEndpoint(snapshot: CacheSnapshot, target: AddEndpointTarget = {}): PreflightResult {
  const facts = tierFactsOf(snapshot);
  const name = snapshot.name;
  if (snapshot.subnetId) {
    return { ok: false, rule: 'vnet-injected', message: `Cache '${name}' is VNet-injected: ${quote(SEED.vnetInjected)}. ${SEED.migration}` };
  }
  if (target.publicNetworkAccess !== undefined && !facts.supportsPublicNetworkAccess) {
    const why = facts.tier === 'AzureManagedRedis' ? 'the pinned redisEnterprise API version cannot set it' : quote(SEED.enterpriseNoPublicNetworkAccess);
    return {
      ok: false,
      rule: 'public-network-access-unsupported',
      message: `Cache '${name}' (${facts.tier}) has no publicNetworkAccess flag: ${why}`,
    };
  }
  if (snapshot.provisioningState.toLowerCase() !== 'succeeded') {
    return {
      ok: false,
      rule: 'cache-not-ready',
      message: `Cache '${name}' is ${snapshot.provisioningState}; endpoints are added once it is Succeeded`,
    };
  }
  if (target.subnetId) {
    const vnet = virtualNetworkIdOfSubnet(target.subnetId);
    const live = snapshot.connections.filter((c) => c.status === 'Approved' || c.status === 'Pending');
    const already = live.some((c) =>
      snapshot.privateEndpoints.some((pe) => sameId(pe.id, c.privateEndpointId) && sameId(pe.virtualNetworkId, vnet)),
    );
    if (already) return { ok: true };
  }
  if (geoReplicationBlocks(snapshot) && (target.geoReplication ?? 'manual') !== 'unlink-and-relink') {
    return { ok: false, rule: 'geo-replication-blocks-private-link', message: `Cache '${name}' uses passive geo-replication: ${quote(SEED.geoReplication)}` };
  }
  const { limit, rule } = linkLimitOf(snapshot);
  const count = snapshot.connections.length;
  if (count >= limit) {
    return {
      ok: false,
      rule: isClustered(snapshot) ? 'clustered-link-limit-reached' : 'link-limit-reached',
      message: `Cache '${name}' already has ${count} private link(s) and its limit is ${limit}: ${quote(rule)}`,
    };
  }
  return { ok: true };
}
