/**
 * Microsoft.Network/privateDnsZones as `@azure/arm-privatedns` 4.0.0 (api-version 2024-06-01) calls it:
 * zones, virtual network links and record sets.
 *
 * Wire behaviour (shared/reference/arm-rest-fidelity.md §4.4 and the spec examples):
 * - Zone and link PUT/PATCH/DELETE are long-running: 202 with no body, `Azure-AsyncOperation`
 *   (…/privateDnsOperationStatuses/{id}) and `Location` (…/privateDnsOperationResults/{id}) under the resource
 *   group; the SDK polls the status and then GETs the resource (PUT: the request URL; PATCH: the `Location` URL,
 *   which for PATCH is the resource URL so that the final GET returns the resource). While the operation runs
 *   the resource reads `provisioningState: Creating|Updating|Deleting`.
 * - Record sets are synchronous: PUT 201 (new) / 200 (replaced), PATCH 200, DELETE 200 (204 when absent).
 * - DELETE of something absent answers 204. `If-Match` / `If-None-Match: *` are honoured (412 PreconditionFailed).
 *
 * Rules (codes as the real service returns them, see the comments):
 * - zone names need two or more labels (400 BadRequest);
 * - a zone is `global` (400 LocationNotAvailableForResourceType otherwise);
 * - a zone with virtual network links cannot be deleted (409 CannotDeleteResource);
 * - a link needs an existing virtual network; a virtual network is linked at most once to a zone, never to two
 *   zones with overlapping names (400 BadRequest), and to at most one zone with auto-registration.
 *   The real service reports the overlap through the async operation; the emulator refuses it up front so the
 *   state stays unchanged (documented deviation).
 */
import {
  ArmError,
  type ArmResource,
  type EmulatorContext,
  type EmulatorRequest,
  type EmulatorResponse,
  type Provider,
  type RouteDef,
  type RouteParams,
} from '../core/types';
import { parentResourceNotFound, resourceNotFound } from '../core/errors';
import {
  TYPES,
  bodyObject,
  eqi,
  listResponse,
  props,
  requireResourceGroup,
  tagsOf,
} from './network-common';
import {
  RECORD_PROPERTY,
  listRecordSets,
  listZoneLinks,
  recordSetPage,
  recordFqdn,
  recordSetId,
  recordTypeOf,
  refreshZoneCounters,
  soaRecordSet,
  zoneCounters,
  type RecordType,
} from './private-dns-records';
import { parseIpv4 } from './network-ip';

const ZONES = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateDnsZones';
const ZONE = `${ZONES}/{privateZoneName}`;
const LINKS = `${ZONE}/virtualNetworkLinks`;
const LINK = `${LINKS}/{virtualNetworkLinkName}`;

