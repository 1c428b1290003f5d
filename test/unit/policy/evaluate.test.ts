import { evaluate } from '../../../src/policy/evaluate';
import { RULE_IDS, type Finding, type RuleId } from '../../../src/policy/types';
import type { CacheSnapshot } from '../../../src/policy/snapshot';
import { SEED } from '../../../src/policy/seed-rules';
import {
  CONSUMER,
  HOME_ZONE_ID,
  HUB,
  OTHER_SUB,
  OUT_OF_SCOPE_SUB,
  REDIS_ZONE,
  SUB,
  bareSnapshot,
  basePolicy,
  enterpriseSnapshot,
  healthyEnterprise,
  healthySnapshot,
  peId,
  redisId,
  rules,
  subnetId,
  vnetId,
  withEndpoint,
  zoneId,
} from './builders';

const policy = basePolicy();
const only = (findings: Finding[], rule: RuleId) => findings.filter((f) => f.rule === rule);
const one = (findings: Finding[], rule: RuleId): Finding => {
  const matching = only(findings, rule);
  expect(matching).toHaveLength(1);
  return matching[0]!;
};
/** Replace the home zone of a snapshot. */
const withZone = (s: CacheSnapshot, patch: Partial<CacheSnapshot['dnsZones'][number]>): CacheSnapshot => ({
  ...s,
  dnsZones: s.dnsZones.map((z) => (z.id === HOME_ZONE_ID ? { ...z, ...patch } : z)),
});

describe('evaluate: baseline', () => {
  it('a cache that satisfies the policy has no findings', () => {
    expect(evaluate(healthySnapshot(), policy)).toEqual([]);
  });

  it('exempt caches and caches outside the scopes have no findings; audit mode still reports', () => {
    const broken = bareSnapshot();
    expect(evaluate(broken, policy).length).toBeGreaterThan(0);
    expect(evaluate({ ...broken, tags: { 'privatelink-autopilot': 'exempt' } }, policy)).toEqual([]);
    expect(evaluate({ ...broken, subscriptionId: OUT_OF_SCOPE_SUB, cacheId: redisId('cache1', OUT_OF_SCOPE_SUB) }, policy)).toEqual([]);
    expect(rules(evaluate(broken, basePolicy({ mode: 'audit' })))).toEqual(rules(evaluate(broken, policy)));
  });

  it('findings are plain JSON, carry the cache id and only known rule ids', () => {
    const findings = evaluate(withEndpoint(bareSnapshot(), { name: 'pe-x', vnet: 'vnet-x', status: 'Pending', sub: OTHER_SUB }), policy);
    expect(JSON.parse(JSON.stringify(findings))).toEqual(findings);
    for (const f of findings) {
      expect(RULE_IDS).toContain(f.rule);
      expect(f.cacheId).toBe(redisId('cache1'));
      expect(['high', 'medium', 'low', 'info']).toContain(f.severity);
    }
  });
});

describe('vnet-injected', () => {
  it('fires for a VNet-injected cache and suppresses endpoint rules', () => {
    const s = bareSnapshot({ sku: { name: 'Premium', family: 'P', capacity: 1 }, subnetId: subnetId('vnet-legacy', 'redis') });
    const findings = evaluate(s, policy);
    expect(rules(findings)).toEqual(['vnet-injected']);
    expect(findings[0]).toMatchObject({ severity: 'high', data: { subnetId: subnetId('vnet-legacy', 'redis') } });
    expect(findings[0]!.message).toContain(SEED.vnetInjected);
    expect(findings[0]!.message).toContain('migration guide');
  });

  it('does not fire without subnetId', () => {
    expect(only(evaluate(healthySnapshot({ sku: { name: 'Premium', family: 'P', capacity: 1 } }), policy), 'vnet-injected')).toEqual([]);
  });
});

