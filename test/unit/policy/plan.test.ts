import { buildContext } from '../../../src/policy/context';
import { evaluate } from '../../../src/policy/evaluate';
import { guardLockout, plan, type PlanOptions } from '../../../src/policy/plan';
import type { Policy } from '../../../src/policy/policy-schema';
import { SEED } from '../../../src/policy/seed-rules';
import type { CacheSnapshot } from '../../../src/policy/snapshot';
import type { Step } from '../../../src/policy/types';
import {
  CONSUMER,
  ENTERPRISE_ZONE,
  HOME_ZONE_ID,
  HUB,
  OTHER_SUB,
  bareSnapshot,
  basePolicy,
  enterpriseSnapshot,
  healthySnapshot,
  peId,
  redisId,
  subnetId,
  vnetId,
  withEndpoint,
  zoneId,
} from './builders';

const policy = basePolicy();
const planFor = (s: CacheSnapshot, p: Policy = policy, o?: PlanOptions): Step[] => plan(evaluate(s, p), s, p, o);
const kinds = (steps: Step[]) => steps.map((s) => s.kind);
const premium = { sku: { name: 'Premium', family: 'P', capacity: 1 } };
const withHomeZone = (s: CacheSnapshot, links: string[] = [], aRecords: Record<string, string[]> = {}): CacheSnapshot => ({
  ...s,
  dnsZones: [{ id: HOME_ZONE_ID, name: 'privatelink.redis.cache.windows.net', virtualNetworkLinks: links, aRecords }],
});

