/**
 * Microsoft.Network in the ARM emulator (virtual networks, subnets, private endpoints, network interfaces, DNS zone
 * groups), driven by the real `@azure/arm-network` 39.0.0 client over HTTP, with the real Redis private link target.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import type { RedisManagementClient } from '@azure/arm-rediscache';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import type { ArmResource } from '../../../emulator/core/types';
import { createClientFactory, StaticTokenCredential } from '../../../src/azure/clients';
import { shapeDiff } from '../../support/shape';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg1';
const RG_ID = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const NET = `${RG_ID}/providers/Microsoft.Network`;
const CACHE_ID = `${RG_ID}/providers/Microsoft.Cache/Redis/cache1`;
const POLL = { updateIntervalInMs: 5 };
const PE_STATES = ['Succeeded', 'Updating', 'Deleting', 'Failed'];
const CONNECTION_STATES = ['Approved', 'Pending', 'Rejected', 'Disconnected'];

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/arm/network', name), 'utf8'));


function cache(name: string, props: Record<string, unknown> = {}): ArmResource {
  return {
    id: `${RG_ID}/providers/Microsoft.Cache/Redis/${name}`,
    name,
    type: 'Microsoft.Cache/Redis',
    location: 'West US',
    tags: {},
    properties: {
      provisioningState: 'Succeeded',
      redisVersion: '6.0',
      sku: { name: 'Premium', family: 'P', capacity: 1 },
      enableNonSslPort: false,
      hostName: `${name}.redis.cache.windows.net`,
      port: 6379,
      sslPort: 6380,
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [],
      linkedServers: [],
      ...props,
    },
  };
}

const ESTATE = {
  resourceGroups: [RG_ID, `/subscriptions/${SUB}/resourceGroups/rg2`],
  resources: [cache('cache1'), cache('injected', { subnetId: `${NET}/virtualNetworks/other/subnets/redis` }), cache('clustered', { shardCount: 2 })],
};


let emu: RunningEmulator;
let net: NetworkManagementClient;
let dns: PrivateDnsManagementClient;
let redis: RedisManagementClient;

beforeAll(async () => {
  emu = await startEmulator({ estate: ESTATE });
  const clients = createClientFactory({
    armTransportUrl: emu.url,
    credential: new StaticTokenCredential(),
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
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

/** Records the raw wire response of an SDK call (status, headers, JSON body). */
function capture() {
  const seen: Array<{ status: number; headers: Record<string, string>; body: any }> = [];
  return {
    seen,
    onResponse: (r: any) => seen.push({ status: r.status, headers: r.rawHeaders ?? {}, body: r.parsedBody }),
  };
}

function requestLine(): string[] {
  return emu.control.requests().map((r) => `${r.method} ${r.path.replace(/operations\/[0-9a-f-]+/i, 'operations/{id}').replace(/operationResults\/[0-9a-f-]+/i, 'operationResults/{id}')} ${r.status}`);
}

async function expectRefused(call: () => Promise<unknown>, status: number, code: string): Promise<any> {
  const before = emu.control.snapshot();
  let error: any;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeDefined();
  expect(error.name).toBe('RestError');
  expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode: status, code });
  expect(emu.control.snapshot()).toEqual(before);
  return error;
}

async function createVnet(name = 'vnet1', location = 'westus', space = '10.0.0.0/16', subnets = [{ name: 'pe', addressPrefix: '10.0.1.0/24' }]) {
  return net.virtualNetworks.createOrUpdate(RG, name, { location, addressSpace: { addressPrefixes: [space] }, subnets }, POLL);
}

function subnetId(vnet = 'vnet1', subnet = 'pe') {
  return `${NET}/virtualNetworks/${vnet}/subnets/${subnet}`;
}

async function createPe(name: string, opts: { subnet?: string; location?: string; target?: string; groupIds?: string[]; manual?: boolean } = {}) {
  const connection = { name: `${name}-conn`, privateLinkServiceId: opts.target ?? CACHE_ID, groupIds: opts.groupIds ?? ['redisCache'] };
  return net.privateEndpoints.createOrUpdate(
    RG,
    name,
    {
      location: opts.location ?? 'westus',
      subnet: { id: opts.subnet ?? subnetId() },
      ...(opts.manual ? { manualPrivateLinkServiceConnections: [connection] } : { privateLinkServiceConnections: [connection] }),
    },
    POLL,
  );
}

