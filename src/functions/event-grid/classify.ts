/**
 * What a normalised ARM event means for the autopilot. The event is only a hint: the action names the target to
 * re-read (a cache, a private endpoint to map through the inventory, a DNS zone whose caches to re-check), never a
 * state to apply.
 *
 * The operation names come from `infra/event-filters.json`, the one source of truth shared with the Bicep that
 * creates the Event Grid subscription; `ROUTES` below must cover exactly that list (a unit test checks both ways).
 * Pure: no I/O.
 */
import filters from '../../../infra/event-filters.json';
import {
  cacheIdOf,
  normalizeId,
  parseResourceId,
  privateDnsZoneIdOf,
  privateEndpointIdOf,
  resourceTypeOf,
  type ResourceId,
} from '../../azure/resource-id';
import { compareEventTime, type ResourceEvent } from './normalize';

export type Classification =
  | { action: 'remediate-cache'; cacheId: string }
  | { action: 'lookup-endpoint'; privateEndpointId: string }
  | { action: 'zone-link-deleted'; zoneId: string }
  | { action: 'ignore'; reason: string };

export type TargetClassification = Exclude<Classification, { action: 'ignore' }>;

type Route = (p: ResourceId) => TargetClassification;

const toCache: Route = (p) => ({
  action: 'remediate-cache',
  cacheId: cacheIdOf({
    subscriptionId: p.subscriptionId,
    resourceGroup: p.resourceGroup!,
    name: p.resources[0]!.name,
    kind: p.resources[0]!.type.toLowerCase() === 'redis' ? 'redis' : 'redisEnterprise',
  }),
});
const toEndpoint: Route = (p) => ({
  action: 'lookup-endpoint',
  privateEndpointId: privateEndpointIdOf(p.subscriptionId, p.resourceGroup!, p.resources[0]!.name),
});
const toZone: Route = (p) => ({
  action: 'zone-link-deleted',
  zoneId: privateDnsZoneIdOf(p.subscriptionId, p.resourceGroup!, p.resources[0]!.name),
});

/** The classifier's own table: operation name (RBAC casing) -> what it means. */
const ROUTES: Record<string, Route> = {
  'Microsoft.Cache/redis/write': toCache,
  'Microsoft.Cache/redis/delete': toCache,
  'Microsoft.Cache/redis/privateEndpointConnections/write': toCache,
  'Microsoft.Cache/redis/privateEndpointConnections/delete': toCache,
  'Microsoft.Cache/redis/linkedServers/write': toCache,
  'Microsoft.Cache/redis/linkedServers/delete': toCache,
  'Microsoft.Cache/redisEnterprise/write': toCache,
  'Microsoft.Cache/redisEnterprise/delete': toCache,
  'Microsoft.Cache/redisEnterprise/privateEndpointConnections/write': toCache,
  'Microsoft.Cache/redisEnterprise/privateEndpointConnections/delete': toCache,
  'Microsoft.Network/privateEndpoints/write': toEndpoint,
  'Microsoft.Network/privateEndpoints/delete': toEndpoint,
  'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete': toEndpoint,
  'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete': toZone,
};

/** The operations the classifier handles (equal to `infra/event-filters.json` operationNames, checked by test). */
export const HANDLED_OPERATIONS: string[] = Object.keys(ROUTES);

/** Event types the subscription delivers (from `infra/event-filters.json`). */
export const HANDLED_EVENT_TYPES: string[] = [...filters.includedEventTypes];

const routeByOperation = new Map(Object.entries(ROUTES).map(([op, route]) => [op.toLowerCase(), route]));
const filterOperations = new Set(filters.operationNames.map((op) => op.toLowerCase()));
const filterEventTypes = new Set(filters.includedEventTypes.map((t) => t.toLowerCase()));

function ignore(reason: string): Classification {
  return { action: 'ignore', reason };
}

