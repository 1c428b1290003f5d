/**
 * The emulator's Azure Resource Graph through the REAL ResourceGraphClient (arm-resourcegraph 5.0.0): wire
 * shapes against the spec examples, paging with $skipToken, subscription scope, the tables' rows, and the
 * 400 envelope of an invalid query. The store is seeded with plain resources (no other provider involved).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { ArmResource } from '../../../emulator/core/types';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

const FIXTURES = join(__dirname, '../../fixtures/arm/resourcegraph');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));

const SUB_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const SUB_B = 'bbbbbbbb-0000-4000-8000-000000000002';

const rid = (sub: string, rg: string, type: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type}/${name}`;

const cacheA = rid(SUB_A, 'RG-Caches', 'Microsoft.Cache/Redis', 'cache-a');
const cacheB = rid(SUB_A, 'RG-Caches', 'Microsoft.Cache/Redis', 'cache-b');
const enterprise = rid(SUB_B, 'rg-ent', 'Microsoft.Cache/redisEnterprise', 'ent-1');
const vnet = rid(SUB_B, 'rg-net', 'Microsoft.Network/virtualNetworks', 'vnet-1');
const subnet = `${vnet}/subnets/default`;
const pe = rid(SUB_B, 'rg-net', 'Microsoft.Network/privateEndpoints', 'pe-cache-a-vnet-1');
const pec = `${cacheA}/privateEndpointConnections/pe-cache-a-vnet-1.conn`;
const zone = rid(SUB_B, 'rg-net', 'Microsoft.Network/privateDnsZones', 'privatelink.redis.cache.windows.net');
const link = `${zone}/virtualNetworkLinks/link-vnet-1`;
const record = `${zone}/A/cache-a`;

function estate(): { resources: ArmResource[] } {
  return {
    resources: [
      {
        id: cacheA,
        name: 'cache-a',
        type: 'Microsoft.Cache/Redis',
        location: 'East US',
        tags: { env: 'prod' },
        zones: ['1'],
        properties: {
          provisioningState: 'Succeeded',
          sku: { name: 'Premium', family: 'P', capacity: 1 },
          hostName: 'cache-a.redis.cache.windows.net',
          port: 6379,
          sslPort: 6380,
          publicNetworkAccess: 'Disabled',
          accessKeys: { primaryKey: 'secret-1', secondaryKey: 'secret-2' },
        },
      },
      {
        id: pec,
        name: 'pe-cache-a-vnet-1.conn',
        type: 'Microsoft.Cache/Redis/privateEndpointConnections',
        properties: {
          provisioningState: 'Succeeded',
          privateEndpoint: { id: pe },
          privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-approved', actionsRequired: 'None' },
        },
      },
      {
        id: cacheB,
        name: 'cache-b',
        type: 'Microsoft.Cache/Redis',
        location: 'westeurope',
        properties: { provisioningState: 'Succeeded', sku: { name: 'Basic', family: 'C', capacity: 0 }, publicNetworkAccess: 'Enabled' },
      },
      {
        id: enterprise,
        name: 'ent-1',
        type: 'Microsoft.Cache/redisEnterprise',
        location: 'eastus',
        sku: { name: 'Enterprise_E10', capacity: 2 },
        properties: { provisioningState: 'Succeeded', hostName: 'ent-1.eastus.redisenterprise.cache.azure.net' },
      },
      {
        id: vnet,
        name: 'vnet-1',
        type: 'Microsoft.Network/virtualNetworks',
        location: 'eastus',
        properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: subnet, name: 'default', properties: { addressPrefix: '10.1.0.0/24' } }] },
      },
      { id: subnet, name: 'default', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.0.0/24' } },
      {
        id: pe,
        name: 'pe-cache-a-vnet-1',
        type: 'Microsoft.Network/privateEndpoints',
        location: 'eastus',
        properties: {
          provisioningState: 'Succeeded',
          subnet: { id: subnet },
          privateLinkServiceConnections: [
            {
              id: `${pe}/privateLinkServiceConnections/conn`,
              name: 'conn',
              properties: {
                privateLinkServiceId: cacheA,
                groupIds: ['redisCache'],
                privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-approved', actionsRequired: 'None' },
              },
            },
          ],
          manualPrivateLinkServiceConnections: [],
        },
      },
      { id: zone, name: 'privatelink.redis.cache.windows.net', type: 'Microsoft.Network/privateDnsZones', location: 'global', properties: {} },
      {
        id: link,
        name: 'link-vnet-1',
        type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
        location: 'global',
        properties: { virtualNetwork: { id: vnet }, registrationEnabled: false },
      },
      { id: record, name: 'cache-a', type: 'Microsoft.Network/privateDnsZones/A', properties: { ttl: 10, aRecords: [{ ipv4Address: '10.1.0.4' }] } },
    ],
  };
}

/** An estate holding the resources shown in a spec example's response (ids, names, types, locations, tags). */
function estateFromExample(body: { data: Array<Record<string, any>> }): { resources: ArmResource[] } {
  return {
    resources: body.data.map((row) => ({
      id: row.id,
      name: row.name,
      // ARM casing of the type is what the store holds; Graph lower-cases it
      type: row.id.split('/providers/')[1].split('/').slice(0, 2).join('/'),
      location: row.location,
      ...(row.tags && Object.keys(row.tags).length > 0 ? { tags: row.tags } : {}),
      properties: {},
    })),
  };
}