function zoneIdOf(p: RouteParams): string {
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Network/privateDnsZones/${p.privateZoneName}`;
}

/** The GET shape of a zone (counters derived from its children). */
export function zoneView(ctx: EmulatorContext, zone: ArmResource): ArmResource {
  return {
    ...zone,
    properties: {
      maxNumberOfRecordSets: 25000,
      maxNumberOfVirtualNetworkLinks: 1000,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      ...zone.properties,
      ...zoneCounters(ctx, zone.id),
    },
  };
}

/** Precondition headers (`If-Match: <etag>`, `If-None-Match: *`). */
function checkPreconditions(req: EmulatorRequest, existing: ArmResource | undefined, what: string): void {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch === '*' && existing) {
    throw new ArmError(412, 'PreconditionFailed', `The ${what} already exists and 'If-None-Match: *' was specified.`);
  }
  if (ifMatch !== undefined && ifMatch !== '*' && (!existing || existing.etag !== ifMatch)) {
    throw new ArmError(412, 'PreconditionFailed', `The etag of the ${what} does not match the 'If-Match' value.`);
  }
  if (ifMatch === '*' && !existing) {
    throw new ArmError(412, 'PreconditionFailed', `The ${what} does not exist and 'If-Match: *' was specified.`);
  }
}

function startOperation(
  ctx: EmulatorContext,
  subscriptionId: string,
  resourceId: string,
  complete: () => void,
  fail: (error: { code: string; message: string }) => void,
  /** For PATCH: core-lro takes the result from the `Location` URL, so it points at the resource itself. */
  resultAtResource?: EmulatorRequest,
): EmulatorResponse {
  const { headers } = ctx.lro.start({
    style: 'privateDns',
    subscriptionId,
    location: 'global',
    headers: ['azure-async-operation', 'location'],
    ...(resultAtResource
      ? { locationUrl: `${ctx.publicBaseUrl}${resourceId}?api-version=${encodeURIComponent(resultAtResource.apiVersion ?? '2024-06-01')}` }
      : {}),
    resourceId,
    complete,
    fail,
  });
  return { status: 202, headers };
}

/** Sets provisioningState (and optional extra properties) on a stored resource, if it still exists. */
function setState(ctx: EmulatorContext, id: string, state: string, extra: Record<string, unknown> = {}): void {
  const r = ctx.store.get(id);
  if (r) ctx.store.put({ ...r, properties: { ...r.properties, ...extra, provisioningState: state } });
}

// ---------------------------------------------------------------------------------------------- zones

function putZone(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext, patch: boolean): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = zoneIdOf(p);
  const existing = ctx.store.get(id);
  checkPreconditions(req, existing, 'Private DNS zone');
  const body = bodyObject(req);
  if (patch && !existing) throw resourceNotFound(id);
  const name = existing?.name ?? p.privateZoneName;
  if (!existing) {
    const labels = name.split('.').filter((l) => l.length > 0);
    if (labels.length < 2) {
      // Real message (crossplane-contrib/provider-upjet-azure#19).
      throw new ArmError(400, 'BadRequest', `The zone name '${name}' does not have enough labels. Zone names must have two or more labels.`);
    }
  }
  if (body.location !== undefined && body.location !== null && !eqi(String(body.location), 'global')) {
    throw new ArmError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${body.location}' is not available for resource type '${TYPES.privateDnsZone}'. List of available regions for the resource type is 'global'.`,
    );
  }
  const tags = patch ? (body.tags ?? existing?.tags) : body.tags ?? undefined;
  ctx.store.put({
    id,
    name,
    type: TYPES.privateDnsZone,
    location: 'global',
    ...(tags ? { tags } : {}),
    etag: ctx.newGuid(),
    properties: {
      ...(existing?.properties ?? { internalId: Buffer.from(`${id}:${ctx.newGuid()}`).toString('base64') }),
      provisioningState: existing ? 'Updating' : 'Creating',
    },
  });
  if (!existing) ctx.store.put(soaRecordSet(ctx, id, name));
  refreshZoneCounters(ctx, id);
  return startOperation(ctx, p.subscriptionId, id, () => setState(ctx, id, 'Succeeded'), () => setState(ctx, id, 'Failed'), patch ? req : undefined);
}

function getZone(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const zone = ctx.store.get(zoneIdOf(p));
  if (!zone) throw resourceNotFound(zoneIdOf(p));
  return { status: 200, body: zoneView(ctx, zone) };
}

function deleteZone(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = zoneIdOf(p);
  const zone = ctx.store.get(id);
  if (!zone) return { status: 204 };
  checkPreconditions(req, zone, 'Private DNS zone');
  const links = listZoneLinks(ctx, id);
  if (links.length > 0) {
    // Real answer (learntocloud/networking-lab#8, Azure/azure-cli#15010): 409 on the DELETE itself.
    const sample = links
      .slice(0, 3)
      .map((l) => `'${TYPES.privateDnsZone}/${zone.name}/virtualNetworkLinks/${l.name}'`)
      .join(', ');
    throw new ArmError(
      409,
      'CannotDeleteResource',
      `Cannot delete resource while nested resources exist. Some existing nested resource IDs include: ${sample}. Please delete all nested resources before deleting this resource.`,
    );
  }
  setState(ctx, id, 'Deleting');
  return startOperation(ctx, p.subscriptionId, id, () => void ctx.store.delete(id), () => setState(ctx, id, 'Failed'));
}

