import {
  ResourceIdError,
  cacheIdOf,
  cacheKindOf,
  expectResourceType,
  formatResourceId,
  isResourceId,
  parseResourceId,
  privateDnsZoneIdOf,
  privateEndpointIdOf,
  resourceNameOf,
  resourceTypeOf,
  sameId,
  virtualNetworkIdOfSubnet,
} from '../../../src/azure/resource-id';

const SUB = 'e7b5a9d2-6b6a-4d2f-9143-20d9a10f5b8f';
const CACHE = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1`;
const PEC = `${CACHE}/privateEndpointConnections/pe1.conn`;
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe`;

function errorOf(id: string): ResourceIdError {
  try {
    parseResourceId(id);
  } catch (e) {
    expect(e).toBeInstanceOf(ResourceIdError);
    return e as ResourceIdError;
  }
  throw new Error(`expected '${id}' to be rejected`);
}

describe('parseResourceId', () => {
  it('parses a cache id', () => {
    expect(parseResourceId(CACHE)).toEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg1',
      namespace: 'Microsoft.Cache',
      resources: [{ type: 'Redis', name: 'cache1' }],
    });
  });

  it('parses child resources', () => {
    const p = parseResourceId(PEC);
    expect(p.resources).toEqual([
      { type: 'Redis', name: 'cache1' },
      { type: 'privateEndpointConnections', name: 'pe1.conn' },
    ]);
    expect(resourceTypeOf(p)).toBe('Microsoft.Cache/Redis/privateEndpointConnections');
    expect(resourceNameOf(PEC)).toBe('pe1.conn');
  });

  it('parses subscription, resource group and subscription-level provider ids', () => {
    expect(parseResourceId(`/subscriptions/${SUB}`)).toEqual({ subscriptionId: SUB, resources: [] });
    expect(parseResourceId(`/subscriptions/${SUB}/resourceGroups/rg-(x).y`).resourceGroup).toBe('rg-(x).y');
    const op = parseResourceId(`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/East US/asyncOperations/abc`);
    expect(op.resourceGroup).toBeUndefined();
    expect(op.resources).toEqual([
      { type: 'locations', name: 'East US' },
      { type: 'asyncOperations', name: 'abc' },
    ]);
  });

  it('is case-insensitive on the fixed segments and keeps the given casing', () => {
    const p = parseResourceId(`/SUBSCRIPTIONS/${SUB}/resourcegroups/RG1/PROVIDERS/microsoft.cache/redis/Cache1`);
    expect(p.resourceGroup).toBe('RG1');
    expect(p.namespace).toBe('microsoft.cache');
    expect(p.resources[0]).toEqual({ type: 'redis', name: 'Cache1' });
  });

  it.each([
    [CACHE],
    [PEC],
    [SUBNET],
    [`/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.redis.cache.windows.net/A/cache1`],
    [`/subscriptions/${SUB}/resourceGroups/rg1`],
    [`/subscriptions/${SUB}`],
  ])('round-trips %s', (id) => {
    expect(formatResourceId(parseResourceId(id))).toBe(id);
  });

  it.each([
    ['', 'id', 'is empty'],
    ['subscriptions/x', 'id', "must start with '/subscriptions/'"],
    [`/subs/${SUB}`, 'id', "must start with '/subscriptions/'"],
    ['/subscriptions/not-a-guid/resourceGroups/rg', 'subscription', "'not-a-guid' is not a GUID"],
    ['/subscriptions', 'subscription', 'is missing'],
    [`/subscriptions/${SUB}/resourceGroups`, 'resourceGroup', 'is missing'],
    [`/subscriptions/${SUB}/resourceGroups/rg!x`, 'resourceGroup', "'rg!x' is not a resource group name"],
    [`/subscriptions/${SUB}/resourceGroups/rg.`, 'resourceGroup', 'must not end with a period'],
    [`/subscriptions/${SUB}/resourceGroups/${'r'.repeat(91)}`, 'resourceGroup', 'is not a resource group name'],
    [`/subscriptions/${SUB}/resourceGroups/rg/foo/bar`, "segment 'foo'", "is not 'providers'"],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers`, 'namespace', 'is missing'],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft`, 'namespace', "'Microsoft' is not a provider namespace"],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Cache`, 'type[0]', 'is missing'],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Cache/Redis`, 'name[0]', "is missing after type 'Redis'"],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Cache/Redis/c1/linkedServers`, 'name[1]', "is missing after type 'linkedServers'"],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Cache/Re-dis/c1`, 'type[0]', "'Re-dis' is not a resource type"],
    [`${CACHE}/`, 'id', 'has an empty segment'],
    [`/subscriptions/${SUB}//resourceGroups/rg`, 'id', 'has an empty segment'],
  ])('rejects %j naming the segment', (id, segment, reason) => {
    const e = errorOf(id);
    expect(e.segment).toBe(segment);
    expect(e.message).toContain(reason);
    expect(e.message).toContain(`Invalid resource id '${id}'`);
  });

  it('isResourceId answers without throwing', () => {
    expect(isResourceId(CACHE)).toBe(true);
    expect(isResourceId('/nope')).toBe(false);
    expect(isResourceId(42)).toBe(false);
  });
});

