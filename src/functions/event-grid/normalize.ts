/**
 * One normaliser for Event Grid deliveries: the Event Grid schema and CloudEvents 1.0 (structured mode), a single
 * event or a batch (array), or the raw JSON text of either. Malformed entries are returned in `rejected` with the
 * reason; nothing here throws for bad input (a bad event is logged and dropped by the trigger).
 *
 * ARM events carry no resource body: the normalised event is only a hint ("something about `subject` changed").
 * Pure: no I/O, no clock.
 */

export interface ResourceEvent {
  id: string;
  source: 'eventgrid' | 'cloudevents';
  eventType: string;
  /** The ARM resource id of the target (`data.resourceUri` when the envelope has no subject). */
  subject: string;
  /** `data.operationName` (falls back to `data.authorization.action`); empty for non-ARM events. */
  operationName: string;
  /** `data.status`, e.g. `Succeeded`. */
  status?: string;
  /** `data.subscriptionId`, else the subscription in the subject, else in the topic/source. */
  subscriptionId?: string;
  /** As sent (ARM uses 7 fractional digits); compare with `compareEventTime`. */
  eventTime: string;
  correlationId?: string;
}

export interface NormalizeResult {
  events: ResourceEvent[];
  rejected: Array<{ index: number; reason: string }>;
}

export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/** Accept a parsed body or its JSON text. */
function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body === 'string') {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch (e) {
      return { ok: false, reason: `body is not valid JSON (${(e as Error).message})` };
    }
  }
  if (body instanceof Uint8Array) return parseBody(Buffer.from(body).toString('utf8'));
  return { ok: true, value: body };
}

const SUBSCRIPTION_IN_PATH = /^\/subscriptions\/([^/]+)/i;

function subscriptionOf(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  return SUBSCRIPTION_IN_PATH.exec(path)?.[1];
}

function normalizeOne(raw: unknown): { event: ResourceEvent } | { reason: string } {
  if (!isObject(raw)) return { reason: `event must be a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}` };

  const specversion = raw['specversion'] ?? raw['specVersion'];
  const isCloudEvent = specversion !== undefined || ('type' in raw && 'source' in raw && !('eventType' in raw));
  const isEventGrid = !isCloudEvent && 'eventType' in raw;
  if (!isCloudEvent && !isEventGrid) {
    return { reason: "neither an Event Grid schema event ('eventType') nor a CloudEvents 1.0 event ('specversion', 'type', 'source')" };
  }
  if (isCloudEvent && specversion !== undefined && specversion !== '1.0') {
    return { reason: `CloudEvents specversion '${String(specversion)}' is not supported (only '1.0')` };
  }

  const typeField = isCloudEvent ? 'type' : 'eventType';
  const timeField = isCloudEvent ? 'time' : 'eventTime';
  const id = raw['id'];
  const eventType = raw[typeField];
  const eventTime = raw[timeField];
  if (!nonEmptyString(id)) return { reason: "'id' is missing or not a non-empty string" };
  if (!nonEmptyString(eventType)) return { reason: `'${typeField}' is missing or not a non-empty string (event ${id})` };
  if (!nonEmptyString(eventTime)) return { reason: `'${timeField}' is missing or not a string (event ${id})` };
  if (Number.isNaN(Date.parse(eventTime))) return { reason: `'${timeField}' '${eventTime}' is not an RFC 3339 date-time (event ${id})` };

  const dataRaw = raw['data'];
  if (dataRaw !== undefined && dataRaw !== null && !isObject(dataRaw)) {
    return { reason: `'data' must be a JSON object, got ${Array.isArray(dataRaw) ? 'an array' : typeof dataRaw} (event ${id})` };
  }
  const data: Json = isObject(dataRaw) ? dataRaw : {};

  let subject = raw['subject'];
  if (subject === undefined || subject === null) subject = data['resourceUri'];
  if (typeof subject !== 'string') return { reason: `'subject' is missing or not a string and data.resourceUri is absent (event ${id})` };

  const authorization = isObject(data['authorization']) ? data['authorization'] : {};
  const operationName = typeof data['operationName'] === 'string'
    ? data['operationName']
    : typeof authorization['action'] === 'string'
      ? authorization['action']
      : '';

  const event: ResourceEvent = {
    id,
    source: isCloudEvent ? 'cloudevents' : 'eventgrid',
    eventType,
    subject,
    operationName,
    eventTime,
  };
  if (typeof data['status'] === 'string') event.status = data['status'];
  const subscriptionId = nonEmptyString(data['subscriptionId'])
    ? data['subscriptionId']
    : subscriptionOf(subject) ?? subscriptionOf(isCloudEvent ? raw['source'] : raw['topic']);
  if (subscriptionId !== undefined) event.subscriptionId = subscriptionId;
  if (nonEmptyString(data['correlationId'])) event.correlationId = data['correlationId'];
  return { event };
}

/** Normalise a delivery body (object, array, or JSON text). Never throws. */
export function normalizeEvents(body: unknown): NormalizeResult {
  const parsed = parseBody(body);
  if (!parsed.ok) return { events: [], rejected: [{ index: 0, reason: parsed.reason }] };
  const value = parsed.value;
  if (!Array.isArray(value) && !isObject(value)) {
    return {
      events: [],
      rejected: [{ index: 0, reason: `body must be an event object or an array of events, got ${value === null ? 'null' : typeof value}` }],
    };
  }
  const items = Array.isArray(value) ? value : [value];
  const out: NormalizeResult = { events: [], rejected: [] };
  items.forEach((item, index) => {
    const r = normalizeOne(item);
    if ('event' in r) out.events.push(r.event);
    else out.rejected.push({ index, reason: r.reason });
  });
  return out;
}

/**
 * The Event Grid subscription-validation handshake: a body (array, object or JSON text) holding a
 * `Microsoft.EventGrid.SubscriptionValidationEvent` with `data.validationCode`. Answer with HTTP 200
 * `{ "validationResponse": validationCode }`. Undefined for anything else. (With the AzureFunction endpoint type
 * the Functions host answers the handshake itself; this is for a plain HTTP endpoint.)
 */
export function isSubscriptionValidation(body: unknown): { validationCode: string } | undefined {
  const parsed = parseBody(body);
  if (!parsed.ok) return undefined;
  const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = item['eventType'] ?? item['type'];
    if (typeof type !== 'string' || type.toLowerCase() !== SUBSCRIPTION_VALIDATION_EVENT.toLowerCase()) continue;
    const data = item['data'];
    if (isObject(data) && nonEmptyString(data['validationCode'])) return { validationCode: data['validationCode'] };
  }
  return undefined;
}

/**
 * Order two event times. Date.parse keeps milliseconds only, ARM sends 7 fractional digits: compare the instant to
 * the millisecond, then the remaining digits. Returns <0, 0, >0. Unparseable times sort first.
 */
export function compareEventTime(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  const na = Number.isNaN(ta) ? -Infinity : ta;
  const nb = Number.isNaN(tb) ? -Infinity : tb;
  if (na !== nb) return na < nb ? -1 : 1;
  const fa = subMillisecond(a);
  const fb = subMillisecond(b);
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Fraction digits beyond the millisecond, right-padded (`.6117357` -> `7000...`). */
function subMillisecond(t: string): string {
  const m = /T\d{2}:\d{2}:\d{2}\.(\d+)/.exec(t);
  return (m?.[1] ?? '').slice(3).padEnd(9, '0');
}