describe('private-endpoint-missing', () => {
  it('fires when the cache has no endpoint, naming the planned endpoint', () => {
    const f = one(evaluate(bareSnapshot(), policy), 'private-endpoint-missing');
    expect(f.severity).toBe('medium');
    expect(f.data).toEqual({
      region: 'eastus',
      placementSubnetId: subnetId(HUB),
      privateEndpointId: peId('pe-cache1-vnet-hub'),
      blockedBy: null,
      approvedEndpoints: 0,
    });
  });

  it('fires (low) when the only approved endpoint is outside the placement VNet', () => {
    const s = withEndpoint(bareSnapshot(), { name: 'pe-other', vnet: 'vnet-spoke', ip: '10.9.0.4' });
    expect(one(evaluate(s, policy), 'private-endpoint-missing').severity).toBe('low');
  });

  it('does not fire for an approved or pending endpoint in the placement VNet', () => {
    expect(only(evaluate(healthySnapshot(), policy), 'private-endpoint-missing')).toEqual([]);
    const pending = withEndpoint(bareSnapshot(), { name: 'pe-someone', vnet: HUB, status: 'Pending' });
    expect(only(evaluate(pending, policy), 'private-endpoint-missing')).toEqual([]);
  });

  it('without a placement for the region, fires only when there is no approved endpoint at all', () => {
    const west = { location: 'westus', hostName: 'cache1.redis.cache.windows.net' };
    expect(one(evaluate(bareSnapshot(west), policy), 'private-endpoint-missing').data).toMatchObject({ blockedBy: 'no-placement', privateEndpointId: null });
    const withOne = withEndpoint(bareSnapshot(west), { name: 'pe-any', vnet: 'vnet-west', ip: '10.2.0.4' });
    expect(only(evaluate(withOne, policy), 'private-endpoint-missing')).toEqual([]);
  });

  it('notes passive geo-replication as the blocker on a linked Premium cache', () => {
    const s = bareSnapshot({
      sku: { name: 'Premium', family: 'P', capacity: 1 },
      linkedServers: [{ id: `${redisId('cache1')}/linkedServers/cache2`, linkedRedisCacheId: redisId('cache2'), serverRole: 'Secondary', provisioningState: 'Succeeded' }],
    });
    const f = one(evaluate(s, policy), 'private-endpoint-missing');
    expect(f.data).toMatchObject({ blockedBy: 'geo-replication' });
    expect(f.message).toContain(SEED.geoReplication);
  });
});

describe('link-limit-reached', () => {
  const premium = { sku: { name: 'Premium', family: 'P', capacity: 1 } };

  it('fires on a clustered Premium cache that already has its one private link elsewhere', () => {
    const s = withEndpoint(bareSnapshot({ ...premium, shardCount: 3 }), { name: 'pe-other', vnet: 'vnet-spoke', ip: '10.9.0.4' });
    const findings = evaluate(s, policy);
    const f = one(findings, 'link-limit-reached');
    expect(f.data).toEqual({ limit: 1, count: 1, clustered: true });
    expect(f.message).toContain(SEED.linkLimitClustered);
    expect(one(findings, 'private-endpoint-missing').data).toMatchObject({ blockedBy: 'link-limit' });
  });

  it('does not fire on a non-clustered Premium cache with one link', () => {
    const s = withEndpoint(bareSnapshot(premium), { name: 'pe-other', vnet: 'vnet-spoke', ip: '10.9.0.4' });
    expect(only(evaluate(s, policy), 'link-limit-reached')).toEqual([]);
  });

  it('fires at 100 links on Standard and 84 on Enterprise', () => {
    let s = bareSnapshot();
    for (let i = 0; i < 100; i++) s = withEndpoint(s, { name: `pe-${i}`, vnet: `vnet-${i}`, status: 'Pending', sub: OTHER_SUB });
    expect(one(evaluate(s, policy), 'link-limit-reached').message).toContain(SEED.linkLimitBasicStandardPremium);
    const ninetyNine = { ...s, connections: s.connections.slice(1) };
    expect(only(evaluate(ninetyNine, policy), 'link-limit-reached')).toEqual([]);

    let e = enterpriseSnapshot();
    for (let i = 0; i < 84; i++) e = withEndpoint(e, { name: `pe-${i}`, vnet: `vnet-${i}`, status: 'Pending', sub: OTHER_SUB });
    expect(one(evaluate(e, policy), 'link-limit-reached').data).toMatchObject({ limit: 84, count: 84 });
  });
});

