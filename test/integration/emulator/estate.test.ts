/**
 * The demo estate (emulator/estates/demo.json) and estate loading: every scenario the demo promises is checked
 * through the real SDK clients and the connectivity oracle, the seed rules it is there to exercise refuse the
 * calls without changing state, the file is exactly what its builder produces, and the CLI serves it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RestError } from '@azure/core-rest-pipeline';
import { buildDemoEstate } from '../../../emulator/estates/build-demo';
import { parseEstate } from '../../../emulator/core/estate';
import { startEmulator } from '../../../emulator';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

const REPO = join(__dirname, '../../..');
const DEMO = join(REPO, 'emulator/estates/demo.json');
const SUB = '11111111-1111-1111-1111-111111111111';
const SUB2 = '22222222-2222-2222-2222-222222222222';
const CACHE_RG = 'rg-demo-cache';
const NET_RG = 'rg-demo-network';
const NET = `/subscriptions/${SUB}/resourceGroups/${NET_RG}/providers/Microsoft.Network`;
const VNET_EAST = `${NET}/virtualNetworks/vnet-app-eastus`;
const VNET_WEST = `${NET}/virtualNetworks/vnet-app-westus`;
const cacheId = (name: string) => `/subscriptions/${SUB}/resourceGroups/${CACHE_RG}/providers/Microsoft.Cache/Redis/${name}`;
const POLL = { updateIntervalInMs: 5 };

async function restError(p: Promise<unknown>): Promise<RestError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RestError);
  return e as RestError;
}

describe('emulator estate: demo.json', () => {
  let t: TestEmulator;

  beforeAll(async () => {
    t = await startTestEmulator(DEMO);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.emu.control.reset());

  it('is exactly what emulator/estates/build-demo.ts produces (consistent by construction)', async () => {
    const built = await buildDemoEstate();
    expect(JSON.parse(readFileSync(DEMO, 'utf8'))).toEqual(JSON.parse(JSON.stringify(built)));
  });

  it('lists the seven caches of the first subscription and the one cache of the second', async () => {
    const names: string[] = [];
    for await (const c of t.clients.redis(SUB).redis.listBySubscription()) names.push(c.name!);
    expect(names.sort()).toEqual([
      'demo-basic-public',
      'demo-geo-primary',
      'demo-geo-secondary',
      'demo-premium-clustered',
      'demo-premium-orphaned',
      'demo-premium-vnet',
      'demo-std-pe-public',
    ]);
    const enterprise: string[] = [];
    for await (const c of t.clients.redisEnterprise(SUB).redisEnterprise.list()) enterprise.push(c.name!);
    expect(enterprise).toEqual(['demo-enterprise']);
    const second: string[] = [];
    for await (const c of t.clients.redis(SUB2).redis.listBySubscription()) second.push(c.name!);
    expect(second).toEqual(['teamb-cache']);
  });

  it('has each promised cache in the promised state', async () => {
    const redis = t.clients.redis(SUB).redis;
    const basic = await redis.get(CACHE_RG, 'demo-basic-public');
    expect([basic.sku.name, basic.publicNetworkAccess, basic.privateEndpointConnections ?? []]).toEqual(['Basic', 'Enabled', []]);

    const std = await redis.get(CACHE_RG, 'demo-std-pe-public');
    expect([std.sku.name, std.publicNetworkAccess]).toEqual(['Standard', 'Enabled']);
    expect(std.privateEndpointConnections!.map((c) => c.privateLinkServiceConnectionState?.status)).toEqual(['Approved']);

    const primary = await redis.get(CACHE_RG, 'demo-geo-primary');
    const secondary = await redis.get(CACHE_RG, 'demo-geo-secondary');
    expect([primary.sku.name, primary.location, secondary.sku.name, secondary.location]).toEqual(['Premium', 'East US', 'Premium', 'West US']);
    expect(primary.linkedServers!.map((l) => l.id)).toEqual([`${cacheId('demo-geo-primary')}/linkedServers/demo-geo-secondary`]);
    expect(secondary.linkedServers!.map((l) => l.id)).toEqual([`${cacheId('demo-geo-secondary')}/linkedServers/demo-geo-primary`]);
    expect((await t.clients.redis(SUB).linkedServer.get(CACHE_RG, 'demo-geo-primary', 'demo-geo-secondary')).serverRole).toBe('Secondary');
    expect((await t.clients.redis(SUB).linkedServer.get(CACHE_RG, 'demo-geo-secondary', 'demo-geo-primary')).serverRole).toBe('Primary');
    expect([...(primary.privateEndpointConnections ?? []), ...(secondary.privateEndpointConnections ?? [])]).toEqual([]);

    const clustered = await redis.get(CACHE_RG, 'demo-premium-clustered');
    expect([clustered.sku.name, clustered.shardCount, clustered.privateEndpointConnections!.length]).toEqual(['Premium', 2, 1]);

    const injected = await redis.get(CACHE_RG, 'demo-premium-vnet');
    expect(injected.subnetId).toBe(`${VNET_EAST}/subnets/snet-redis`);

    const orphaned = await redis.get(CACHE_RG, 'demo-premium-orphaned');
    expect([orphaned.publicNetworkAccess, orphaned.privateEndpointConnections ?? []]).toEqual(['Disabled', []]);

    const ent = await t.clients.redisEnterprise(SUB).redisEnterprise.get(CACHE_RG, 'demo-enterprise');
    expect([ent.sku.name, ent.hostName, ent.privateEndpointConnections]).toEqual(['Enterprise_E10', 'demo-enterprise.eastus.redisenterprise.cache.azure.net', []]);
    expect((await t.clients.redisEnterprise(SUB).databases.get(CACHE_RG, 'demo-enterprise', 'default')).port).toBe(10000);
  });

  it('has the networks, endpoints and DNS records consistent with the connections on the caches', async () => {
    const network = t.clients.network(SUB);
    const vnet = await network.virtualNetworks.get(NET_RG, 'vnet-app-eastus');
    expect(vnet.addressSpace?.addressPrefixes).toEqual(['10.10.0.0/16']);
    const peSubnet = await network.subnets.get(NET_RG, 'vnet-app-eastus', 'snet-pe');
    expect(peSubnet.privateEndpointNetworkPolicies).toBe('Disabled');
    expect((await network.subnets.get(NET_RG, 'vnet-app-westus', 'snet-pe')).privateEndpointNetworkPolicies).toBe('Disabled');

    const endpoints = [];
    for await (const pe of network.privateEndpoints.list(NET_RG)) endpoints.push(pe);
    expect(endpoints.map((pe) => pe.name).sort()).toEqual(['pe-demo-premium-clustered-vnet-app-eastus', 'pe-demo-std-pe-public-vnet-app-eastus']);
    const dns = t.clients.privateDns(SUB);
    for (const pe of endpoints) {
      const conn = pe.privateLinkServiceConnections![0];
      const target = conn.privateLinkServiceId!;
      expect(conn.privateLinkServiceConnectionState?.status).toBe('Approved');
      expect(conn.groupIds).toEqual(['redisCache']);
      expect(pe.subnet?.id).toBe(peSubnet.id);
      expect(pe.networkInterfaces).toHaveLength(1);
      const ip = pe.customDnsConfigs![0].ipAddresses![0];
      const cacheName = target.split('/').pop()!;
      expect(pe.customDnsConfigs).toEqual([{ fqdn: `${cacheName}.redis.cache.windows.net`, ipAddresses: [ip] }]);
      // The cache side lists the same endpoint.
      const cache = await t.clients.redis(SUB).redis.get(CACHE_RG, cacheName);
      expect(cache.privateEndpointConnections!.map((c) => c.privateEndpoint?.id)).toEqual([pe.id]);
      // The zone group wrote the A record {cache} -> endpoint IP into the privatelink zone.
      const a = await dns.recordSets.get(NET_RG, 'privatelink.redis.cache.windows.net', 'A', cacheName);
      expect(a.aRecords).toEqual([{ ipv4Address: ip }]);
      const groups = [];
      for await (const g of network.privateDnsZoneGroups.list(NET_RG, pe.name!)) groups.push(g);
      expect(groups.map((g) => g.privateDnsZoneConfigs?.[0]?.privateDnsZoneId)).toEqual([
        `${NET}/privateDnsZones/privatelink.redis.cache.windows.net`,
      ]);
    }
    const links = [];
    for await (const l of dns.virtualNetworkLinks.list(NET_RG, 'privatelink.redis.cache.windows.net')) links.push(l);
    expect(links.map((l) => [l.name, l.virtualNetwork?.id, l.registrationEnabled])).toEqual([['link-vnet-app-eastus', VNET_EAST, false]]);
    // No A record survives for the cache whose endpoint was deleted.
    const e = await restError(dns.recordSets.get(NET_RG, 'privatelink.redis.cache.windows.net', 'A', 'demo-premium-orphaned'));
    expect(e.statusCode).toBe(404);
  });

  it('answers the connectivity oracle as each scenario intends', () => {
    const c = (name: string, from: string) => t.emu.control.connectivity(cacheId(name), from);
    expect(c('demo-basic-public', 'internet')).toMatchObject({ resolution: 'public', reachable: true, port: 6380 });
    expect(c('demo-std-pe-public', VNET_EAST)).toMatchObject({ resolution: 'private', reachable: true });
    expect(c('demo-std-pe-public', 'internet')).toMatchObject({ resolution: 'public', reachable: true });
    expect(c('demo-premium-clustered', VNET_EAST)).toMatchObject({ resolution: 'private', reachable: true });
    expect(c('demo-premium-clustered', 'internet')).toMatchObject({ resolution: 'public', reachable: false });
    // The west VNet has no link to the privatelink zone: public DNS answer, public access disabled.
    expect(c('demo-premium-clustered', VNET_WEST)).toMatchObject({ resolution: 'public', reachable: false });
    expect(c('demo-premium-orphaned', VNET_EAST)).toMatchObject({ reachable: false });
    expect(c('demo-premium-orphaned', 'internet')).toMatchObject({ reachable: false });
    expect(c('demo-geo-primary', 'internet')).toMatchObject({ reachable: true });
    const ent = `/subscriptions/${SUB}/resourceGroups/${CACHE_RG}/providers/Microsoft.Cache/redisEnterprise/demo-enterprise`;
    expect(t.emu.control.connectivity(ent, 'internet')).toMatchObject({ hostName: 'demo-enterprise.eastus.redisenterprise.cache.azure.net', port: 10000, reachable: true });
  });

  describe('the seed rules it exercises refuse new private endpoints and change nothing', () => {
    const newEndpoint = (cacheName: string, peName: string) =>
      t.clients.network(SUB).privateEndpoints.createOrUpdate(
        NET_RG,
        peName,
        {
          location: 'eastus',
          subnet: { id: `${VNET_EAST}/subnets/snet-pe` },
          privateLinkServiceConnections: [{ name: peName, privateLinkServiceId: cacheId(cacheName), groupIds: ['redisCache'] }],
        },
        POLL,
      );

    it.each([
      ['demo-premium-vnet', 'a VNet-injected cache', 'PrivateEndpointNotSupportedOnVNetInjectedCache'],
      ['demo-geo-primary', 'a Premium cache in passive geo-replication', 'PrivateEndpointNotSupportedOnGeoReplicatedCache'],
      ['demo-geo-secondary', 'the secondary of the geo-replicated pair', 'PrivateEndpointNotSupportedOnGeoReplicatedCache'],
      ['demo-premium-clustered', 'a clustered Premium cache that already has its one private link', 'PrivateEndpointLimitReached'],
    ])('%s (%s)', async (cacheName, _what, code) => {
      const before = t.emu.control.snapshot();
      const e = await restError(newEndpoint(cacheName, `pe-${cacheName}-second`));
      expect([e.statusCode, e.code]).toEqual([400, code]);
      expect(t.emu.control.snapshot()).toEqual(before);
    });

    it('while a cache without those features takes a new endpoint', async () => {
      const pe = await newEndpoint('demo-premium-orphaned', 'pe-demo-premium-orphaned-vnet-app-eastus');
      expect(pe.privateLinkServiceConnections![0].privateLinkServiceConnectionState?.status).toBe('Approved');
      const cache = await t.clients.redis(SUB).redis.get(CACHE_RG, 'demo-premium-orphaned');
      expect(cache.privateEndpointConnections).toHaveLength(1);
    });

    it('and a geo-linked cache cannot be deleted (409)', async () => {
      const before = t.emu.control.snapshot();
      const e = await restError(t.clients.redis(SUB).redis.beginDeleteAndWait(CACHE_RG, 'demo-geo-primary', POLL));
      expect(e.statusCode).toBe(409);
      expect(t.emu.control.snapshot()).toEqual(before);
    });
  });
});

describe('emulator estate: format and loading', () => {
  const demo = () => JSON.parse(readFileSync(DEMO, 'utf8'));

  it('names the first invalid field of a bad estate', () => {
    expect(() => parseEstate({ resources: [{ id: 'not-an-id', name: 'x', type: 'Microsoft.Cache/Redis', properties: {} }] })).toThrow(/resources\.0\.id/);
    expect(() => parseEstate({ resources: [{ id: cacheId('a'), name: 'a', type: 'Microsoft.Cache/Redis' }] })).toThrow(/resources\.0\.properties/);
    expect(() => parseEstate({})).toThrow(/resources/);
  });

  it('refuses duplicate ids and types that do not match the id', () => {
    const r = demo().resources.find((x: { type: string }) => x.type === 'Microsoft.Cache/Redis');
    expect(() => parseEstate({ resources: [r, { ...r, id: r.id.toUpperCase() }] })).toThrow(/duplicate/i);
    expect(() => parseEstate({ resources: [{ ...r, type: 'Microsoft.Cache/redisEnterprise' }] })).toThrow(/does not match/);
  });

  it('keeps explicit empty resource groups and serves the demo from a file path', async () => {
    const emu = await startEmulator({ estate: DEMO });
    try {
      expect(emu.ctx.store.resourceGroupExists(SUB2, 'rg-team-b')).toBe(true);
      expect(emu.ctx.store.resourceGroupExists(SUB, 'rg-nope')).toBe(false);
      expect(emu.control.snapshot()).toHaveLength(demo().resources.length);
    } finally {
      await emu.close();
    }
  });

  it('the CLI prints its base URL alone on the first line of stdout and serves the demo estate', async () => {
    const child = spawn('npx', ['tsx', 'emulator/main.ts', '--port', '0', '--estate', 'emulator/estates/demo.json'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so npx, tsx and the node process under them stop together.
      detached: true,
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', (line) => {
          rl.close();
          resolve(line);
        });
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${firstLine}/_emulator/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', resources: demo().resources.length });
      const cache = await fetch(`${firstLine}${cacheId('demo-basic-public')}?api-version=2024-11-01`, { headers: { Authorization: 'Bearer x' } });
      expect(((await cache.json()) as { properties: { sku: { name: string } } }).properties.sku.name).toBe('Basic');
    } finally {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
