/**
 * The sweep reads a shared zone's A records through every `nextLink` page, under both of the emulator's
 * record-set paging variants (Azure's behaviour for a `$top` above 100 is not documented), and falls back to the
 * default page size when a service refuses its `$top`. A snapshot reads the cache's own record with one GET.
 */
import { createDependencies, type Dependencies } from '../../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../../src/azure/document-store';
import { listARecords, RECORD_PAGE_TOP } from '../../../src/activities/evaluate-cache-page';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { ESTATE_RESOURCE_GROUPS, RG_DNS, SUB, ids } from '../../support/workflow-estate';

let t: TestEmulator;
let deps: Dependencies;
const ZONE = 'privatelink.redis.cache.windows.net';
const RECORDS = 1234;

beforeAll(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  deps = createDependencies({ clients: t.clients, documents: new MemoryDocumentStore() });
  const dns = t.clients.privateDns(SUB);
  await dns.privateZones.beginCreateOrUpdateAndWait(RG_DNS, ZONE, { location: 'global' }, { updateIntervalInMs: 5 });
  for (let i = 0; i < RECORDS; i++) {
    await dns.recordSets.createOrUpdate(RG_DNS, ZONE, 'A', `cache-${i}`, { ttl: 10, aRecords: [{ ipv4Address: `10.1.${Math.floor(i / 250)}.${i % 250}` }] });
  }
});
afterAll(async () => t.close());

const listRequests = () => t.emu.control.requests().filter((r) => r.method === 'GET' && /\/privateDnsZones\/[^/]+\/A$/i.test(r.path));

describe.each([
  ['honor', Math.ceil(RECORDS / RECORD_PAGE_TOP)],
  ['max-100', Math.ceil(RECORDS / 100)],
] as const)('record-set paging variant %s', (variant, pages) => {
  it(`reads all ${RECORDS} records in ${pages} page(s)`, async () => {
    t.emu.control.setSettings({ privateDnsRecordSetTop: variant });
    t.emu.control.clearRequests();
    const records = await listARecords(deps, ids.zone(ZONE));
    expect(records.size).toBe(RECORDS);
    expect(records.get('cache-1233')).toEqual(['10.1.4.233']);
    expect(listRequests()).toHaveLength(pages);
  });
});

it('asks again with the default page size when the service refuses the $top', async () => {
  t.emu.control.setSettings({ privateDnsRecordSetTop: 'honor' });
  t.emu.control.clearRequests();
  t.emu.control.injectFault({ method: 'GET', pathPattern: '/privateDnsZones/[^/]+/A$', status: 400, code: 'BadRequest', message: "Invalid $top value: '1000'." });
  const records = await listARecords(deps, ids.zone(ZONE));
  expect(records.size).toBe(RECORDS);
  expect(listRequests()).toHaveLength(1 + Math.ceil(RECORDS / 100));
});
