import {
  addEndpointBody,
  cacheOnlyBody,
  cidrContains,
  createCacheBody,
  parseBody,
  parseCidr,
  publicAccessBody,
  removeEndpointBody,
} from '../../../../src/functions/http/schemas';
import { SEED } from '../../../../src/policy/seed-rules';

const SUB = '11111111-2222-3333-4444-555555555555';
const CACHE = `/subscriptions/${SUB}/resourceGroups/rg-cache/providers/Microsoft.Cache/Redis/redis-contoso`;
const AMR = `/subscriptions/${SUB}/resourceGroups/rg-cache/providers/Microsoft.Cache/redisEnterprise/amr-contoso`;
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe`;
const PE = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-redis-contoso-vnet-hub`;

type Bad = { ok: false; status: 400; error: { code: string; message: string; details: Array<{ field: string; message: string }> } };
function expectInvalid(r: ReturnType<typeof parseBody>, field: string, message: RegExp): void {
  expect(r.ok).toBe(false);
  const bad = r as Bad;
  expect(bad.status).toBe(400);
  expect(bad.error.code).toBe('InvalidRequest');
  const detail = bad.error.details.find((d) => d.field === field);
  expect({ field, found: detail !== undefined, all: bad.error.details }).toMatchObject({ found: true });
  expect(detail!.message).toMatch(message);
  expect(bad.error.message).toContain(field);
}

describe('addEndpointBody', () => {
  const valid = { cacheId: CACHE, subnetId: SUBNET };
  it('accepts the minimal and the full body', () => {
    expect(parseBody(addEndpointBody, valid)).toEqual({ ok: true, value: valid });
    const full = { ...valid, privateEndpointName: 'pe-redis_1', geoReplication: 'unlink-and-relink', publicNetworkAccess: 'Disabled', dryRun: true };
    expect(parseBody(addEndpointBody, full)).toEqual({ ok: true, value: full });
    expect(parseBody(addEndpointBody, { cacheId: AMR, subnetId: SUBNET })).toMatchObject({ ok: true });
  });
  it('accepts the JSON text of the body', () => {
    expect(parseBody(addEndpointBody, JSON.stringify(valid))).toEqual({ ok: true, value: valid });
  });
  it.each([
    ['missing cacheId', { subnetId: SUBNET }, 'cacheId', /cacheId is required/],
    ['cacheId not an id', { ...valid, cacheId: 'redis-contoso' }, 'cacheId', /cacheId is not a valid resource id: .*must start with '\/subscriptions\/'/],
    ['cacheId of a child resource', { ...valid, cacheId: `${CACHE}/linkedServers/dr` }, 'cacheId', /must be a Microsoft.Cache\/Redis or Microsoft.Cache\/redisEnterprise id.*Microsoft.Cache\/Redis\/linkedServers/],
    ['cacheId of a subnet', { ...valid, cacheId: SUBNET }, 'cacheId', /got type 'Microsoft.Network\/virtualNetworks\/subnets'/],
    ['cacheId with a bad subscription', { ...valid, cacheId: CACHE.replace(SUB, 'sub1') }, 'cacheId', /subscription 'sub1' is not a GUID/],
    ['subnetId of a VNet', { ...valid, subnetId: SUBNET.replace('/subnets/snet-pe', '') }, 'subnetId', /subnetId must be a Microsoft.Network\/virtualNetworks\/subnets id/],
    ['subnetId a number', { ...valid, subnetId: 5 }, 'subnetId', /subnetId is required/],
    ['privateEndpointName ends with a period', { ...valid, privateEndpointName: 'pe.' }, 'privateEndpointName', /must end with a letter, number, or underscore/],
    ['privateEndpointName with a space', { ...valid, privateEndpointName: 'pe redis' }, 'privateEndpointName', /invalid character " "/],
    ['privateEndpointName too long', { ...valid, privateEndpointName: 'p'.repeat(65) }, 'privateEndpointName', /not 2 to 64/],
    ['geoReplication unknown', { ...valid, geoReplication: 'auto' }, 'geoReplication', /'manual' or 'unlink-and-relink'.*Unlink the geo-replication/],
    ['publicNetworkAccess lower case', { ...valid, publicNetworkAccess: 'disabled' }, 'publicNetworkAccess', /'Enabled' or 'Disabled'/],
    ['publicNetworkAccess on Enterprise', { cacheId: AMR, subnetId: SUBNET, publicNetworkAccess: 'Disabled' }, 'publicNetworkAccess', /Neither the Enterprise nor Enterprise Flash tier supports/],
    ['dryRun a string', { ...valid, dryRun: 'yes' }, 'dryRun', /dryRun must be true or false/],
    ['unknown field', { ...valid, subnet: SUBNET }, 'subnet', /subnet is not a known field/],
  ])('%s', (_name, body, field, message) => {
    expectInvalid(parseBody(addEndpointBody, body), field, message);
  });
  it('quotes the seed naming rule for endpoint names', () => {
    const r = parseBody(addEndpointBody, { ...valid, privateEndpointName: '-pe' }) as Bad;
    expect(r.error.details[0]!.message).toContain(SEED.privateEndpointName);
  });
  it('reports every problem at once', () => {
    const r = parseBody(addEndpointBody, { cacheId: 'x', subnetId: 'y', dryRun: 1 }) as Bad;
    expect(r.error.details.map((d) => d.field).sort()).toEqual(['cacheId', 'dryRun', 'subnetId']);
    expect(r.error.message).toMatch(/^Invalid request body \(3 problems\)/);
  });
  it.each([
    ['undefined', undefined],
    ['an array', [valid]],
    ['null', null],
  ])('a body that is %s is a 400 on (body)', (_n, body) => {
    expectInvalid(parseBody(addEndpointBody, body), '(body)', /the request body must be a JSON object/);
  });
  it('invalid JSON text is a 400 on (body)', () => {
    expectInvalid(parseBody(addEndpointBody, '{"cacheId":'), '(body)', /not valid JSON/);
  });
});