describe('unreachable-no-endpoint', () => {
  it('fires when public access is Disabled and no endpoint is approved', () => {
    const f = one(evaluate(bareSnapshot({ publicNetworkAccess: 'Disabled' }), policy), 'unreachable-no-endpoint');
    expect(f.severity).toBe('high');
    expect(f.data).toEqual({ onLastEndpointDeleted: 'recreate-endpoint' });
    expect(f.message).toContain(SEED.lastEndpointDeleted);
    const onlyRejected = withEndpoint(bareSnapshot({ publicNetworkAccess: 'Disabled' }), { name: 'pe-x', vnet: 'vnet-x', status: 'Rejected' });
    expect(only(evaluate(onlyRejected, policy), 'unreachable-no-endpoint')).toHaveLength(1);
  });

  it('does not fire with an approved endpoint, or with public access Enabled', () => {
    expect(only(evaluate(healthySnapshot(), policy), 'unreachable-no-endpoint')).toEqual([]);
    expect(only(evaluate(bareSnapshot(), policy), 'unreachable-no-endpoint')).toEqual([]);
  });
});

describe('public-access-enabled', () => {
  it('fires when an approved endpoint exists and public access is Enabled, listing verified endpoints', () => {
    const f = one(evaluate(healthySnapshot({ publicNetworkAccess: 'Enabled' }), policy), 'public-access-enabled');
    expect(f.data).toEqual({ wanted: 'Disabled', verifiedEndpoints: [peId('pe-cache1-vnet-hub')] });
    const unverified = withZone(healthySnapshot({ publicNetworkAccess: 'Enabled' }), { aRecords: {} });
    expect(one(evaluate(unverified, policy), 'public-access-enabled').data).toMatchObject({ verifiedEndpoints: [] });
  });

  it('does not fire without an approved endpoint, when the policy wants Enabled, or for Enterprise', () => {
    expect(only(evaluate(bareSnapshot(), policy), 'public-access-enabled')).toEqual([]);
    expect(only(evaluate(healthySnapshot({ publicNetworkAccess: 'Enabled' }), basePolicy({ publicNetworkAccess: 'Enabled' })), 'public-access-enabled')).toEqual([]);
    expect(only(evaluate(healthyEnterprise(), policy), 'public-access-enabled')).toEqual([]);
  });
});

describe('dns-zone-group-missing', () => {
  it('fires for an approved endpoint without a zone group (high when public access is Disabled)', () => {
    const s = withEndpoint(healthySnapshot(), { name: 'pe-2', vnet: 'vnet-spoke', ip: '10.3.0.4', zoneIds: [] });
    const f = one(evaluate(s, policy), 'dns-zone-group-missing');
    expect(f).toMatchObject({ severity: 'high', resourceId: peId('pe-2') });
    expect(f.data).toEqual({ privateEndpointId: peId('pe-2'), expectedZone: REDIS_ZONE, zoneId: HOME_ZONE_ID });
    const enabled = { ...s, publicNetworkAccess: 'Enabled' as const };
    expect(one(evaluate(enabled, policy), 'dns-zone-group-missing').severity).toBe('medium');
  });

  it('does not fire for a pending endpoint without a zone group', () => {
    const s = withEndpoint(healthySnapshot(), { name: 'pe-2', vnet: 'vnet-spoke', status: 'Pending', zoneIds: [] });
    expect(only(evaluate(s, policy), 'dns-zone-group-missing')).toEqual([]);
  });
});

