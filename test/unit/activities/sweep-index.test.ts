/**
 * The sweep's per-page indexes (behaviour, not timing): record lookups keyed once per zone, snapshots built from a
 * GraphIndex carry only their own A record, the endpoint inventory writes only what changed, and the merged report
 * is streamed from the page documents.
 */
import { indexGraphEstate, snapshotsFromIndex, type GraphRow } from '../../../src/activities/graph-snapshots';
import { pageText, readPage, writePage, type CacheReportEntry } from '../../../src/activities/report-pages';
import { EndpointInventory, INVENTORY_BUCKETS } from '../../../src/azure/endpoint-inventory';
import { MemoryDocumentStore, writeDocumentParts } from '../../../src/azure/document-store';
import { evaluate } from '../../../src/policy/evaluate';
import { buildContext, isLinked, recordIndexOf, recordOf } from '../../../src/policy/context';
import { HOME_ZONE_ID, HUB, REDIS_ZONE, SUB, basePolicy, peId, redisId, subnetId, vnetId } from '../policy/builders';

/** A store that counts its operations. */
class CountingStore extends MemoryDocumentStore {
  reads = 0;
  writes = 0;
  override async read(name: string) {
    this.reads++;
    return super.read(name);
  }
  override async write(name: string, content: string) {
    this.writes++;
    return super.write(name, content);
  }
}

describe('record index (context.ts)', () => {
  it('finds a record case-insensitively and keeps the first of names equal but for case', () => {
    const zone = { id: HOME_ZONE_ID, name: REDIS_ZONE, virtualNetworkLinks: [], aRecords: { 'Cache-A': ['10.0.0.4'], 'cache-a': ['10.9.9.9'], other: ['10.0.0.5'] } };
    expect(recordOf(zone, 'cache-a')).toEqual(['10.0.0.4']);
    expect(recordOf(zone, 'OTHER')).toEqual(['10.0.0.5']);
    expect(recordOf(zone, 'missing')).toBeUndefined();
    expect(recordOf(undefined, 'cache-a')).toBeUndefined();
  });

  it('builds one index per records object and a new one for a new object', () => {
    const aRecords = { x: ['10.0.0.1'] };
    const zone = { id: HOME_ZONE_ID, name: REDIS_ZONE, virtualNetworkLinks: [], aRecords };
    expect(recordIndexOf(zone)).toBe(recordIndexOf({ ...zone }));
    const changed = { ...zone, aRecords: { ...aRecords, y: ['10.0.0.2'] } };
    expect(recordIndexOf(changed)).not.toBe(recordIndexOf(zone));
    expect(recordOf(changed, 'y')).toEqual(['10.0.0.2']);
  });
});

describe('link index (context.ts)', () => {
  it('answers links case- and trailing-slash-insensitively, over a hub zone linked to many VNets', () => {
    const links = Array.from({ length: 1000 }, (_, i) => vnetId(`spoke-${i}`));
    const zone = { id: HOME_ZONE_ID, name: REDIS_ZONE, virtualNetworkLinks: links, aRecords: {} };
    expect(isLinked(zone, vnetId('spoke-999').toUpperCase())).toBe(true);
    expect(isLinked(zone, `${vnetId('spoke-0')}/`)).toBe(true);
    expect(isLinked(zone, vnetId('spoke-1000'))).toBe(false);
    expect(isLinked(zone, '')).toBe(false);
    expect(isLinked(undefined, vnetId('spoke-0'))).toBe(false);
    // a new links array (a zone re-read) gets its own index
    expect(isLinked({ ...zone, virtualNetworkLinks: [...links, vnetId('spoke-1000')] }, vnetId('spoke-1000'))).toBe(true);
  });
});