describe('removeEndpointBody', () => {
  const valid = { cacheId: CACHE, privateEndpointId: PE };
  it('accepts valid bodies', () => {
    expect(parseBody(removeEndpointBody, valid)).toEqual({ ok: true, value: valid });
    expect(parseBody(removeEndpointBody, { ...valid, acceptDataLoss: true, dryRun: false })).toMatchObject({ ok: true });
  });
  it.each([
    ['missing privateEndpointId', { cacheId: CACHE }, 'privateEndpointId', /privateEndpointId is required/],
    ['privateEndpointId of a subnet', { ...valid, privateEndpointId: SUBNET }, 'privateEndpointId', /must be a Microsoft.Network\/privateEndpoints id/],
    ['acceptDataLoss a string', { ...valid, acceptDataLoss: 'true' }, 'acceptDataLoss', /acceptDataLoss must be true or false/],
    ['cacheId missing', { privateEndpointId: PE }, 'cacheId', /cacheId is required/],
  ])('%s', (_n, body, field, message) => expectInvalid(parseBody(removeEndpointBody, body), field, message));
});

describe('publicAccessBody', () => {
  it('accepts Enabled and Disabled with force', () => {
    expect(parseBody(publicAccessBody, { cacheId: CACHE, value: 'Enabled' })).toMatchObject({ ok: true });
    expect(parseBody(publicAccessBody, { cacheId: CACHE, value: 'Disabled', force: true, dryRun: true })).toMatchObject({ ok: true });
  });
  it.each([
    ['missing value', { cacheId: CACHE }, 'value', /value must be 'Enabled' or 'Disabled'.*When set to enabled/],
    ['value wrong', { cacheId: CACHE, value: 'Off' }, 'value', /value must be 'Enabled' or 'Disabled'/],
    ['Enterprise cache', { cacheId: AMR, value: 'Disabled' }, 'cacheId', /has no publicNetworkAccess flag.*Neither the Enterprise nor Enterprise Flash tier/],
    ['force a number', { cacheId: CACHE, value: 'Disabled', force: 1 }, 'force', /force must be true or false/],
  ])('%s', (_n, body, field, message) => expectInvalid(parseBody(publicAccessBody, body), field, message));
});

describe('cacheOnlyBody', () => {
  it('accepts a cache id, refuses other ids and unknown fields', () => {
    expect(parseBody(cacheOnlyBody, { cacheId: AMR, dryRun: true })).toEqual({ ok: true, value: { cacheId: AMR, dryRun: true } });
    expectInvalid(parseBody(cacheOnlyBody, { cacheId: PE }), 'cacheId', /got type 'Microsoft.Network\/privateEndpoints'/);
    expectInvalid(parseBody(cacheOnlyBody, { cacheId: CACHE, mode: 'enforce' }), 'mode', /not a known field/);
  });
});