function listZones(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  if (p.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const zones = ctx.store.listIn(TYPES.privateDnsZone, p.subscriptionId, p.resourceGroupName);
  return listResponse(req, zones.map((z) => zoneView(ctx, z)));
}

// ---------------------------------------------------------------------------------------------- links

/** Two zone names overlap when they are equal or one is a sub-domain of the other. */
function namespacesOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

function putLink(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext, patch: boolean): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const zoneId = zoneIdOf(p);
  const zone = ctx.store.get(zoneId);
  if (!zone) throw parentResourceNotFound(zoneId);
  const id = `${zoneId}/virtualNetworkLinks/${p.virtualNetworkLinkName}`;
  const existing = ctx.store.get(id);
  checkPreconditions(req, existing, 'virtual network link');
  if (patch && !existing) throw resourceNotFound(id);
  const body = bodyObject(req);
  const pr = props(body);
  if (body.location !== undefined && body.location !== null && !eqi(String(body.location), 'global')) {
    throw new ArmError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${body.location}' is not available for resource type '${TYPES.virtualNetworkLink}'. List of available regions for the resource type is 'global'.`,
    );
  }
  const vnetId: string | undefined = pr.virtualNetwork?.id ?? existing?.properties.virtualNetwork?.id;
  if (!vnetId) {
    throw new ArmError(400, 'BadRequest', 'The virtual network link must reference a virtual network (properties.virtualNetwork.id).');
  }
  if (existing && !eqi(existing.properties.virtualNetwork?.id, vnetId)) {
    throw new ArmError(400, 'BadRequest', 'The virtual network of an existing virtual network link cannot be changed.');
  }
  const vnet = ctx.store.get(vnetId);
  if (!vnet || !eqi(vnet.type, TYPES.virtualNetwork)) {
    throw new ArmError(400, 'BadRequest', `Virtual network resource '${vnetId}' was not found.`);
  }
  const registrationEnabled: boolean =
    typeof pr.registrationEnabled === 'boolean' ? pr.registrationEnabled : existing?.properties.registrationEnabled === true;
  // Other links of this VNet (any zone, any resource group).
  for (const other of ctx.store.list(TYPES.virtualNetworkLink)) {
    if (eqi(other.id, id) || !eqi(other.properties?.virtualNetwork?.id, vnetId)) continue;
    const otherZoneId = other.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, '');
    const otherZone = ctx.store.get(otherZoneId);
    if (!otherZone) continue;
    if (eqi(otherZoneId, zoneId)) {
      // Learn, "virtual network links": you can create only one link between a private DNS zone and a virtual network.
      throw new ArmError(
        400,
        'BadRequest',
        `A virtual network can only be linked once to a private DNS zone. Virtual network '${vnetId}' is already linked to zone '${zone.name}' by link '${other.name}'.`,
      );
    }
    if (namespacesOverlap(otherZone.name, zone.name)) {
      // Real message (Azure/ARO-RP#796, MicrosoftDocs/azure-aks-docs#212).
      throw new ArmError(
        400,
        'BadRequest',
        `A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${otherZone.name}' and '${zone.name}' zones.`,
      );
    }
    if (registrationEnabled && other.properties?.registrationEnabled === true) {
      throw new ArmError(
        400,
        'BadRequest',
        `A virtual network can be linked to at most one private DNS zone with auto-registration enabled. Virtual network '${vnetId}' already has registration enabled on zone '${otherZone.name}'.`,
      );
    }
  }
  const tags = patch ? (body.tags ?? existing?.tags) : tagsOf(body);
  ctx.store.put({
    id,
    name: existing?.name ?? p.virtualNetworkLinkName,
    type: TYPES.virtualNetworkLink,
    location: 'global',
    ...(tags ? { tags } : {}),
    etag: ctx.newGuid(),
    properties: {
      virtualNetwork: { id: vnet.id },
      registrationEnabled,
      resolutionPolicy: pr.resolutionPolicy ?? existing?.properties.resolutionPolicy ?? 'Default',
      virtualNetworkLinkState: 'InProgress',
      provisioningState: existing ? 'Updating' : 'Creating',
    },
  });
  refreshZoneCounters(ctx, zoneId);
  return startOperation(
    ctx,
    p.subscriptionId,
    id,
    () => setState(ctx, id, 'Succeeded', { virtualNetworkLinkState: 'Completed' }),
    () => setState(ctx, id, 'Failed'),
    patch ? req : undefined,
  );
}

function linkIdOf(p: RouteParams): string {
  return `${zoneIdOf(p)}/virtualNetworkLinks/${p.virtualNetworkLinkName}`;
}

function getLink(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const link = ctx.store.get(linkIdOf(p));
  if (!link) throw resourceNotFound(linkIdOf(p));
  return { status: 200, body: link };
}

function deleteLink(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = linkIdOf(p);
  const link = ctx.store.get(id);
  if (!link) return { status: 204 };
  checkPreconditions(req, link, 'virtual network link');
  setState(ctx, id, 'Deleting');
  const zoneId = zoneIdOf(p);
  return startOperation(
    ctx,
    p.subscriptionId,
    id,
    () => {
      ctx.store.delete(id);
      refreshZoneCounters(ctx, zoneId);
    },
    () => setState(ctx, id, 'Failed'),
  );
}

function listLinks(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const zoneId = zoneIdOf(p);
  if (!ctx.store.get(zoneId)) throw parentResourceNotFound(zoneId);
  return listResponse(req, listZoneLinks(ctx, zoneId));
}