describe('dns-zone-wrong', () => {
  it('fires when the zone group uses another tier\'s zone', () => {
    const wrongZone = zoneId('privatelink.redisenterprise.cache.azure.net');
    const s = withEndpoint(healthySnapshot(), { name: 'pe-2', vnet: 'vnet-spoke', ip: '10.3.0.4', zoneIds: [wrongZone] });
    const f = one(evaluate(s, policy), 'dns-zone-wrong');
    expect(f.data).toEqual({
      privateEndpointId: peId('pe-2'),
      zoneGroupId: `${peId('pe-2')}/privateDnsZoneGroups/default`,
      expectedZone: REDIS_ZONE,
      actualZones: ['privatelink.redisenterprise.cache.azure.net'],
      zoneId: HOME_ZONE_ID,
    });
  });

  it('fires when the zone is for another cloud, and not when it matches the policy cloud', () => {
    const gov = basePolicy({ cloud: 'AzureUSGovernment' });
    const govHostname = { hostName: 'cache1.redis.cache.usgovcloudapi.net' };
    expect(one(evaluate(healthySnapshot(govHostname), gov), 'dns-zone-wrong').data).toMatchObject({ expectedZone: 'privatelink.redis.cache.usgovcloudapi.net' });
    const govZone = zoneId('privatelink.redis.cache.usgovcloudapi.net');
    const s = withEndpoint(bareSnapshot({ ...govHostname, publicNetworkAccess: 'Disabled' }), { name: 'pe-cache1-vnet-hub', vnet: HUB, ip: '10.0.1.4', zoneIds: [govZone] });
    const ok = { ...s, dnsZones: [{ id: govZone, name: 'privatelink.redis.cache.usgovcloudapi.net', virtualNetworkLinks: [vnetId(HUB), CONSUMER], aRecords: { cache1: ['10.0.1.4'] } }] };
    expect(evaluate(ok, gov)).toEqual([]);
  });

  it('accepts a correctly named zone outside the DNS home', () => {
    const elsewhere = zoneId(REDIS_ZONE, SUB, 'rg-app-dns');
    const s = withEndpoint(bareSnapshot({ publicNetworkAccess: 'Disabled' }), { name: 'pe-cache1-vnet-hub', vnet: HUB, ip: '10.0.1.4', zoneIds: [elsewhere] });
    const ok = { ...s, dnsZones: [{ id: elsewhere, name: REDIS_ZONE, virtualNetworkLinks: [vnetId(HUB), CONSUMER], aRecords: { cache1: ['10.0.1.4'] } }] };
    expect(evaluate(ok, policy)).toEqual([]);
  });
});

describe('dns-zone-not-linked', () => {
  it('fires when the zone is not linked to the VNet of an endpoint', () => {
    const f = one(evaluate(withZone(healthySnapshot(), { virtualNetworkLinks: [CONSUMER] }), policy), 'dns-zone-not-linked');
    expect(f.data).toEqual({ zoneId: HOME_ZONE_ID, virtualNetworkId: vnetId(HUB), zoneExists: true, reason: 'endpoint' });
  });

  it('fires when the zone is not linked to a configured consumer VNet', () => {
    const f = one(evaluate(withZone(healthySnapshot(), { virtualNetworkLinks: [vnetId(HUB).toUpperCase()] }), policy), 'dns-zone-not-linked');
    expect(f.data).toMatchObject({ virtualNetworkId: CONSUMER, reason: 'consumer' });
  });

  it('reports every missing link when the zone does not exist', () => {
    const findings = only(evaluate({ ...healthySnapshot(), dnsZones: [] }, policy), 'dns-zone-not-linked');
    expect(findings.map((f) => f.data)).toEqual([
      { zoneId: HOME_ZONE_ID, virtualNetworkId: vnetId(HUB), zoneExists: false, reason: 'endpoint' },
      { zoneId: HOME_ZONE_ID, virtualNetworkId: CONSUMER, zoneExists: false, reason: 'consumer' },
    ]);
  });

  it('does not fire without consumer VNets when the endpoint VNet is linked', () => {
    const s = withZone(healthySnapshot(), { virtualNetworkLinks: [vnetId(HUB)] });
    expect(only(evaluate(s, basePolicy({ consumerVirtualNetworks: [] })), 'dns-zone-not-linked')).toEqual([]);
  });
});

describe('dns-record-missing (issue #11: an Approved endpoint without its A record)', () => {
  it('fires when the A record is absent although the zone group points at the zone (NXDOMAIN in linked VNets)', () => {
    const findings = evaluate(withZone(healthySnapshot(), { aRecords: {} }), policy);
    const f = one(findings, 'dns-record-missing');
    expect(only(findings, 'dns-record-mismatch')).toEqual([]);
    expect(f.resourceId).toBe(`${HOME_ZONE_ID}/A/cache1`);
    expect(f.data).toEqual({ privateEndpointId: peId('pe-cache1-vnet-hub'), zoneId: HOME_ZONE_ID, recordName: 'cache1' });
  });

  it('fires from a Resource Graph snapshot (zone groups inferred from A records) when no zone holds the IP', () => {
    const s = withZone(healthySnapshot(), { aRecords: {} });
    s.privateEndpoints = s.privateEndpoints.map((pe) => ({ ...pe, dnsZoneGroups: [], dnsZoneGroupsInferred: true }));
    const findings = evaluate(s, policy);
    expect(one(findings, 'dns-record-missing').data).toMatchObject({ privateEndpointId: peId('pe-cache1-vnet-hub'), zoneId: HOME_ZONE_ID });
    expect(only(findings, 'dns-zone-group-missing')).toEqual([]);
  });
});