describe('createCacheBody', () => {
  const valid = {
    subscriptionId: SUB,
    resourceGroup: 'rg-cache',
    name: 'redis-contoso-1',
    location: 'eastus',
    sku: { name: 'Premium', capacity: 1 },
    shardCount: 2,
    virtualNetwork: { name: 'vnet-hub_1', addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'], subnetName: 'snet-pe', subnetAddressPrefix: '10.1.2.0/24' },
    privateEndpointName: 'pe-redis-contoso-1',
    dryRun: true,
  };
  it('accepts a full valid body and minimal Basic/Standard bodies', () => {
    expect(parseBody(createCacheBody, valid)).toEqual({ ok: true, value: valid });
    const { shardCount: _s, privateEndpointName: _p, dryRun: _d, ...minimal } = valid;
    expect(parseBody(createCacheBody, { ...minimal, sku: { name: 'Basic', capacity: 0 } })).toMatchObject({ ok: true });
    expect(parseBody(createCacheBody, { ...minimal, sku: { name: 'Standard', capacity: 6 }, location: 'East US' })).toMatchObject({ ok: true });
  });
  const vnet = (v: Partial<typeof valid.virtualNetwork>) => ({ ...valid, virtualNetwork: { ...valid.virtualNetwork, ...v } });
  it.each([
    ['subscriptionId not a GUID', { ...valid, subscriptionId: 'abc' }, 'subscriptionId', /subscriptionId must be a GUID/],
    ['resourceGroup with a slash', { ...valid, resourceGroup: 'rg/x' }, 'resourceGroup', /resourceGroup must be 1-90/],
    ['resourceGroup ending with a period', { ...valid, resourceGroup: 'rg.' }, 'resourceGroup', /must not end with a period/],
    ['name with consecutive hyphens', { ...valid, name: 'redis--contoso' }, 'name', /consecutive hyphens.*The cache name must be a string between 1 and 63/],
    ['name ending with a hyphen', { ...valid, name: 'redis-' }, 'name', /must start and end with a number or letter/],
    ['name with an underscore', { ...valid, name: 'redis_contoso' }, 'name', /invalid character "_"/],
    ['name too long', { ...valid, name: 'r'.repeat(64) }, 'name', /has 64 characters, not 1 to 63/],
    ['name empty', { ...valid, name: '' }, 'name', /not 1 to 63/],
    ['location missing', { ...valid, location: undefined }, 'location', /location is required/],
    ['location with punctuation', { ...valid, location: 'east-us!' }, 'location', /location must be an Azure region name/],
    ['sku missing', { ...valid, sku: undefined }, 'sku', /sku is required/],
    ['sku.name Enterprise', { ...valid, sku: { name: 'Enterprise', capacity: 2 } }, 'sku.name', /'Basic', 'Standard' or 'Premium'/],
    ['sku.capacity 7', { ...valid, sku: { name: 'Standard', capacity: 7 } }, 'sku.capacity', /0 to 6.*for P \(Premium\) family/],
    ['sku.capacity -1', { ...valid, sku: { name: 'Basic', capacity: -1 } }, 'sku.capacity', /0 to 6/],
    ['sku.capacity 1.5', { ...valid, sku: { name: 'Basic', capacity: 1.5 } }, 'sku.capacity', /must be an integer/],
    ['Premium P0', { ...valid, sku: { name: 'Premium', capacity: 0 } }, 'sku.capacity', /not a Premium size \(P1-P5\)/],
    ['Premium P6', { ...valid, sku: { name: 'Premium', capacity: 6 } }, 'sku.capacity', /not a Premium size/],
    ['sku extra field', { ...valid, sku: { name: 'Basic', capacity: 1, family: 'C' } }, 'sku.family', /not a known field/],
    ['shardCount on Standard', { ...valid, sku: { name: 'Standard', capacity: 1 } }, 'shardCount', /only allowed with sku.name 'Premium'/],
    ['shardCount 0', { ...valid, shardCount: 0 }, 'shardCount', /at least 1/],
    ['shardCount 31', { ...valid, shardCount: 31 }, 'shardCount', /at most 30/],
    ['virtualNetwork missing', { ...valid, virtualNetwork: undefined }, 'virtualNetwork', /virtualNetwork is required/],
    ['VNet name starting with an underscore', vnet({ name: '_vnet' }), 'virtualNetwork.name', /must begin with a letter or number.*The name must: begin with a letter or number/],
    ['VNet name ending with a hyphen', vnet({ name: 'vnet-' }), 'virtualNetwork.name', /must end with a letter, number, or underscore/],
    ['no address prefixes', vnet({ addressPrefixes: [] }), 'virtualNetwork.addressPrefixes', /at least one IPv4 prefix/],
    ['address prefix not CIDR', vnet({ addressPrefixes: ['10.0.0.0'] }), 'virtualNetwork.addressPrefixes[0]', /not IPv4 CIDR notation/],
    ['address prefix octet 256', vnet({ addressPrefixes: ['10.256.0.0/16'] }), 'virtualNetwork.addressPrefixes[0]', /octet above 255/],
    ['address prefix with host bits', vnet({ addressPrefixes: ['10.0.0.1/16'], subnetAddressPrefix: '10.0.1.0/24' }), 'virtualNetwork.addressPrefixes[0]', /host bits set; the network address is 10.0.0.0\/16/],
    ['overlapping prefixes', vnet({ addressPrefixes: ['10.0.0.0/16', '10.0.128.0/17'] }), 'virtualNetwork.addressPrefixes[1]', /overlaps addressPrefixes\[0\]/],
    ['subnet name with a space', vnet({ subnetName: 'snet pe' }), 'virtualNetwork.subnetName', /Subnet names: 1-80 characters/],
    ['subnet name ending with a period', vnet({ subnetName: 'snet.' }), 'virtualNetwork.subnetName', /does not follow the Azure naming rule/],
    ['subnet prefix outside the space', vnet({ subnetAddressPrefix: '10.2.0.0/24' }), 'virtualNetwork.subnetAddressPrefix', /is not inside the address space.*It must be contained by the address space of the virtual network/],
    ['subnet prefix larger than the space', vnet({ addressPrefixes: ['10.0.0.0/16'], subnetAddressPrefix: '10.0.0.0/15' }), 'virtualNetwork.subnetAddressPrefix', /is not inside the address space/],
    ['subnet prefix /30', vnet({ subnetAddressPrefix: '10.1.2.0/30' }), 'virtualNetwork.subnetAddressPrefix', /smaller than \/29/],
    ['subnet prefix not CIDR', vnet({ subnetAddressPrefix: 'ten' }), 'virtualNetwork.subnetAddressPrefix', /not IPv4 CIDR notation/],
    ['privateEndpointName invalid', { ...valid, privateEndpointName: 'pe#1' }, 'privateEndpointName', /invalid character "#"/],
    ['unknown VNet field', vnet({ location: 'eastus' } as never), 'virtualNetwork.location', /not a known field/],
  ])('%s', (_n, body, field, message) => expectInvalid(parseBody(createCacheBody, body), field, message));
});

describe('CIDR helpers', () => {
  it('parses and tests containment', () => {
    const outer = parseCidr('10.0.0.0/8');
    const inner = parseCidr('10.200.16.0/20');
    if (typeof outer === 'string' || typeof inner === 'string') throw new Error('parse failed');
    expect(cidrContains(outer, inner)).toBe(true);
    expect(cidrContains(inner, outer)).toBe(false);
    const all = parseCidr('0.0.0.0/0');
    if (typeof all === 'string') throw new Error('parse failed');
    expect(cidrContains(all, inner)).toBe(true);
    expect(parseCidr('192.168.1.0/33')).toMatch(/prefix length above 32/);
  });
});

describe('names inside resource ids follow the seed naming rules', () => {
  const SUBX = '11111111-1111-1111-1111-111111111111';
  it('rejects a cache id whose name breaks the DNS-name rule, naming the field', () => {
    const r = parseBody(cacheOnlyBody, { cacheId: `/subscriptions/${SUBX}/resourceGroups/rg/providers/Microsoft.Cache/Redis/bad--name-` });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.details[0]!.field).toBe('cacheId');
      expect(r.error.details[0]!.message).toContain("can't contain consecutive hyphens");
    }
  });
  it('rejects a private endpoint id whose name breaks the private endpoint naming rule', () => {
    const r = parseBody(removeEndpointBody, {
      cacheId: `/subscriptions/${SUBX}/resourceGroups/rg/providers/Microsoft.Cache/Redis/good-name`,
      privateEndpointId: `/subscriptions/${SUBX}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/-bad.`,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.details.map((d) => d.field)).toEqual(['privateEndpointId']);
      expect(r.error.details[0]!.message).toContain('begin with a letter or number');
    }
  });
  it('accepts valid names', () => {
    expect(parseBody(cacheOnlyBody, { cacheId: `/subscriptions/${SUBX}/resourceGroups/rg/providers/Microsoft.Cache/Redis/good-name-1` }).ok).toBe(true);
  });
});