describe('snapshots from a GraphIndex (graph-snapshots.ts)', () => {
  const policy = basePolicy({ consumerVirtualNetworks: [] });
  const cache = (name: string, ip?: string): { row: GraphRow; pe?: GraphRow } => {
    const id = redisId(name);
    const pe = ip ? peId(`pe-${name}`) : undefined;
    return {
      row: {
        id,
        name,
        type: 'microsoft.cache/redis',
        location: 'eastus',
        resourceGroup: 'rg-app',
        subscriptionId: SUB,
        tags: {},
        properties: {
          sku: { name: 'Standard', family: 'C', capacity: 1 },
          hostName: `${name}.redis.cache.windows.net`,
          provisioningState: 'Succeeded',
          publicNetworkAccess: 'Disabled',
          privateEndpointConnections: pe
            ? [{ id: `${id}/privateEndpointConnections/c1`, properties: { privateEndpoint: { id: pe }, privateLinkServiceConnectionState: { status: 'Approved' } } }]
            : [],
        },
      },
      ...(pe
        ? { pe: { id: pe, name: `pe-${name}`, type: 'microsoft.network/privateendpoints', location: 'eastus', resourceGroup: 'rg-net', subscriptionId: SUB, properties: { subnet: { id: subnetId(HUB) }, provisioningState: 'Succeeded', customDnsConfigs: [{ fqdn: `${name}.redis.cache.windows.net`, ipAddresses: [ip] }] } } }
        : {}),
    };
  };
  const a = cache('cache-a', '10.0.0.4');
  const b = cache('cache-b', '10.0.0.5');
  const c = cache('cache-c');
  const zoneRow: GraphRow = { id: HOME_ZONE_ID, name: REDIS_ZONE, type: 'microsoft.network/privatednszones', location: 'global', resourceGroup: 'rg-dns', subscriptionId: SUB };
  const link: GraphRow = { id: `${HOME_ZONE_ID}/virtualNetworkLinks/link-hub`, name: 'link-hub', type: 'microsoft.network/privatednszones/virtualnetworklinks', location: 'global', resourceGroup: 'rg-dns', subscriptionId: SUB, properties: { virtualNetwork: { id: vnetId(HUB) } } };
  const records = new Map([['cache-a', ['10.0.0.4']], ['cache-b', ['10.0.0.99']], ...Array.from({ length: 500 }, (_, i) => [`other-${i}`, ['10.1.0.1']] as [string, string[]])]);
  const index = indexGraphEstate({ privateEndpoints: [a.pe!, b.pe!], zones: [zoneRow], zoneLinks: [link], aRecords: new Map([[HOME_ZONE_ID.toLowerCase(), records]]) });

  it('keys endpoints, zones (by id and by name) and links once', () => {
    expect(index.endpointById.get(a.pe!.id.toLowerCase())).toBe(a.pe);
    expect(index.zonesByName.get(REDIS_ZONE)).toEqual([zoneRow]);
    expect(index.zoneById.get(HOME_ZONE_ID.toLowerCase())).toBe(zoneRow);
    expect(index.linksByZone.get(HOME_ZONE_ID.toLowerCase())).toEqual([vnetId(HUB)]);
  });

  it('gives each snapshot its own record only, and evaluates as the zone says', () => {
    const [sa, sb, sc] = snapshotsFromIndex([a.row, b.row, c.row], index, policy);
    expect(sa!.dnsZones).toHaveLength(1);
    expect(sa!.dnsZones[0]!.aRecords).toEqual({ 'cache-a': ['10.0.0.4'] });
    expect(sa!.privateEndpoints[0]!.dnsZoneGroups[0]!.zoneIds).toEqual([HOME_ZONE_ID]);
    expect(buildContext(sa!, policy).verified).toHaveLength(1);
    expect(evaluate(sa!, policy)).toEqual([]);
    // cache-b's A record points elsewhere: no zone group inferred, a finding
    expect(sb!.dnsZones[0]!.aRecords).toEqual({ 'cache-b': ['10.0.0.99'] });
    expect(sb!.privateEndpoints[0]!.dnsZoneGroups).toEqual([]);
    expect(evaluate(sb!, policy).length).toBeGreaterThan(0);
    // no endpoint: the home zone is there, without a record
    expect(sc!.privateEndpoints).toEqual([]);
    expect(sc!.dnsZones[0]!.aRecords).toEqual({});
    expect(evaluate(sc!, policy).map((f) => f.rule)).toContain('private-endpoint-missing');
  });
});

