import { preflightAddEndpoint } from '../../../src/policy/preflight';
import { SEED } from '../../../src/policy/seed-rules';
import type { CacheSnapshot } from '../../../src/policy/snapshot';
import { HUB, OTHER_SUB, bareSnapshot, enterpriseSnapshot, healthySnapshot, redisId, subnetId, withEndpoint } from './builders';

const premium = { sku: { name: 'Premium', family: 'P', capacity: 1 } };
const linked: CacheSnapshot['linkedServers'] = [
  { id: `${redisId('cache1')}/linkedServers/cache2`, linkedRedisCacheId: redisId('cache2'), serverRole: 'Secondary', provisioningState: 'Succeeded' },
];

function refusal(s: CacheSnapshot, target = {}): { rule: string; message: string } {
  const r = preflightAddEndpoint(s, target);
  if (r.ok) throw new Error('expected a refusal');
  return r;
}

describe('preflightAddEndpoint', () => {
  it('accepts a plain cache', () => {
    expect(preflightAddEndpoint(bareSnapshot(), { subnetId: subnetId(HUB) })).toEqual({ ok: true });
    expect(preflightAddEndpoint(enterpriseSnapshot())).toEqual({ ok: true });
  });

  it('refuses a VNet-injected cache with the documented reason', () => {
    const r = refusal(bareSnapshot({ ...premium, subnetId: subnetId('legacy', 'redis') }));
    expect(r.rule).toBe('vnet-injected');
    expect(r.message).toContain(SEED.vnetInjected);
    expect(r.message).toContain(SEED.migration);
  });

  it('refuses publicNetworkAccess on Enterprise tiers, allows it on Basic/Standard/Premium', () => {
    const r = refusal(enterpriseSnapshot(), { publicNetworkAccess: 'Disabled' });
    expect(r.rule).toBe('public-network-access-unsupported');
    expect(r.message).toContain(SEED.enterpriseNoPublicNetworkAccess);
    expect(refusal(enterpriseSnapshot({ sku: { name: 'Balanced_B5' } }), { publicNetworkAccess: 'Disabled' }).message).toContain('AzureManagedRedis');
    expect(preflightAddEndpoint(bareSnapshot(), { publicNetworkAccess: 'Disabled' })).toEqual({ ok: true });
  });

  it('refuses a clustered Premium cache that already has its one private link', () => {
    const s = withEndpoint(bareSnapshot({ ...premium, shardCount: 2 }), { name: 'pe-x', vnet: 'vnet-x', status: 'Pending', sub: OTHER_SUB });
    const r = refusal(s);
    expect(r.rule).toBe('clustered-link-limit-reached');
    expect(r.message).toContain(SEED.linkLimitClustered);
    expect(preflightAddEndpoint(bareSnapshot({ ...premium, shardCount: 2 }))).toEqual({ ok: true });
  });

  it('refuses at the tier link limit (100, 84)', () => {
    let s = bareSnapshot();
    for (let i = 0; i < 100; i++) s = withEndpoint(s, { name: `pe-${i}`, vnet: `v-${i}` });
    expect(refusal(s)).toEqual({ ok: false, rule: 'link-limit-reached', message: expect.stringContaining(SEED.linkLimitBasicStandardPremium) });
    let e = enterpriseSnapshot();
    for (let i = 0; i < 84; i++) e = withEndpoint(e, { name: `pe-${i}`, vnet: `v-${i}` });
    expect(refusal(e)).toEqual({ ok: false, rule: 'link-limit-reached', message: expect.stringContaining(SEED.linkLimitEnterprise) });
    expect(preflightAddEndpoint({ ...e, connections: e.connections.slice(1) })).toEqual({ ok: true });
  });

  it('refuses a Premium cache in passive geo-replication unless unlink-and-relink is chosen', () => {
    const s = bareSnapshot({ ...premium, linkedServers: linked });
    const r = refusal(s);
    expect(r.rule).toBe('geo-replication-blocks-private-link');
    expect(r.message).toContain(SEED.geoReplication);
    expect(preflightAddEndpoint(s, { geoReplication: 'unlink-and-relink' })).toEqual({ ok: true });
  });

  it('refuses a busy cache', () => {
    expect(refusal(bareSnapshot({ provisioningState: 'Scaling' })).rule).toBe('cache-not-ready');
  });

  it('an endpoint already in the target VNet makes the request a no-op, even at the limit', () => {
    const s = { ...healthySnapshot({ ...premium, shardCount: 1 }) };
    expect(preflightAddEndpoint(s, { subnetId: subnetId(HUB, 'other-subnet') })).toEqual({ ok: true });
    expect(refusal(s, { subnetId: subnetId('vnet-elsewhere') }).rule).toBe('clustered-link-limit-reached');
  });
});