const GRAPH_URL = '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01';

async function rawQuery(t: TestEmulator, body: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${t.emu.url}${GRAPH_URL}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('Resource Graph provider (real ResourceGraphClient)', () => {
  let t: TestEmulator;
  let graph: ResourceGraphClient;

  beforeAll(async () => {
    t = await startTestEmulator(estate());
    graph = t.clients.resourceGraph();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.emu.control.reset(estate());
  });

  describe('wire shape against the spec examples', () => {
    it('Basic Query: the example response is reproduced from the same resources', async () => {
      const ex = fixture('ResourcesBasicQuery');
      const expected = ex.responses['200'].body;
      t.emu.control.reset(estateFromExample(expected));
      const raw = await rawQuery(t, ex.parameters.query);
      expect(raw.status).toBe(200);
      expect(Object.keys(raw.body).sort()).toEqual(Object.keys(expected).sort());
      const byId = (a: any, b: any) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);
      expect({ ...raw.body, data: [...raw.body.data].sort(byId) }).toEqual({ ...expected, data: [...expected.data].sort(byId) });

      const viaSdk = await graph.resources(ex.parameters.query);
      expect(viaSdk.totalRecords).toBe(3);
      expect(viaSdk.count).toBe(3);
      expect(viaSdk.resultTruncated).toBe('false');
      expect(viaSdk.skipToken).toBeUndefined();
      expect(viaSdk.facets).toEqual([]);
    });

    it('Filter query: =~ on the type matches the lower-cased Graph type; rows equal the example', async () => {
      const ex = fixture('ResourcesFilterQuery');
      const expected = ex.responses['200'].body;
      t.emu.control.reset({
        resources: [
          ...estateFromExample(expected).resources,
          // not a VM: filtered out
          { id: rid(expected.data[0].id.split('/')[2], 'RG1', 'Microsoft.Network/virtualNetworks', 'other'), name: 'other', type: 'Microsoft.Network/virtualNetworks', location: 'eastus', properties: {} },
        ],
      });
      const res = await graph.resources(ex.parameters.query);
      expect({ totalRecords: res.totalRecords, count: res.count, resultTruncated: res.resultTruncated, facets: res.facets, data: res.data }).toEqual(expected);
    });

    it('First page / next page: $top is the page size, the $skipToken continues with it', async () => {
      const first = fixture('ResourcesFirstPageQuery');
      const next = fixture('ResourcesNextPageQuery');
      const sub = first.parameters.query.subscriptions[0];
      const matching = Array.from({ length: 7 }, (_, i) => ({
        id: rid(sub, `RG${i % 3}`, 'Microsoft.Compute/disks', `disk-test-${i}`),
        name: `disk-test-${i}`,
        type: 'Microsoft.Compute/disks',
        location: 'eastus',
        properties: {},
      }));
      const other = { id: rid(sub, 'RG9', 'Microsoft.Compute/disks', 'prod-disk'), name: 'prod-disk', type: 'Microsoft.Compute/disks', location: 'eastus', properties: {} };
      t.emu.control.reset({ resources: [...matching, other] });

      // the example's request, sent by the SDK with its TS option names
      const p1 = await graph.resources({ ...first.parameters.query, options: { top: 3, skip: 0 } });
      const exp1 = first.responses['200'].body;
      expect(Object.keys(p1.data[0]).sort()).toEqual(Object.keys(exp1.data[0]).sort());
      expect(p1).toMatchObject({ totalRecords: 7, count: 3, resultTruncated: 'false', facets: [] });
      expect(typeof p1.skipToken).toBe('string');

      // the raw wire carries `$skipToken`, like the example
      const raw1 = await rawQuery(t, first.parameters.query);
      expect(Object.keys(raw1.body).sort()).toEqual(Object.keys(exp1).sort());

      const { options: _ignored, ...nextBody } = next.parameters.query;
      const p2 = await graph.resources({ ...nextBody, options: { skipToken: p1.skipToken } });
      expect(p2).toMatchObject({ totalRecords: 7, count: 3, resultTruncated: 'false' });
      const p3 = await graph.resources({ ...nextBody, options: { skipToken: p2.skipToken } });
      expect(p3).toMatchObject({ totalRecords: 7, count: 1 });
      expect(p3.skipToken).toBeUndefined();

      const ids = [...p1.data, ...p2.data, ...p3.data].map((r: any) => r.id);
      expect(new Set(ids).size).toBe(7);
      expect([...ids].sort()).toEqual(matching.map((m) => m.id).sort());
    });

    it('$skip starts further in; resultFormat table gives typed columns and row arrays', async () => {
      const all = await graph.resources({ query: 'Resources | project id, name | order by id asc' });
      const skipped = await graph.resources({ query: 'Resources | project id, name | order by id asc', options: { skip: 2, top: 2 } });
      expect(skipped.data).toEqual(all.data.slice(2, 4));
      expect(skipped.skipToken).toBeDefined();

      const table = await graph.resources({
        query: "Resources | where name == 'cache-a' | project id, name, port = toint(properties.port), public = properties.publicNetworkAccess == 'Enabled', sku = properties.sku",
        options: { resultFormat: 'table' },
      });
      expect(table.data).toEqual({
        columns: [
          { name: 'id', type: 'string' },
          { name: 'name', type: 'string' },
          { name: 'port', type: 'integer' },
          { name: 'public', type: 'boolean' },
          { name: 'sku', type: 'object' },
        ],
        rows: [[cacheA, 'cache-a', 6379, false, { name: 'Premium', family: 'P', capacity: 1 }]],
      });
    });
  });

  describe('paging a large estate', () => {
    it('2,500 caches come back in 3 pages (1000, 1000, 500), each id exactly once', async () => {
      const caches: ArmResource[] = Array.from({ length: 2500 }, (_, i) => ({
        id: rid(i % 2 === 0 ? SUB_A : SUB_B, `rg-${i % 7}`, 'Microsoft.Cache/Redis', `cache-${String(i).padStart(4, '0')}`),
        name: `cache-${String(i).padStart(4, '0')}`,
        type: 'Microsoft.Cache/Redis',
        location: 'eastus',
        properties: { provisioningState: 'Succeeded', publicNetworkAccess: 'Enabled' },
      }));
      t.emu.control.reset({ resources: caches });
      const query = "resources | where type =~ 'microsoft.cache/redis' | project id, name, type, properties";
      const subscriptions = [SUB_A, SUB_B];
      const pages: any[] = [];
      let skipToken: string | undefined;
      do {
        const page = await graph.resources({ query, subscriptions, options: skipToken ? { skipToken } : undefined });
        pages.push(page);
        skipToken = page.skipToken;
        expect(pages.length).toBeLessThanOrEqual(3);
      } while (skipToken);
      expect(pages.map((p) => p.count)).toEqual([1000, 1000, 500]);
      expect(pages.map((p) => p.totalRecords)).toEqual([2500, 2500, 2500]);
      expect(pages.every((p) => p.resultTruncated === 'false')).toBe(true);
      const ids = pages.flatMap((p) => p.data.map((r: any) => r.id));
      expect(ids).toHaveLength(2500);
      expect(new Set(ids).size).toBe(2500);
      expect(new Set(ids)).toEqual(new Set(caches.map((c) => c.id)));
    });

    it('a query is evaluated once per paging sequence: later pages are slices of the first evaluation', async () => {
      const caches: ArmResource[] = Array.from({ length: 25 }, (_, i) => ({
        id: rid(SUB_A, 'rg', 'Microsoft.Cache/Redis', `seq-${String(i).padStart(2, '0')}`),
        name: `seq-${String(i).padStart(2, '0')}`,
        type: 'Microsoft.Cache/Redis',
        location: 'eastus',
        properties: {},
      }));
      t.emu.control.reset({ resources: caches });
      const query = "resources | where type =~ 'microsoft.cache/redis' | project id | order by id asc";
      const p1 = await graph.resources({ query, options: { top: 10 } });
      // a cache written between pages sorts first: a re-evaluation would shift every later page
      t.emu.ctx.store.put({ id: rid(SUB_A, 'rg', 'Microsoft.Cache/Redis', 'seq-00a'), name: 'seq-00a', type: 'Microsoft.Cache/Redis', location: 'eastus', properties: {} });
      const p2 = await graph.resources({ query, options: { skipToken: p1.skipToken } });
      const p3 = await graph.resources({ query, options: { skipToken: p2.skipToken } });
      const ids = [p1, p2, p3].flatMap((p) => (p.data as any[]).map((r) => r.id));
      expect(ids).toEqual(caches.map((c) => c.id));
      expect([p1, p2, p3].map((p) => p.totalRecords)).toEqual([25, 25, 25]);
      expect(p3.skipToken).toBeUndefined();
      // a new query sees the write
      const fresh = await graph.resources({ query, options: { top: 10 } });
      expect(fresh.totalRecords).toBe(26);
    });

    it('a leading type filter reads only rows of that type, with the same answer as an unhinted query', async () => {
      const hinted = await graph.resources({ query: "resources | where type =~ 'Microsoft.Cache/Redis' or type in~ ('microsoft.network/privateendpoints') | project id | order by id asc" });
      const unhinted = await graph.resources({ query: "resources | where tolower(type) == 'microsoft.cache/redis' or tolower(type) == 'microsoft.network/privateendpoints' | project id | order by id asc" });
      expect(hinted.totalRecords).toBeGreaterThan(0);
      expect(hinted.data).toEqual(unhinted.data);
    });

    it('a query capped by take cannot be paged: resultTruncated "true" and no token when it exceeds the page', async () => {
      const many: ArmResource[] = Array.from({ length: 30 }, (_, i) => ({
        id: rid(SUB_A, 'rg', 'Microsoft.Cache/Redis', `c${i}`),
        name: `c${i}`,
        type: 'Microsoft.Cache/Redis',
        location: 'eastus',
        properties: {},
      }));
      t.emu.control.reset({ resources: many });
      const capped = await graph.resources({ query: 'Resources | take 20', options: { top: 5 } });
      expect(capped).toMatchObject({ totalRecords: 20, count: 5, resultTruncated: 'true' });
      expect(capped.skipToken).toBeUndefined();
      const fits = await graph.resources({ query: 'Resources | take 4', options: { top: 5 } });
      expect(fits).toMatchObject({ totalRecords: 4, count: 4, resultTruncated: 'false' });
    });

    it('rejects a $skipToken of another query, and a $top over 1000', async () => {
      const p1 = await graph.resources({ query: 'Resources | project id', options: { top: 2 } });
      expect(p1.skipToken).toBeDefined();
      const err = await graph
        .resources({ query: 'Resources | project id, name', options: { skipToken: p1.skipToken } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RestError);
      expect((err as RestError).statusCode).toBe(400);
      const tooBig = await rawQuery(t, { query: 'Resources', options: { $top: 1001 } });
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.error.code).toBe('BadRequest');
    });
  });

  describe('scope and rows', () => {
    it('returns only the requested subscriptions (case-insensitive), all when none given', async () => {
      const q = 'Resources | project id, subscriptionId';
      const onlyA = await graph.resources({ query: q, subscriptions: [SUB_A.toUpperCase()] });
      expect(new Set(onlyA.data.map((r: any) => r.subscriptionId))).toEqual(new Set([SUB_A]));
      expect(onlyA.data.map((r: any) => r.id).sort()).toEqual([cacheA, cacheB].sort());
      const onlyB = await graph.resources({ query: q, subscriptions: [SUB_B] });
      expect(onlyB.data.every((r: any) => r.subscriptionId === SUB_B)).toBe(true);
      expect(onlyB.totalRecords).toBe(5);
      const both = await graph.resources({ query: q, subscriptions: [SUB_A, SUB_B] });
      const none = await graph.resources({ query: q });
      expect(both.totalRecords).toBe(7);
      expect(none.data).toEqual(both.data);
      const unknown = await graph.resources({ query: q, subscriptions: ['cccccccc-0000-4000-8000-000000000003'] });
      expect(unknown).toMatchObject({ totalRecords: 0, count: 0, data: [] });
    });

    it('indexes top-level resources and VNet links, not connections, subnets or record sets', async () => {
      const res = await graph.resources({ query: 'Resources | project id, type | order by id asc' });
      expect(res.data.map((r: any) => r.id)).toEqual([cacheA, cacheB, enterprise, zone, link, pe, vnet].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      expect(res.data.map((r: any) => r.type).sort()).toEqual([
        'microsoft.cache/redis',
        'microsoft.cache/redis',
        'microsoft.cache/redisenterprise',
        'microsoft.network/privatednszones',
        'microsoft.network/privatednszones/virtualnetworklinks',
        'microsoft.network/privateendpoints',
        'microsoft.network/virtualnetworks',
      ]);
    });

    it('a cache row: Graph casing, normalized location, connections embedded, no access keys', async () => {
      const res = await graph.resources({ query: `Resources | where id =~ '${cacheA.toUpperCase()}'` });
      expect(res.count).toBe(1);
      const row = res.data[0] as Record<string, any>;
      expect(Object.keys(row)).toEqual([
        'id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy',
        'sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation',
      ]);
      expect(row).toMatchObject({
        id: cacheA,
        name: 'cache-a',
        type: 'microsoft.cache/redis',
        kind: '',
        location: 'eastus',
        resourceGroup: 'rg-caches',
        subscriptionId: SUB_A,
        managedBy: '',
        tags: { env: 'prod' },
        zones: ['1'],
        identity: null,
      });
      expect(row.properties.accessKeys).toBeUndefined();
      expect(row.properties.privateEndpointConnections).toEqual([
        {
          id: pec,
          properties: {
            privateEndpoint: { id: pe },
            privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-approved', actionsRequired: 'None' },
          },
        },
      ]);
      // the same array the cache's GET shows
      const viaArm = await t.clients.redis(SUB_A).redis.get('RG-Caches', 'cache-a');
      expect(viaArm.privateEndpointConnections?.map((c) => c.id)).toEqual([pec]);
    });

    it('a private endpoint row shows the connection state its GET shows, also once the target dropped it', async () => {
      const query = `Resources | where id =~ '${pe}' | mv-expand c = properties.privateLinkServiceConnections | project state = c.properties.privateLinkServiceConnectionState`;
      const before = await graph.resources({ query });
      const getBefore = await t.clients.network(SUB_B).privateEndpoints.get('rg-net', 'pe-cache-a-vnet-1');
      expect(before.data).toEqual([{ state: getBefore.privateLinkServiceConnections![0].privateLinkServiceConnectionState }]);
      expect((before.data as any)[0].state.status).toBe('Approved');

      t.emu.ctx.store.delete(pec); // the cache side removed the connection
      const after = await graph.resources({ query });
      const getAfter = await t.clients.network(SUB_B).privateEndpoints.get('rg-net', 'pe-cache-a-vnet-1');
      expect((after.data as any)[0].state.status).toBe('Disconnected');
      expect(after.data).toEqual([{ state: getAfter.privateLinkServiceConnections![0].privateLinkServiceConnectionState }]);
    });

    it('the product queries: caches in scope, and private endpoint targets', async () => {
      const caches = await graph.resources({
        query: `resources | where type =~ 'microsoft.cache/redis' or type =~ 'microsoft.cache/redisenterprise'
| where subscriptionId in~ ('${SUB_A}','${SUB_B}') | project id, name, type, location, resourceGroup, subscriptionId, sku, tags, properties`,
      });
      expect(caches.data.map((r: any) => r.name).sort()).toEqual(['cache-a', 'cache-b', 'ent-1']);

      const endpoints = await graph.resources({
        query: `resources | where type =~ 'microsoft.network/privateendpoints' | mv-expand c = properties.privateLinkServiceConnections
| extend target = tolower(tostring(c.properties.privateLinkServiceId)) | project id, target, subnetId = tostring(properties.subnet.id)`,
      });
      expect(endpoints.data).toEqual([{ id: pe, target: cacheA.toLowerCase(), subnetId: subnet }]);

      const withoutEndpoint = await graph.resources({
        query: "Resources | where type =~ 'microsoft.cache/redis' | where array_length(properties.privateEndpointConnections) == 0 or isnull(properties.privateEndpointConnections) | project name",
      });
      expect(withoutEndpoint.data).toEqual([{ name: 'cache-b' }]);
    });

    it('reflects writes to the store on the next query', async () => {
      const q = "Resources | where type == 'microsoft.cache/redis' | project name | order by name asc";
      expect((await graph.resources({ query: q })).data).toEqual([{ name: 'cache-a' }, { name: 'cache-b' }]);
      t.emu.ctx.store.delete(cacheB);
      t.emu.ctx.store.put({ id: rid(SUB_A, 'RG-Caches', 'Microsoft.Cache/Redis', 'cache-c'), name: 'cache-c', type: 'Microsoft.Cache/Redis', location: 'eastus', properties: {} });
      expect((await graph.resources({ query: q })).data).toEqual([{ name: 'cache-a' }, { name: 'cache-c' }]);
    });

    it('resourcecontainers lists subscriptions and resource groups', async () => {
      const res = await graph.resources({ query: 'ResourceContainers | project id, name, type, resourceGroup | order by id asc', subscriptions: [SUB_A] });
      expect(res.data).toEqual([
        { id: `/subscriptions/${SUB_A}`, name: SUB_A, type: 'microsoft.resources/subscriptions', resourceGroup: '' },
        { id: `/subscriptions/${SUB_A}/resourceGroups/RG-Caches`, name: 'RG-Caches', type: 'microsoft.resources/subscriptions/resourcegroups', resourceGroup: 'rg-caches' },
      ]);
    });

    it('summarize and facets', async () => {
      const summary = await graph.resources({ query: 'Resources | summarize n = count() by type | order by n desc, type asc' });
      expect(summary.data[0]).toEqual({ type: 'microsoft.cache/redis', n: 2 });
      expect(summary.totalRecords).toBe(6);

      // facets are computed over the query's result
      const res = await graph.resources({
        query: 'Resources | project id, location, properties',
        facets: [{ expression: 'location', options: { sortOrder: 'desc' } }, { expression: 'properties', options: {} }],
      });
      const [location, bad] = res.facets as any[];
      expect(location).toMatchObject({ expression: 'location', resultType: 'FacetResult', totalRecords: 3, count: 3 });
      expect(location.data[0]).toEqual({ location: 'eastus', count: 4 });
      expect(bad.resultType).toBe('FacetError');
    });
  });

  describe('errors and headers', () => {
    it('an invalid query is a RestError 400 BadRequest with InvalidQuery and the parser failure', async () => {
      const err = await graph
        .resources({ query: "Resources\n| where type =~ 'microsoft.cache/redis'\n| parse id with * '/' rest" })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RestError);
      const rest = err as RestError;
      expect(rest.statusCode).toBe(400);
      expect(rest.code).toBe('BadRequest');
      expect(rest.message).toMatch(/^Please provide below info when asking for support: timestamp = .+, correlationId = [0-9a-f-]{36}\.$/);
      const details = (rest as any).details.error.details;
      expect(details[0]).toMatchObject({ code: 'InvalidQuery', message: expect.stringContaining('Query is invalid') });
      expect(details[1]).toMatchObject({
        code: 'ParserFailure',
        message: 'ParserFailure',
        additionalProperties: { line: 3, characterPositionInLine: 2, token: 'parse' },
      });
    });

    it('the raw envelope of an unknown function and of an unknown column', async () => {
      const fn = await rawQuery(t, { query: 'Resources | where cout(name) > 1' });
      expect(fn.status).toBe(400);
      expect(fn.body.error.code).toBe('BadRequest');
      expect(fn.body.error.details).toEqual([
        { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
        { code: 'UnknownFunction', message: "Unknown function: 'cout'.", line: 1, characterPositionInLine: 18, token: 'cout' },
      ]);
      const col = await rawQuery(t, { query: 'Resources | project id | where nme == "x"' });
      expect(col.status).toBe(400);
      expect(col.body.error.details[1]).toMatchObject({ code: 'UnknownColumn', token: 'nme', characterPositionInLine: 31 });
    });

    it('a request without a query is a 400', async () => {
      const res = await rawQuery(t, { subscriptions: [SUB_A] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
    });

    it('carries the user quota headers; over quota is a 429 RateLimiting when throttling is on', async () => {
      const first = await rawQuery(t, { query: 'Resources | count' });
      expect(first.headers.get('x-ms-user-quota-remaining')).toMatch(/^\d+$/);
      expect(first.headers.get('x-ms-user-quota-resets-after')).toMatch(/^00:00:0\d$/);

      t.emu.control.setSettings({ throttling: { enabled: true } });
      try {
        let throttled: Awaited<ReturnType<typeof rawQuery>> | undefined;
        for (let i = 0; i < 40 && !throttled; i++) {
          const r = await rawQuery(t, { query: 'Resources | count' });
          if (r.status === 429) throttled = r;
          else expect(r.status).toBe(200);
        }
        expect(throttled).toBeDefined();
        expect(throttled!.body.error.code).toBe('RateLimiting');
        expect(Number(throttled!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(throttled!.headers.get('x-ms-user-quota-remaining')).toBe('0');
      } finally {
        t.emu.control.setSettings({ throttling: { enabled: false } });
      }
    });
  });
});
