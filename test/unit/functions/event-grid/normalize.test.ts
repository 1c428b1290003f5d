import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareEventTime, isSubscriptionValidation, normalizeEvents } from '../../../../src/functions/event-grid/normalize';

const DIR = join(__dirname, '../../../fixtures/eventgrid');
const load = (rel: string): unknown => JSON.parse(readFileSync(join(DIR, rel), 'utf8'));
const armSamples = readdirSync(DIR).filter((f) => f.startsWith('arm-') && f.endsWith('.json'));

describe('normalizeEvents: real Microsoft samples', () => {
  it('copies every ARM sample (both schemas) into the test fixtures', () => {
    expect(armSamples.filter((f) => f.includes('eventgridschema'))).toHaveLength(9);
    expect(armSamples.filter((f) => f.includes('cloudevents'))).toHaveLength(9);
  });

  it.each(armSamples)('%s normalises to one event with the envelope and data fields', (file) => {
    const raw = load(file) as Record<string, any>;
    const { events, rejected } = normalizeEvents(raw);
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    const cloud = file.includes('cloudevents');
    expect(e.source).toBe(cloud ? 'cloudevents' : 'eventgrid');
    expect(e.id).toBe(raw.id);
    expect(e.eventType).toBe(cloud ? raw.type : raw.eventType);
    expect(e.eventTime).toBe(cloud ? raw.time : raw.eventTime);
    expect(e.subject).toBe(raw.subject);
    expect(e.operationName).toBe(raw.data.operationName);
    expect(e.status).toBe(raw.data.status);
    expect(e.subscriptionId).toBe(raw.data.subscriptionId);
    expect(e.correlationId).toBe(raw.data.correlationId);
  });

  it('the same ARM event in both schemas normalises identically except for the source', () => {
    for (const kind of ['write-success', 'delete-success', 'action-success']) {
      const eg = normalizeEvents(load(`arm-eventgridschema-resource-${kind}.json`)).events[0]!;
      const ce = normalizeEvents(load(`arm-cloudevents-resource-${kind}.json`)).events[0]!;
      const strip = ({ source: _s, eventTime, ...rest }: typeof eg) => ({ ...rest, eventTime: Date.parse(eventTime) });
      expect(strip(ce)).toEqual(strip(eg));
    }
  });

  it('normalises the Azure Cache for Redis system-topic samples (non-ARM: no operation name)', () => {
    const ce = normalizeEvents(load('redis-cloudevents-patching-completed.json'));
    const eg = normalizeEvents(load('redis-eventgridschema-scaling-completed.json'));
    expect(ce.rejected).toEqual([]);
    expect(eg.rejected).toEqual([]);
    expect(ce.events[0]).toMatchObject({ source: 'cloudevents', eventType: 'Microsoft.Cache.PatchingCompleted', subject: 'PatchingCompleted', operationName: '', status: 'Succeeded' });
    expect(eg.events[0]).toMatchObject({ source: 'eventgrid', eventType: 'Microsoft.Cache.ScalingCompleted', operationName: '' });
    // The subscription comes from the topic/source when data has none (here a placeholder).
    expect(eg.events[0]!.subscriptionId).toBe('{subscription_id}');
  });
});