describe('endpoint inventory (endpoint-inventory.ts)', () => {
  const entries = Array.from({ length: 300 }, (_, i) => ({ privateEndpointId: peId(`pe-${i}`), cacheId: redisId(`cache-${i}`) }));

  it('writes only the buckets that changed, and nothing for an unchanged estate', async () => {
    const store = new CountingStore();
    const inventory = new EndpointInventory(store);
    const first = await inventory.recordSweep(entries, '2026-01-01T00:00:00.000Z');
    expect(first.changed).toBe(300);
    expect(first.writes).toBeLessThanOrEqual(INVENTORY_BUCKETS);
    expect(store.writes).toBe(first.writes);

    const before = { reads: store.reads, writes: store.writes };
    const again = await inventory.recordSweep(entries, '2026-01-01T01:00:00.000Z');
    expect(again).toEqual({ changed: 0, reads: 0, writes: 0 });
    expect(store.reads).toBe(before.reads);
    expect(store.writes).toBe(before.writes);

    // One endpoint now serves another cache: one bucket read before its write, one write.
    const moved = entries.map((e, i) => (i === 7 ? { ...e, cacheId: redisId('cache-new') } : e));
    const delta = await inventory.recordSweep(moved, '2026-01-01T02:00:00.000Z');
    expect(delta).toEqual({ changed: 1, reads: 1, writes: 1 });
    expect((await inventory.lookup(entries[7]!.privateEndpointId))?.cacheId).toBe(redisId('cache-new'));
  });

  it('a fresh process reads each bucket once and writes nothing when nothing changed', async () => {
    const store = new CountingStore();
    await new EndpointInventory(store).recordSweep(entries, '2026-01-01T00:00:00.000Z');
    const reads = store.reads;
    const writes = store.writes;
    const fresh = await new EndpointInventory(store).recordSweep(entries, '2026-01-01T01:00:00.000Z');
    expect(fresh.writes).toBe(0);
    expect(store.writes).toBe(writes);
    expect(fresh.reads).toBe(store.reads - reads);
    expect(fresh.reads).toBeLessThanOrEqual(INVENTORY_BUCKETS);
  });

  it('lookup answers the most recent of a workflow mapping and the sweep mapping', async () => {
    const store = new MemoryDocumentStore();
    const inventory = new EndpointInventory(store);
    const pe = entries[0]!.privateEndpointId;
    await inventory.recordSweep([{ privateEndpointId: pe, cacheId: redisId('swept') }], '2026-01-01T00:00:00.000Z');
    expect((await inventory.lookup(pe))?.cacheId).toBe(redisId('swept'));
    await inventory.record([{ privateEndpointId: pe, cacheId: redisId('workflow') }], '2026-01-01T01:00:00.000Z');
    expect((await inventory.lookup(pe.toUpperCase()))?.cacheId).toBe(redisId('workflow'));
    await inventory.recordSweep([{ privateEndpointId: pe, cacheId: redisId('swept-later') }], '2026-01-01T02:00:00.000Z');
    expect((await inventory.lookup(pe))?.cacheId).toBe(redisId('swept-later'));
    expect(await inventory.lookup(peId('never-seen'))).toBeUndefined();
  });
});

describe('report pages (report-pages.ts)', () => {
  const entry = (i: number): CacheReportEntry => ({ id: redisId(`cache-${i}`), compliant: i % 2 === 0, status: i % 2 === 0 ? 'compliant' : 'audited', findings: [], actions: [] });

  it('a page round-trips, one entry per line', async () => {
    const store = new MemoryDocumentStore();
    const deps = { documents: store };
    await writePage(deps, 's1', 3, [entry(1), entry(2)]);
    expect(await readPage(deps, 's1', 3)).toEqual([entry(1), entry(2)]);
    expect(pageText([entry(1), entry(2)]).split('\n')).toHaveLength(4);
    expect(pageText([])).toBe('[]');
    expect(await readPage(deps, 's1', 4)).toEqual([]);
  });

  it('a document written from parts equals the parts joined', async () => {
    const store = new MemoryDocumentStore();
    await writeDocumentParts(store, 'x.json', ['{"a":', '[1,', '2]}']);
    expect(JSON.parse((await store.read('x.json'))!)).toEqual({ a: [1, 2] });
  });
});