describe('dns-record-mismatch', () => {

  it('fires when the record points elsewhere (missing and stale)', () => {
    const f = one(evaluate(withZone(healthySnapshot(), { aRecords: { CACHE1: ['10.0.1.99'] } }), policy), 'dns-record-mismatch');
    expect(f.data).toMatchObject({ actual: ['10.0.1.99'], missing: ['10.0.1.4'], stale: ['10.0.1.99'] });
  });

  it('fires for a stale extra address only when every endpoint of the cache is known', () => {
    const stale = withZone(healthySnapshot(), { aRecords: { cache1: ['10.0.1.4', '10.0.7.7'] } });
    expect(one(evaluate(stale, policy), 'dns-record-mismatch').data).toMatchObject({ missing: [], stale: ['10.0.7.7'], privateEndpointIds: [] });
    const unknownPe = {
      ...stale,
      connections: [
        ...stale.connections,
        { id: `${stale.cacheId}/privateEndpointConnections/foreign`, name: 'foreign', privateEndpointId: peId('foreign', OTHER_SUB), status: 'Approved' as const, description: '' },
      ],
    };
    expect(only(evaluate(unknownPe, policy), 'dns-record-mismatch')).toEqual([]);
  });

  it('does not fire when the record holds the endpoint IP', () => {
    expect(only(evaluate(healthySnapshot(), policy), 'dns-record-mismatch')).toEqual([]);
  });
});

describe('connections', () => {
  const pending = withEndpoint(healthySnapshot(), { name: 'pe-partner', vnet: 'vnet-partner', status: 'Pending', sub: OTHER_SUB });

  it('connection-pending carries the approval decision of the policy', () => {
    const decision = (p = policy) => one(evaluate(pending, p), 'connection-pending').data!.decision;
    expect(decision()).toBe('leave');
    expect(decision(basePolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [OTHER_SUB] } }))).toBe('approve');
    expect(decision(basePolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [SUB] } }))).toBe('reject');
    expect(decision(basePolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [SUB], rejectUnlisted: false } }))).toBe('leave');
    expect(one(evaluate(pending, policy), 'connection-pending').resourceId).toBe(`${redisId('cache1')}/privateEndpointConnections/pe-partner.conn`);
  });

  it('connection-rejected fires for Rejected (low) and Disconnected (medium), marking the autopilot\'s own endpoint', () => {
    const rejected = withEndpoint(healthySnapshot(), { name: 'pe-x', vnet: 'vnet-x', status: 'Rejected', sub: OTHER_SUB });
    expect(one(evaluate(rejected, policy), 'connection-rejected')).toMatchObject({ severity: 'low', data: { status: 'Rejected', managed: false } });
    const mine = withEndpoint(bareSnapshot(), { name: 'pe-cache1-vnet-hub', vnet: HUB, status: 'Disconnected' });
    expect(one(evaluate(mine, policy), 'connection-rejected')).toMatchObject({ severity: 'medium', data: { status: 'Disconnected', managed: true } });
  });

  it('neither fires for approved connections', () => {
    const findings = evaluate(healthySnapshot(), policy);
    expect(only(findings, 'connection-pending')).toEqual([]);
    expect(only(findings, 'connection-rejected')).toEqual([]);
  });
});

describe('geo-replica-without-endpoint', () => {
  const linked = (count?: number): CacheSnapshot =>
    healthySnapshot({
      sku: { name: 'Premium', family: 'P', capacity: 1 },
      linkedServers: [
        {
          id: `${redisId('cache1')}/linkedServers/cache2`,
          linkedRedisCacheId: redisId('cache2'),
          serverRole: 'Secondary',
          provisioningState: 'Succeeded',
          ...(count === undefined ? {} : { linkedCacheApprovedEndpoints: count }),
        },
      ],
    });

  it('fires when the linked cache has no endpoint but this one has', () => {
    const f = one(evaluate(linked(0), policy), 'geo-replica-without-endpoint');
    expect(f.resourceId).toBe(redisId('cache2'));
    expect(f.data).toEqual({ linkedCacheId: redisId('cache2'), thisHasEndpoint: true, linkedHasEndpoint: false });
  });

  it('fires when this cache lacks the endpoint its replica has', () => {
    const s = { ...linked(2), connections: [], privateEndpoints: [], publicNetworkAccess: 'Enabled' as const };
    expect(one(evaluate(s, policy), 'geo-replica-without-endpoint').data).toMatchObject({ thisHasEndpoint: false, linkedHasEndpoint: true });
  });

  it('does not fire when both have endpoints or the other side is unknown', () => {
    expect(only(evaluate(linked(1), policy), 'geo-replica-without-endpoint')).toEqual([]);
    expect(only(evaluate(linked(), policy), 'geo-replica-without-endpoint')).toEqual([]);
  });
});

