/**
 * The connectivity oracle against state built through the real SDK clients: a Premium cache created with
 * `@azure/arm-rediscache`, its VNet, private endpoint and DNS zone group with `@azure/arm-network`, the privatelink
 * zone and its link with `@azure/arm-privatedns`. The oracle says what a client in a VNet (or on the internet)
 * resolves and whether a TLS connection on the tier's port succeeds.
 */
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import type { RedisManagementClient } from '@azure/arm-rediscache';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { ArmError, type ArmResource } from '../../../emulator/core/types';
import { checkConnectivity } from '../../../emulator/oracle/connectivity';
import { createClientFactory, StaticTokenCredential } from '../../../src/azure/clients';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg1';
const RG_ID = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const NET = `${RG_ID}/providers/Microsoft.Network`;
const POLL = { updateIntervalInMs: 5 };
const REDIS_ZONE = 'privatelink.redis.cache.windows.net';
const ENTERPRISE_ZONE = 'privatelink.redisenterprise.cache.azure.net';
const cacheId = (name: string) => `${RG_ID}/providers/Microsoft.Cache/Redis/${name}`;
const vnetId = (name: string) => `${NET}/virtualNetworks/${name}`;


const ENTERPRISE: ArmResource = {
  id: `${RG_ID}/providers/Microsoft.Cache/redisEnterprise/ent1`,
  name: 'ent1',
  type: 'Microsoft.Cache/redisEnterprise',
  location: 'westus2',
  sku: { name: 'Enterprise_E10', capacity: 2 },
  properties: {
    provisioningState: 'Succeeded',
    resourceState: 'Running',
    hostName: 'ent1.westus2.redisenterprise.cache.azure.net',
    minimumTlsVersion: '1.2',
    privateEndpointConnections: [],
  },
};

const ESTATE = { resourceGroups: [RG_ID], resources: [ENTERPRISE] };

let emu: RunningEmulator;
let net: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
let redis: RedisManagementClient;

beforeAll(async () => {
  emu = await startEmulator({ estate: ESTATE });
  const clients = createClientFactory({ armTransportUrl: emu.url, credential: new StaticTokenCredential(), retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 } });
  net = clients.network(SUB);
  dns = clients.privateDns(SUB);
  redis = clients.redis(SUB);
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.control.reset(ESTATE);
});

const oracle = (cache: string, from: string) => emu.control.connectivity(cache, from);

async function premiumCache(name: string, publicNetworkAccess: 'Enabled' | 'Disabled') {
  return redis.redis.beginCreateAndWait(RG, name, { location: 'westus', sku: { name: 'Premium', family: 'P', capacity: 1 }, publicNetworkAccess }, POLL);
}

async function vnet(name: string, space: string, location = 'westus') {
  return net.virtualNetworks.createOrUpdate(RG, name, { location, addressSpace: { addressPrefixes: [space] }, subnets: [{ name: 'pe', addressPrefix: space.replace('0.0/16', '1.0/24') }] }, POLL);
}

async function endpoint(name: string, target: string, subnet: string, opts: { groupId?: string; manual?: boolean; location?: string } = {}) {
  const connection = { name, privateLinkServiceId: target, groupIds: [opts.groupId ?? 'redisCache'] };
  return net.privateEndpoints.createOrUpdate(
    RG,
    name,
    { location: opts.location ?? 'westus', subnet: { id: subnet }, ...(opts.manual ? { manualPrivateLinkServiceConnections: [connection] } : { privateLinkServiceConnections: [connection] }) },
    POLL,
  );
}

async function zoneWithLink(zone: string, vnetIds: string[]) {
  await dns.privateZones.createOrUpdate(RG, zone, { location: 'global' }, POLL);
  for (const [i, id] of vnetIds.entries()) {
    await dns.virtualNetworkLinks.createOrUpdate(RG, zone, `link${i}`, { location: 'global', virtualNetwork: { id }, registrationEnabled: false }, POLL);
  }
}

async function zoneGroup(pe: string, zone: string) {
  return net.privateDnsZoneGroups.createOrUpdate(RG, pe, 'default', { privateDnsZoneConfigs: [{ name: zone.replace(/\./g, '-'), privateDnsZoneId: `${NET}/privateDnsZones/${zone}` }] }, POLL);
}