async function cacheConnections(name = 'cache1') {
  const c = await redis.redis.get(RG, name);
  return c.privateEndpointConnections ?? [];
}

describe('virtual networks and subnets', () => {
  it('creates a virtual network through the Azure-AsyncOperation LRO and reads back the VirtualNetworkGet shape', async () => {
    const put = capture();
    const created = await net.virtualNetworks.createOrUpdate(
      RG,
      'test-vnet',
      { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'subnet1', addressPrefix: '10.0.1.0/24' }] },
      { ...POLL, onResponse: put.onResponse },
    );
    expect(put.seen[0].status).toBe(201);
    expect(put.seen[0].body.properties.provisioningState).toBe('Updating');
    expect(put.seen[0].headers['azure-asyncoperation']).toMatch(
      new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUB}/providers/Microsoft\\.Network/locations/westus/operations/[0-9a-f-]+\\?api-version=2026-01-01$`),
    );
    expect(requestLine()).toEqual([
      `PUT ${NET}/virtualNetworks/test-vnet 201`,
      `GET /subscriptions/${SUB}/providers/Microsoft.Network/locations/westus/operations/{id} 200`,
      `GET ${NET}/virtualNetworks/test-vnet 200`,
    ]);
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.subnets?.map((s) => [s.name, s.addressPrefix, s.provisioningState])).toEqual([['subnet1', '10.0.1.0/24', 'Succeeded']]);

    // Put a private endpoint in the subnet so that it has ip configurations, as in the example.
    await createPe('pe1', { subnet: subnetId('test-vnet', 'subnet1') });
    const get = capture();
    await net.virtualNetworks.get(RG, 'test-vnet', { onResponse: get.onResponse });
    const example = fixture('VirtualNetworkGet.json').responses['200'].body;
    // defaultPublicNatGateway only appears on a VNet whose default outbound access uses a NAT gateway.
    expect(shapeDiff(example, get.seen[0].body, { ignore: ['properties.defaultPublicNatGateway'] })).toEqual([]);
    expect(get.seen[0].body.type).toBe(example.type);
    expect(get.seen[0].body.properties.subnets[0].properties.ipConfigurations[0].id).toMatch(/\/networkInterfaces\/pe1\.nic\.[0-9a-f-]+\/ipConfigurations\//);
  });

  it('creates and replaces a subnet as in SubnetCreate (201 then 200) and reads it as in SubnetGet', async () => {
    const example = fixture('SubnetCreate.json');
    await net.virtualNetworks.createOrUpdate(RG, 'vnetname', { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL);
    const first = capture();
    const created = await net.subnets.createOrUpdate(RG, 'vnetname', 'subnet1', { addressPrefix: example.parameters.subnetParameters.properties.addressPrefix }, { ...POLL, onResponse: first.onResponse });
    expect(first.seen[0].status).toBe(201);
    expect(shapeDiff(example.responses['201'].body, first.seen[0].body)).toEqual([]);
    expect(created).toMatchObject({ name: 'subnet1', addressPrefix: '10.0.0.0/16', provisioningState: 'Succeeded', privateEndpointNetworkPolicies: 'Disabled' });

    const second = capture();
    await net.subnets.createOrUpdate(RG, 'vnetname', 'subnet1', { addressPrefix: '10.0.0.0/16' }, { ...POLL, onResponse: second.onResponse });
    expect(second.seen[0].status).toBe(200);
    expect(shapeDiff(example.responses['200'].body, second.seen[0].body)).toEqual([]);

    const get = capture();
    await net.subnets.get(RG, 'vnetname', 'subnet1', { onResponse: get.onResponse });
    expect(shapeDiff(fixture('SubnetGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    expect(PE_STATES).toContain(get.seen[0].body.properties.provisioningState);

    const listed = [];
    for await (const s of net.subnets.list(RG, 'vnetname')) listed.push(s.name);
    expect(listed).toEqual(['subnet1']);
    // The virtual network embeds its subnets.
    expect((await net.virtualNetworks.get(RG, 'vnetname')).subnets?.map((s) => s.name)).toEqual(['subnet1']);
  });

  it('keeps subnets inside the address space and apart from each other', async () => {
    await createVnet();
    await expectRefused(() => net.subnets.createOrUpdate(RG, 'vnet1', 'out', { addressPrefix: '10.1.0.0/24' }, POLL), 400, 'NetcfgSubnetRangeOutsideVnet');
    await expectRefused(() => net.subnets.createOrUpdate(RG, 'vnet1', 'overlap', { addressPrefix: '10.0.1.128/25' }, POLL), 400, 'NetcfgSubnetRangesOverlap');
    const err = await expectRefused(() => net.subnets.createOrUpdate(RG, 'vnet1', 'bits', { addressPrefix: '10.0.2.5/24' }, POLL), 400, 'InvalidCIDRNotation');
    expect(err.message).toContain('10.0.2.0/24');
    await expectRefused(
      () => net.virtualNetworks.createOrUpdate(RG, 'vnet2', { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'a', addressPrefix: '192.168.0.0/24' }] }, POLL),
      400,
      'NetcfgSubnetRangeOutsideVnet',
    );
    await expectRefused(() => net.subnets.createOrUpdate(RG, 'missing', 's', { addressPrefix: '10.0.0.0/24' }, POLL), 404, 'ResourceNotFound');
    await expectRefused(() => net.virtualNetworks.createOrUpdate('nope', 'v', { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL), 404, 'ResourceGroupNotFound');
  });

  it('refuses to delete a subnet that holds a private endpoint, also through a VNet PUT that omits it', async () => {
    await createVnet();
    await createPe('pe1');
    const err = await expectRefused(() => net.subnets.delete(RG, 'vnet1', 'pe', POLL), 400, 'InUseSubnetCannotBeDeleted');
    expect(err.message).toMatch(/is in use by .*networkInterfaces\/pe1\.nic\..*ipConfigurations\/privateEndpointIpConfig\./);
    await expectRefused(
      () => net.virtualNetworks.createOrUpdate(RG, 'vnet1', { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL),
      400,
      'InUseSubnetCannotBeDeleted',
    );
    await expectRefused(() => net.virtualNetworks.delete(RG, 'vnet1', POLL), 400, 'InUseSubnetCannotBeDeleted');
    // Once the endpoint is gone the subnet can go (202 + LRO), and a second delete answers 204.
    await net.privateEndpoints.delete(RG, 'pe1', POLL);
    emu.control.clearRequests();
    await net.subnets.delete(RG, 'vnet1', 'pe', POLL);
    expect(requestLine()[0]).toBe(`DELETE ${NET}/virtualNetworks/vnet1/subnets/pe 202`);
    await net.subnets.delete(RG, 'vnet1', 'pe', POLL);
    expect(requestLine().at(-1)).toBe(`DELETE ${NET}/virtualNetworks/vnet1/subnets/pe 204`);
    expect((await net.virtualNetworks.get(RG, 'vnet1')).subnets).toEqual([]);
  });
});

describe('private endpoints', () => {
  it('creates a private endpoint as in PrivateEndpointCreate, with the static address, NIC name and an approved connection', async () => {
    const example = fixture('PrivateEndpointCreate.json');
    const params = example.parameters.parameters;
    await net.virtualNetworks.createOrUpdate(
      RG,
      'myVnet',
      { location: params.location, addressSpace: { addressPrefixes: ['192.168.0.0/16'] }, subnets: [{ name: 'mySubnet', addressPrefix: '192.168.0.0/24' }] },
      POLL,
    );
    const subnet = `${NET}/virtualNetworks/myVnet/subnets/mySubnet`;
    const conn = params.properties.privateLinkServiceConnections[0].properties;
    const ipc = params.properties.ipConfigurations[0];
    const body = {
      location: params.location,
      subnet: { id: subnet },
      // The example's target is a Private Link service with group 'groupIdFromResource'; here it is a Redis cache.
      privateLinkServiceConnections: [{ name: 'plsconnection1', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'], requestMessage: conn.requestMessage }],
      ipVersionType: params.properties.ipVersionType,
      ipConfigurations: [{ name: ipc.name, groupId: 'redisCache', memberName: 'redisCache', privateIPAddress: ipc.properties.privateIPAddress }],
      customNetworkInterfaceName: params.properties.customNetworkInterfaceName,
    };
    const put = capture();
    const pe = await net.privateEndpoints.createOrUpdate(RG, 'testPe', body, { ...POLL, onResponse: put.onResponse });
    expect(put.seen[0].status).toBe(201);
    expect(put.seen[0].headers['azure-asyncoperation']).toContain('/providers/Microsoft.Network/locations/eastus2euap/operations/');
    expect(shapeDiff(example.responses['201'].body, put.seen[0].body)).toEqual([]);
    expect(PE_STATES).toContain(put.seen[0].body.properties.provisioningState);
    expect(requestLine().slice(-3)).toEqual([
      `PUT ${NET}/privateEndpoints/testPe 201`,
      `GET /subscriptions/${SUB}/providers/Microsoft.Network/locations/eastus2euap/operations/{id} 200`,
      `GET ${NET}/privateEndpoints/testPe 200`,
    ]);

    expect(pe.provisioningState).toBe('Succeeded');
    expect(pe.networkInterfaces?.map((n) => n.id)).toEqual([`${NET}/networkInterfaces/testPeNic`]);
    expect(pe.customDnsConfigs).toEqual([{ fqdn: 'cache1.redis.cache.windows.net', ipAddresses: ['192.168.0.6'] }]);
    const state = pe.privateLinkServiceConnections?.[0].privateLinkServiceConnectionState;
    expect(state?.status).toBe('Approved');
    const nic = await net.networkInterfaces.get(RG, 'testPeNic');
    expect(nic.ipConfigurations?.[0]).toMatchObject({ privateIPAddress: '192.168.0.6', privateIPAllocationMethod: 'Static', subnet: { id: subnet } });
    expect(nic.privateEndpoint?.id).toBe(pe.id);

    // The connection appears on the cache.
    const pecs = await cacheConnections();
    expect(pecs).toHaveLength(1);
    expect(pecs[0].privateEndpoint?.id).toBe(pe.id);
    expect(pecs[0].privateLinkServiceConnectionState?.status).toBe('Approved');

    // Re-PUT is an update: 200, same address, same NIC, still one connection.
    const again = capture();
    const updated = await net.privateEndpoints.createOrUpdate(RG, 'testPe', { ...body, tags: { env: 'test' } }, { ...POLL, onResponse: again.onResponse });
    expect(again.seen[0].status).toBe(200);
    expect(shapeDiff(example.responses['200'].body, again.seen[0].body)).toEqual([]);
    expect(updated.tags).toEqual({ env: 'test' });
    expect(updated.networkInterfaces).toEqual(pe.networkInterfaces);
    expect(updated.customDnsConfigs).toEqual(pe.customDnsConfigs);
    expect(await cacheConnections()).toHaveLength(1);

    // GET as in PrivateEndpointGet; lists by resource group and subscription.
    const get = capture();
    await net.privateEndpoints.get(RG, 'testPe', { onResponse: get.onResponse });
    expect(shapeDiff(fixture('PrivateEndpointGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    expect(CONNECTION_STATES).toContain(get.seen[0].body.properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status);
    const byRg = [];
    for await (const x of net.privateEndpoints.list(RG)) byRg.push(x.name);
    const bySub = [];
    for await (const x of net.privateEndpoints.listBySubscription()) bySub.push(x.name);
    expect(byRg).toEqual(['testPe']);
    expect(bySub).toEqual(['testPe']);
    // The subnet lists the endpoint.
    expect((await net.subnets.get(RG, 'myVnet', 'mySubnet')).privateEndpoints?.map((x) => x.id)).toEqual([pe.id]);
  });

  it('creates a pending connection for manualPrivateLinkServiceConnections and reads approval, rejection and removal back from the cache', async () => {
    const example = fixture('PrivateEndpointCreateForManualApproval.json');
    await createVnet();
    const put = capture();
    const pe = await net.privateEndpoints.createOrUpdate(
      RG,
      'testPe',
      {
        location: 'westus',
        subnet: { id: subnetId() },
        manualPrivateLinkServiceConnections: [
          { name: 'plsconnection1', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'], requestMessage: example.parameters.parameters.properties.manualPrivateLinkServiceConnections[0].properties.requestMessage },
        ],
      },
      { ...POLL, onResponse: put.onResponse },
    );
    expect(put.seen[0].status).toBe(201);
    // The example's 200 body is the manual one (its 201 body shows an auto-approved connection, a known quirk).
    expect(shapeDiff(example.responses['200'].body, put.seen[0].body, { ignore: ['properties.ipConfigurations', 'properties.customNetworkInterfaceName'] })).toEqual([]);
    expect(pe.privateLinkServiceConnections).toEqual([]);
    expect(pe.manualPrivateLinkServiceConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Pending');
    const [pec] = await cacheConnections();
    expect(pec.privateLinkServiceConnectionState?.status).toBe('Pending');
    const pecName = pec.id!.split('/').pop()!;
    expect(pecName).toMatch(/^testPe\./);

    const statusOnPe = async () => (await net.privateEndpoints.get(RG, 'testPe')).manualPrivateLinkServiceConnections?.[0].privateLinkServiceConnectionState?.status;
    await redis.privateEndpointConnections.beginPutAndWait(RG, 'cache1', pecName, { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } }, POLL);
    expect(await statusOnPe()).toBe('Approved');
    await redis.privateEndpointConnections.beginPutAndWait(RG, 'cache1', pecName, { privateLinkServiceConnectionState: { status: 'Rejected', description: 'no' } }, POLL);
    expect(await statusOnPe()).toBe('Rejected');
    await redis.privateEndpointConnections.delete(RG, 'cache1', pecName);
    expect(await statusOnPe()).toBe('Disconnected');
    // Re-PUT of the endpoint does not resurrect the removed connection.
    await net.privateEndpoints.createOrUpdate(
      RG,
      'testPe',
      { location: 'westus', subnet: { id: subnetId() }, manualPrivateLinkServiceConnections: [{ name: 'plsconnection1', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }] },
      POLL,
    );
    expect(await cacheConnections()).toHaveLength(0);
  });

  it('hands out the next free address after the five Azure reserves, deterministically', async () => {
    await createVnet('vnet1', 'westus', '10.0.0.0/16', [{ name: 'pe', addressPrefix: '10.0.1.0/29' }]);
    const ip = async (name: string) => (await createPe(name)).customDnsConfigs?.[0].ipAddresses?.[0];
    expect(await ip('a')).toBe('10.0.1.4');
    expect(await ip('b')).toBe('10.0.1.5');
    expect(await ip('c')).toBe('10.0.1.6');
    // A /29 has three usable addresses.
    await expectRefused(() => createPe('d'), 400, 'SubnetIsFull');
    await net.privateEndpoints.delete(RG, 'a', POLL);
    expect(await ip('d')).toBe('10.0.1.4');
  });

  it('deletes a private endpoint as in PrivateEndpointDelete: connection, NIC and subnet reference go, a second delete is 204', async () => {
    const example = fixture('PrivateEndpointDelete.json');
    await createVnet();
    const pe = await createPe('testPe');
    const nicId = pe.networkInterfaces![0].id!;
    emu.control.clearRequests();
    const del = capture();
    await net.privateEndpoints.delete(RG, 'testPe', { ...POLL, onResponse: del.onResponse });
    expect(Object.keys(example.responses)).toContain(String(del.seen[0].status));
    expect(del.seen[0].status).toBe(202);
    expect(del.seen[0].headers['azure-asyncoperation']).toContain('/providers/Microsoft.Network/locations/westus/operations/');
    expect(del.seen[0].headers['location']).toContain('/providers/Microsoft.Network/locations/westus/operationResults/');
    expect(requestLine()).toEqual([`DELETE ${NET}/privateEndpoints/testPe 202`, `GET /subscriptions/${SUB}/providers/Microsoft.Network/locations/westus/operations/{id} 200`]);
    await expect(net.privateEndpoints.get(RG, 'testPe')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(emu.ctx.store.get(nicId)).toBeUndefined();
    expect(await cacheConnections()).toHaveLength(0);
    expect((await net.subnets.get(RG, 'vnet1', 'pe')).privateEndpoints).toBeUndefined();
    const again = capture();
    await net.privateEndpoints.delete(RG, 'testPe', { ...POLL, onResponse: again.onResponse });
    expect(again.seen[0].status).toBe(204);
  });

  describe('refusals (RestError with the real code, state unchanged)', () => {
    beforeEach(async () => {
      await createVnet();
      await createVnet('vnet-east', 'eastus', '10.1.0.0/16', [{ name: 'pe', addressPrefix: '10.1.1.0/24' }]);
    });

    it('subnet with private endpoint network policies enabled', async () => {
      for (const policy of ['Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled']) {
        await net.subnets.createOrUpdate(RG, 'vnet1', 'pe', { addressPrefix: '10.0.1.0/24', privateEndpointNetworkPolicies: policy }, POLL);
        const err = await expectRefused(() => createPe('pe1'), 400, 'PrivateEndpointCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled');
        expect(err.message).toContain('since it has private endpoint network policies enabled');
      }
      await net.subnets.createOrUpdate(RG, 'vnet1', 'pe', { addressPrefix: '10.0.1.0/24', privateEndpointNetworkPolicies: 'Disabled' }, POLL);
      expect((await createPe('pe1')).provisioningState).toBe('Succeeded');
    });

    it('delegated subnet', async () => {
      await net.subnets.createOrUpdate(RG, 'vnet1', 'pe', { addressPrefix: '10.0.1.0/24', delegations: [{ name: 'd', serviceName: 'Microsoft.Web/serverFarms' }] }, POLL);
      await expectRefused(() => createPe('pe1'), 400, 'PrivateEndpointCreationNotAllowedAsSubnetIsDelegated');
    });

    it('missing subnet or virtual network, and a virtual network in another region', async () => {
      const e1 = await expectRefused(() => createPe('pe1', { subnet: subnetId('vnet1', 'nope') }), 400, 'InvalidResourceReference');
      expect(e1.message).toContain(`Resource ${subnetId('vnet1', 'nope')} referenced by resource ${NET}/privateEndpoints/pe1 was not found`);
      await expectRefused(() => createPe('pe1', { subnet: subnetId('nope', 'pe') }), 400, 'InvalidResourceReference');
      const e3 = await expectRefused(() => createPe('pe1', { subnet: subnetId('vnet-east', 'pe'), location: 'westus' }), 400, 'InvalidResourceReference');
      expect(e3.message).toContain('both resources are in the same region');
      expect((await createPe('pe1', { subnet: subnetId('vnet-east', 'pe'), location: 'eastus' })).provisioningState).toBe('Succeeded');
    });

    it('missing target, unsupported or several group ids', async () => {
      await expectRefused(() => createPe('pe1', { target: `${RG_ID}/providers/Microsoft.Cache/Redis/ghost` }), 404, 'ResourceNotFound');
      const e = await expectRefused(() => createPe('pe1', { groupIds: ['sqlServer'] }), 400, 'PrivateEndpointBadRequest');
      expect(e.message).toContain('Call to Microsoft.Cache/Redis failed');
      await expectRefused(() => createPe('pe1', { groupIds: ['redisCache', 'other'] }), 400, 'OnlyOneGroupIdPermitted');
    });

    it("the target's own refusals: VNet-injected cache, private link limit of a clustered Premium cache", async () => {
      await expectRefused(() => createPe('pe1', { target: `${RG_ID}/providers/Microsoft.Cache/Redis/injected` }), 400, 'PrivateEndpointNotSupportedOnVNetInjectedCache');
      await createPe('pe1', { target: `${RG_ID}/providers/Microsoft.Cache/Redis/clustered` });
      await expectRefused(() => createPe('pe2', { target: `${RG_ID}/providers/Microsoft.Cache/Redis/clustered` }), 400, 'PrivateEndpointLimitReached');
    });

    it('missing resource group and missing location', async () => {
      await expectRefused(
        () => net.privateEndpoints.createOrUpdate('nope', 'pe1', { location: 'westus', subnet: { id: subnetId() }, privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }] }, POLL),
        404,
        'ResourceGroupNotFound',
      );
      await expectRefused(
        () => net.privateEndpoints.createOrUpdate(RG, 'pe1', { subnet: { id: subnetId() }, privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }] }, POLL),
        400,
        'LocationRequired',
      );
    });
  });

  it('a failed creation (injected) ends Failed without a connection; a re-PUT completes it with one connection', async () => {
    await createVnet();
    emu.control.failNextOperation({ resourcePattern: 'privateEndpoints/pe1$', code: 'InternalServerError', message: 'boom' });
    await expect(createPe('pe1')).rejects.toThrow('The long-running operation has failed. InternalServerError. boom');
    const failed = await net.privateEndpoints.get(RG, 'pe1');
    expect(failed.provisioningState).toBe('Failed');
    expect(await cacheConnections()).toHaveLength(0);
    const pe = await createPe('pe1');
    expect(pe.provisioningState).toBe('Succeeded');
    expect(pe.privateLinkServiceConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Approved');
    expect(await cacheConnections()).toHaveLength(1);
  });
});

describe('operations in progress and seeded estates', () => {
  it('shows provisioningState Updating while the LRO runs and Succeeded once it completes', async () => {
    await createVnet();
    emu.control.setSettings({ lroDurationMs: 600_000 });
    try {
      const poller = net.privateEndpoints.createOrUpdate(
        RG,
        'slow',
        { location: 'westus', subnet: { id: subnetId() }, privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: CACHE_ID, groupIds: ['redisCache'] }] },
        POLL,
      );
      await poller.submitted();
      const during = await net.privateEndpoints.get(RG, 'slow');
      expect(during.provisioningState).toBe('Updating');
      expect(await cacheConnections()).toHaveLength(1);
      emu.control.settleOperations();
      const done = await poller;
      expect(done.provisioningState).toBe('Succeeded');
    } finally {
      emu.control.setSettings({ lroDurationMs: 0 });
    }
  });

  it('adopts subnets an estate embeds in its virtual network and derives their references', async () => {
    const vnetRes: ArmResource = {
      id: `${NET}/virtualNetworks/seeded`,
      name: 'seeded',
      type: 'Microsoft.Network/virtualNetworks',
      location: 'westus',
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: ['10.9.0.0/16'] },
        subnets: [{ name: 'pe', id: `${NET}/virtualNetworks/seeded/subnets/pe`, properties: { addressPrefix: '10.9.1.0/24', privateEndpointNetworkPolicies: 'Disabled' } }],
      },
    };
    emu.control.reset({ ...ESTATE, resources: [...ESTATE.resources, vnetRes] });
    const subnet = await net.subnets.get(RG, 'seeded', 'pe');
    expect(subnet.addressPrefix).toBe('10.9.1.0/24');
    const pe = await createPe('pe1', { subnet: subnet.id! });
    expect(pe.customDnsConfigs?.[0].ipAddresses).toEqual(['10.9.1.4']);
    const vnet = await net.virtualNetworks.get(RG, 'seeded');
    expect(vnet.subnets?.[0].privateEndpoints?.map((x) => x.id)).toEqual([pe.id]);
    // The stored copy (what Resource Graph and snapshots see) carries the same references.
    expect(emu.ctx.store.get(vnetRes.id)!.properties.subnets[0].properties.privateEndpoints).toEqual([{ id: pe.id }]);
  });
});

describe('private DNS zone groups', () => {
  const ZONE = 'privatelink.redis.cache.windows.net';
  const zoneId = `${NET}/privateDnsZones/${ZONE}`;

  beforeEach(async () => {
    await createVnet();
    await dns.privateZones.createOrUpdate(RG, ZONE, { location: 'global' }, POLL);
  });

  it('writes the A record of the endpoint as in PrivateEndpointDnsZoneGroupCreate and removes it on delete', async () => {
    const example = fixture('PrivateEndpointDnsZoneGroupCreate.json');
    const pe = await createPe('pe1');
    const ip = pe.customDnsConfigs![0].ipAddresses![0];
    const put = capture();
    const group = await net.privateDnsZoneGroups.createOrUpdate(RG, 'pe1', 'default', { privateDnsZoneConfigs: [{ name: 'redis', privateDnsZoneId: zoneId }] }, { ...POLL, onResponse: put.onResponse });
    expect(put.seen[0].status).toBe(201);
    expect(shapeDiff(example.responses['201'].body, put.seen[0].body)).toEqual([]);
    expect(group.provisioningState).toBe('Succeeded');
    expect(group.privateDnsZoneConfigs?.[0].recordSets).toEqual([
      { recordType: 'A', recordSetName: 'cache1', fqdn: `cache1.${ZONE}`, ttl: 10, ipAddresses: [ip], provisioningState: 'Succeeded' },
    ]);
    const record = await dns.recordSets.get(RG, ZONE, 'A', 'cache1');
    expect(record.ttl).toBe(10);
    expect(record.aRecords).toEqual([{ ipv4Address: ip }]);
    expect((await dns.privateZones.get(RG, ZONE)).numberOfRecordSets).toBe(2);

    const get = capture();
    await net.privateDnsZoneGroups.get(RG, 'pe1', 'default', { onResponse: get.onResponse });
    expect(shapeDiff(fixture('PrivateEndpointDnsZoneGroupGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    const listed = [];
    for await (const g of net.privateDnsZoneGroups.list(RG, 'pe1')) listed.push(g.name);
    expect(listed).toEqual(['default']);

    const again = capture();
    await net.privateDnsZoneGroups.createOrUpdate(RG, 'pe1', 'default', { privateDnsZoneConfigs: [{ name: 'redis', privateDnsZoneId: zoneId }] }, { ...POLL, onResponse: again.onResponse });
    expect(again.seen[0].status).toBe(200);
    expect(shapeDiff(example.responses['200'].body, again.seen[0].body)).toEqual([]);

    await net.privateDnsZoneGroups.delete(RG, 'pe1', 'default', POLL);
    await expect(dns.recordSets.get(RG, ZONE, 'A', 'cache1')).rejects.toMatchObject({ statusCode: 404 });
    await expect(net.privateDnsZoneGroups.get(RG, 'pe1', 'default')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('deleting the endpoint removes the records its zone group wrote', async () => {
    await createPe('pe1');
    await net.privateDnsZoneGroups.createOrUpdate(RG, 'pe1', 'default', { privateDnsZoneConfigs: [{ privateDnsZoneId: zoneId }] }, POLL);
    await dns.recordSets.get(RG, ZONE, 'A', 'cache1');
    await net.privateEndpoints.delete(RG, 'pe1', POLL);
    await expect(dns.recordSets.get(RG, ZONE, 'A', 'cache1')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect((await dns.privateZones.get(RG, ZONE)).numberOfRecordSets).toBe(1);
  });

  it('refuses a zone group whose zone does not exist', async () => {
    await createPe('pe1');
    await expectRefused(
      () => net.privateDnsZoneGroups.createOrUpdate(RG, 'pe1', 'default', { privateDnsZoneConfigs: [{ privateDnsZoneId: `${NET}/privateDnsZones/privatelink.nope.net` }] }, POLL),
      400,
      'InvalidPrivateDnsZoneIds',
    );
    await expectRefused(
      () => net.privateDnsZoneGroups.createOrUpdate(RG, 'ghost', 'default', { privateDnsZoneConfigs: [{ privateDnsZoneId: zoneId }] }, POLL),
      404,
      'ResourceNotFound',
    );
  });
});