describe('basic-tier-data-loss-risk', () => {
  const basic = { sku: { name: 'Basic', family: 'C', capacity: 0 } };

  it('fires when the autopilot would delete and recreate its endpoint of a Basic cache', () => {
    const s = withEndpoint(bareSnapshot(basic), { name: 'pe-cache1-vnet-hub', vnet: HUB, status: 'Rejected' });
    const f = one(evaluate(s, policy), 'basic-tier-data-loss-risk');
    expect(f.data).toEqual({ action: 'delete-and-recreate', allowed: false });
    expect(f.message).toContain(SEED.basicTierDataLoss);
    expect(one(evaluate(s, basePolicy({ allowBasicTierEndpointRecreate: true })), 'basic-tier-data-loss-risk').data).toMatchObject({ allowed: true });
  });

  it('fires when the last endpoint of a Basic cache was deleted and policy recreates it', () => {
    const s = bareSnapshot({ ...basic, publicNetworkAccess: 'Disabled' });
    expect(one(evaluate(s, policy), 'basic-tier-data-loss-risk').data).toMatchObject({ action: 'recreate' });
    expect(only(evaluate(s, basePolicy({ onLastEndpointDeleted: 'enable-public-access' })), 'basic-tier-data-loss-risk')).toEqual([]);
  });

  it('does not fire for Standard or for a healthy Basic cache', () => {
    const s = withEndpoint(bareSnapshot(), { name: 'pe-cache1-vnet-hub', vnet: HUB, status: 'Rejected' });
    expect(only(evaluate(s, policy), 'basic-tier-data-loss-risk')).toEqual([]);
    expect(evaluate(healthySnapshot(basic), policy)).toEqual([]);
  });
});

describe('storage-firewall-persistence', () => {
  it('fires for a storage firewall unless the cache is Premium with managed identity', () => {
    const std = healthySnapshot({ persistence: { storageFirewall: true, managedIdentity: true } });
    const f = one(evaluate(std, policy), 'storage-firewall-persistence');
    expect(f.data).toEqual({ tier: 'Standard', managedIdentity: true });
    expect(f.message).toContain(SEED.storageFirewall);
    const premiumNoMi = healthySnapshot({ sku: { name: 'Premium' }, persistence: { storageFirewall: true, managedIdentity: false } });
    expect(only(evaluate(premiumNoMi, policy), 'storage-firewall-persistence')).toHaveLength(1);
  });

  it('does not fire for Premium with managed identity or without a firewall', () => {
    expect(evaluate(healthySnapshot({ sku: { name: 'Premium' }, persistence: { storageFirewall: true, managedIdentity: true } }), policy)).toEqual([]);
    expect(evaluate(healthySnapshot({ persistence: { storageFirewall: false, managedIdentity: false } }), policy)).toEqual([]);
  });
});

describe('Enterprise and Azure Managed Redis', () => {
  it('a healthy Enterprise cluster has no findings; its zone and record are the Enterprise ones', () => {
    expect(evaluate(healthyEnterprise(), policy)).toEqual([]);
    const wrongRecord = healthyEnterprise();
    wrongRecord.dnsZones[0]!.aRecords = { c1: ['10.0.1.5'] }; // the record must be `c1.eastus`
    expect(one(evaluate(wrongRecord, policy), 'dns-record-missing').data).toMatchObject({ recordName: 'c1.eastus' });
  });

  it('Azure Managed Redis expects privatelink.redis.azure.net', () => {
    const amr = healthyEnterprise({ sku: { name: 'Balanced_B5' }, hostName: 'c1.eastus.redis.azure.net' });
    expect(one(evaluate(amr, policy), 'dns-zone-wrong').data).toMatchObject({ expectedZone: 'privatelink.redis.azure.net' });
  });
});