describe('plan: creating the placement endpoint', () => {
  it('orders prerequisites before the endpoint and does not disable public access yet', () => {
    const steps = planFor(bareSnapshot());
    expect(kinds(steps)).toEqual(['ensure-subnet-ready', 'ensure-dns-zone', 'ensure-dns-zone-link', 'ensure-dns-zone-link', 'create-private-endpoint']);
    expect(steps[0]).toMatchObject({ subnetId: subnetId(HUB), rule: 'private-endpoint-missing', cacheId: redisId('cache1') });
    expect(steps[0]!.reason).toContain(SEED.subnetNetworkPolicies);
    expect(steps[1]).toMatchObject({ zoneId: HOME_ZONE_ID });
    expect(steps[2]).toMatchObject({ zoneId: HOME_ZONE_ID, virtualNetworkId: vnetId(HUB), linkName: 'link-vnet-hub' });
    expect(steps[3]).toMatchObject({ zoneId: HOME_ZONE_ID, virtualNetworkId: CONSUMER, linkName: 'link-vnet-consumer' });
    expect(steps[4]).toEqual({
      kind: 'create-private-endpoint',
      cacheId: redisId('cache1'),
      rule: 'private-endpoint-missing',
      reason: expect.stringContaining('needs a private endpoint'),
      privateEndpointId: peId('pe-cache1-vnet-hub'),
      subnetId: subnetId(HUB),
      groupId: 'redisCache',
      location: 'eastus',
      zoneId: HOME_ZONE_ID,
      dnsZoneGroupName: 'default',
    });
    expect(JSON.parse(JSON.stringify(steps))).toEqual(steps);
  });

  it('skips prerequisites the snapshot already shows', () => {
    const steps = planFor(withHomeZone(bareSnapshot(), [vnetId(HUB)]));
    expect(kinds(steps)).toEqual(['ensure-subnet-ready', 'ensure-dns-zone-link', 'create-private-endpoint']);
    expect(steps[1]).toMatchObject({ virtualNetworkId: CONSUMER });
  });

  it('uses the Enterprise group id and zone for redisEnterprise', () => {
    const steps = planFor(enterpriseSnapshot());
    const create = steps.find((s) => s.kind === 'create-private-endpoint');
    expect(create).toMatchObject({ groupId: 'redisEnterprise', zoneId: zoneId(ENTERPRISE_ZONE), privateEndpointId: peId('pe-c1-vnet-hub') });
    expect(steps.some((s) => s.kind === 'set-public-network-access')).toBe(false);
  });

  it('explains what it cannot do: no placement, link limit, VNet injection', () => {
    const west = planFor(bareSnapshot({ location: 'westus' }));
    expect(west).toEqual([expect.objectContaining({ kind: 'manual', rule: 'private-endpoint-missing', message: expect.stringContaining("no endpointPlacement for region 'westus'") })]);

    const clustered = withEndpoint(bareSnapshot({ ...premium, shardCount: 2 }), { name: 'pe-other', vnet: 'vnet-x', ip: '10.9.0.4' });
    const limited = planFor(clustered);
    expect(limited.some((s) => s.kind === 'create-private-endpoint' || s.kind === 'ensure-subnet-ready')).toBe(false);
    expect(limited.filter((s) => s.kind === 'manual')).toEqual([
      expect.objectContaining({ rule: 'link-limit-reached', message: expect.stringContaining(SEED.linkLimitClustered) }),
    ]);

    const injected = planFor(bareSnapshot({ ...premium, subnetId: subnetId('legacy', 'redis') }));
    expect(injected).toEqual([
      expect.objectContaining({ kind: 'manual', rule: 'vnet-injected', link: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-vnet-migration' }),
    ]);
  });
});

describe('plan: public network access and the lockout guard', () => {
  it('disables public access when a verified approved endpoint exists, as the only and last step', () => {
    const steps = planFor(healthySnapshot({ publicNetworkAccess: 'Enabled' }));
    expect(steps).toEqual([
      expect.objectContaining({ kind: 'set-public-network-access', value: 'Disabled', rule: 'public-access-enabled', reason: expect.stringContaining('10.0.1.4') }),
    ]);
  });

  it('does not disable public access while the endpoint DNS does not verify', () => {
    const noRecord = withHomeZone(healthySnapshot({ publicNetworkAccess: 'Enabled' }), [vnetId(HUB), CONSUMER]);
    const steps = planFor(noRecord);
    expect(kinds(steps)).toEqual(['ensure-dns-zone-group']);
    expect(steps[0]).toMatchObject({ rule: 'dns-record-missing', refresh: true, privateEndpointId: peId('pe-cache1-vnet-hub'), dnsZoneGroupName: 'default' });

    const notLinked = withHomeZone(healthySnapshot({ publicNetworkAccess: 'Enabled' }), [CONSUMER], { cache1: ['10.0.1.4'] });
    expect(kinds(planFor(notLinked))).toEqual(['ensure-dns-zone-link']);

    const noIp = { ...healthySnapshot({ publicNetworkAccess: 'Enabled' }) };
    noIp.privateEndpoints = noIp.privateEndpoints.map(({ privateIp: _ip, ...pe }) => pe);
    expect(planFor(noIp)).toEqual([]);
  });

  it('fixes other endpoints first and puts the disable last when one endpoint already verifies', () => {
    const s = withEndpoint(healthySnapshot({ publicNetworkAccess: 'Enabled' }), { name: 'pe-spoke', vnet: 'vnet-spoke', ip: '10.5.0.4', zoneIds: [] });
    const steps = planFor(s);
    expect(kinds(steps)).toEqual(['ensure-dns-zone-link', 'ensure-dns-zone-group', 'set-public-network-access']);
    expect(steps[0]).toMatchObject({ virtualNetworkId: vnetId('vnet-spoke') });
    expect(steps[1]).toMatchObject({ privateEndpointId: peId('pe-spoke'), zoneId: HOME_ZONE_ID, refresh: false, rule: 'dns-zone-group-missing' });
    expect(steps[2]).toMatchObject({ value: 'Disabled' });
  });

  it('guardLockout drops a disable when the plan deletes the only verified endpoint, and moves a disable last', () => {
    const s = healthySnapshot({ publicNetworkAccess: 'Enabled' });
    const ctx = buildContext(s, policy);
    const base = { cacheId: s.cacheId, rule: 'public-access-enabled' as const, reason: 'r' };
    const disable: Step = { ...base, kind: 'set-public-network-access', value: 'Disabled' };
    const del: Step = { ...base, kind: 'delete-private-endpoint', privateEndpointId: peId('pe-cache1-vnet-hub').toUpperCase() };
    const approve: Step = { ...base, kind: 'approve-connection', connectionId: 'c' };
    expect(guardLockout([disable, del], ctx)).toEqual([del]);
    expect(guardLockout([disable, approve], ctx)).toEqual([approve, disable]);
    const unverified = buildContext(withHomeZone(s), policy);
    expect(guardLockout([disable], unverified)).toEqual([]);
  });

  it('never plans a disable without a verified endpoint (many snapshots)', () => {
    const variants: CacheSnapshot[] = [];
    for (const pna of ['Enabled', 'Disabled'] as const) {
      for (const status of ['Approved', 'Pending', 'Rejected', 'Disconnected'] as const) {
        for (const zoneIds of [[], [HOME_ZONE_ID], [zoneId('privatelink.redis.azure.net')]]) {
          for (const links of [[], [vnetId(HUB)], [vnetId(HUB), CONSUMER]]) {
            for (const record of [{}, { cache1: ['10.0.1.4'] }, { cache1: ['10.0.1.8'] }] as Record<string, string[]>[]) {
              const s = withEndpoint(bareSnapshot({ publicNetworkAccess: pna }), { name: 'pe-cache1-vnet-hub', vnet: HUB, ip: '10.0.1.4', status, zoneIds });
              variants.push(withHomeZone(s, links, record));
            }
          }
        }
      }
    }
    let disables = 0;
    for (const s of variants) {
      const steps = planFor(s);
      const disable = steps.findIndex((st) => st.kind === 'set-public-network-access' && st.value === 'Disabled');
      if (disable < 0) continue;
      disables++;
      expect(buildContext(s, policy).verified.length).toBeGreaterThan(0);
      expect(disable).toBe(steps.length - 1);
    }
    expect(disables).toBeGreaterThan(0);
  });
});

describe('plan: modes', () => {
  const broken = bareSnapshot();

  it('audit mode plans nothing unless assumeEnforce (dry-run)', () => {
    const audit = basePolicy({ mode: 'audit' });
    expect(planFor(broken, audit)).toEqual([]);
    expect(planFor(broken, audit, { assumeEnforce: true })).toEqual(planFor(broken));
  });

  it('the tag overrides the mode; exempt plans nothing even with assumeEnforce', () => {
    expect(planFor({ ...broken, tags: { 'privatelink-autopilot': 'audit' } })).toEqual([]);
    expect(planFor({ ...broken, tags: { 'privatelink-autopilot': 'enforce' } }, basePolicy({ mode: 'audit' })).length).toBeGreaterThan(0);
    const exempt = { ...broken, tags: { 'privatelink-autopilot': 'exempt' } };
    expect(plan(evaluate(broken, policy), exempt, policy, { assumeEnforce: true })).toEqual([]);
  });

  it('a busy cache gets no steps', () => {
    expect(planFor({ ...broken, provisioningState: 'Updating' })).toEqual([]);
  });

  it('ignores findings about other caches', () => {
    const other = evaluate({ ...broken, cacheId: redisId('other'), name: 'other' }, policy);
    expect(plan(other, broken, policy)).toEqual([]);
  });
});

describe('plan: unreachable cache (onLastEndpointDeleted)', () => {
  const unreachable = bareSnapshot({ publicNetworkAccess: 'Disabled' });

  it('enable-public-access restores access first and creates nothing', () => {
    const p = basePolicy({ onLastEndpointDeleted: 'enable-public-access' });
    expect(planFor(unreachable, p)).toEqual([
      expect.objectContaining({ kind: 'set-public-network-access', value: 'Enabled', rule: 'unreachable-no-endpoint', reason: expect.stringContaining(SEED.lastEndpointDeleted) }),
    ]);
  });

  it('recreate-endpoint creates the placement endpoint', () => {
    const steps = planFor(unreachable, basePolicy({ onLastEndpointDeleted: 'recreate-endpoint' }));
    expect(kinds(steps)).toEqual(['ensure-subnet-ready', 'ensure-dns-zone', 'ensure-dns-zone-link', 'ensure-dns-zone-link', 'create-private-endpoint']);
    expect(steps.every((s) => s.rule === 'unreachable-no-endpoint')).toBe(true);
  });

  it('report-only plans nothing', () => {
    expect(planFor(unreachable, basePolicy({ onLastEndpointDeleted: 'report-only' }))).toEqual([]);
  });
});

describe('plan: connections', () => {
  const s = withEndpoint(
    withEndpoint(bareSnapshot(), { name: 'pe-partner', vnet: 'vnet-partner', status: 'Pending', sub: OTHER_SUB }),
    { name: 'pe-stranger', vnet: 'vnet-stranger', status: 'Pending', sub: '55555555-5555-4555-8555-555555555555' },
  );

  it('approves listed subscriptions and rejects the rest, before any other step', () => {
    const steps = planFor(s, basePolicy({ connectionApproval: { mode: 'approve-listed', subscriptions: [OTHER_SUB] } }));
    expect(steps.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'approve-connection', connectionId: `${redisId('cache1')}/privateEndpointConnections/pe-partner.conn` }),
      expect.objectContaining({ kind: 'reject-connection', connectionId: `${redisId('cache1')}/privateEndpointConnections/pe-stranger.conn` }),
    ]);
    expect(kinds(steps).slice(2)).toEqual(['ensure-subnet-ready', 'ensure-dns-zone', 'ensure-dns-zone-link', 'ensure-dns-zone-link', 'create-private-endpoint']);
  });

  it('leave plans no decision', () => {
    expect(kinds(planFor(s)).filter((k) => k.endsWith('-connection'))).toEqual([]);
  });

  it('replaces the autopilot\'s own rejected endpoint: delete before create', () => {
    const dead = withEndpoint(bareSnapshot(), { name: 'pe-cache1-vnet-hub', vnet: HUB, status: 'Disconnected' });
    const steps = planFor(dead);
    const del = steps.findIndex((st) => st.kind === 'delete-private-endpoint');
    const create = steps.findIndex((st) => st.kind === 'create-private-endpoint');
    expect(del).toBeGreaterThanOrEqual(0);
    expect(steps[del]).toMatchObject({ privateEndpointId: peId('pe-cache1-vnet-hub'), rule: 'connection-rejected' });
    expect(create).toBe(del + 1);
  });

  it('does not delete somebody else\'s rejected endpoint', () => {
    const foreign = withEndpoint(healthySnapshot(), { name: 'pe-x', vnet: 'vnet-x', status: 'Rejected', sub: OTHER_SUB });
    expect(planFor(foreign)).toEqual([]);
  });
});

