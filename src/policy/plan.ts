/**
 * plan(findings, snapshot, policy) -> Step[]: the ordered steps that fix the findings (the dry-run).
 *
 * Order (stable, by phase):
 *   1. set-public-network-access Enabled   (restoring access to an unreachable cache comes first)
 *   2. approve-connection / reject-connection
 *   3. ensure-subnet-ready, 4. ensure-dns-zone, 5. ensure-dns-zone-link   (prerequisites of an endpoint: "the private
 *      DNS zone must be manually configured to the multiple virtual networks before creating the private endpoint")
 *   6. unlink-geo-replication, 7. delete-private-endpoint, 8. create-private-endpoint, 9. relink-geo-replication
 *  10. ensure-dns-zone-group (repairs of existing endpoints)
 *  11. manual
 *  12. set-public-network-access Disabled LAST, and only when the snapshot already shows an approved endpoint whose DNS
 *      verifies (zone group to the right zone, zone linked to the endpoint's VNet, A record = its IP) and no step of
 *      this plan deletes it. Otherwise nothing: after executing a plan the caller re-evaluates, and the next plan
 *      disables public access once the new endpoint verifies. A plan never produces a lockout.
 *
 * No steps: audit mode, the `exempt` tag, caches outside the scopes, and caches whose provisioningState is not
 * Succeeded (they are busy; re-evaluate later). `{ assumeEnforce: true }` plans as if the mode were enforce (what a
 * dry-run of an audited cache shows); exempt and out-of-scope caches still get nothing.
 *
 * `onLastEndpointDeleted` (when `unreachable-no-endpoint` is found): `enable-public-access` only re-enables public
 * access (a later run converges back to private-only), `recreate-endpoint` creates the placement endpoint,
 * `report-only` plans nothing for this cache's endpoint.
 */
import { sameId } from '../azure/resource-id';
import { buildContext, isLinked, linkNameFor, zoneIdsOf, type PolicyContext } from './context';
import { DNS_ZONE_GROUP_NAME } from './naming';
import type { Policy } from './policy-schema';
import { normalizeRegion } from './policy-schema';
import { LINKS, SEED, quote } from './seed-rules';
import type { CacheSnapshot } from './snapshot';
import type { Finding, JsonValue, RuleId, Step, StepKind } from './types';

export interface PlanOptions {
  /** Plan as if the effective mode were `enforce` (dry-run of an audited cache). */
  assumeEnforce?: boolean;
}

const PHASE: Record<StepKind, number> = {
  'set-public-network-access': 0, // Enabled; Disabled is moved to the end below
  'approve-connection': 1,
  'reject-connection': 1,
  'ensure-subnet-ready': 2,
  'ensure-dns-zone': 3,
  'ensure-dns-zone-link': 4,
  'unlink-geo-replication': 5,
  'delete-private-endpoint': 6,
  'create-private-endpoint': 7,
  'relink-geo-replication': 8,
  'ensure-dns-zone-group': 9,
  manual: 10,
};
const LAST_PHASE = 11;

function phaseOf(step: Step): number {
  if (step.kind === 'set-public-network-access' && step.value === 'Disabled') return LAST_PHASE;
  return PHASE[step.kind];
}

/** Identity of a step for de-duplication (ignores rule and reason). */
function keyOf(step: Step): string {
  const { rule: _rule, reason: _reason, ...rest } = step as Step & Record<string, unknown>;
  if (step.kind === 'ensure-dns-zone-group') {
    return `ensure-dns-zone-group|${step.privateEndpointId.toLowerCase()}`;
  }
  if (step.kind === 'manual') return `manual|${step.message}`;
  return JSON.stringify(Object.entries(rest).map(([k, v]) => [k, typeof v === 'string' ? v.toLowerCase() : v]));
}

class StepList {
  private readonly steps: Step[] = [];
  private readonly keys = new Map<string, Step>();
  add(step: Step): void {
    const key = keyOf(step);
    const existing = this.keys.get(key);
    if (existing) {
      if (existing.kind === 'ensure-dns-zone-group' && step.kind === 'ensure-dns-zone-group') existing.refresh ||= step.refresh;
      return;
    }
    this.keys.set(key, step);
    this.steps.push(step);
  }
  has(pred: (s: Step) => boolean): boolean {
    return this.steps.some(pred);
  }
  ordered(): Step[] {
    return this.steps
      .map((s, i) => ({ s, i }))
      .sort((a, b) => phaseOf(a.s) - phaseOf(b.s) || a.i - b.i)
      .map(({ s }) => s);
  }
}

