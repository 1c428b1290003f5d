/**
 * Microsoft.ResourceGraph: `POST /providers/Microsoft.ResourceGraph/resources` (api 2024-04-01), answering
 * KQL queries over the emulator's store with the engine in `emulator/kql`.
 *
 * Wire shapes (shared/reference/arm-rest-fidelity.md 4.5, spec examples in shared/fixtures/arm/resourcegraph):
 * - request `{ subscriptions?, managementGroups?, query, options?: { $top, $skip, $skipToken, resultFormat }, facets? }`
 * - response `{ totalRecords, count, resultTruncated: "true"|"false", $skipToken?, facets: [], data }`, `data`
 *   an array of objects (`objectArray`, the default) or `{ columns: [{name, type}], rows: [[...]] }` (`table`).
 * - paging: at most 1000 rows a page (`$top` 1..1000 is the page size, kept by the `$skipToken`); a token only
 *   while rows remain; a query capped by `take`/`limit`/`top` cannot be paged: `resultTruncated: "true"`
 *   and no token when its rows exceed the page.
 * - an invalid query: 400 `BadRequest` whose details are `InvalidQuery` then the parser/semantic error with
 *   `line`, `characterPositionInLine`, `token` (real envelopes seen in public issue threads).
 * - headers `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after` (15 queries per 5 s per user);
 *   over quota -> 429 `RateLimiting` with Retry-After, only when the emulator's throttling is enabled.
 *
 * Rows: `resources` holds the top-level resources plus the child types Resource Graph indexes as rows of
 * their own (private DNS zone virtual network links). Private endpoint connections, subnets, record sets,
 * DNS zone groups and linked servers are not rows: they appear inside their parent (a cache's
 * `properties.privateEndpointConnections`, a VNet's `properties.subnets`). `type` and `resourceGroup` are
 * lower-case, `location` is the normalized name (`eastus`, even where the RP answers `East US`). Properties
 * are what the resource's GET shows (private endpoints read their connection states back from the targets,
 * zones count their record sets), without secrets (a cache's `accessKeys`).
 * `resourcecontainers` holds the subscriptions and resource groups.
 *
 * Not modelled: Resource Graph's indexing delay (a write shows on the next query), management group scopes
 * (`managementGroups` queries every subscription), `authorizationScopeFilter`, `allowPartialScopes`.
 */
import { createHash } from 'node:crypto';
import {
  ArmError,
  type ArmResource,
  type EmulatorContext,
  type EmulatorRequest,
  type EmulatorResponse,
  type Provider,
} from '../core/types';
import { KqlError, parseQuery, compileQuery, type Catalog, type Column, type QueryResult, type Row, type RowHint } from '../kql';
import { privateEndpointView } from './network';
import { zoneView } from './private-dns';

export const RESOURCE_GRAPH_API_VERSIONS = ['2024-04-01', '2022-10-01', '2021-03-01', '2020-04-01-preview', '2019-04-01'];

/** The tenant reported in every row (a resource may carry its own `tenantId`). */
export const EMULATOR_TENANT_ID = '00000000-0000-0000-0000-0000000000e1';

/** Maximum rows in one response, and the default page size. */
export const MAX_PAGE_SIZE = 1000;

/** Resource Graph's per-user query quota window. */
export const USER_QUOTA = { queries: 15, windowSeconds: 5 };