describe('plan: Basic tier data loss', () => {
  const dead = withEndpoint(bareSnapshot({ sku: { name: 'Basic', family: 'C', capacity: 0 } }), { name: 'pe-cache1-vnet-hub', vnet: HUB, status: 'Rejected' });

  it('does not delete and recreate an endpoint of a Basic cache unless allowed', () => {
    const steps = planFor(dead);
    expect(steps.some((s) => s.kind === 'delete-private-endpoint' || s.kind === 'create-private-endpoint')).toBe(false);
    expect(steps).toContainEqual(expect.objectContaining({ kind: 'manual', rule: 'basic-tier-data-loss-risk', message: expect.stringContaining(SEED.basicTierDataLoss) }));
  });

  it('deletes then recreates when the policy allows it', () => {
    const steps = planFor(dead, basePolicy({ allowBasicTierEndpointRecreate: true }));
    expect(kinds(steps).filter((k) => k.endsWith('private-endpoint'))).toEqual(['delete-private-endpoint', 'create-private-endpoint']);
  });
});

describe('plan: passive geo-replication', () => {
  const link = (serverRole: 'Primary' | 'Secondary') => ({
    id: `${redisId('cache1')}/linkedServers/cache2`,
    linkedRedisCacheId: redisId('cache2'),
    linkedRedisCacheLocation: 'West US',
    serverRole,
    provisioningState: 'Succeeded',
  });

  it('manual by default, quoting the documented procedure', () => {
    const steps = planFor(bareSnapshot({ ...premium, linkedServers: [link('Secondary')] }));
    expect(steps.some((s) => s.kind === 'create-private-endpoint')).toBe(false);
    expect(steps).toEqual([expect.objectContaining({ kind: 'manual', message: expect.stringContaining(SEED.geoReplication) })]);
  });

  it('unlink-and-relink wraps the endpoint creation (this cache is the primary)', () => {
    const steps = planFor(bareSnapshot({ ...premium, linkedServers: [link('Secondary')] }), basePolicy({ geoReplication: 'unlink-and-relink' }));
    expect(kinds(steps)).toEqual([
      'ensure-subnet-ready',
      'ensure-dns-zone',
      'ensure-dns-zone-link',
      'ensure-dns-zone-link',
      'unlink-geo-replication',
      'create-private-endpoint',
      'relink-geo-replication',
    ]);
    const geo = { primaryCacheId: redisId('cache1'), secondaryCacheId: redisId('cache2'), secondaryLocation: 'West US' };
    expect(steps[4]).toMatchObject(geo);
    expect(steps[6]).toMatchObject(geo);
  });

  it('unlink-and-relink from the secondary side names the other cache as primary', () => {
    const steps = planFor(bareSnapshot({ ...premium, linkedServers: [link('Primary')] }), basePolicy({ geoReplication: 'unlink-and-relink' }));
    expect(steps.find((s) => s.kind === 'unlink-geo-replication')).toMatchObject({
      primaryCacheId: redisId('cache2'),
      secondaryCacheId: redisId('cache1'),
      secondaryLocation: 'East US',
    });
  });
});

