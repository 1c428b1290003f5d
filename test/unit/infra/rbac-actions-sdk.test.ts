/**
 * rbacActionsFor on the requests exactly as the real SDK clients send them (path casing, `aLL`, encoded
 * segments, wire-form bodies): the clients run through the product's client factory against a loopback
 * recorder that answers every request with a minimal successful ARM body. No SDK method is replaced.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientFactory, StaticTokenCredential, type AzureClients } from '../../../src/azure/clients';
import { rbacActionsFor, rbacActionsForAll } from '../../support/rbac-actions';
import roleActions from '../../../infra/role-actions.json';

interface Recorded {
  method: string;
  path: string;
  body: any;
}

const SUB = '00000000-0000-0000-0000-0000000000aa';
const RG = 'rg-app';
const CACHE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Cache/Redis/cache1`;
const VNET_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet1`;
const ZONE = 'privatelink.redis.cache.windows.net';
const ZONE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateDnsZones/${ZONE}`;

let server: http.Server;
let recorded: Recorded[] = [];
let clients: AzureClients;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const path = decodeURIComponent(url.pathname);
      recorded.push({ method: req.method ?? 'GET', path, body: text ? JSON.parse(text) : undefined });
      const body = path.toLowerCase().endsWith('/microsoft.resourcegraph/resources')
        ? { totalRecords: 0, count: 0, resultTruncated: 'false', data: [] }
        : { id: path, name: path.split('/').pop(), value: [], properties: { provisioningState: 'Succeeded' } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  clients = createClientFactory({
    armTransportUrl: `http://127.0.0.1:${port}`,
    credential: new StaticTokenCredential(),
    retry: { maxRetries: 0, retryDelayInMs: 10, maxRetryDelayInMs: 10 },
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  recorded = [];
});

async function drain<T>(it: AsyncIterable<T>): Promise<void> {
  for await (const _ of it) void _;
}

/** The actions of the requests one SDK call made. */
function actionsOfRecorded(): string[][] {
  return recorded.map((r) => rbacActionsFor(r.method, r.path, r.body));
}