describe('connectivity oracle', () => {
  it('follows the whole private link chain of a Premium cache, and its removal', async () => {
    const cache = await premiumCache('cache1', 'Disabled');
    expect(cache.hostName).toBe('cache1.redis.cache.windows.net');
    const v = await vnet('app', '10.0.0.0/16');

    // No private endpoint yet: the name resolves publicly everywhere, and public access is disabled.
    let r = oracle(cache.id!, v.id!);
    expect(r).toMatchObject({ hostName: 'cache1.redis.cache.windows.net', port: 6380, resolution: 'public', reachable: false });
    expect(r.resolvedAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(r.reason).toContain('no private endpoint connection');

    // Private endpoint: the connection appears on the cache, approved.
    const pe = await endpoint('pe-cache1-app', cache.id!, v.subnets![0].id!);
    const ip = pe.customDnsConfigs![0].ipAddresses![0];
    expect(ip).toBe('10.0.1.4');
    const pecs = (await redis.redis.get(RG, 'cache1')).privateEndpointConnections ?? [];
    expect(pecs.map((c) => [c.privateEndpoint?.id, c.privateLinkServiceConnectionState?.status])).toEqual([[pe.id, 'Approved']]);

    // No privatelink zone linked to the VNet: public DNS answers the CNAME with the public address.
    r = oracle(cache.id!, v.id!);
    expect(r).toMatchObject({ resolution: 'public', reachable: false });
    expect(r.reason).toContain('No privatelink private DNS zone');

    // Zone linked but no A record: NXDOMAIN.
    await zoneWithLink(REDIS_ZONE, [v.id!]);
    r = oracle(cache.id!, v.id!);
    expect(r).toMatchObject({ resolution: 'none', resolvedAddress: null, reachable: false });
    expect(r.reason).toContain("no A record 'cache1'");

    // Zone group writes the A record: the VNet resolves the private address and connects.
    await zoneGroup('pe-cache1-app', REDIS_ZONE);
    expect((await dns.recordSets.get(RG, REDIS_ZONE, 'A', 'cache1')).aRecords).toEqual([{ ipv4Address: ip }]);
    r = oracle(cache.id!, v.id!);
    expect(r).toEqual({
      cacheId: cache.id,
      from: v.id,
      hostName: 'cache1.redis.cache.windows.net',
      port: 6380,
      resolvedAddress: ip,
      resolution: 'private',
      reachable: true,
      reason: expect.stringContaining('Approved connection'),
    });

    // From the internet: the public address, reachable only while public network access is Enabled.
    r = oracle(cache.id!, 'internet');
    expect(r).toMatchObject({ resolution: 'public', reachable: false });
    expect(r.resolvedAddress).not.toBe(ip);
    await redis.redis.beginUpdateAndWait(RG, 'cache1', { publicNetworkAccess: 'Enabled' }, POLL);
    expect(oracle(cache.id!, 'internet')).toMatchObject({ resolution: 'public', reachable: true });
    expect(oracle(cache.id!, v.id!)).toMatchObject({ resolution: 'private', resolvedAddress: ip, reachable: true });
    await redis.redis.beginUpdateAndWait(RG, 'cache1', { publicNetworkAccess: 'Disabled' }, POLL);
    expect(oracle(cache.id!, 'internet').reachable).toBe(false);

    // Delete the endpoint: the A record and the connection go; the VNet falls back to the (disabled) public address.
    await net.privateEndpoints.delete(RG, 'pe-cache1-app', POLL);
    await expect(dns.recordSets.get(RG, REDIS_ZONE, 'A', 'cache1')).rejects.toMatchObject({ statusCode: 404 });
    expect((await redis.redis.get(RG, 'cache1')).privateEndpointConnections ?? []).toEqual([]);
    r = oracle(cache.id!, v.id!);
    expect(r).toMatchObject({ resolution: 'public', reachable: false });
    // ...and only public network access makes it reachable again.
    await redis.redis.beginUpdateAndWait(RG, 'cache1', { publicNetworkAccess: 'Enabled' }, POLL);
    expect(oracle(cache.id!, v.id!)).toMatchObject({ resolution: 'public', reachable: true });
  });

  it('a private address is reachable only from the VNet of its endpoint and only while the connection is Approved', async () => {
    const cache = await premiumCache('cache2', 'Disabled');
    const app = await vnet('app', '10.0.0.0/16');
    const other = await vnet('other', '10.2.0.0/16');
    const pe = await endpoint('pe2', cache.id!, app.subnets![0].id!);
    await zoneWithLink(REDIS_ZONE, [app.id!, other.id!]);
    await zoneGroup('pe2', REDIS_ZONE);
    const ip = pe.customDnsConfigs![0].ipAddresses![0];

    const fromOther = oracle(cache.id!, other.id!);
    expect(fromOther).toMatchObject({ resolution: 'private', resolvedAddress: ip, reachable: false });
    expect(fromOther.reason).toContain('another virtual network');
    expect(oracle(cache.id!, app.id!).reachable).toBe(true);

    // Rejected on the cache side: still resolves, no longer connects.
    const pecName = (await redis.redis.get(RG, 'cache2')).privateEndpointConnections![0].id!.split('/').pop()!;
    await redis.privateEndpointConnections.beginPutAndWait(RG, 'cache2', pecName, { privateLinkServiceConnectionState: { status: 'Rejected', description: 'no' } }, POLL);
    const rejected = oracle(cache.id!, app.id!);
    expect(rejected).toMatchObject({ resolution: 'private', resolvedAddress: ip, reachable: false });
    expect(rejected.reason).toContain('Rejected');

    // Removed on the cache side: the endpoint reads Disconnected, the CNAME is gone, the name resolves publicly.
    await redis.privateEndpointConnections.delete(RG, 'cache2', pecName);
    expect((await net.privateEndpoints.get(RG, 'pe2')).privateLinkServiceConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Disconnected');
    expect(oracle(cache.id!, app.id!)).toMatchObject({ resolution: 'public', reachable: false });
  });

  it('a pending manual connection resolves privately but does not connect until approved', async () => {
    const cache = await premiumCache('cache3', 'Disabled');
    const app = await vnet('app', '10.0.0.0/16');
    await endpoint('pe3', cache.id!, app.subnets![0].id!, { manual: true });
    await zoneWithLink(REDIS_ZONE, [app.id!]);
    await zoneGroup('pe3', REDIS_ZONE);
    const pending = oracle(cache.id!, app.id!);
    expect(pending).toMatchObject({ resolution: 'private', reachable: false });
    expect(pending.reason).toContain('Pending');
    const pecName = (await redis.redis.get(RG, 'cache3')).privateEndpointConnections![0].id!.split('/').pop()!;
    await redis.privateEndpointConnections.beginPutAndWait(RG, 'cache3', pecName, { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } }, POLL);
    expect(oracle(cache.id!, app.id!)).toMatchObject({ resolution: 'private', reachable: true });
  });

  it('answers for an Enterprise cluster on port 10000 through privatelink.redisenterprise.cache.azure.net (record c.region)', async () => {
    const app = await vnet('app', '10.0.0.0/16', 'westus2');
    const before = oracle(ENTERPRISE.id, app.id!);
    // No publicNetworkAccess flag and no approved private endpoint: the cluster is public (the redisEnterprise target decides).
    expect(before).toMatchObject({ hostName: 'ent1.westus2.redisenterprise.cache.azure.net', port: 10000, resolution: 'public', reachable: true });

    const pe = await endpoint('pe-ent', ENTERPRISE.id, app.subnets![0].id!, { groupId: 'redisEnterprise', location: 'westus2' });
    expect(pe.customDnsConfigs?.[0].fqdn).toBe('ent1.westus2.redisenterprise.cache.azure.net');
    await zoneWithLink(ENTERPRISE_ZONE, [app.id!]);
    const group = await zoneGroup('pe-ent', ENTERPRISE_ZONE);
    expect(group.privateDnsZoneConfigs?.[0].recordSets?.[0].recordSetName).toBe('ent1.westus2');
    const r = oracle(ENTERPRISE.id, app.id!);
    expect(r).toMatchObject({ resolution: 'private', resolvedAddress: pe.customDnsConfigs![0].ipAddresses![0], port: 10000, reachable: true });
    // With an approved private endpoint and no flag, the redisEnterprise target closes the public path.
    expect(oracle(ENTERPRISE.id, 'internet')).toMatchObject({ resolution: 'public', reachable: false });
  });

  it('throws a 404 ArmError for an unknown cache or virtual network, also over the control route', async () => {
    const app = await vnet('app', '10.0.0.0/16');
    expect(() => checkConnectivity(emu.ctx, cacheId('ghost'), app.id!)).toThrow(ArmError);
    expect(() => oracle(cacheId('ghost'), 'internet')).toThrow(expect.objectContaining({ status: 404, code: 'ResourceNotFound' }));
    await premiumCache('cache4', 'Enabled');
    expect(() => oracle(cacheId('cache4'), vnetId('ghost'))).toThrow(expect.objectContaining({ status: 404 }));

    const url = (cache: string, from: string) => `${emu.url}/_emulator/connectivity?cache=${encodeURIComponent(cache)}&from=${encodeURIComponent(from)}`;
    const missing = await fetch(url(cacheId('ghost'), 'internet'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ResourceNotFound');
    const found = await fetch(url(cacheId('cache4'), 'internet'));
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ cacheId: cacheId('cache4'), from: 'internet', resolution: 'public', reachable: true, port: 6380 });
  });
});
