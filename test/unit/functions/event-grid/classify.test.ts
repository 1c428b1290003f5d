import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import filters from '../../../../infra/event-filters.json';
import {
  HANDLED_OPERATIONS,
  classifyEvent,
  dedupe,
  groupByTarget,
  type Classification,
} from '../../../../src/functions/event-grid/classify';
import { normalizeEvents, type ResourceEvent } from '../../../../src/functions/event-grid/normalize';

const DIR = join(__dirname, '../../../fixtures/eventgrid');
const events = (rel: string): ResourceEvent[] => {
  const r = normalizeEvents(JSON.parse(readFileSync(join(DIR, rel), 'utf8')));
  expect(r.rejected).toEqual([]);
  return r.events;
};
const one = (rel: string): ResourceEvent => events(rel)[0]!;

const SUB = '11111111-2222-3333-4444-555555555555';
const CACHE = `/subscriptions/${SUB}/resourceGroups/rg-cache-prod/providers/Microsoft.Cache/Redis/redis-contoso-prod`;
const AMR = `/subscriptions/${SUB}/resourceGroups/rg-cache-prod/providers/Microsoft.Cache/redisEnterprise/amr-contoso-prod`;
const PE = `/subscriptions/${SUB}/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateEndpoints/pe-redis-contoso-prod`;
const ZONE = `/subscriptions/${SUB}/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateDnsZones/privatelink.redis.cache.windows.net`;

describe('HANDLED_OPERATIONS and infra/event-filters.json', () => {
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase()).sort();
  it('every filtered operation is handled', () => {
    for (const op of filters.operationNames) expect(lower(HANDLED_OPERATIONS)).toContain(op.toLowerCase());
  });
  it('every handled operation is in the filter', () => {
    for (const op of HANDLED_OPERATIONS) expect(lower(filters.operationNames)).toContain(op.toLowerCase());
  });
  it('the two lists are equal with no duplicates', () => {
    expect(lower(HANDLED_OPERATIONS)).toEqual(lower(filters.operationNames));
    expect(new Set(lower(HANDLED_OPERATIONS)).size).toBe(HANDLED_OPERATIONS.length);
  });
  it('every filtered operation yields an action (not ignore) for a subject of its resource type', () => {
    const subjectFor: Record<string, string> = {
      'microsoft.cache/redis': CACHE,
      'microsoft.cache/redis/privateendpointconnections': `${CACHE}/privateEndpointConnections/pec1`,
      'microsoft.cache/redis/linkedservers': `${CACHE}/linkedServers/dr`,
      'microsoft.cache/redisenterprise': AMR,
      'microsoft.cache/redisenterprise/privateendpointconnections': `${AMR}/privateEndpointConnections/pec1`,
      'microsoft.network/privateendpoints': PE,
      'microsoft.network/privateendpoints/privatednszonegroups': `${PE}/privateDnsZoneGroups/default`,
      'microsoft.network/privatednszones/virtualnetworklinks': `${ZONE}/virtualNetworkLinks/link-hub`,
    };
    for (const op of filters.operationNames) {
      const type = op.slice(0, op.lastIndexOf('/')).toLowerCase();
      const subject = subjectFor[type];
      expect(subject).toBeDefined();
      const eventType = op.endsWith('/delete') ? 'Microsoft.Resources.ResourceDeleteSuccess' : 'Microsoft.Resources.ResourceWriteSuccess';
      const c = classifyEvent({ id: op, source: 'eventgrid', eventType, subject: subject!, operationName: op, status: 'Succeeded', eventTime: '2026-01-01T00:00:00Z' });
      expect(c.action).not.toBe('ignore');
    }
  });
});