// ---------------------------------------------------------------------------------------------- record sets

function requireRecordType(text: string): RecordType {
  const t = recordTypeOf(text);
  if (!t) throw new ArmError(400, 'BadRequest', `The record type '${text}' is not supported. Supported types: A, AAAA, CNAME, MX, PTR, SOA, SRV, TXT.`);
  return t;
}

function validateRecords(type: RecordType, pr: Record<string, any>): void {
  for (const [t, key] of Object.entries(RECORD_PROPERTY)) {
    if (t !== type && pr[key] !== undefined && pr[key] !== null && !(Array.isArray(pr[key]) && pr[key].length === 0)) {
      throw new ArmError(400, 'BadRequest', `The record set of type '${type}' cannot contain '${key}'.`);
    }
  }
  if (type === 'A') {
    for (const a of (pr.aRecords ?? []) as Array<{ ipv4Address?: string }>) {
      if (typeof a?.ipv4Address !== 'string' || parseIpv4(a.ipv4Address) === undefined) {
        throw new ArmError(400, 'BadRequest', `The IPv4 address '${a?.ipv4Address}' is not valid.`);
      }
    }
  }
  if (pr.ttl !== undefined && (!Number.isInteger(pr.ttl) || pr.ttl < 0 || pr.ttl > 2147483647)) {
    throw new ArmError(400, 'BadRequest', `The TTL '${pr.ttl}' is not valid.`);
  }
}

function putRecordSet(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext, patch: boolean): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const type = requireRecordType(p.recordType);
  const zoneId = zoneIdOf(p);
  const zone = ctx.store.get(zoneId);
  if (!zone) throw parentResourceNotFound(zoneId);
  const name = p.relativeRecordSetName.toLowerCase();
  if (type === 'SOA' && name !== '@') throw new ArmError(400, 'BadRequest', 'The SOA record set can only be at the zone apex (@).');
  const id = recordSetId(zoneId, type, name);
  const existing = ctx.store.get(id);
  checkPreconditions(req, existing, 'record set');
  if (patch && !existing) throw resourceNotFound(id);
  const pr = props(bodyObject(req));
  validateRecords(type, pr);
  const key = RECORD_PROPERTY[type];
  const base = patch ? { ...(existing?.properties ?? {}) } : {};
  const merged: Record<string, any> = { ...base };
  for (const k of ['metadata', 'ttl', key]) if (pr[k] !== undefined) merged[k] = pr[k];
  const properties: Record<string, any> = {
    ...(merged.metadata !== undefined ? { metadata: merged.metadata } : {}),
    ttl: merged.ttl ?? 3600,
    fqdn: recordFqdn(zone.name, name),
    isAutoRegistered: false,
  };
  if (merged[key] !== undefined) properties[key] = merged[key];
  else if (type !== 'CNAME' && type !== 'SOA') properties[key] = [];
  const stored = ctx.store.put({ id, name, type: `${TYPES.privateDnsZone}/${type}`, etag: ctx.newGuid(), properties });
  refreshZoneCounters(ctx, zoneId);
  return { status: existing || patch ? 200 : 201, body: stored };
}

function recordSetIdOf(p: RouteParams): string {
  return recordSetId(zoneIdOf(p), requireRecordType(p.recordType), p.relativeRecordSetName);
}

function getRecordSet(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = recordSetIdOf(p);
  const rs = ctx.store.get(id);
  if (!rs) throw resourceNotFound(id);
  return { status: 200, body: rs };
}

