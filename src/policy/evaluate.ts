/**
 * evaluate(snapshot, policy) -> Finding[]: what is wrong with one cache and everything attached to it.
 *
 * Pure and deterministic (same input, same findings in the same order). Caches outside `policy.scopes` and caches
 * tagged `exempt` get no findings. Audit mode still reports everything (plan() is what stays silent).
 *
 * Rules (severity) and their `data`:
 * - vnet-injected (high): `subnetId` set; nothing else about endpoints is evaluated. data { subnetId }
 * - private-endpoint-missing: no Approved/Pending endpoint in the placement VNet for the cache's region (or, with no
 *   placement for the region, no approved endpoint at all). medium when the cache has no approved endpoint, low when
 *   it has one elsewhere. data { region, placementSubnetId|null, privateEndpointId|null, blockedBy: 'link-limit' |
 *   'geo-replication' | 'no-placement' | null, approvedEndpoints }
 * - link-limit-reached (medium): an endpoint is needed but the cache already has its limit of private links.
 *   data { limit, count, clustered }
 * - unreachable-no-endpoint (high): publicNetworkAccess Disabled and no approved endpoint. data { onLastEndpointDeleted }
 * - public-access-enabled (medium): an approved endpoint exists, publicNetworkAccess is Enabled, the policy wants
 *   Disabled. data { wanted, verifiedEndpoints[] } (plan() only disables once verifiedEndpoints is non-empty)
 * - dns-zone-group-missing (high if public access is Disabled, else medium): an approved endpoint has no DNS zone
 *   group. data { privateEndpointId, expectedZone, zoneId }
 * - dns-zone-wrong (high/medium as above): a zone group references a zone whose name is not the tier's zone in the
 *   policy's cloud. data { privateEndpointId, zoneGroupId, expectedZone, actualZones[], zoneId (the fix target) }
 * - dns-zone-not-linked (medium): the cache's zone is not linked to a VNet hosting an approved endpoint of the cache
 *   or to a configured consumer VNet. data { zoneId, virtualNetworkId, zoneExists, reason: 'endpoint' | 'consumer' }
 * - dns-record-mismatch (high/medium as above): the cache's A record in a zone misses an approved endpoint's IP, or
 *   holds IPs that belong to no endpoint of the cache. data { zoneId, recordName, expected[], actual[], missing[],
 *   stale[], privateEndpointIds[] (the endpoints whose IP is missing) }
 * - connection-pending (medium): data { connectionId, privateEndpointId, decision: approve|reject|leave }
 * - connection-rejected (low when Rejected, medium when Disconnected): data { connectionId, privateEndpointId,
 *   status, managed (the autopilot's own endpoint at the placement) }
 * - geo-replica-without-endpoint (medium): one cache of a passive geo-replication pair has an approved endpoint and
 *   the other has none (needs `linkedCacheApprovedEndpoints`). data { linkedCacheId, thisHasEndpoint, linkedHasEndpoint }
 * - basic-tier-data-loss-risk (medium): Basic cache and the fix deletes and recreates an endpoint (the autopilot's
 *   endpoint was rejected/disconnected) or recreates one after the last was deleted. data { action, allowed }
 * - storage-firewall-persistence (medium): persistence/import/export uses a storage account with a firewall and the
 *   cache is not Premium with managed identity. data { tier, managedIdentity }
 * - geo-replication-unlinked (high): the cache carries the tag this product puts on a cache before unlinking its
 *   passive geo-replication (value: the secondary's id) and is not linked to that cache now: a pair the product
 *   unlinked and did not relink. data { primaryCacheId, secondaryCacheId, otherLinks }
 * - private-endpoint-failed (high if public access is Disabled, else medium): an endpoint of the cache is in
 *   provisioningState Failed. data { privateEndpointId, managed (the autopilot's own endpoint at the placement) }
 * - dns-record-missing (high/medium as dns-*): an approved endpoint whose A record is absent: its zone group points at
 *   the right zone but the zone has no record for the cache, or (Resource Graph, which does not index zone groups) no
 *   zone holds its IP. Clients in VNets linked to the zone get NXDOMAIN. data { privateEndpointId, zoneId, recordName }
 */