describe('classifyEvent: constructed samples of the project operations', () => {
  const expected: Array<[string, Classification]> = [
    ['redis-write-create-success.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-write-update-publicnetworkaccess.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-write-update-publicnetworkaccess.cloudevents.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-write-update-rgtopic.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-delete-success.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-pec-write-approve.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-pec-write-approve.cloudevents.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-pec-write-reject.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-pec-delete-success.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-linkedserver-write-success.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redis-linkedserver-delete-success.eventgrid.json', { action: 'remediate-cache', cacheId: CACHE }],
    ['redisenterprise-write-success.eventgrid.json', { action: 'remediate-cache', cacheId: AMR }],
    ['pe-write-success.eventgrid.json', { action: 'lookup-endpoint', privateEndpointId: PE }],
    ['pe-delete-success.eventgrid.json', { action: 'lookup-endpoint', privateEndpointId: PE }],
    ['pe-delete-success.cloudevents.json', { action: 'lookup-endpoint', privateEndpointId: PE }],
    ['pe-delete-success-lowercase-ids.eventgrid.json', { action: 'lookup-endpoint', privateEndpointId: PE }],
    ['privatednszone-vnetlink-delete-success.eventgrid.json', { action: 'zone-link-deleted', zoneId: ZONE }],
  ];
  it.each(expected)('%s', (file, want) => {
    expect(classifyEvent(one(`constructed/${file}`))).toEqual(want);
  });

  it.each([
    ['redis-write-failure.eventgrid.json', /failed or canceled/],
    ['noise-redis-listkeys-action.eventgrid.json', /event type Microsoft.Resources.ResourceActionSuccess is not handled/],
    ['noise-deployment-write.eventgrid.json', /operation 'Microsoft.Resources\/deployments\/write' is not one of the operations/],
    ['rg-delete-success.eventgrid.json', /operation 'Microsoft.Resources\/subscriptions\/resourceGroups\/delete' is not one/],
  ])('%s is ignored with a reason', (file, reason) => {
    const c = classifyEvent(one(`constructed/${file}`));
    expect(c.action).toBe('ignore');
    expect(c.action === 'ignore' && c.reason).toMatch(reason);
  });

  it('normalises ARM casing of the cache type and resourceGroups segment, keeping names', () => {
    const e = one('constructed/redis-pec-write-approve.eventgrid.json');
    const c = classifyEvent({
      ...e,
      subject: `/SUBSCRIPTIONS/${SUB}/resourcegroups/rg-cache-prod/providers/microsoft.cache/REDIS/redis-contoso-prod/PrivateEndpointConnections/x`,
      operationName: 'microsoft.cache/REDIS/privateendpointconnections/WRITE',
    });
    expect(c).toEqual({ action: 'remediate-cache', cacheId: CACHE });
    const amr = classifyEvent({ ...e, subject: AMR.replace('redisEnterprise', 'REDISENTERPRISE'), operationName: 'Microsoft.Cache/redisEnterprise/write' });
    expect(amr).toEqual({ action: 'remediate-cache', cacheId: AMR });
  });

  it('a DNS zone group delete maps to its private endpoint', () => {
    const e = one('constructed/pe-delete-success.eventgrid.json');
    expect(classifyEvent({ ...e, subject: `${PE}/privateDnsZoneGroups/default`, operationName: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete' })).toEqual({
      action: 'lookup-endpoint',
      privateEndpointId: PE,
    });
  });

  it('ignores a handled operation whose subject is another resource type or not an id', () => {
    const e = one('constructed/redis-write-create-success.eventgrid.json');
    const wrong = classifyEvent({ ...e, subject: `${CACHE}/linkedServers/dr` });
    expect(wrong).toMatchObject({ action: 'ignore' });
    expect(wrong.action === 'ignore' && wrong.reason).toMatch(/is not a microsoft.cache\/redis resource/);
    const notId = classifyEvent({ ...e, subject: 'PatchingCompleted' });
    expect(notId.action === 'ignore' && notId.reason).toMatch(/subject is not an ARM resource id/);
  });

  it('ignores a success event type whose data.status is not Succeeded', () => {
    const e = one('constructed/redis-write-create-success.eventgrid.json');
    const c = classifyEvent({ ...e, status: 'Failed' });
    expect(c.action === 'ignore' && c.reason).toMatch(/status 'Failed' is not Succeeded/);
    expect(classifyEvent({ ...e, status: undefined }).action).toBe('remediate-cache');
  });
});

describe('classifyEvent: every real Microsoft sample', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.startsWith('eventgrid-subscription-validation'));
  it.each(files)('%s is ignored (foreign resource types, failures, cancels, actions, non-ARM events)', (file) => {
    for (const e of events(file)) {
      const c = classifyEvent(e);
      expect(c.action).toBe('ignore');
      expect(c.action === 'ignore' && c.reason.length).toBeGreaterThan(10);
    }
  });
  it('failure and cancel samples are ignored as failed/canceled even though their status says Succeeded', () => {
    for (const f of files.filter((x) => /-(failure|cancel)\.json$/.test(x))) {
      const c = classifyEvent(events(f)[0]!);
      expect(c.action === 'ignore' && c.reason).toMatch(/failed or canceled/);
    }
  });
});

