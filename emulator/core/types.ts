/**
 * The contract every part of the ARM emulator codes against.
 *
 * The emulator is an in-memory HTTP server that behaves like Azure Resource Manager for the resources the
 * product touches. It never imports the product's `src/`: it is an independent reading of Azure's rules.
 *
 * Layout:
 *   emulator/core/       server, router, store, long-running operations, errors, throttling, faults, log
 *   emulator/providers/  one module per resource provider, each exporting a `Provider`
 *   emulator/oracle/     the connectivity oracle (not part of ARM)
 *   emulator/estates/    estate files that seed the store (demo.json)
 *   emulator/main.ts     `npm run emulator -- --estate <file> [--port <n>]`
 */

/** An ARM resource in the shape of its GET response (wire form: `properties` nested, ARM casing). */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: Record<string, unknown>;
  zones?: string[];
  identity?: Record<string, unknown>;
  etag?: string;
  kind?: string;
  properties: Record<string, any>;
  [extra: string]: unknown;
}

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';

export interface EmulatorRequest {
  method: HttpMethod;
  /** The full request URL as received, rewritten to the public ARM base (see EmulatorContext.publicBaseUrl). */
  url: URL;
  /** Decoded path, without query string, e.g. `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/c`. */
  path: string;
  apiVersion: string | null;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (undefined when empty). */
  body: any;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless undefined (then an empty body). */
  body?: unknown;
}

/** Thrown by handlers; rendered as ARM's envelope `{ "error": { "code", "message", ... } }`. */
export class ArmError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly extra: { target?: string; details?: unknown[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }
}

/** Route params taken from `{name}` placeholders of the template. */
export type RouteParams = Record<string, string>;

export type RouteHandler = (
  req: EmulatorRequest,
  params: RouteParams,
  ctx: EmulatorContext,
) => EmulatorResponse | Promise<EmulatorResponse>;

export interface RouteDef {
  method: HttpMethod;
  /**
   * Path template, e.g.
   * `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}`.
   * Literal segments match case-insensitively; each `{x}` matches one segment.
   */
  template: string;
  handler: RouteHandler;
  /** Operation kind for throttling buckets and the request log (defaults from the method). */
  kind?: 'read' | 'write' | 'delete';
}

export interface Provider {
  name: string;
  routes: RouteDef[];
  /** Called once when the emulator starts, to register hooks (private link targets, ...). */
  init?(ctx: EmulatorContext): void;
  /**
   * Optional: called after an estate is loaded (start, reset, restore) so the provider can make derived state
   * consistent (e.g. the `privateEndpointConnections` array embedded in a cache from its child resources).
   */
  seed?(ctx: EmulatorContext): void;
}

/** The in-memory state. Keys are resource ids compared case-insensitively; stored ids keep ARM casing. */
export interface ResourceStore {
  get(id: string): ArmResource | undefined;
  /** Inserts or replaces; returns the stored copy. */
  put(resource: ArmResource): ArmResource;
  /** Removes the resource and every resource whose id starts with `${id}/`. Returns whether it existed. */
  delete(id: string): boolean;
  /** Direct children of `parentId` of the given child type segment, e.g. ('…/redis/c', 'privateEndpointConnections'). */
  children(parentId: string, childType: string): ArmResource[];
  /** All resources, optionally filtered by ARM type (case-insensitive, e.g. 'Microsoft.Cache/Redis'). */
  list(type?: string): ArmResource[];
  /** Resources of an ARM type in one subscription, and in one resource group when given (case-insensitive). */
  listIn(type: string, subscriptionId: string, resourceGroupName?: string): ArmResource[];
  /** Resource groups exist implicitly when any resource is in them, or explicitly when seeded. */
  resourceGroupExists(subscriptionId: string, resourceGroupName: string): boolean;
  snapshot(): ArmResource[];
  restore(resources: ArmResource[]): void;
  /** The stored resources without copies (read-only), optionally of one type. */
  scan(type?: string): Iterable<Readonly<ArmResource>>;
  /** Number of direct children of a type. */
  childCount(parentId: string, childType: string): number;
  /** A page of copies of the direct children of a type. */
  childrenSlice(parentId: string, childType: string, offset: number, limit: number): ArmResource[];
}