/** Classify one normalised event. Never throws. */
export function classifyEvent(e: ResourceEvent): Classification {
  const type = e.eventType.toLowerCase();
  if (!filterEventTypes.has(type)) {
    if (/^microsoft\.resources\.resource(write|delete|action)(failure|cancel)$/.test(type)) {
      return ignore(`event type ${e.eventType}: a failed or canceled operation does not change state`);
    }
    return ignore(`event type ${e.eventType} is not handled (only ${filters.includedEventTypes.join(', ')})`);
  }
  if (e.status !== undefined && e.status.toLowerCase() !== 'succeeded') {
    return ignore(`status '${e.status}' is not Succeeded`);
  }
  const op = e.operationName.toLowerCase();
  const route = routeByOperation.get(op);
  if (!filterOperations.has(op) || route === undefined) {
    return ignore(`operation '${e.operationName || '(none)'}' is not one of the operations in infra/event-filters.json`);
  }
  let parsed: ResourceId;
  try {
    parsed = parseResourceId(e.subject);
  } catch (err) {
    return ignore(`subject is not an ARM resource id: ${(err as Error).message}`);
  }
  // The subject must be the resource the operation names: `Microsoft.Cache/redis/linkedServers/write` on
  // `.../Microsoft.Cache/Redis/{c}/linkedServers/{l}` (type compared case-insensitively).
  const expectedType = e.operationName.slice(0, e.operationName.lastIndexOf('/')).toLowerCase();
  const actualType = resourceTypeOf(parsed)?.toLowerCase();
  if (actualType !== expectedType || parsed.resourceGroup === undefined) {
    return ignore(`subject '${e.subject}' is not a ${expectedType} resource, as operation '${e.operationName}' requires`);
  }
  return route(parsed);
}

/** Drop events whose id was already seen (ids compared case-insensitively; the first occurrence is kept). */
export function dedupe(events: ResourceEvent[]): ResourceEvent[] {
  const seen = new Set<string>();
  const out: ResourceEvent[] = [];
  for (const e of events) {
    const key = e.id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export interface TargetGroup {
  /** Lower-cased target id: the grouping key (and a good orchestration instance-id seed). */
  key: string;
  /** The target, as classified from the latest event of the group. */
  target: TargetClassification;
  /** The latest event (by eventTime, ties broken by id). */
  latest: ResourceEvent;
  /** Every (deduplicated) event of the group, oldest first. */
  events: ResourceEvent[];
}

export interface GroupResult {
  /** One entry per target, sorted by key. */
  groups: TargetGroup[];
  /** Events that classify as `ignore`, with the reason, in input order (after dedupe). */
  ignored: Array<{ event: ResourceEvent; reason: string }>;
}

function targetId(t: TargetClassification): string {
  switch (t.action) {
    case 'remediate-cache':
      return t.cacheId;
    case 'lookup-endpoint':
      return t.privateEndpointId;
    case 'zone-link-deleted':
      return t.zoneId;
  }
}

function byTimeThenId(a: ResourceEvent, b: ResourceEvent): number {
  return compareEventTime(a.eventTime, b.eventTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Collapse a burst or batch to one entry per target (cache, endpoint or zone): duplicates dropped, the latest
 * eventTime wins. The result does not depend on the order of the input.
 */
export function groupByTarget(events: ResourceEvent[]): GroupResult {
  const groups = new Map<string, { target: TargetClassification; events: ResourceEvent[] }>();
  const ignored: GroupResult['ignored'] = [];
  for (const e of dedupe(events)) {
    const c = classifyEvent(e);
    if (c.action === 'ignore') {
      ignored.push({ event: e, reason: c.reason });
      continue;
    }
    const key = normalizeId(targetId(c));
    const g = groups.get(key);
    if (g) g.events.push(e);
    else groups.set(key, { target: c, events: [e] });
  }
  const out: TargetGroup[] = [];
  for (const [key, g] of groups) {
    const sorted = [...g.events].sort(byTimeThenId);
    const latest = sorted[sorted.length - 1]!;
    out.push({ key, target: classifyEvent(latest) as TargetClassification, latest, events: sorted });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { groups: out, ignored };
}