describe('formatResourceId', () => {
  it('rejects names with slashes and types without a namespace', () => {
    expect(() =>
      formatResourceId({ subscriptionId: SUB, resourceGroup: 'rg', namespace: 'Microsoft.Cache', resources: [{ type: 'Redis', name: 'a/b' }] }),
    ).toThrow(ResourceIdError);
    expect(() => formatResourceId({ subscriptionId: SUB, resourceGroup: 'rg', resources: [{ type: 'Redis', name: 'a' }] })).toThrow(
      /namespace is missing/,
    );
    expect(() => formatResourceId({ subscriptionId: 'x', resources: [] })).toThrow(/subscription 'x' is not a GUID/);
  });
});

describe('helpers', () => {
  it('sameId compares case-insensitively and ignores a trailing slash', () => {
    expect(sameId(CACHE, CACHE.toUpperCase())).toBe(true);
    expect(sameId(CACHE, `${CACHE}/`)).toBe(true);
    expect(sameId(CACHE, `${CACHE}x`)).toBe(false);
    expect(sameId(undefined, CACHE)).toBe(false);
    expect(sameId(null, null)).toBe(false);
  });

  it('cacheIdOf builds ids and extracts the cache from child ids', () => {
    expect(cacheIdOf({ subscriptionId: SUB, resourceGroup: 'rg1', name: 'cache1', kind: 'redis' })).toBe(CACHE);
    expect(cacheIdOf({ subscriptionId: SUB, resourceGroup: 'rg1', name: 'c2', kind: 'redisEnterprise' })).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Cache/redisEnterprise/c2`,
    );
    expect(cacheIdOf(PEC)).toBe(CACHE);
    expect(cacheIdOf(`${CACHE}/linkedServers/cache2`)).toBe(CACHE);
    expect(cacheKindOf(PEC)).toBe('redis');
    expect(cacheKindOf(`/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Cache/redisEnterprise/c2/databases/default`)).toBe(
      'redisEnterprise',
    );
  });

  it('cacheIdOf refuses ids that are not caches', () => {
    expect(() => cacheIdOf(SUBNET)).toThrow(/type\[0\] is not Microsoft.Cache\/Redis or Microsoft.Cache\/redisEnterprise/);
    expect(() => cacheIdOf(`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/eastus`)).toThrow(ResourceIdError);
  });

  it('virtualNetworkIdOfSubnet returns the VNet and refuses other types', () => {
    expect(virtualNetworkIdOfSubnet(SUBNET)).toBe(`/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub`);
    expect(() => virtualNetworkIdOfSubnet(virtualNetworkIdOfSubnet(SUBNET))).toThrow(
      /type is 'Microsoft.Network\/virtualNetworks', expected Microsoft.Network\/virtualNetworks\/subnets/,
    );
    expect(() => virtualNetworkIdOfSubnet(CACHE)).toThrow(/expected Microsoft.Network\/virtualNetworks\/subnets/);
  });

  it('expectResourceType checks the full type', () => {
    expect(expectResourceType(SUBNET, 'microsoft.network/virtualnetworks/subnets').resources).toHaveLength(2);
    expect(() => expectResourceType(`/subscriptions/${SUB}/resourceGroups/rg`, 'Microsoft.Network/virtualNetworks')).toThrow(/type is ''/);
  });

  it('builds endpoint and zone ids', () => {
    expect(privateEndpointIdOf(SUB, 'rg-net', 'pe-cache1-vnet-hub')).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-cache1-vnet-hub`,
    );
    expect(privateDnsZoneIdOf(SUB, 'rg-dns', 'privatelink.redis.cache.windows.net')).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.redis.cache.windows.net`,
    );
  });
});