describe('rbacActionsFor on requests sent by the real SDK clients', () => {
  it('@azure/arm-rediscache: get, update, private endpoint connections, linked servers, private link resources', async () => {
    const redis = clients.redis(SUB);
    await redis.redis.get(RG, 'cache1');
    await redis.redis.beginUpdateAndWait(RG, 'cache1', { publicNetworkAccess: 'Disabled' }, { updateIntervalInMs: 1 });
    await drain(redis.privateEndpointConnections.list(RG, 'cache1'));
    await redis.privateEndpointConnections.beginPutAndWait(
      RG,
      'cache1',
      'pec1',
      { privateLinkServiceConnectionState: { status: 'Approved', description: 'approved by the autopilot' } },
      { updateIntervalInMs: 1 },
    );
    await redis.privateEndpointConnections.delete(RG, 'cache1', 'pec1');
    await redis.linkedServer.beginDeleteAndWait(RG, 'cache1', 'cache2', { updateIntervalInMs: 1 });
    await drain(redis.privateLinkResources.listByRedisCache(RG, 'cache1'));
    expect(recorded.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET', 'PUT', 'DELETE', 'DELETE', 'GET']);
    expect(recorded[1]!.body).toEqual({ properties: { publicNetworkAccess: 'Disabled' } });
    expect(actionsOfRecorded()).toEqual([
      ['Microsoft.Cache/redis/read'],
      ['Microsoft.Cache/redis/write'],
      ['Microsoft.Cache/redis/privateEndpointConnections/read'],
      ['Microsoft.Cache/redis/privateEndpointConnections/write'],
      ['Microsoft.Cache/redis/privateEndpointConnections/delete'],
      ['Microsoft.Cache/redis/linkedServers/delete'],
      ['Microsoft.Cache/redis/privateLinkResources/read'],
    ]);
  });

  it('@azure/arm-network: an auto-approved private endpoint to a cache needs the subnet join and the cache approval', async () => {
    const network = clients.network(SUB);
    await network.privateEndpoints.createOrUpdate(RG, 'pe-cache1-vnet1', {
      location: 'westeurope',
      subnet: { id: `${VNET_ID}/subnets/pe` },
      privateLinkServiceConnections: [{ name: 'cache1', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }],
    });
    await network.privateDnsZoneGroups.createOrUpdate(RG, 'pe-cache1-vnet1', 'default', {
      privateDnsZoneConfigs: [{ name: 'redis', privateDnsZoneId: ZONE_ID }],
    });
    await network.subnets.get(RG, 'vnet1', 'pe');
    const puts = recorded.filter((r) => r.method === 'PUT');
    // The body went over the wire in ARM form: the mapper reads properties.privateLinkServiceConnections.
    expect(puts[0]!.body.properties.privateLinkServiceConnections[0].properties.privateLinkServiceId).toBe(CACHE_ID);
    expect(actionsOfRecorded()).toEqual([
      [
        'Microsoft.Network/privateEndpoints/write',
        'Microsoft.Network/virtualNetworks/subnets/join/action',
        'Microsoft.Cache/redis/PrivateEndpointConnectionsApproval/action',
      ],
      ['Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write', 'Microsoft.Network/privateDnsZones/join/action'],
      ['Microsoft.Network/virtualNetworks/subnets/read'],
    ]);
  });

  it('@azure/arm-privatedns: virtual network link and record sets (the SDK lists all record sets as aLL)', async () => {
    const dns = clients.privateDns(SUB);
    await dns.virtualNetworkLinks.createOrUpdate(RG, ZONE, 'vnet1', {
      location: 'global',
      virtualNetwork: { id: VNET_ID },
      registrationEnabled: false,
    });
    await drain(dns.recordSets.list(RG, ZONE));
    await dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'cache1', { ttl: 10, aRecords: [{ ipv4Address: '10.0.1.4' }] });
    expect(recorded.map((r) => `${r.method} ${r.path.split(`/${ZONE}/`)[1]}`)).toEqual([
      'PUT virtualNetworkLinks/vnet1',
      'GET aLL',
      'PUT A/cache1',
    ]);
    expect(actionsOfRecorded()).toEqual([
      ['Microsoft.Network/privateDnsZones/virtualNetworkLinks/write', 'Microsoft.Network/virtualNetworks/join/action'],
      ['Microsoft.Network/privateDnsZones/ALL/read'],
      ['Microsoft.Network/privateDnsZones/A/write'],
    ]);
  });

  it('@azure/arm-resourcegraph and @azure/arm-redisenterprisecache', async () => {
    await clients.resourceGraph().resources({ subscriptions: [SUB], query: "Resources | where type =~ 'microsoft.cache/redis'" });
    await clients.redisEnterprise(SUB).redisEnterprise.get(RG, 'amr1');
    expect(actionsOfRecorded()).toEqual([['Microsoft.ResourceGraph/resources/read'], ['Microsoft.Cache/redisEnterprise/read']]);
  });

  it('every action these SDK calls need is granted by infra/role-actions.json', async () => {
    const redis = clients.redis(SUB);
    await redis.redis.get(RG, 'cache1');
    await redis.redis.beginUpdateAndWait(RG, 'cache1', { publicNetworkAccess: 'Disabled' }, { updateIntervalInMs: 1 });
    await clients.network(SUB).privateEndpoints.createOrUpdate(RG, 'pe', {
      location: 'westeurope',
      subnet: { id: `${VNET_ID}/subnets/pe` },
      privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }],
    });
    await clients.privateDns(SUB).virtualNetworkLinks.createOrUpdate(RG, ZONE, 'vnet1', {
      location: 'global',
      virtualNetwork: { id: VNET_ID },
      registrationEnabled: false,
    });
    await clients.resourceGraph().resources({ subscriptions: [SUB], query: 'Resources | take 1' });
    const granted = new Set(roleActions.actions.map((a) => a.toLowerCase()));
    const needed = rbacActionsForAll(recorded);
    expect(needed.length).toBeGreaterThanOrEqual(7);
    expect(needed.filter((a) => !granted.has(a.toLowerCase()))).toEqual([]);
  });
});