describe('plan: DNS repairs', () => {
  it('points a wrong zone group at the expected zone, keeping the group name', () => {
    const wrong = zoneId('privatelink.redis.azure.net');
    const s = withEndpoint(healthySnapshot(), { name: 'pe-2', vnet: 'vnet-spoke', ip: '10.3.0.4', zoneIds: [wrong] });
    const steps = planFor(s);
    expect(kinds(steps)).toEqual(['ensure-dns-zone-link', 'ensure-dns-zone-group']);
    expect(steps[1]).toMatchObject({ privateEndpointId: peId('pe-2'), zoneId: HOME_ZONE_ID, dnsZoneGroupName: 'default', refresh: false, rule: 'dns-zone-wrong' });
  });

  it('recreates a missing zone before linking it, once', () => {
    const steps = planFor({ ...healthySnapshot(), dnsZones: [] });
    expect(kinds(steps)).toEqual(['ensure-dns-zone', 'ensure-dns-zone-link', 'ensure-dns-zone-link', 'ensure-dns-zone-group']);
    expect(steps[3]).toMatchObject({ refresh: true });
  });

  it('asks a human to remove stale addresses', () => {
    const s = withHomeZone(healthySnapshot(), [vnetId(HUB), CONSUMER], { cache1: ['10.0.1.4', '10.0.9.9'] });
    expect(planFor(s)).toEqual([expect.objectContaining({ kind: 'manual', rule: 'dns-record-mismatch', message: expect.stringContaining('10.0.9.9') })]);
  });

  it('storage firewall is manual', () => {
    const steps = planFor(healthySnapshot({ persistence: { storageFirewall: true, managedIdentity: false } }));
    expect(steps).toEqual([expect.objectContaining({ kind: 'manual', rule: 'storage-firewall-persistence' })]);
  });
});