function deleteRecordSet(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = recordSetIdOf(p);
  const rs = ctx.store.get(id);
  if (!rs) return { status: 204 };
  if (/\/SOA\//i.test(id)) throw new ArmError(400, 'BadRequest', 'The SOA record set cannot be deleted.');
  checkPreconditions(req, rs, 'record set');
  ctx.store.delete(id);
  refreshZoneCounters(ctx, zoneIdOf(p));
  return { status: 200 };
}

/** Record sets a list page holds when the request has no `$top` (RecordSets_List / RecordSets_ListByType). */
export const RECORD_SET_DEFAULT_PAGE = 100;
/** The largest `$top` accepted (Azure DNS answers a larger one with 400 `Invalid $top value`). */
export const RECORD_SET_MAX_TOP = 1000;

/**
 * Record set lists are paged as the REST spec describes them (privatedns.json, RecordSets_List and
 * RecordSets_ListByType: `$top` "The maximum number of record sets to return. If not specified, returns up to 100
 * record sets.", `x-ms-pageable` with `nextLink`): 100 a page by default, `$top` (1..1000) a page otherwise, the
 * `nextLink` keeping the request's query. Whether Azure honours a `$top` above 100 is not documented: the setting
 * `privateDnsRecordSetTop` = `honor` (default) or `max-100` (every page holds at most 100, whatever `$top`).
 */
function listRecordSetsRoute(all: boolean) {
  return (req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse => {
    requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
    const zoneId = zoneIdOf(p);
    if (!ctx.store.get(zoneId)) throw parentResourceNotFound(zoneId);
    const type = all ? undefined : requireRecordType(p.recordType);
    const topText = req.url.searchParams.get('$top');
    let pageSize = RECORD_SET_DEFAULT_PAGE;
    if (topText !== null) {
      const top = Number(topText);
      if (!Number.isInteger(top) || top < 1 || top > RECORD_SET_MAX_TOP) {
        throw new ArmError(400, 'BadRequest', `Invalid $top value: '${topText}'. It must be a number between '1' and '${RECORD_SET_MAX_TOP}'.`);
      }
      pageSize = ctx.settings.privateDnsRecordSetTop === 'max-100' ? Math.min(top, RECORD_SET_DEFAULT_PAGE) : top;
    }
    const token = req.url.searchParams.get('$skipToken') ?? req.url.searchParams.get('$skiptoken');
    const offset = token && /^\d+$/.test(token) ? Number(token) : 0;
    const suffix = req.url.searchParams.get('$recordsetnamesuffix');
    let items: ArmResource[];
    let more: boolean;
    if (suffix) {
      const sets = listRecordSets(ctx, zoneId, type).filter((s) => s.name.toLowerCase().endsWith(suffix.toLowerCase()));
      items = sets.slice(offset, offset + pageSize);
      more = offset + items.length < sets.length;
    } else {
      ({ items, more } = recordSetPage(ctx, zoneId, type, offset, pageSize));
    }
    const body: { value: unknown[]; nextLink?: string } = { value: items };
    if (more) {
      const next = new URL(req.url.toString());
      next.searchParams.delete('$skiptoken');
      next.searchParams.set('$skipToken', String(offset + items.length));
      body.nextLink = `${ctx.publicBaseUrl}${next.pathname}${next.search}`;
    }
    return { status: 200, body };
  };
}

// ---------------------------------------------------------------------------------------------- provider

const routes: RouteDef[] = [
  { method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/privateDnsZones', handler: listZones },
  { method: 'GET', template: ZONES, handler: listZones },
  { method: 'PUT', template: ZONE, handler: (r, p, c) => putZone(r, p, c, false) },
  { method: 'PATCH', template: ZONE, handler: (r, p, c) => putZone(r, p, c, true) },
  { method: 'GET', template: ZONE, handler: getZone },
  { method: 'DELETE', template: ZONE, handler: deleteZone },
  { method: 'GET', template: LINKS, handler: listLinks },
  { method: 'PUT', template: LINK, handler: (r, p, c) => putLink(r, p, c, false) },
  { method: 'PATCH', template: LINK, handler: (r, p, c) => putLink(r, p, c, true) },
  { method: 'GET', template: LINK, handler: getLink },
  { method: 'DELETE', template: LINK, handler: deleteLink },
  // `ALL` (the SDK sends `aLL`) is a literal, so it beats `{recordType}`; `virtualNetworkLinks` likewise.
  { method: 'GET', template: `${ZONE}/ALL`, handler: listRecordSetsRoute(true) },
  { method: 'GET', template: `${ZONE}/{recordType}`, handler: listRecordSetsRoute(false) },
  { method: 'PUT', template: `${ZONE}/{recordType}/{relativeRecordSetName}`, handler: (r, p, c) => putRecordSet(r, p, c, false) },
  { method: 'PATCH', template: `${ZONE}/{recordType}/{relativeRecordSetName}`, handler: (r, p, c) => putRecordSet(r, p, c, true) },
  { method: 'GET', template: `${ZONE}/{recordType}/{relativeRecordSetName}`, handler: getRecordSet },
  { method: 'DELETE', template: `${ZONE}/{recordType}/{relativeRecordSetName}`, handler: deleteRecordSet },
];

export const privateDnsProvider: Provider = {
  name: 'Microsoft.Network/privateDnsZones',
  routes,
  /** Keeps the zone counters of a loaded estate consistent with its links and record sets. */
  seed(ctx) {
    for (const zone of ctx.store.list(TYPES.privateDnsZone)) refreshZoneCounters(ctx, zone.id);
  },
};