import { sameId } from '../azure/resource-id';
import { childId, buildContext, decideConnection, isLinked, recordOf, zoneIdsOf, zoneNameOfId, type PolicyContext } from './context';
import { isExpectedZoneName } from './dns';
import { GEO_UNLINKED_TAG } from './naming';
import type { Policy } from './policy-schema';
import { normalizeRegion } from './policy-schema';
import { SEED, quote } from './seed-rules';
import type { CacheSnapshot } from './snapshot';
import type { Finding, JsonValue, RuleId, Severity } from './types';

export function evaluate(snapshot: CacheSnapshot, policy: Policy): Finding[] {
  const ctx = buildContext(snapshot, policy);
  if (!ctx.inScope || ctx.mode === 'exempt') return [];
  return evaluateContext(ctx);
}

export function evaluateContext(ctx: PolicyContext): Finding[] {
  const { snapshot: s, policy, facts } = ctx;
  const out: Finding[] = [];
  const add = (rule: RuleId, severity: Severity, message: string, resourceId?: string, data?: Record<string, JsonValue>) => {
    const f: Finding = { rule, severity, message, cacheId: s.cacheId };
    if (resourceId !== undefined) f.resourceId = resourceId;
    if (data !== undefined) f.data = data;
    out.push(f);
  };

  // VNet injection excludes private endpoints entirely.
  if (s.subnetId) {
    add(
      'vnet-injected',
      'high',
      `Cache '${s.name}' is VNet-injected (subnet ${s.subnetId}) and cannot use private endpoints; migrate it to Private Link (${quote(SEED.vnetInjected)} ${SEED.migration})`,
      s.cacheId,
      { subnetId: s.subnetId },
    );
    return out;
  }

  const pnaSupported = facts.supportsPublicNetworkAccess && s.publicNetworkAccess !== undefined;
  const publicDisabled = pnaSupported && s.publicNetworkAccess === 'Disabled';
  const dnsSeverity: Severity = publicDisabled ? 'high' : 'medium';

  // Reachability and public access.
  if (publicDisabled && ctx.approved.length === 0) {
    add(
      'unreachable-no-endpoint',
      'high',
      `Cache '${s.name}' has public network access Disabled and no approved private endpoint: it is unreachable (${quote(SEED.lastEndpointDeleted)})`,
      s.cacheId,
      { onLastEndpointDeleted: policy.onLastEndpointDeleted },
    );
  }
  if (pnaSupported && s.publicNetworkAccess === 'Enabled' && policy.publicNetworkAccess === 'Disabled' && ctx.approved.length > 0) {
    add(
      'public-access-enabled',
      'medium',
      `Cache '${s.name}' has an approved private endpoint but public network access is Enabled; the policy wants Disabled (${quote(SEED.publicNetworkAccessFlag)})`,
      s.cacheId,
      { wanted: policy.publicNetworkAccess, verifiedEndpoints: ctx.verified.map((e) => e.connection.privateEndpointId) },
    );
  }

  // The endpoint at the placement.
  const region = normalizeRegion(s.location);
  const placement = ctx.placement;
  const live = [...ctx.approved, ...ctx.pending];
  const hasPlacementEndpoint = placement
    ? live.some(
        (e) =>
          sameId(e.connection.privateEndpointId, placement.privateEndpointId) ||
          (e.endpoint !== undefined && sameId(e.endpoint.virtualNetworkId, placement.virtualNetworkId)),
      )
    : ctx.approved.length > 0;
  if (!hasPlacementEndpoint) {
    // The autopilot's dead endpoint is deleted before the new one is created: its link does not count.
    const count = s.connections.length - (ctx.deadManaged ? 1 : 0);
    const limitReached = count >= ctx.linkLimit.limit;
    const blockedBy = !placement ? 'no-placement' : limitReached ? 'link-limit' : ctx.geoBlocked ? 'geo-replication' : null;
    const where = placement ? `in virtual network ${placement.virtualNetworkId} (the policy's placement for ${region})` : `(no endpoint placement is configured for region '${region}')`;
    add(
      'private-endpoint-missing',
      ctx.approved.length === 0 ? 'medium' : 'low',
      `Cache '${s.name}' has no private endpoint ${where}` +
        (blockedBy === 'geo-replication' ? `; it uses passive geo-replication (${quote(SEED.geoReplication)})` : ''),
      s.cacheId,
      {
        region,
        placementSubnetId: placement?.subnetId ?? null,
        privateEndpointId: placement?.privateEndpointId ?? null,
        blockedBy,
        approvedEndpoints: ctx.approved.length,
      },
    );
    if (placement && limitReached) {
      add(
        'link-limit-reached',
        'medium',
        `Cache '${s.name}' already has ${count} private link(s), its limit is ${ctx.linkLimit.limit}: no endpoint can be added (${quote(ctx.linkLimit.rule)})`,
        s.cacheId,
        { limit: ctx.linkLimit.limit, count, clustered: ctx.clustered },
      );
    }
  }

  // Connections.
  for (const e of ctx.pending) {
    const decision = decideConnection(policy, e.connection.privateEndpointId);
    add(
      'connection-pending',
      'medium',
      `Private endpoint connection '${e.connection.name}' from ${e.connection.privateEndpointId} is awaiting approval (policy: ${decision})`,
      e.connection.id,
      { connectionId: e.connection.id, privateEndpointId: e.connection.privateEndpointId, decision },
    );
  }
  for (const e of ctx.dead) {
    const managed = ctx.deadManaged === e;
    add(
      'connection-rejected',
      e.connection.status === 'Disconnected' ? 'medium' : 'low',
      `Private endpoint connection '${e.connection.name}' from ${e.connection.privateEndpointId} is ${e.connection.status}: that endpoint cannot reach the cache`,
      e.connection.id,
      { connectionId: e.connection.id, privateEndpointId: e.connection.privateEndpointId, status: e.connection.status, managed },
    );
  }

  // DNS of approved endpoints.
  const zoneRequirements = new Map<string, { zoneId: string; virtualNetworkId: string; reason: 'endpoint' | 'consumer' }>();
  const requireLink = (zoneId: string, virtualNetworkId: string, reason: 'endpoint' | 'consumer') => {
    const key = `${zoneId.toLowerCase()}|${virtualNetworkId.toLowerCase()}`;
    if (!zoneRequirements.has(key)) zoneRequirements.set(key, { zoneId, virtualNetworkId, reason });
  };
  const recordChecks = new Map<string, { zoneId: string; peIds: string[]; ips: string[] }>();
  for (const e of ctx.approved) {
    const pe = e.endpoint;
    if (!pe) continue;
    const ids = zoneIdsOf(pe);
    const zoneId = ctx.effectiveZoneIdOf(pe);
    if (ids.length === 0 && pe.dnsZoneGroupsInferred) {
      add(
        'dns-record-missing',
        dnsSeverity,
        `Approved private endpoint '${pe.name}' has no A record '${ctx.recordName}' holding its IP in ${ctx.expectedZoneName}: clients in VNets linked to the zone get NXDOMAIN (${quote(SEED.privateDnsZoneVital)})`,
        pe.id,
        { privateEndpointId: pe.id, zoneId, recordName: ctx.recordName },
      );
    } else if (ids.length === 0) {
      add(
        'dns-zone-group-missing',
        dnsSeverity,
        `Private endpoint '${pe.name}' has no DNS zone group: the cache host name does not resolve to its private IP (${quote(SEED.privateDnsZoneVital)})`,
        pe.id,
        { privateEndpointId: pe.id, expectedZone: ctx.expectedZoneName, zoneId },
      );
    } else {
      const wrong = ids.filter((id) => !isExpectedZoneName(zoneNameOfId(id), facts, ctx.cloud));
      if (wrong.length > 0) {
        const group = pe.dnsZoneGroups.find((g) => g.zoneIds.some((z) => wrong.includes(z)))!;
        add(
          'dns-zone-wrong',
          dnsSeverity,
          `Private endpoint '${pe.name}' uses DNS zone ${wrong.map(zoneNameOfId).join(', ')}; a ${facts.tier} cache in ${ctx.cloud.name} needs ${ctx.expectedZoneName}`,
          group.id,
          {
            privateEndpointId: pe.id,
            zoneGroupId: group.id,
            expectedZone: ctx.expectedZoneName,
            actualZones: wrong.map(zoneNameOfId),
            zoneId,
          },
        );
      } else {
        const check = recordChecks.get(zoneId.toLowerCase()) ?? { zoneId, peIds: [], ips: [] };
        check.peIds.push(pe.id);
        if (pe.privateIp) check.ips.push(pe.privateIp);
        recordChecks.set(zoneId.toLowerCase(), check);
      }
    }
    requireLink(zoneId, pe.virtualNetworkId, 'endpoint');
  }
  const usedZones = new Map<string, string>();
  for (const e of ctx.approved) if (e.endpoint) usedZones.set(ctx.effectiveZoneIdOf(e.endpoint).toLowerCase(), ctx.effectiveZoneIdOf(e.endpoint));
  for (const zoneId of usedZones.values()) for (const vnet of policy.consumerVirtualNetworks) requireLink(zoneId, vnet, 'consumer');

  for (const r of zoneRequirements.values()) {
    const zone = ctx.zoneById(r.zoneId);
    if (isLinked(zone, r.virtualNetworkId)) continue;
    add(
      'dns-zone-not-linked',
      'medium',
      `Private DNS zone ${zoneNameOfId(r.zoneId)} (${r.zoneId}) is ${zone ? 'not linked to' : 'missing, so not linked to'} ${r.reason === 'endpoint' ? 'the virtual network of a private endpoint of the cache' : 'the consumer virtual network'} ${r.virtualNetworkId} (${quote(SEED.verifyDns)})`,
      r.zoneId,
      { zoneId: r.zoneId, virtualNetworkId: r.virtualNetworkId, zoneExists: zone !== undefined, reason: r.reason },
    );
  }

  // Endpoint IPs of this cache that may legitimately be in the record; stale detection needs every endpoint read.
  const allKnown = ctx.endpoints.every((e) => e.endpoint?.privateIp !== undefined);
  const knownIps = new Set(ctx.endpoints.map((e) => e.endpoint?.privateIp).filter((ip): ip is string => !!ip));
  for (const c of recordChecks.values()) {
    const zone = ctx.zoneById(c.zoneId);
    const actual = recordOf(zone, ctx.recordName) ?? [];
    const missing = c.ips.filter((ip) => !actual.includes(ip));
    const missingPeIds = c.peIds.filter((id) => {
      const pe = ctx.endpoints.find((e) => e.endpoint && sameId(e.endpoint.id, id))?.endpoint;
      return pe?.privateIp !== undefined && missing.includes(pe.privateIp);
    });
    const stale = allKnown ? actual.filter((ip) => !knownIps.has(ip)) : [];
    if (missing.length === 0 && stale.length === 0) continue;
    if (actual.length === 0) {
      for (const peId of missingPeIds.length ? missingPeIds : c.peIds) {
        add(
          'dns-record-missing',
          dnsSeverity,
          `A record '${ctx.recordName}' is missing from ${zoneNameOfId(c.zoneId)} although approved private endpoint ${peId} has a zone group for it: clients in VNets linked to the zone get NXDOMAIN (${quote(SEED.verifyDns)})`,
          childId(c.zoneId, 'A', ctx.recordName),
          { privateEndpointId: peId, zoneId: c.zoneId, recordName: ctx.recordName },
        );
      }
      continue;
    }
    const what = missing.length > 0 ? `does not resolve to ${missing.join(', ')}` : `also resolves to ${stale.join(', ')}, which belong to no endpoint of the cache`;
    add(
      'dns-record-mismatch',
      dnsSeverity,
      `A record '${ctx.recordName}' in ${zoneNameOfId(c.zoneId)} ${actual.length === 0 ? 'is missing' : `(${actual.join(', ')})`} and ${what} (${quote(SEED.verifyDns)})`,
      childId(c.zoneId, 'A', ctx.recordName),
      {
        zoneId: c.zoneId,
        recordName: ctx.recordName,
        expected: c.ips,
        actual,
        missing,
        stale,
        privateEndpointIds: missingPeIds,
      },
    );
  }

  // A pair this product unlinked and did not relink (the tag it puts on the cache before unlinking).
  const unlinkedFrom = Object.entries(s.tags ?? {}).find(([k]) => k.toLowerCase() === GEO_UNLINKED_TAG)?.[1];
  if (unlinkedFrom && s.kind === 'redis' && !s.linkedServers.some((l) => sameId(l.linkedRedisCacheId, unlinkedFrom))) {
    add(
      'geo-replication-unlinked',
      'high',
      `Cache '${s.name}' was unlinked from its geo-replica ${unlinkedFrom} by the autopilot (tag ${GEO_UNLINKED_TAG}) and is not linked to it again (${quote(SEED.geoReplication)})`,
      s.cacheId,
      { primaryCacheId: s.cacheId, secondaryCacheId: unlinkedFrom, otherLinks: s.linkedServers.length },
    );
  }

  // Endpoints whose last operation failed.
  for (const pe of s.privateEndpoints) {
    if (String(pe.provisioningState).toLowerCase() !== 'failed') continue;
    add(
      'private-endpoint-failed',
      publicDisabled ? 'high' : 'medium',
      `Private endpoint '${pe.name}' of cache '${s.name}' is in provisioningState Failed: its last operation did not succeed`,
      pe.id,
      { privateEndpointId: pe.id, managed: !!placement && sameId(pe.id, placement.privateEndpointId) },
    );
  }

  // Passive geo-replication pairs.
  for (const ls of s.linkedServers) {
    if (ls.linkedCacheApprovedEndpoints === undefined) continue;
    const thisHas = ctx.approved.length > 0;
    const otherHas = ls.linkedCacheApprovedEndpoints > 0;
    if (thisHas === otherHas) continue;
    add(
      'geo-replica-without-endpoint',
      'medium',
      thisHas
        ? `Geo-replicated cache ${ls.linkedRedisCacheId} (linked to '${s.name}') has no approved private endpoint`
        : `Cache '${s.name}' has no approved private endpoint but its geo-replica ${ls.linkedRedisCacheId} has one`,
      thisHas ? ls.linkedRedisCacheId : s.cacheId,
      { linkedCacheId: ls.linkedRedisCacheId, thisHasEndpoint: thisHas, linkedHasEndpoint: otherHas },
    );
  }

  // Basic tier: delete and recreate an endpoint.
  if (facts.tier === 'Basic') {
    const replacing = !!ctx.deadManaged && !hasPlacementEndpoint;
    const recreating =
      !replacing && publicDisabled && ctx.approved.length === 0 && policy.onLastEndpointDeleted === 'recreate-endpoint' && !!placement;
    if (replacing || recreating) {
      add(
        'basic-tier-data-loss-risk',
        'medium',
        `Fixing cache '${s.name}' ${replacing ? 'deletes and recreates' : 'recreates'} a private endpoint of a Basic cache (${quote(SEED.basicTierDataLoss)})` +
          (replacing && !policy.allowBasicTierEndpointRecreate ? '; the policy does not allow it (allowBasicTierEndpointRecreate)' : ''),
        placement?.privateEndpointId ?? s.cacheId,
        { action: replacing ? 'delete-and-recreate' : 'recreate', allowed: replacing ? policy.allowBasicTierEndpointRecreate : true },
      );
    }
  }

  // Storage with a firewall.
  if (s.persistence?.storageFirewall && !(facts.tier === 'Premium' && s.persistence.managedIdentity)) {
    add(
      'storage-firewall-persistence',
      'medium',
      `Cache '${s.name}' (${facts.tier}) uses a storage account with a firewall${facts.tier === 'Premium' ? ' without managed identity' : ''} (${quote(SEED.storageFirewall)})`,
      s.cacheId,
      { tier: facts.tier, managedIdentity: s.persistence.managedIdentity },
    );
  }

  return out;
}