describe('dedupe and groupByTarget', () => {
  it('dedupe drops repeated ids, keeping the first occurrence', () => {
    const batch = events('constructed/delivery-body-batch-with-duplicate.eventgrid.json');
    expect(batch).toHaveLength(3);
    const d = dedupe(batch);
    expect(d.map((e) => e.id)).toEqual(['cb5a60da-8a6d-4a69-829d-6947dd870c88', '5042da40-ec23-4fb4-a39c-7c4cdd5f3b93']);
    expect(dedupe([{ ...batch[0]!, id: batch[0]!.id.toUpperCase() }, batch[0]!])).toHaveLength(1);
  });

  it('a batch with a duplicate gives one entry per target', () => {
    const { groups, ignored } = groupByTarget(events('constructed/delivery-body-batch-with-duplicate.eventgrid.json'));
    expect(ignored).toEqual([]);
    expect(groups.map((g) => [g.target, g.events.length])).toEqual([
      [{ action: 'remediate-cache', cacheId: CACHE }, 1],
      [{ action: 'lookup-endpoint', privateEndpointId: PE }, 1],
    ]);
  });

  it('out-of-order delivery gives the same result as in-order, the latest event wins', () => {
    const outOfOrder = events('constructed/delivery-body-out-of-order.eventgrid.json');
    const inOrder = [...outOfOrder].reverse();
    const a = groupByTarget(outOfOrder);
    const b = groupByTarget(inOrder);
    expect(a).toEqual(b);
    expect(a.groups).toHaveLength(1);
    expect(a.groups[0]!.key).toBe(CACHE.toLowerCase());
    expect(a.groups[0]!.latest.operationName).toBe('Microsoft.Cache/redis/privateEndpointConnections/delete');
    expect(a.groups[0]!.events.map((e) => e.eventTime)).toEqual(['2026-01-15T09:20:13.6620491Z', '2026-01-15T13:02:48.9055120Z']);
  });

  it('a burst on one cache from several operations and casings collapses to one group, any order', () => {
    const burst = [
      one('constructed/redis-write-create-success.eventgrid.json'),
      one('constructed/redis-pec-write-approve.eventgrid.json'),
      one('constructed/redis-pec-write-reject.eventgrid.json'),
      one('constructed/redis-linkedserver-write-success.eventgrid.json'),
      one('constructed/pe-delete-success.eventgrid.json'),
      one('constructed/pe-delete-success-lowercase-ids.eventgrid.json'),
      one('constructed/noise-deployment-write.eventgrid.json'),
      one('constructed/privatednszone-vnetlink-delete-success.eventgrid.json'),
    ];
    const permutations = [burst, [...burst].reverse(), [burst[3]!, burst[0]!, burst[7]!, burst[5]!, burst[1]!, burst[6]!, burst[4]!, burst[2]!]];
    const results = permutations.map((p) => groupByTarget(p).groups);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const groups = results[0]!;
    expect(groups.map((g) => g.target.action)).toEqual(['remediate-cache', 'zone-link-deleted', 'lookup-endpoint']); // sorted by key
    expect(groups[0]!.events).toHaveLength(4);
    expect(groups[0]!.latest.id).toBe('fccf8f4c-6a74-4f72-827d-81dd470721d8'); // linked server write, 2026-01-17
    expect(groups[2]!.events).toHaveLength(2); // two casings of the same endpoint, different ids
    expect(groupByTarget(burst).ignored.map((x) => x.event.operationName)).toEqual(['Microsoft.Resources/deployments/write']);
  });

  it('equal event times are resolved by id, not by input order', () => {
    const e = one('constructed/redis-write-create-success.eventgrid.json');
    const a = { ...e, id: 'a' };
    const b = { ...e, id: 'b', subject: `${CACHE}/linkedServers/dr`, operationName: 'Microsoft.Cache/redis/linkedServers/write' };
    expect(groupByTarget([a, b]).groups[0]!.latest.id).toBe('b');
    expect(groupByTarget([b, a]).groups[0]!.latest.id).toBe('b');
  });
});

describe('Enterprise private endpoint connections', () => {
  it('map a connection change on a redisEnterprise cluster to the cluster', () => {
    const cluster = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-cache-prod/providers/Microsoft.Cache/redisEnterprise/amr-contoso-prod';
    const c = classifyEvent({
      id: 'e1',
      source: 'eventgrid',
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      subject: `${cluster}/privateEndpointConnections/pe-1.abc`,
      operationName: 'Microsoft.Cache/redisEnterprise/privateEndpointConnections/write',
      status: 'Succeeded',
      eventTime: '2026-01-18T16:05:59.1052276Z',
    });
    expect(c).toEqual({ action: 'remediate-cache', cacheId: cluster });
  });
});
