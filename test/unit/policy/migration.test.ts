import { proposeSku, readinessEntryOf, retirementSeverity } from '../../../src/policy/migration';
import { demoSnapshot } from './migration-fixtures';

describe('proposeSku (Learn migrate-overview mapping)', () => {
  it.each([
    ['Basic', 0, 'Balanced_B0', [], 'Disabled'],
    ['Standard', 2, 'Balanced_B3', [], 'Enabled'],
    ['Standard', 4, 'MemoryOptimized_M20', ['MemoryOptimized_M10'], 'Enabled'],
    ['Standard', 6, 'MemoryOptimized_M50', [], 'Enabled'],
    ['Premium', 1, 'Balanced_B5', [], 'Enabled'],
    ['Premium', 2, 'Balanced_B20', ['Balanced_B10'], 'Enabled'],
    ['Premium', 5, 'Balanced_B100', [], 'Enabled'],
  ] as const)('%s capacity %i -> %s', (tier, capacity, sku, alternatives, ha) => {
    const p = proposeSku({ tier, capacity })!;
    expect(p.sku).toBe(sku);
    expect(p.alternatives.map((a) => a.sku)).toEqual(alternatives);
    expect(p.highAvailability).toBe(ha);
  });
  it('clustered Premium: Memory Optimized with equal total memory; more than one replica: Compute Optimized', () => {
    expect(proposeSku({ tier: 'Premium', capacity: 1, shardCount: 3 })!.sku).toBe('MemoryOptimized_M20');
    expect(proposeSku({ tier: 'Premium', capacity: 2, shardCount: 2 })!.sku).toBe('MemoryOptimized_M50');
    expect(proposeSku({ tier: 'Premium', capacity: 1, replicasPerPrimary: 2 })!.sku).toBe('ComputeOptimized_X5');
  });
  it('no mapping for an unknown capacity', () => {
    expect(proposeSku({ tier: 'Premium', capacity: 9 })).toBeUndefined();
  });
});

describe('retirement-pending', () => {
  it('info until 12 months before the date, then warning', () => {
    expect(retirementSeverity(366)).toBe('info');
    expect(retirementSeverity(365)).toBe('warning');
    expect(retirementSeverity(-3)).toBe('warning');
  });
  it('judged at the given clock, never the wall clock', () => {
    const s = demoSnapshot();
    expect(readinessEntryOf(s, '2026-12-02T00:00:00Z').readiness).toMatchObject({ daysLeft: 668, notice: { severity: 'info' } });
    expect(readinessEntryOf(s, '2028-01-01T00:00:00Z').readiness).toMatchObject({ daysLeft: 273, notice: { severity: 'warning' } });
    expect(readinessEntryOf({ ...s, sku: { name: 'Balanced_B5' }, kind: 'redisEnterprise' }, '2026-12-02T00:00:00Z').readiness).toBeUndefined();
  });
});