export function plan(findings: Finding[], snapshot: CacheSnapshot, policy: Policy, options: PlanOptions = {}): Step[] {
  const ctx = buildContext(snapshot, policy);
  if (!ctx.inScope || ctx.mode === 'exempt') return [];
  if (ctx.mode !== 'enforce' && !options.assumeEnforce) return [];
  if (snapshot.provisioningState.toLowerCase() !== 'succeeded') return [];
  return planContext(
    findings.filter((f) => sameId(f.cacheId, snapshot.cacheId)),
    ctx,
  );
}

function str(data: Finding['data'], key: string): string | undefined {
  const v: JsonValue | undefined = data?.[key];
  return typeof v === 'string' ? v : undefined;
}

function strings(data: Finding['data'], key: string): string[] {
  const v: JsonValue | undefined = data?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function planContext(findings: Finding[], ctx: PolicyContext): Step[] {
  const { snapshot: s, policy } = ctx;
  const cacheId = s.cacheId;
  const steps = new StepList();
  const has = (rule: RuleId) => findings.some((f) => f.rule === rule);
  const manual = (rule: RuleId, message: string, link?: string) =>
    steps.add({ kind: 'manual', cacheId, rule, reason: message, message, ...(link ? { link } : {}) });

  const ensureZone = (rule: RuleId, zoneId: string, reason: string) => {
    if (ctx.zoneById(zoneId)) return; // exists in the snapshot: nothing to do
    steps.add({ kind: 'ensure-dns-zone', cacheId, rule, reason, zoneId });
  };
  const ensureLink = (rule: RuleId, zoneId: string, virtualNetworkId: string, reason: string) => {
    const zone = ctx.zoneById(zoneId);
    if (isLinked(zone, virtualNetworkId)) return;
    steps.add({ kind: 'ensure-dns-zone-link', cacheId, rule, reason, zoneId, virtualNetworkId, linkName: linkNameFor(virtualNetworkId) });
  };
  const ensureConsumerLinks = (rule: RuleId, zoneId: string) => {
    for (const vnet of policy.consumerVirtualNetworks) {
      ensureLink(rule, zoneId, vnet, `Consumer virtual network ${vnet} must resolve the cache through ${ctx.expectedZoneName} (${quote(SEED.multipleVnets)})`);
    }
  };

  /** Create the placement endpoint with its prerequisites, or explain why it cannot be. */
  const wantEndpoint = (rule: RuleId, why: string): void => {
    const placement = ctx.placement;
    if (!placement) {
      manual(rule, `${why}, but the policy has no endpointPlacement for region '${normalizeRegion(s.location)}': add one (a subnet id) or create an endpoint by hand`, LINKS.privateLink);
      return;
    }
    if (has('link-limit-reached')) {
      manual('link-limit-reached', `${why}, but the cache has reached its private link limit (${quote(ctx.linkLimit.rule)}); remove an unused endpoint connection first`, LINKS.privateLink);
      return;
    }
    if (ctx.deadManaged) {
      if (ctx.facts.tier === 'Basic' && !policy.allowBasicTierEndpointRecreate) {
        manual(
          'basic-tier-data-loss-risk',
          `The autopilot's endpoint ${placement.privateEndpointId} is ${ctx.deadManaged.connection.status}; replacing it deletes and recreates an endpoint of a Basic cache (${quote(SEED.basicTierDataLoss)}). Delete it by hand or set allowBasicTierEndpointRecreate`,
        );
        return;
      }
    }
    let geo: { primaryCacheId: string; secondaryCacheId: string; secondaryLocation: string } | undefined;
    if (ctx.geoBlocked) {
      const ls = s.linkedServers[0]!;
      if (policy.geoReplication !== 'unlink-and-relink' || s.linkedServers.length !== 1) {
        manual(rule, `${why}, but ${quote(SEED.geoReplication)}`, LINKS.geoReplication);
        return;
      }
      // serverRole is the role of the OTHER cache.
      geo =
        ls.serverRole === 'Secondary'
          ? { primaryCacheId: cacheId, secondaryCacheId: ls.linkedRedisCacheId, secondaryLocation: ls.linkedRedisCacheLocation ?? '' }
          : { primaryCacheId: ls.linkedRedisCacheId, secondaryCacheId: cacheId, secondaryLocation: s.location };
      if (!geo.secondaryLocation) {
        manual(rule, `${why}, but the geo-replica's location is unknown, so it cannot be relinked automatically: ${quote(SEED.geoReplication)}`, LINKS.geoReplication);
        return;
      }
    }
    const zoneId = ctx.homeZoneId;
    steps.add({
      kind: 'ensure-subnet-ready',
      cacheId,
      rule,
      reason: `Subnet ${placement.subnetId} will host the endpoint (${quote(SEED.subnetNetworkPolicies)})`,
      subnetId: placement.subnetId,
    });
    ensureZone(rule, zoneId, `The endpoint's DNS zone ${ctx.expectedZoneName} must exist (${quote(SEED.privateDnsZoneVital)})`);
    ensureLink(rule, zoneId, placement.virtualNetworkId, `The zone must be linked to the endpoint's virtual network before the endpoint is created (${quote(SEED.multipleVnets)})`);
    ensureConsumerLinks(rule, zoneId);
    if (geo) {
      steps.add({ kind: 'unlink-geo-replication', cacheId, rule, reason: `Step 1 of ${quote(SEED.geoReplication)}`, ...geo });
    }
    if (ctx.deadManaged) {
      steps.add({
        kind: 'delete-private-endpoint',
        cacheId,
        rule: 'connection-rejected',
        reason: `The autopilot's endpoint is ${ctx.deadManaged.connection.status}; it is replaced by a new one`,
        privateEndpointId: ctx.deadManaged.connection.privateEndpointId,
      });
    }
    steps.add({
      kind: 'create-private-endpoint',
      cacheId,
      rule,
      reason: why,
      privateEndpointId: placement.privateEndpointId,
      subnetId: placement.subnetId,
      groupId: ctx.facts.groupId,
      location: placement.location,
      zoneId,
      dnsZoneGroupName: DNS_ZONE_GROUP_NAME,
    });
    if (geo) {
      steps.add({ kind: 'relink-geo-replication', cacheId, rule, reason: `Step 3 of ${quote(SEED.geoReplication)}`, ...geo });
    }
  };

  const unreachable = findings.find((f) => f.rule === 'unreachable-no-endpoint');
  if (unreachable) {
    switch (policy.onLastEndpointDeleted) {
      case 'enable-public-access':
        steps.add({
          kind: 'set-public-network-access',
          cacheId,
          rule: 'unreachable-no-endpoint',
          reason: `The cache has no approved private endpoint and public access is Disabled; policy onLastEndpointDeleted=enable-public-access (${quote(SEED.lastEndpointDeleted)})`,
          value: 'Enabled',
        });
        break;
      case 'recreate-endpoint':
        wantEndpoint('unreachable-no-endpoint', 'The cache is unreachable (public access Disabled, no approved endpoint); policy onLastEndpointDeleted=recreate-endpoint');
        break;
      case 'report-only':
        break;
    }
  }

  for (const f of findings) {
    switch (f.rule) {
      case 'vnet-injected':
        manual(f.rule, `Cache '${s.name}' is VNet-injected and cannot use private endpoints. ${SEED.migration}`, LINKS.vnetMigration);
        break;
      case 'storage-firewall-persistence':
        manual(
          f.rule,
          `Use a Premium cache with managed identity for the storage account, or allow the cache through the storage firewall (${quote(SEED.storageFirewall)})`,
          LINKS.storageFirewall,
        );
        break;
      case 'private-endpoint-missing':
        // With an unreachable cache, onLastEndpointDeleted decides (handled above).
        if (!unreachable) wantEndpoint(f.rule, `Cache '${s.name}' needs a private endpoint in the placement subnet for ${normalizeRegion(s.location)}`);
        break;
      case 'connection-pending': {
        const connectionId = str(f.data, 'connectionId');
        const decision = str(f.data, 'decision');
        if (!connectionId) break;
        if (decision === 'approve') {
          steps.add({ kind: 'approve-connection', cacheId, rule: f.rule, reason: `The endpoint's subscription is listed in connectionApproval.subscriptions`, connectionId });
        } else if (decision === 'reject') {
          steps.add({ kind: 'reject-connection', cacheId, rule: f.rule, reason: `The endpoint's subscription is not listed in connectionApproval.subscriptions (rejectUnlisted)`, connectionId });
        }
        break;
      }
      case 'dns-zone-group-missing':
      case 'dns-zone-wrong': {
        const peId = str(f.data, 'privateEndpointId');
        const zoneId = str(f.data, 'zoneId');
        if (!peId || !zoneId) break;
        const pe = ctx.endpoints.find((e) => e.endpoint && sameId(e.endpoint.id, peId))?.endpoint;
        ensureZone(f.rule, zoneId, `The endpoint's DNS zone ${ctx.expectedZoneName} must exist (${quote(SEED.privateDnsZoneVital)})`);
        if (pe) ensureLink(f.rule, zoneId, pe.virtualNetworkId, `The zone must be linked to the endpoint's virtual network (${quote(SEED.verifyDns)})`);
        ensureConsumerLinks(f.rule, zoneId);
        const groupId = str(f.data, 'zoneGroupId');
        steps.add({
          kind: 'ensure-dns-zone-group',
          cacheId,
          rule: f.rule,
          reason:
            f.rule === 'dns-zone-wrong'
              ? `The endpoint's zone group must point at ${ctx.expectedZoneName}, not ${strings(f.data, 'actualZones').join(', ')}`
              : `The endpoint needs a DNS zone group so the cache host name resolves to its private IP (${quote(SEED.privateDnsZoneVital)})`,
          privateEndpointId: peId,
          zoneId,
          dnsZoneGroupName: groupId ? groupId.split('/').pop()! : DNS_ZONE_GROUP_NAME,
          refresh: false,
        });
        break;
      }
      case 'dns-record-missing': {
        // Re-apply the endpoint's zone group: Network writes the A record again.
        const peId = str(f.data, 'privateEndpointId');
        const zoneId = str(f.data, 'zoneId');
        if (!peId || !zoneId) break;
        const pe = ctx.endpoints.find((e) => e.endpoint && sameId(e.endpoint.id, peId))?.endpoint;
        ensureZone(f.rule, zoneId, `The endpoint's DNS zone ${ctx.expectedZoneName} must exist (${quote(SEED.privateDnsZoneVital)})`);
        if (pe) ensureLink(f.rule, zoneId, pe.virtualNetworkId, `The zone must be linked to the endpoint's virtual network (${quote(SEED.verifyDns)})`);
        const group = pe?.dnsZoneGroups.find((g) => g.zoneIds.some((z) => sameId(z, zoneId)));
        steps.add({
          kind: 'ensure-dns-zone-group',
          cacheId,
          rule: f.rule,
          reason: `Re-apply the zone group so Network writes A record '${ctx.recordName}' (${quote(SEED.privateDnsZoneVital)})`,
          privateEndpointId: peId,
          zoneId,
          dnsZoneGroupName: group && !pe?.dnsZoneGroupsInferred ? group.id.split('/').pop()! : DNS_ZONE_GROUP_NAME,
          refresh: true,
        });
        break;
      }
      case 'geo-replication-unlinked': {
        const secondaryCacheId = str(f.data, 'secondaryCacheId');
        if (!secondaryCacheId) break;
        if (s.linkedServers.length > 0) {
          manual(f.rule, `Cache '${s.name}' was unlinked from ${secondaryCacheId} by the autopilot but is now linked elsewhere: decide which link to keep (${quote(SEED.geoReplication)})`, LINKS.geoReplication);
          break;
        }
        // The secondary's location is read when relinking.
        steps.add({ kind: 'relink-geo-replication', cacheId, rule: f.rule, reason: `The autopilot unlinked this pair and did not relink it: step 3 of ${quote(SEED.geoReplication)}`, primaryCacheId: cacheId, secondaryCacheId, secondaryLocation: '' });
        break;
      }
      case 'private-endpoint-failed': {
        const peId = str(f.data, 'privateEndpointId');
        if (!peId) break;
        if (f.data?.managed === true) {
          // The autopilot's own endpoint: PUT again (a re-PUT repairs a Failed endpoint), with its DNS.
          wantEndpoint(f.rule, `The autopilot's endpoint ${peId} is Failed; it is applied again`);
        } else {
          manual(f.rule, `Private endpoint ${peId} is in provisioningState Failed: apply it again (PUT the same definition) or delete it`, LINKS.privateLink);
        }
        break;
      }
      case 'dns-zone-not-linked': {
        const zoneId = str(f.data, 'zoneId');
        const vnet = str(f.data, 'virtualNetworkId');
        if (!zoneId || !vnet) break;
        ensureZone(f.rule, zoneId, `Zone ${zoneId} is missing`);
        ensureLink(f.rule, zoneId, vnet, f.message);
        break;
      }
      case 'dns-record-mismatch': {
        const zoneId = str(f.data, 'zoneId');
        if (!zoneId) break;
        ensureZone(f.rule, zoneId, `Zone ${zoneId} is missing`);
        for (const peId of strings(f.data, 'privateEndpointIds')) {
          const pe = ctx.endpoints.find((e) => e.endpoint && sameId(e.endpoint.id, peId))?.endpoint;
          if (!pe) continue;
          const group = pe.dnsZoneGroups.find((g) => g.zoneIds.some((z) => sameId(z, zoneId)));
          steps.add({
            kind: 'ensure-dns-zone-group',
            cacheId,
            rule: f.rule,
            reason: `Re-apply the zone group so Network rewrites A record '${ctx.recordName}' to ${pe.privateIp}`,
            privateEndpointId: pe.id,
            zoneId,
            dnsZoneGroupName: group ? group.id.split('/').pop()! : DNS_ZONE_GROUP_NAME,
            refresh: true,
          });
        }
        const stale = strings(f.data, 'stale');
        if (stale.length > 0) {
          manual(f.rule, `Remove ${stale.join(', ')} from A record '${ctx.recordName}' in ${zoneId}: no endpoint of the cache has that address`);
        }
        break;
      }
      default:
        // public-access-enabled: below (last). connection-rejected: only the autopilot's own endpoint is replaced
        // (through private-endpoint-missing). link-limit-reached, basic-tier-data-loss-risk: inside wantEndpoint.
        // geo-replica-without-endpoint: fixed by the evaluation of the cache that lacks the endpoint.
        break;
    }
  }

  if (has('public-access-enabled') && policy.publicNetworkAccess === 'Disabled') {
    const deleted = (peId: string) => steps.has((st) => st.kind === 'delete-private-endpoint' && sameId(st.privateEndpointId, peId));
    const verified = ctx.verified.filter((e) => !deleted(e.connection.privateEndpointId));
    if (verified.length > 0 && !steps.has((st) => st.kind === 'set-public-network-access' && st.value === 'Enabled')) {
      steps.add({
        kind: 'set-public-network-access',
        cacheId,
        rule: 'public-access-enabled',
        reason: `Approved endpoint ${verified[0]!.connection.privateEndpointId} resolves ${s.hostName} to ${verified[0]!.endpoint!.privateIp} in ${ctx.expectedZoneName}; the policy wants public access Disabled (${quote(SEED.publicNetworkAccessFlag)})`,
        value: 'Disabled',
      });
    }
  }

  return guardLockout(steps.ordered(), ctx);
}

/**
 * Last line of defence: drop a `set-public-network-access Disabled` that would leave the cache without a verified
 * approved endpoint (for instance because the plan deletes it), and make sure it is the last step.
 */
export function guardLockout(steps: Step[], ctx: PolicyContext): Step[] {
  const deletes = steps.filter((s) => s.kind === 'delete-private-endpoint').map((s) => (s as { privateEndpointId: string }).privateEndpointId);
  const remaining = ctx.verified.filter((e) => !deletes.some((d) => sameId(d, e.connection.privateEndpointId)));
  const safe = steps.filter((s) => !(s.kind === 'set-public-network-access' && s.value === 'Disabled') || remaining.length > 0);
  const disable = safe.filter((s) => s.kind === 'set-public-network-access' && s.value === 'Disabled');
  return [...safe.filter((s) => !disable.includes(s)), ...disable];
}

/** Zone ids an endpoint's groups reference (exported for executors that compare before/after). */
export { zoneIdsOf };