/** The columns of the `resources` and `resourcecontainers` tables, in Resource Graph's order. */
export const RESOURCE_COLUMNS: Column[] = [
  { name: 'id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'tenantId', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'location', type: 'string' },
  { name: 'resourceGroup', type: 'string' },
  { name: 'subscriptionId', type: 'string' },
  { name: 'managedBy', type: 'string' },
  { name: 'sku', type: 'dynamic' },
  { name: 'plan', type: 'dynamic' },
  { name: 'properties', type: 'dynamic' },
  { name: 'tags', type: 'dynamic' },
  { name: 'identity', type: 'dynamic' },
  { name: 'zones', type: 'dynamic' },
  { name: 'extendedLocation', type: 'dynamic' },
];

/** Child resource types that Resource Graph indexes as rows (lower-case). Every other child type is not a row. */
const INDEXED_CHILD_TYPES = new Set(['microsoft.network/privatednszones/virtualnetworklinks']);

const INVALID_QUERY_DETAIL = {
  code: 'InvalidQuery',
  message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
};

// ---- resource ids -------------------------------------------------------------------------------------

interface IdParts {
  subscriptionId: string;
  resourceGroup?: string;
  /** Full type, e.g. `Microsoft.Cache/Redis` or `Microsoft.Network/privateDnsZones/virtualNetworkLinks`. */
  type?: string;
  /** Number of type segments after the namespace (1 = top-level). */
  depth: number;
}

function parseId(id: string): IdParts | undefined {
  const segs = id.split('/').filter((s) => s.length > 0);
  if (segs.length < 2 || segs[0].toLowerCase() !== 'subscriptions') return undefined;
  const out: IdParts = { subscriptionId: segs[1], depth: 0 };
  let i = 2;
  if (segs[i]?.toLowerCase() === 'resourcegroups' && segs[i + 1]) {
    out.resourceGroup = segs[i + 1];
    i += 2;
  }
  if (segs[i]?.toLowerCase() === 'providers' && segs[i + 1]) {
    const ns = segs[i + 1];
    const types: string[] = [];
    for (let j = i + 2; j < segs.length; j += 2) types.push(segs[j]);
    out.type = [ns, ...types].join('/');
    out.depth = types.length;
  }
  return out;
}

/** `East US` -> `eastus`: Resource Graph reports the normalized location name. */
export function normalizeLocation(location: unknown): string {
  return typeof location === 'string' ? location.replace(/\s+/g, '').toLowerCase() : '';
}

// ---- rows ---------------------------------------------------------------------------------------------

/** Whether Resource Graph has a `resources` row for this ARM resource. */
export function isIndexedResource(resource: ArmResource): boolean {
  const p = parseId(resource.id);
  if (!p?.type || !p.resourceGroup) return false;
  if (p.type.toLowerCase().startsWith('microsoft.resources/')) return false;
  return p.depth === 1 || INDEXED_CHILD_TYPES.has(p.type.toLowerCase());
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const dyn = (v: unknown): unknown => (v === undefined ? null : v);

/** Private endpoint connection resources by lower-cased parent id, from one pass over the store. */
export type ConnectionIndex = Map<string, ArmResource[]>;

export function indexConnections(resources: ArmResource[]): ConnectionIndex {
  const index: ConnectionIndex = new Map();
  for (const r of resources) {
    const segs = r.id.split('/');
    if (segs.length < 3 || segs[segs.length - 2].toLowerCase() !== 'privateendpointconnections') continue;
    const parent = segs.slice(0, -2).join('/').toLowerCase();
    const list = index.get(parent);
    if (list) list.push(r);
    else index.set(parent, [r]);
  }
  return index;
}

/**
 * The `privateEndpointConnections` a private-link target shows. The providers keep the embedded array in step
 * with the connection resources (as the cache's GET returns it); when a resource has no embedded array
 * (seeded by hand), it is built from the connection resources in the same shape.
 */
function embeddedConnections(ctx: EmulatorContext, r: ArmResource, index: ConnectionIndex | undefined): unknown[] | undefined {
  if (Array.isArray(r.properties?.privateEndpointConnections)) return r.properties.privateEndpointConnections;
  const children = index ? index.get(r.id.toLowerCase()) : ctx.store.children(r.id, 'privateEndpointConnections');
  if (!children || children.length === 0) return undefined;
  return children.map((c) => ({
    id: c.id,
    properties: {
      privateEndpoint: c.properties?.privateEndpoint,
      privateLinkServiceConnectionState: c.properties?.privateLinkServiceConnectionState,
    },
  }));
}

/** Resource types whose GET answer is computed from other resources: Graph indexes what GET shows. */
const VIEWS: Record<string, (ctx: EmulatorContext, r: ArmResource) => ArmResource> = {
  // connection states read back from the private link targets (Disconnected when the target removed it)
  'microsoft.network/privateendpoints': privateEndpointView,
  // record set and link counters
  'microsoft.network/privatednszones': zoneView,
};

/**
 * The `resources` row of an ARM resource. `r` must be a copy (store reads are): the row takes its objects.
 * `connections` indexes the store's private endpoint connections (each resource's children are read when omitted).
 */
export function toResourceRow(ctx: EmulatorContext, resource: ArmResource, connections?: ConnectionIndex): Row {
  const type = resource.type.toLowerCase();
  const view = VIEWS[type];
  const r = view ? view(ctx, resource) : resource;
  const p = parseId(r.id)!;
  const properties: Record<string, any> = r.properties ?? {};
  const embedded = embeddedConnections(ctx, r, connections);
  if (embedded !== undefined) properties.privateEndpointConnections = embedded;
  if (type === 'microsoft.cache/redis') delete properties.accessKeys; // secrets are never indexed
  return {
    id: r.id,
    name: r.name,
    type,
    tenantId: str(r.tenantId) || EMULATOR_TENANT_ID,
    kind: str(r.kind),
    location: normalizeLocation(r.location),
    resourceGroup: (p.resourceGroup ?? '').toLowerCase(),
    subscriptionId: p.subscriptionId,
    managedBy: str(r.managedBy),
    sku: dyn(r.sku),
    plan: dyn(r.plan),
    properties,
    tags: r.tags ?? {},
    identity: dyn(r.identity),
    zones: dyn(r.zones),
    extendedLocation: dyn(r.extendedLocation),
  };
}

interface GroupInfo {
  subscriptionId: string;
  name: string;
  location?: string;
}

function resourceGroupsOf(ctx: EmulatorContext, resources: ArmResource[]): GroupInfo[] {
  const store = ctx.store as unknown as { resourceGroups?: () => GroupInfo[] };
  const out = new Map<string, GroupInfo>();
  if (typeof store.resourceGroups === 'function') {
    for (const g of store.resourceGroups()) out.set(`${g.subscriptionId}/${g.name}`.toLowerCase(), g);
  }
  for (const r of resources) {
    const p = parseId(r.id);
    if (!p?.resourceGroup) continue;
    const key = `${p.subscriptionId}/${p.resourceGroup}`.toLowerCase();
    if (!out.has(key)) out.set(key, { subscriptionId: p.subscriptionId, name: p.resourceGroup, location: r.location });
  }
  return [...out.values()];
}

function containerRow(fields: { id: string; name: string; type: string; subscriptionId: string; resourceGroup: string; location: string; properties: Record<string, unknown> }): Row {
  return {
    id: fields.id,
    name: fields.name,
    type: fields.type,
    tenantId: EMULATOR_TENANT_ID,
    kind: '',
    location: fields.location,
    resourceGroup: fields.resourceGroup,
    subscriptionId: fields.subscriptionId,
    managedBy: '',
    sku: null,
    plan: null,
    properties: fields.properties,
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

const byId = (a: Row, b: Row): number => {
  const x = String(a.id).toLowerCase();
  const y = String(b.id).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The tables a query sees, restricted to `subscriptions` (all when empty or absent). Rows are in a stable
 * order (by id), so pages do not overlap.
 */
export function buildResourceGraphCatalog(ctx: EmulatorContext, subscriptions?: string[]): Catalog {
  const wanted = subscriptions && subscriptions.length > 0 ? new Set(subscriptions.map((s) => s.toLowerCase())) : undefined;
  const inScope = (sub: string) => !wanted || wanted.has(sub.toLowerCase());
  return {
    resources: {
      columns: RESOURCE_COLUMNS,
      rows: (hint?: RowHint) => {
        // With a type hint (the query starts with `where type =~ ...`), only resources of those types are read
        // (through the store's type index) and each reads its own connections; otherwise the whole store once.
        const all = hint?.types ? hint.types.flatMap((t) => ctx.store.list(t)) : ctx.store.list();
        const connections = hint?.types ? undefined : indexConnections(all);
        return all
          .filter((r) => isIndexedResource(r) && inScope(parseId(r.id)!.subscriptionId))
          .map((r) => toResourceRow(ctx, r, connections))
          .sort(byId);
      },
    },
    resourcecontainers: {
      columns: RESOURCE_COLUMNS,
      rows: () => {
        const all = ctx.store.list();
        const groups = resourceGroupsOf(ctx, all).filter((g) => inScope(g.subscriptionId));
        const subs = new Map<string, string>();
        for (const r of all) {
          const sub = parseId(r.id)?.subscriptionId;
          if (sub && inScope(sub)) subs.set(sub.toLowerCase(), sub);
        }
        for (const g of groups) subs.set(g.subscriptionId.toLowerCase(), g.subscriptionId);
        const rows: Row[] = [...subs.values()].map((sub) =>
          containerRow({
            id: `/subscriptions/${sub}`,
            name: sub,
            type: 'microsoft.resources/subscriptions',
            subscriptionId: sub,
            resourceGroup: '',
            location: '',
            properties: { state: 'Enabled' },
          }),
        );
        for (const g of groups) {
          rows.push(
            containerRow({
              id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
              name: g.name,
              type: 'microsoft.resources/subscriptions/resourcegroups',
              subscriptionId: g.subscriptionId,
              resourceGroup: g.name.toLowerCase(),
              location: normalizeLocation(g.location),
              properties: { provisioningState: 'Succeeded' },
            }),
          );
        }
        return rows.sort(byId);
      },
    },
  };
}

// ---- request handling ---------------------------------------------------------------------------------

function supportMessage(ctx: EmulatorContext): string {
  return `Please provide below info when asking for support: timestamp = ${ctx.now().toISOString()}, correlationId = ${ctx.newGuid()}.`;
}

/** The 400 envelope of an invalid query. */
export function invalidQueryError(ctx: EmulatorContext, err: KqlError): ArmError {
  return new ArmError(400, 'BadRequest', supportMessage(ctx), { details: [{ ...INVALID_QUERY_DETAIL }, err.toDetail()] });
}

function badRequest(ctx: EmulatorContext, code: string, message: string): ArmError {
  return new ArmError(400, 'BadRequest', supportMessage(ctx), { details: [{ code, message }] });
}

interface SkipToken {
  /** offset of the next row */
  o: number;
  /** page size */
  t: number;
  /** hash of the query and its scope */
  h: string;
  /** the paging sequence whose evaluated result the emulator keeps (see `sequences`) */
  s?: string;
}

/**
 * A query is evaluated once per paging sequence: the first page evaluates it and, when rows remain, keeps the
 * result under a sequence id carried in the `$skipToken`; the next pages are slices of it (a consistent
 * snapshot, and no re-evaluation per page). The last page releases it. At most `MAX_SEQUENCES` are kept (the
 * oldest is dropped); a token whose sequence is gone is answered by evaluating the query again.
 */
const MAX_SEQUENCES = 16;
const sequences = new WeakMap<EmulatorContext, Map<string, QueryResult>>();

function sequencesOf(ctx: EmulatorContext): Map<string, QueryResult> {
  let m = sequences.get(ctx);
  if (!m) sequences.set(ctx, (m = new Map()));
  return m;
}

function queryHash(query: string, subscriptions: string[] | undefined): string {
  const scope = (subscriptions ?? []).map((s) => s.toLowerCase()).sort().join(',');
  return createHash('sha256').update(`${query}\n${scope}`).digest('hex').slice(0, 16);
}

function encodeSkipToken(t: SkipToken): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

function decodeSkipToken(token: string): SkipToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as SkipToken;
    if (Number.isInteger(t.o) && t.o >= 0 && Number.isInteger(t.t) && t.t > 0 && typeof t.h === 'string') return t;
  } catch {
    // fall through
  }
  return undefined;
}

const ARG_COLUMN_TYPES: Record<string, string> = {
  string: 'string',
  int: 'integer',
  long: 'integer',
  real: 'number',
  bool: 'boolean',
  dynamic: 'object',
};

function formatData(result: { columns: Column[] }, rows: Row[], format: string): unknown {
  if (format === 'table') {
    return {
      columns: result.columns.map((c) => ({ name: c.name, type: ARG_COLUMN_TYPES[c.type] ?? 'object' })),
      rows: rows.map((r) => result.columns.map((c) => r[c.name] ?? null)),
    };
  }
  return rows;
}

interface QuotaState {
  windowStart: number;
  used: number;
}
const quotas = new WeakMap<EmulatorContext, QuotaState>();

/** Counts one query against the per-user quota; returns the response headers (or throws 429 when enforced). */
function takeQuota(ctx: EmulatorContext): Record<string, string> {
  const now = ctx.now().getTime();
  const windowMs = USER_QUOTA.windowSeconds * 1000;
  let q = quotas.get(ctx);
  if (!q || now - q.windowStart >= windowMs) {
    q = { windowStart: now, used: 0 };
    quotas.set(ctx, q);
  }
  const resetSeconds = Math.max(0, Math.ceil((q.windowStart + windowMs - now) / 1000));
  const resetsAfter = `00:00:${String(Math.min(59, resetSeconds)).padStart(2, '0')}`;
  if (q.used >= USER_QUOTA.queries && ctx.settings.throttling.enabled) {
    throw new ArmError(
      429,
      'RateLimiting',
      'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
      {
        headers: {
          'Retry-After': String(Math.max(1, resetSeconds)),
          'x-ms-user-quota-remaining': '0',
          'x-ms-user-quota-resets-after': resetsAfter,
        },
      },
    );
  }
  q.used++;
  return {
    'x-ms-user-quota-remaining': String(Math.max(0, USER_QUOTA.queries - q.used)),
    'x-ms-user-quota-resets-after': resetsAfter,
  };
}

function optionalInt(ctx: EmulatorContext, value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(ctx, 'InvalidParameter', `The value of '${name}' must be an integer between ${min} and ${max}.`);
  }
  return value;
}

interface FacetRequest {
  expression?: unknown;
  options?: { sortBy?: unknown; sortOrder?: unknown; filter?: unknown; $top?: unknown };
}

function runFacet(ctx: EmulatorContext, catalog: Catalog, query: string, facet: FacetRequest): Record<string, unknown> {
  const expression = typeof facet.expression === 'string' ? facet.expression : '';
  const o = facet.options ?? {};
  const top = typeof o.$top === 'number' && o.$top > 0 ? Math.min(o.$top, 1000) : 10;
  const order = o.sortOrder === 'asc' ? 'asc' : 'desc';
  const sortBy = typeof o.sortBy === 'string' && o.sortBy ? o.sortBy : 'count';
  const filter = typeof o.filter === 'string' && o.filter ? `\n| where ${o.filter}` : '';
  const text = `${query}${filter}\n| summarize count = count() by ${expression}\n| sort by ${sortBy} ${order}`;
  try {
    const result = compileQuery(parseQuery(text), catalog).execute();
    const data = result.rows.slice(0, top);
    return { expression, resultType: 'FacetResult', totalRecords: result.rows.length, count: data.length, data };
  } catch (e) {
    if (!(e instanceof KqlError)) throw e;
    return { expression, resultType: 'FacetError', errors: [e.toDetail()] };
  }
}

function queryResources(req: EmulatorRequest, _params: Record<string, string>, ctx: EmulatorContext): EmulatorResponse {
  if (req.apiVersion && !RESOURCE_GRAPH_API_VERSIONS.includes(req.apiVersion)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${req.apiVersion}' is invalid. The supported versions are '${RESOURCE_GRAPH_API_VERSIONS.join(',')}'.`,
    );
  }
  const quotaHeaders = takeQuota(ctx);
  const body = req.body;
  if (typeof body !== 'object' || body === null || typeof body.query !== 'string' || body.query.trim() === '') {
    throw badRequest(ctx, 'InvalidRequestContent', "The request body must be a JSON object with a non-empty 'query' string.");
  }
  const query: string = body.query;
  const subscriptions: string[] | undefined = Array.isArray(body.subscriptions)
    ? body.subscriptions.filter((s: unknown): s is string => typeof s === 'string')
    : undefined;
  const options = (typeof body.options === 'object' && body.options !== null ? body.options : {}) as Record<string, unknown>;
  const top = optionalInt(ctx, options.$top, '$top', 1, MAX_PAGE_SIZE);
  const skip = optionalInt(ctx, options.$skip, '$skip', 0, Number.MAX_SAFE_INTEGER);
  const resultFormat = options.resultFormat ?? 'objectArray';
  if (resultFormat !== 'objectArray' && resultFormat !== 'table') {
    throw badRequest(ctx, 'InvalidParameter', `The result format '${String(resultFormat)}' is not supported. Use 'objectArray' or 'table'.`);
  }

  const hash = queryHash(query, subscriptions);
  let offset = skip ?? 0;
  let pageSize = top ?? MAX_PAGE_SIZE;
  let sequence: string | undefined;
  if (typeof options.$skipToken === 'string' && options.$skipToken.length > 0) {
    const token = decodeSkipToken(options.$skipToken);
    if (!token || token.h !== hash) {
      throw badRequest(ctx, 'InvalidSkipToken', 'The $skipToken is not valid for this query and scope.');
    }
    offset = token.o;
    pageSize = top ?? token.t;
    sequence = token.s;
  }

  const catalog = buildResourceGraphCatalog(ctx, subscriptions);
  const kept = sequencesOf(ctx);
  let result: QueryResult | undefined = sequence ? kept.get(sequence) : undefined;
  if (!result) {
    try {
      result = compileQuery(parseQuery(query), catalog).execute();
    } catch (e) {
      if (e instanceof KqlError) throw invalidQueryError(ctx, e);
      throw e;
    }
  }

  const total = result.rows.length;
  const page = result.rows.slice(offset, offset + pageSize);
  const more = offset + page.length < total;
  const response: Record<string, unknown> = {
    totalRecords: total,
    count: page.length,
    resultTruncated: more && result.limited ? 'true' : 'false',
  };
  if (more && !result.limited) {
    if (!sequence || !kept.has(sequence)) {
      sequence = ctx.newGuid();
      kept.set(sequence, result);
      while (kept.size > MAX_SEQUENCES) kept.delete(kept.keys().next().value!);
    }
    response.$skipToken = encodeSkipToken({ o: offset + page.length, t: pageSize, h: hash, s: sequence });
  } else if (sequence) {
    kept.delete(sequence);
  }
  const facets: FacetRequest[] = Array.isArray(body.facets) ? body.facets : [];
  response.facets = facets.map((f) => runFacet(ctx, catalog, query, f));
  response.data = formatData(result, page, resultFormat);
  return { status: 200, headers: quotaHeaders, body: response };
}

export const resourceGraphProvider: Provider = {
  name: 'Microsoft.ResourceGraph',
  routes: [
    {
      method: 'POST',
      template: '/providers/Microsoft.ResourceGraph/resources',
      handler: queryResources,
      // A query changes nothing: it draws on the read bucket, not on ARM's write limits.
      kind: 'read',
    },
  ],
  seed(ctx) {
    quotas.delete(ctx);
    sequences.delete(ctx);
  },
};
