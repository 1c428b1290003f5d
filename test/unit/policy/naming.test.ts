import {
  dnsZoneLinkName,
  privateEndpointName,
  sanitizeNetworkName,
  validateCacheName,
  validatePrivateEndpointName,
  validateVirtualNetworkName,
} from '../../../src/policy/naming';
import { SEED } from '../../../src/policy/seed-rules';

describe('validateCacheName (seed: DNS name rule)', () => {
  it.each(['a', 'cache1', 'My-Cache-01', '1cache', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(validateCacheName(name)).toEqual({ ok: true });
  });

  it.each([
    ['', 'cache-name-length', 'has 0 characters, not 1 to 63'],
    ['a'.repeat(64), 'cache-name-length', 'has 64 characters, not 1 to 63'],
    ['my_cache', 'cache-name-characters', 'contains invalid character "_"'],
    ['my.cache!', 'cache-name-characters', 'contains invalid characters ".", "!"'],
    ['-cache', 'cache-name-start-end', 'must start and end with a number or letter'],
    ['cache-', 'cache-name-start-end', 'must start and end with a number or letter'],
    ['my--cache', 'cache-name-consecutive-hyphens', 'contains consecutive hyphens'],
  ])('rejects %j with %s', (name, rule, problem) => {
    const r = validateCacheName(name);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rule).toBe(rule);
    expect(r.message).toContain(problem);
    expect(r.message).toContain(`Rule: "${SEED.cacheName}"`);
    expect(r.message).toContain(`Cache name '${name}'`);
  });
});

describe('validateVirtualNetworkName (seed: virtual network name rule)', () => {
  it.each(['vnet-hub', 'v1', 'Vnet_Prod.01', 'vnet_', '9vnet', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(validateVirtualNetworkName(name)).toEqual({ ok: true });
  });

  it.each([
    ['v', 'virtual-network-name-length', 'has 1 character, not 2 to 64'],
    ['a'.repeat(65), 'virtual-network-name-length', 'has 65 characters, not 2 to 64'],
    ['vnet hub', 'virtual-network-name-characters', 'contains invalid character " "'],
    ['vnet#1', 'virtual-network-name-characters', 'contains invalid character "#"'],
    ['_vnet', 'virtual-network-name-start', 'must begin with a letter or number'],
    ['.vnet', 'virtual-network-name-start', 'must begin with a letter or number'],
    ['vnet.', 'virtual-network-name-end', 'must end with a letter, number, or underscore'],
    ['vnet-', 'virtual-network-name-end', 'must end with a letter, number, or underscore'],
  ])('rejects %j with %s', (name, rule, problem) => {
    const r = validateVirtualNetworkName(name);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rule).toBe(rule);
    expect(r.message).toContain(problem);
    expect(r.message).toContain(`Rule: "${SEED.virtualNetworkName}"`);
  });
});

describe('validatePrivateEndpointName (seed: private endpoint name rule, max 64)', () => {
  it.each(['pe-cache1-vnet-hub', 'MyPrivateEndpoint', 'pe_', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(validatePrivateEndpointName(name)).toEqual({ ok: true });
  });

  it.each([
    ['p', 'private-endpoint-name-length'],
    ['p'.repeat(65), 'private-endpoint-name-length'],
    ['pe/1', 'private-endpoint-name-characters'],
    ['-pe', 'private-endpoint-name-start'],
    ['pe.', 'private-endpoint-name-end'],
  ])('rejects %j with %s', (name, rule) => {
    const r = validatePrivateEndpointName(name);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rule).toBe(rule);
    expect(r.message).toContain(`Private endpoint name '${name}'`);
    expect(r.message).toContain(`Rule: "${SEED.privateEndpointName}"`);
  });
});

describe('deterministic child names', () => {
  it('privateEndpointName is pe-<cache>-<vnet>', () => {
    expect(privateEndpointName('cache1', 'vnet-hub')).toBe('pe-cache1-vnet-hub');
    expect(privateEndpointName('cache1', 'vnet_')).toBe('pe-cache1-vnet_');
  });

  it('truncates long names to 64 with a hash that keeps them distinct and valid', () => {
    const cache = 'c'.repeat(63);
    const a = privateEndpointName(cache, 'vnet-aaaaaaaaaaaa');
    const b = privateEndpointName(cache, 'vnet-bbbbbbbbbbbb');
    expect(a.length).toBeLessThanOrEqual(64);
    expect(b.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
    expect(a.startsWith('pe-ccc')).toBe(true);
    expect(validatePrivateEndpointName(a)).toEqual({ ok: true });
    expect(privateEndpointName(cache, 'vnet-aaaaaaaaaaaa')).toBe(a); // deterministic
  });

  it('sanitises characters and endings the rule forbids', () => {
    expect(privateEndpointName('cache1', 'vnet hub.')).toBe('pe-cache1-vnet-hub');
    expect(sanitizeNetworkName('..a b#c--', 64)).toBe('a-b-c');
    expect(sanitizeNetworkName('---', 64)).toMatch(/^n[0-9a-f]{8}$/);
  });

  it('always produces a valid endpoint name', () => {
    const samples = ['x', 'a.b', 'ünïcode', 'vnet-.-.', 'z'.repeat(200), 'a b c', '_', '.'];
    for (const cache of ['c', 'cache-1', 'k'.repeat(63)]) {
      for (const vnet of samples) expect(validatePrivateEndpointName(privateEndpointName(cache, vnet))).toEqual({ ok: true });
    }
  });

  it('dnsZoneLinkName is link-<vnet>, at most 80 characters', () => {
    expect(dnsZoneLinkName('vnet-hub')).toBe('link-vnet-hub');
    const long = dnsZoneLinkName('v'.repeat(80));
    expect(long.length).toBe(80);
    expect(long.startsWith('link-vvv')).toBe(true);
  });
});