describe('normalizeEvents: delivery bodies', () => {
  it('accepts a batch (array) in Event Grid schema, keeping order and duplicates (dedupe is separate)', () => {
    const { events, rejected } = normalizeEvents(load('constructed/delivery-body-batch-with-duplicate.eventgrid.json'));
    expect(rejected).toEqual([]);
    expect(events.map((e) => e.id)).toEqual([
      'cb5a60da-8a6d-4a69-829d-6947dd870c88',
      '5042da40-ec23-4fb4-a39c-7c4cdd5f3b93',
      'cb5a60da-8a6d-4a69-829d-6947dd870c88',
    ]);
  });

  it('accepts a batched CloudEvents body', () => {
    const { events, rejected } = normalizeEvents(load('constructed/delivery-body-batch.cloudevents.json'));
    expect(rejected).toEqual([]);
    expect(events.map((e) => [e.source, e.operationName])).toEqual([
      ['cloudevents', 'Microsoft.Network/privateEndpoints/delete'],
      ['cloudevents', 'Microsoft.Cache/redis/privateEndpointConnections/write'],
    ]);
    expect(events[0]!.subscriptionId).toBe('11111111-2222-3333-4444-555555555555');
  });

  it('accepts the raw JSON text of a body', () => {
    const text = readFileSync(join(DIR, 'constructed/pe-write-success.eventgrid.json'), 'utf8');
    expect(normalizeEvents(text)).toEqual(normalizeEvents(JSON.parse(text)));
    expect(normalizeEvents(Buffer.from(text)).events).toHaveLength(1);
  });

  it('an empty batch is no events and no rejections', () => {
    expect(normalizeEvents([])).toEqual({ events: [], rejected: [] });
  });

  it('tolerates a missing data object and missing httpRequest (creates carry none)', () => {
    const r = normalizeEvents({ id: 'a', eventType: 'Microsoft.Resources.ResourceWriteSuccess', eventTime: '2026-01-01T00:00:00Z', subject: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Cache/Redis/c' });
    expect(r.rejected).toEqual([]);
    expect(r.events[0]).toEqual({
      id: 'a',
      source: 'eventgrid',
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      eventTime: '2026-01-01T00:00:00Z',
      subject: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Cache/Redis/c',
      operationName: '',
      subscriptionId: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('falls back to data.resourceUri for the subject and authorization.action for the operation', () => {
    const r = normalizeEvents({
      id: 'b', type: 'Microsoft.Resources.ResourceDeleteSuccess', time: '2026-01-01T00:00:00Z', source: '/subscriptions/x', specversion: '1.0',
      data: { resourceUri: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe', authorization: { action: 'Microsoft.Network/privateEndpoints/delete' } },
    });
    expect(r.events[0]).toMatchObject({ subject: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe', operationName: 'Microsoft.Network/privateEndpoints/delete', subscriptionId: 's' });
  });
});

describe('normalizeEvents: malformed input is rejected with a reason, never thrown', () => {
  const good = load('constructed/pe-write-success.eventgrid.json') as Record<string, unknown>;
  const cases: Array<[string, unknown, RegExp]> = [
    ['a number', 42, /body must be an event object or an array/],
    ['null', null, /body must be an event object or an array.*null/],
    ['invalid JSON text', '{"id": ', /not valid JSON/],
    ['no schema markers', { id: 'x', subject: 's' }, /neither an Event Grid schema event/],
    ['missing id', { ...good, id: undefined }, /'id' is missing/],
    ['numeric id', { ...good, id: 7 }, /'id' is missing or not a non-empty string/],
    ['empty eventType', { ...good, eventType: '' }, /'eventType' is missing/],
    ['missing eventTime', { ...good, eventTime: undefined }, /'eventTime' is missing/],
    ['bad eventTime', { ...good, eventTime: 'yesterday' }, /'eventTime' 'yesterday' is not an RFC 3339 date-time/],
    ['missing subject and resourceUri', { ...good, subject: undefined, data: {} }, /'subject' is missing/],
    ['data is a string', { ...good, data: 'oops' }, /'data' must be a JSON object, got string/],
    ['CloudEvents 0.3', { id: 'c', type: 't', source: '/s', specversion: '0.3', time: '2026-01-01T00:00:00Z', subject: 's' }, /specversion '0.3' is not supported/],
    ['CloudEvent without time', { id: 'c', type: 't', source: '/s', specversion: '1.0', subject: 's' }, /'time' is missing/],
  ];
  it.each(cases)('%s', (_name, body, reason) => {
    const r = normalizeEvents(body);
    expect(r.events).toEqual([]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.index).toBe(0);
    expect(r.rejected[0]!.reason).toMatch(reason);
  });

  it('a batch keeps the good entries and reports the bad ones by index', () => {
    const r = normalizeEvents([good, 'text', { ...good, id: '' }, good]);
    expect(r.events).toHaveLength(2);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2]);
    expect(r.rejected[0]!.reason).toMatch(/event must be a JSON object, got string/);
  });
});

describe('isSubscriptionValidation', () => {
  it('detects the documented handshake body and returns its code', () => {
    expect(isSubscriptionValidation(load('eventgrid-subscription-validation-event.json'))).toEqual({
      validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
    expect(isSubscriptionValidation(readFileSync(join(DIR, 'eventgrid-subscription-validation-event.json'), 'utf8'))).toEqual({
      validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
  });

  it('is undefined for notifications, malformed bodies and a validation event without a code', () => {
    expect(isSubscriptionValidation(load('constructed/pe-write-success.eventgrid.json'))).toBeUndefined();
    expect(isSubscriptionValidation(load('constructed/delivery-body-batch.cloudevents.json'))).toBeUndefined();
    expect(isSubscriptionValidation('not json')).toBeUndefined();
    expect(isSubscriptionValidation(null)).toBeUndefined();
    expect(isSubscriptionValidation([{ eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: {} }])).toBeUndefined();
  });
});

describe('compareEventTime', () => {
  it('orders beyond the millisecond and across offsets', () => {
    expect(compareEventTime('2026-01-15T10:03:07.0911873Z', '2026-01-15T10:03:07.0911874Z')).toBeLessThan(0);
    expect(compareEventTime('2026-01-15T10:03:07.09Z', '2026-01-15T10:03:07.0900000Z')).toBe(0);
    expect(compareEventTime('2020-12-09T13:50:19.9995668-08:00', '2020-12-09T21:50:19.9Z')).toBeGreaterThan(0);
    expect(compareEventTime('2026-01-16T00:00:00Z', '2026-01-15T23:59:59.9999999Z')).toBeGreaterThan(0);
  });
});