/** How a long-running operation answers, per resource provider (shapes verified in shared/reference). */
export type LroStyle = 'redis' | 'redisEnterprise' | 'network' | 'privateDns';

export interface LroStartOptions {
  style: LroStyle;
  subscriptionId: string;
  /** Location used in the operation URL (Redis uses the display name, e.g. 'East US'). */
  location: string;
  /** Which headers the initial response carries. */
  headers: Array<'azure-async-operation' | 'location'>;
  /** Where the `Location` header points (the resource URL, or an operationresults URL when omitted). */
  locationUrl?: string;
  /** The resource the operation acts on (for fault injection matching and the request log). */
  resourceId: string;
  /**
   * Applies the final state when the operation completes (e.g. provisioningState Creating -> Succeeded).
   * Throwing an ArmError makes the operation end Failed with that code and message.
   */
  complete: () => void;
  /** Applies the state of a failed operation (e.g. provisioningState -> Failed) when a fault makes it fail. */
  fail?: (error: { code: string; message: string }) => void;
}

export interface LroManager {
  /** Registers the operation and returns the headers for the initial response. */
  start(options: LroStartOptions): { operationId: string; headers: Record<string, string> };
  /** Completes every operation whose due time has passed (called before each request is handled). */
  settleDue(): void;
}

/**
 * What a private-link-capable resource type offers the Microsoft.Network provider. Registered by the
 * provider that owns the type (Microsoft.Cache/Redis, Microsoft.Cache/redisEnterprise) in `init`.
 * The private endpoint connection resource under the target is the source of truth for the connection
 * state; the private endpoint's GET reads it back through `connectionState`.
 */
export interface PrivateLinkTarget {
  /** ARM type, e.g. 'Microsoft.Cache/Redis'. */
  type: string;
  groupIds: string[];
  /** Refuse a new connection the way the service does (throw ArmError), before anything is written. */
  validateConnection(target: ArmResource, groupId: string, privateEndpointId: string): void;
  /** Create the private endpoint connection under the target. Returns its id. */
  attach(target: ArmResource, input: {
    privateEndpointId: string;
    connectionName: string;
    groupId: string;
    status: 'Approved' | 'Pending';
    requestMessage?: string;
  }): string;
  /** Remove the connection for that private endpoint (private endpoint deleted). */
  detach(targetId: string, privateEndpointId: string): void;
  /** The connection state for that endpoint, or undefined when the connection is gone. */
  connectionState(targetId: string, privateEndpointId: string):
    | { status: string; description: string; actionsRequired?: string }
    | undefined;
  /** The FQDNs the endpoint serves (customDnsConfigs), e.g. ['mycache.redis.cache.windows.net']. */
  fqdns(target: ArmResource, groupId: string): string[];
  /** For the connectivity oracle: the host name clients use, its port, and whether public access is allowed. */
  endpointInfo(target: ArmResource): { hostName: string; port: number; publicNetworkAccess: boolean; publicIp: string };
}

export interface EmulatorSettings {
  /** How long a long-running operation stays in progress (ms). 0 = completes on the first poll. */
  lroDurationMs: number;
  /** `Retry-After` seconds on LRO initial/poll responses; undefined = header absent. */
  lroRetryAfterSeconds?: number;
  /** Items per page of a list response before a `nextLink` is given (default 100). */
  pageSize?: number;
  /**
   * Private DNS record set lists: `honor` (default) pages at the request's `$top` (1..1000), `max-100` at most 100
   * a page whatever `$top` (Azure's behaviour above 100 is not documented; the workflows are tested under both).
   */
  privateDnsRecordSetTop?: 'honor' | 'max-100';
  throttling: {
    enabled: boolean;
    reads: { capacity: number; refillPerSecond: number };
    writes: { capacity: number; refillPerSecond: number };
    deletes: { capacity: number; refillPerSecond: number };
  };
}

export interface EmulatorContext {
  store: ResourceStore;
  lro: LroManager;
  settings: EmulatorSettings;
  /** Public ARM base used in every absolute URL the emulator returns: 'https://management.azure.com'. */
  publicBaseUrl: string;
  now(): Date;
  newGuid(): string;
  privateLinkTargets: {
    register(target: PrivateLinkTarget): void;
    /** By ARM type, case-insensitive. */
    get(type: string): PrivateLinkTarget | undefined;
    all(): PrivateLinkTarget[];
  };
}
