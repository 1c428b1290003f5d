/**
 * The rules a sweep needs to catch what faults leave behind (issue #11): a pair this product unlinked and did not
 * relink (`geo-replication-unlinked`, from the tag it puts on the cache before unlinking), a Failed endpoint
 * (`private-endpoint-failed`), and their plans in enforce mode.
 */
import { evaluate } from '../../../src/policy/evaluate';
import { plan } from '../../../src/policy/plan';
import { GEO_UNLINKED_TAG } from '../../../src/policy/naming';
import { HUB, basePolicy, healthySnapshot, peId, redisId, withEndpoint, bareSnapshot } from './builders';

const policy = basePolicy({ geoReplication: 'unlink-and-relink' });
const SECONDARY = redisId('cache2');

describe('geo-replication-unlinked', () => {
  const unlinked = () => healthySnapshot({ sku: { name: 'Premium', family: 'P', capacity: 1 }, tags: { [GEO_UNLINKED_TAG]: SECONDARY } });

  it('fires when the cache carries the unlink tag and is not linked to that cache, and plans the relink', () => {
    const s = unlinked();
    const f = evaluate(s, policy).filter((x) => x.rule === 'geo-replication-unlinked');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'high', data: { primaryCacheId: s.cacheId, secondaryCacheId: SECONDARY, otherLinks: 0 } });
    const steps = plan(evaluate(s, policy), s, policy);
    expect(steps).toEqual([expect.objectContaining({ kind: 'relink-geo-replication', primaryCacheId: s.cacheId, secondaryCacheId: SECONDARY, rule: 'geo-replication-unlinked' })]);
  });

  it('does not fire once the pair is linked again (a stale tag changes nothing), nor without the tag', () => {
    const linked = unlinked();
    linked.linkedServers = [{ id: `${linked.cacheId}/linkedServers/cache2`, linkedRedisCacheId: SECONDARY, linkedRedisCacheLocation: 'West US', serverRole: 'Secondary', provisioningState: 'Succeeded' }];
    expect(evaluate(linked, policy).map((f) => f.rule)).not.toContain('geo-replication-unlinked');
    expect(evaluate(healthySnapshot(), policy).map((f) => f.rule)).not.toContain('geo-replication-unlinked');
  });

  it('asks a human when the cache was linked to another cache meanwhile', () => {
    const s = unlinked();
    s.linkedServers = [{ id: `${s.cacheId}/linkedServers/cache3`, linkedRedisCacheId: redisId('cache3'), linkedRedisCacheLocation: 'West US', serverRole: 'Secondary', provisioningState: 'Succeeded' }];
    const steps = plan(evaluate(s, policy), s, policy);
    expect(steps.filter((x) => x.rule === 'geo-replication-unlinked').map((x) => x.kind)).toEqual(['manual']);
  });

  it('audit mode reports it and plans nothing', () => {
    const s = unlinked();
    const audit = basePolicy({ mode: 'audit' });
    expect(evaluate(s, audit).map((f) => f.rule)).toContain('geo-replication-unlinked');
    expect(plan(evaluate(s, audit), s, audit)).toEqual([]);
  });
});

describe('private-endpoint-failed', () => {
  it("repairs the autopilot's own Failed endpoint by applying it again", () => {
    const s = withEndpoint(bareSnapshot({ publicNetworkAccess: 'Disabled' }), { name: 'pe-cache1-vnet-hub', vnet: HUB, ip: '10.0.1.4', provisioningState: 'Failed' });
    const f = evaluate(s, policy).find((x) => x.rule === 'private-endpoint-failed');
    expect(f).toMatchObject({ severity: 'high', resourceId: peId('pe-cache1-vnet-hub'), data: { managed: true } });
    const steps = plan(evaluate(s, policy), s, policy);
    expect(steps.map((x) => x.kind)).toContain('create-private-endpoint');
  });

  it("leaves someone else's Failed endpoint to a human", () => {
    const s = withEndpoint(healthySnapshot({ publicNetworkAccess: 'Enabled' }), { name: 'pe-theirs', vnet: 'vnet-other', ip: '10.9.0.4', provisioningState: 'Failed', zoneIds: [] });
    const f = evaluate(s, policy).find((x) => x.rule === 'private-endpoint-failed');
    expect(f).toMatchObject({ severity: 'medium', data: { managed: false } });
    const manual = plan(evaluate(s, policy), s, policy).filter((x) => x.rule === 'private-endpoint-failed');
    expect(manual.map((x) => x.kind)).toEqual(['manual']);
  });
});
