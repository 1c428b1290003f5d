/**
 * Microsoft.Network/privateDnsZones in the ARM emulator (zones, virtual network links, record sets), driven by the
 * real `@azure/arm-privatedns` 4.0.0 client over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createClientFactory, StaticTokenCredential } from '../../../src/azure/clients';
import { shapeDiff } from '../../support/shape';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'resourceGroup1';
const RG_ID = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const NET = `${RG_ID}/providers/Microsoft.Network`;
const ZONE = 'privatezone1.com';
const ZONE_ID = `${NET}/privateDnsZones/${ZONE}`;
const POLL = { updateIntervalInMs: 5 };
const DNS_STATES = ['Creating', 'Updating', 'Deleting', 'Succeeded', 'Failed', 'Canceled'];

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/arm/privatedns', name), 'utf8'));



const ESTATE = { resourceGroups: [RG_ID, `/subscriptions/${SUB}/resourceGroups/rg2`], resources: [] };

let emu: RunningEmulator;
let dns: PrivateDnsManagementClient;
let net: NetworkManagementClient;

beforeAll(async () => {
  emu = await startEmulator({ estate: ESTATE });
  const clients = createClientFactory({ armTransportUrl: emu.url, credential: new StaticTokenCredential(), retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 } });
  dns = clients.privateDns(SUB);
  net = clients.network(SUB);
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.control.reset(ESTATE);
});

function capture() {
  const seen: Array<{ status: number; headers: Record<string, string>; body: any }> = [];
  return { seen, onResponse: (r: any) => seen.push({ status: r.status, headers: r.rawHeaders ?? {}, body: r.parsedBody }) };
}

function requestLines(): string[] {
  return emu.control.requests().map((r) => `${r.method} ${r.path.replace(/(privateDnsOperation(?:Statuses|Results))\/[0-9a-f-]+/i, '$1/{id}')} ${r.status}`);
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

async function vnet(name: string, rg = RG) {
  return net.virtualNetworks.createOrUpdate(rg, name, { location: 'westus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL);
}

async function zone(name = ZONE, rg = RG) {
  return dns.privateZones.createOrUpdate(rg, name, { location: 'global' }, POLL);
}

async function link(zoneName: string, linkName: string, vnetId: string, rg = RG, registrationEnabled = false) {
  return dns.virtualNetworkLinks.createOrUpdate(rg, zoneName, linkName, { location: 'global', virtualNetwork: { id: vnetId }, registrationEnabled }, POLL);
}

describe('private DNS zones', () => {
  it('creates a zone as in PrivateZonePut: 202 with Azure-AsyncOperation and Location, then the zone as in PrivateZoneGet', async () => {
    const example = fixture('PrivateZonePut.json');
    const put = capture();
    const created = await dns.privateZones.createOrUpdate(RG, ZONE, example.parameters.parameters, { ...POLL, onResponse: put.onResponse });
    expect(Object.keys(example.responses)).toContain(String(put.seen[0].status));
    expect(put.seen[0].status).toBe(202);
    expect(put.seen[0].body).toBeUndefined();
    expect(put.seen[0].headers['azure-asyncoperation']).toMatch(
      new RegExp(`^https://management\\.azure\\.com${RG_ID}/providers/Microsoft\\.Network/privateDnsOperationStatuses/[0-9a-f-]+\\?api-version=2024-06-01$`),
    );
    expect(put.seen[0].headers['location']).toMatch(new RegExp(`${RG_ID}/providers/Microsoft\\.Network/privateDnsOperationResults/[0-9a-f-]+\\?api-version=2024-06-01$`));
    expect(requestLines()).toEqual([
      `PUT ${ZONE_ID} 202`,
      `GET ${RG_ID}/providers/Microsoft.Network/privateDnsOperationStatuses/{id} 200`,
      `GET ${ZONE_ID} 200`,
    ]);
    expect(created).toMatchObject({ name: ZONE, location: 'global', tags: { key1: 'value1' }, provisioningState: 'Succeeded', numberOfRecordSets: 1, numberOfVirtualNetworkLinks: 0 });

    const get = capture();
    await dns.privateZones.get(RG, ZONE, { onResponse: get.onResponse });
    expect(shapeDiff(fixture('PrivateZoneGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    expect(shapeDiff(example.responses['201'].body, get.seen[0].body)).toEqual([]);
    expect(DNS_STATES).toContain(get.seen[0].body.properties.provisioningState);

    // A zone has its SOA record set from the start.
    const all = [];
    for await (const r of dns.recordSets.list(RG, ZONE)) all.push(`${r.type} ${r.name}`);
    expect(all).toEqual(['Microsoft.Network/privateDnsZones/SOA @']);

    // Lists by resource group and subscription; PATCH updates tags through the same LRO.
    await zone('other.example.com', 'rg2');
    const byRg = [];
    for await (const z of dns.privateZones.listByResourceGroup(RG)) byRg.push(z.name);
    const bySub = [];
    for await (const z of dns.privateZones.list()) bySub.push(z.name);
    expect(byRg).toEqual([ZONE]);
    expect(bySub.sort()).toEqual(['other.example.com', ZONE]);
    const updated = await dns.privateZones.update(RG, ZONE, { tags: { key2: 'value2' } }, POLL);
    expect(updated.tags).toEqual({ key2: 'value2' });
  });

  it('honours If-None-Match and If-Match', async () => {
    const z = await zone();
    await expectRefused(() => dns.privateZones.createOrUpdate(RG, ZONE, { location: 'global' }, { ...POLL, ifNoneMatch: '*' }), 412, 'PreconditionFailed');
    await expectRefused(() => dns.privateZones.createOrUpdate(RG, ZONE, { location: 'global' }, { ...POLL, ifMatch: 'stale' }), 412, 'PreconditionFailed');
    const again = await dns.privateZones.createOrUpdate(RG, ZONE, { location: 'global', tags: { a: 'b' } }, { ...POLL, ifMatch: z.etag });
    expect(again.tags).toEqual({ a: 'b' });
  });

  it('refuses zone names with one label and locations other than global', async () => {
    const e = await expectRefused(() => dns.privateZones.createOrUpdate(RG, 'localzone', { location: 'global' }, POLL), 400, 'BadRequest');
    expect(e.message).toContain('does not have enough labels');
    await expectRefused(() => dns.privateZones.createOrUpdate(RG, ZONE, { location: 'eastus' }, POLL), 400, 'LocationNotAvailableForResourceType');
    await expectRefused(() => dns.privateZones.createOrUpdate('nope', ZONE, { location: 'global' }, POLL), 404, 'ResourceGroupNotFound');
  });

  it('refuses to delete a zone with virtual network links (409 CannotDeleteResource), then deletes as in PrivateZoneDelete', async () => {
    const v = await vnet('vnet1');
    await zone();
    await link(ZONE, 'link1', v.id!);
    const e = await expectRefused(() => dns.privateZones.delete(RG, ZONE, POLL), 409, 'CannotDeleteResource');
    expect(e.message).toContain(`'Microsoft.Network/privateDnsZones/${ZONE}/virtualNetworkLinks/link1'`);

    const linkDelete = capture();
    await dns.virtualNetworkLinks.delete(RG, ZONE, 'link1', { ...POLL, onResponse: linkDelete.onResponse });
    expect(Object.keys(fixture('VirtualNetworkLinkDelete.json').responses)).toContain(String(linkDelete.seen[0].status));
    expect(linkDelete.seen[0].status).toBe(202);
    expect((await dns.privateZones.get(RG, ZONE)).numberOfVirtualNetworkLinks).toBe(0);

    emu.control.clearRequests();
    const zoneDelete = capture();
    await dns.privateZones.delete(RG, ZONE, { ...POLL, onResponse: zoneDelete.onResponse });
    expect(Object.keys(fixture('PrivateZoneDelete.json').responses)).toContain(String(zoneDelete.seen[0].status));
    expect(requestLines()).toEqual([`DELETE ${ZONE_ID} 202`, `GET ${RG_ID}/providers/Microsoft.Network/privateDnsOperationStatuses/{id} 200`]);
    await expect(dns.privateZones.get(RG, ZONE)).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    // Its record sets went with it, and deleting again answers 204.
    expect(emu.ctx.store.get(`${ZONE_ID}/SOA/@`)).toBeUndefined();
    const again = capture();
    await dns.privateZones.delete(RG, ZONE, { ...POLL, onResponse: again.onResponse });
    expect(again.seen[0].status).toBe(204);
  });
});

describe('virtual network links', () => {
  it('links a virtual network as in VirtualNetworkLinkPut / VirtualNetworkLinkGet', async () => {
    const example = fixture('VirtualNetworkLinkPut.json');
    const v = await vnet('virtualNetworkName');
    await zone();
    const put = capture();
    const created = await dns.virtualNetworkLinks.createOrUpdate(
      RG,
      ZONE,
      'virtualNetworkLink1',
      { location: example.parameters.parameters.location, tags: example.parameters.parameters.tags, virtualNetwork: { id: v.id }, registrationEnabled: false },
      { ...POLL, onResponse: put.onResponse },
    );
    expect(put.seen[0].status).toBe(202);
    expect(created).toMatchObject({ name: 'virtualNetworkLink1', location: 'global', virtualNetwork: { id: v.id }, registrationEnabled: false, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded' });
    const get = capture();
    await dns.virtualNetworkLinks.get(RG, ZONE, 'virtualNetworkLink1', { onResponse: get.onResponse });
    expect(shapeDiff(fixture('VirtualNetworkLinkGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    expect(shapeDiff(example.responses['201'].body, get.seen[0].body)).toEqual([]);
    expect(['InProgress', 'Completed']).toContain(get.seen[0].body.properties.virtualNetworkLinkState);
    const links = [];
    for await (const l of dns.virtualNetworkLinks.list(RG, ZONE)) links.push(l.name);
    expect(links).toEqual(['virtualNetworkLink1']);
    expect((await dns.privateZones.get(RG, ZONE)).numberOfVirtualNetworkLinks).toBe(1);

    // PATCH: registration can be switched on.
    const patched = await dns.virtualNetworkLinks.update(RG, ZONE, 'virtualNetworkLink1', { registrationEnabled: true }, POLL);
    expect(patched.registrationEnabled).toBe(true);
    expect((await dns.privateZones.get(RG, ZONE)).numberOfVirtualNetworkLinksWithRegistration).toBe(1);
  });

  it('refuses a missing virtual network or zone, a second link of the same VNet, and overlapping zones on one VNet', async () => {
    const v = await vnet('vnet1');
    await zone('privatelink.redis.cache.windows.net');
    await zone('privatelink.redis.cache.windows.net', 'rg2');
    await zone('corp.example.com');
    await zone('eu.corp.example.com');
    await expectRefused(() => link('privatelink.redis.cache.windows.net', 'l1', `${NET}/virtualNetworks/ghost`), 400, 'BadRequest');
    await expectRefused(() => link('no.such.zone', 'l1', v.id!), 404, 'ParentResourceNotFound');
    await link('privatelink.redis.cache.windows.net', 'l1', v.id!);
    await expectRefused(() => link('privatelink.redis.cache.windows.net', 'l2', v.id!), 400, 'BadRequest');
    const e = await expectRefused(() => link('privatelink.redis.cache.windows.net', 'l1', v.id!, 'rg2'), 400, 'BadRequest');
    expect(e.message).toBe(
      "A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with 'privatelink.redis.cache.windows.net' and 'privatelink.redis.cache.windows.net' zones.",
    );
    await link('corp.example.com', 'l1', v.id!);
    await expectRefused(() => link('eu.corp.example.com', 'l1', v.id!), 400, 'BadRequest');
    // Re-PUT of the same link is an update, not a second link.
    const again = await link('privatelink.redis.cache.windows.net', 'l1', v.id!);
    expect(again.provisioningState).toBe('Succeeded');
  });

  it('allows auto-registration on one zone per virtual network only', async () => {
    const v = await vnet('vnet1');
    await zone('a.example.com');
    await zone('b.example.org');
    await link('a.example.com', 'l', v.id!, RG, true);
    await expectRefused(() => link('b.example.org', 'l', v.id!, RG, true), 400, 'BadRequest');
    expect((await link('b.example.org', 'l', v.id!, RG, false)).registrationEnabled).toBe(false);
  });
});

describe('record sets', () => {
  it('puts, gets, lists and deletes an A record set as in RecordSetAPut / RecordSetAGet (synchronous, 201/200, 200/204)', async () => {
    const example = fixture('RecordSetAPut.json');
    await zone();
    const params = example.parameters.parameters.properties;
    const put = capture();
    const created = await dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'recordA', { metadata: params.metadata, ttl: params.ttl, aRecords: params.aRecords }, { onResponse: put.onResponse });
    expect(put.seen[0].status).toBe(201);
    expect(shapeDiff(example.responses['201'].body, put.seen[0].body)).toEqual([]);
    expect(put.seen[0].body.id).toBe(`${ZONE_ID}/A/recorda`);
    expect(created).toMatchObject({ name: 'recorda', type: 'Microsoft.Network/privateDnsZones/A', fqdn: 'recorda.privatezone1.com.', ttl: 3600, isAutoRegistered: false, aRecords: [{ ipv4Address: '1.2.3.4' }] });
    expect(requestLines()).toEqual([`PUT ${ZONE_ID} 202`, `GET ${RG_ID}/providers/Microsoft.Network/privateDnsOperationStatuses/{id} 200`, `GET ${ZONE_ID} 200`, `PUT ${ZONE_ID}/A/recordA 201`]);

    const replace = capture();
    await dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'recordA', { metadata: { key1: 'value2' }, ttl: 60, aRecords: [{ ipv4Address: '10.0.0.9' }] }, { onResponse: replace.onResponse });
    expect(replace.seen[0].status).toBe(200);
    expect(shapeDiff(example.responses['200'].body, replace.seen[0].body)).toEqual([]);

    const get = capture();
    const read = await dns.recordSets.get(RG, ZONE, 'A', 'recorda', { onResponse: get.onResponse });
    expect(shapeDiff(fixture('RecordSetAGet.json').responses['200'].body, get.seen[0].body)).toEqual([]);
    expect(read).toMatchObject({ ttl: 60, metadata: { key1: 'value2' }, aRecords: [{ ipv4Address: '10.0.0.9' }] });
    // PUT replaces the record set: metadata left out of the request is gone; PATCH merges.
    const replaced = await dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'recordA', { ttl: 60, aRecords: [{ ipv4Address: '10.0.0.9' }] });
    expect(replaced.metadata).toBeUndefined();
    const patched = await dns.recordSets.update(RG, ZONE, 'A', 'recorda', { metadata: { owner: 'me' } });
    expect(patched).toMatchObject({ ttl: 60, metadata: { owner: 'me' }, aRecords: [{ ipv4Address: '10.0.0.9' }] });

    const byType = [];
    for await (const r of dns.recordSets.listByType(RG, ZONE, 'A')) byType.push(r.name);
    expect(byType).toEqual(['recorda']);
    expect((await dns.privateZones.get(RG, ZONE)).numberOfRecordSets).toBe(2);

    const del = capture();
    await dns.recordSets.delete(RG, ZONE, 'A', 'recorda', { onResponse: del.onResponse });
    expect(del.seen[0].status).toBe(200);
    const delAgain = capture();
    await dns.recordSets.delete(RG, ZONE, 'A', 'recorda', { onResponse: delAgain.onResponse });
    expect(delAgain.seen[0].status).toBe(204);
    await expect(dns.recordSets.get(RG, ZONE, 'A', 'recorda')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect((await dns.privateZones.get(RG, ZONE)).numberOfRecordSets).toBe(1);
  });

  it('refuses bad records and missing zones', async () => {
    await zone();
    await expectRefused(() => dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'x', { ttl: 10, aRecords: [{ ipv4Address: '999.1.1.1' }] }), 400, 'BadRequest');
    await expectRefused(() => dns.recordSets.createOrUpdate(RG, ZONE, 'A', 'x', { ttl: 10, cnameRecord: { cname: 'a.b' } }), 400, 'BadRequest');
    await expectRefused(() => dns.recordSets.createOrUpdate(RG, 'no.such.zone', 'A', 'x', { ttl: 10, aRecords: [] }), 404, 'ParentResourceNotFound');
    await expectRefused(() => dns.recordSets.delete(RG, ZONE, 'SOA', '@'), 400, 'BadRequest');
  });
});

describe('record set lists are paged like Azure (privatedns.json: $top, default 100, nextLink)', () => {
  async function zoneWith(records: number): Promise<void> {
    await dns.privateZones.beginCreateOrUpdateAndWait(RG, ZONE, { location: 'global' }, POLL);
    for (let i = 0; i < records; i++) {
      await dns.recordSets.createOrUpdate(RG, ZONE, 'A', `r${String(i).padStart(3, '0')}`, { ttl: 10, aRecords: [{ ipv4Address: `10.0.${Math.floor(i / 200)}.${i % 200}` }] });
    }
  }
  const pageSizes = async (top?: number): Promise<number[]> => {
    const sizes: number[] = [];
    for await (const page of dns.recordSets.listByType(RG, ZONE, 'A', top ? { top } : undefined).byPage()) sizes.push(page.length);
    return sizes;
  };

  it('100 a page without $top, $top a page with it, every record once', async () => {
    await zoneWith(250);
    expect(await pageSizes()).toEqual([100, 100, 50]);
    expect(await pageSizes(1000)).toEqual([250]);
    expect(await pageSizes(120)).toEqual([120, 120, 10]);
    const names: string[] = [];
    for await (const rs of dns.recordSets.listByType(RG, ZONE, 'A')) names.push(rs.name!);
    expect(new Set(names).size).toBe(250);
    // ALL: the SOA record set too
    let all = 0;
    for await (const _ of dns.recordSets.list(RG, ZONE)) all++;
    expect(all).toBe(251);
  });

  it('the max-100 variant pages at 100 whatever $top; a $top above 1000 is refused', async () => {
    await zoneWith(150);
    emu.control.setSettings({ privateDnsRecordSetTop: 'max-100' });
    expect(await pageSizes(1000)).toEqual([100, 50]);
    emu.control.setSettings({ privateDnsRecordSetTop: 'honor' });
    await expect(pageSizes(1001)).rejects.toMatchObject({ statusCode: 400 });
  });
});

