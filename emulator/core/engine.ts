import { randomUUID } from 'node:crypto';
import {
  ArmError,
  type ArmResource,
  type EmulatorContext,
  type EmulatorRequest,
  type EmulatorResponse,
  type EmulatorSettings,
  type HttpMethod,
  type PrivateLinkTarget,
  type Provider,
} from './types';
import { MemoryStore } from './store';
import { Router } from './router';
import { OperationManager } from './lro';
import { FaultInjector, type FaultSpec } from './faults';
import { RequestLog, type RequestLogEntry } from './request-log';
import { Throttler, kindKey, type OperationKind } from './throttle';
import { applySettings, defaultSettings, type SettingsPatch } from './settings';
import { errorToResponse, renderError } from './errors';
import { resolveEstate, resourceGroupEntries, type Estate } from './estate';

export const PUBLIC_ARM_BASE = 'https://management.azure.com';

/** A raw HTTP exchange (what node:http gives and takes). */
export interface RawRequest {
  method: string;
  /** Path and query as received, e.g. `/subscriptions/...?api-version=...`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface EngineOptions {
  providers: Provider[];
  estate?: Estate | string;
  settings?: SettingsPatch;
  /** Control-route hook for `/_emulator/...` (set by the control module). */
  control?: (req: EmulatorRequest, engine: EmulatorEngine) => Promise<EmulatorResponse | undefined> | EmulatorResponse | undefined;
}

const METHODS: HttpMethod[] = ['GET', 'PUT', 'PATCH', 'DELETE', 'POST'];

function header(h: RawRequest['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function defaultKind(method: string): OperationKind {
  return method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'write';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The ARM emulator without its socket: routes, store, operations, faults, throttling and the request log.
 * `handle` turns one raw request into one raw response.
 */
export class EmulatorEngine {
  readonly store = new MemoryStore();
  readonly router = new Router();
  readonly faults = new FaultInjector(() => this.ctx.now().getTime());
  readonly log = new RequestLog();
  readonly settings: EmulatorSettings;
  readonly lro: OperationManager;
  readonly throttler: Throttler;
  readonly ctx: EmulatorContext;
  readonly providers: Provider[];
  private initialEstate: Estate;
  private readonly targets = new Map<string, PrivateLinkTarget>();
  private readonly namespaces = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.settings = applySettings(defaultSettings(), options.settings);
    this.lro = new OperationManager(() => this.ctx);
    this.throttler = new Throttler(() => this.settings, () => this.ctx.now().getTime());
    const targets = this.targets;
    this.ctx = {
      store: this.store,
      lro: this.lro,
      settings: this.settings,
      publicBaseUrl: PUBLIC_ARM_BASE,
      now: () => new Date(),
      newGuid: () => randomUUID(),
      privateLinkTargets: {
        register: (t) => void targets.set(t.type.toLowerCase(), t),
        get: (type) => targets.get(type.toLowerCase()),
        all: () => [...targets.values()],
      },
    };
    this.providers = options.providers;
    this.router.addAll(this.lro.routes());
    for (const p of this.providers) {
      this.router.addAll(p.routes);
      for (const r of p.routes) {
        const m = /\/providers\/([^/]+)\//i.exec(r.template);
        if (m) this.namespaces.add(m[1].toLowerCase());
      }
    }
    for (const p of this.providers) p.init?.(this.ctx);
    this.initialEstate = resolveEstate(options.estate);
    this.loadEstate(this.initialEstate);
  }

  /** Replaces the whole state with an estate (the initial one when omitted); clears operations, faults, log. */
  reset(estate?: Estate | string): void {
    const e = estate === undefined ? this.initialEstate : resolveEstate(estate);
    this.lro.clear();
    this.faults.clear();
    this.log.clear();
    this.throttler.reset();
    this.loadEstate(e);
  }

  private loadEstate(estate: Estate): void {
    this.store.clear();
    for (const g of resourceGroupEntries(estate)) this.store.addResourceGroup(g);
    for (const r of estate.resources) this.store.put(r);
    this.runSeedHooks();
  }

  /** Replaces the resources (resource groups and pending operations are kept). */
  restore(resources: ArmResource[]): void {
    this.store.restore(resources);
    this.runSeedHooks();
  }

  private runSeedHooks(): void {
    for (const p of this.providers) p.seed?.(this.ctx);
  }

  /**
   * Drives the emulator's clock (`ctx.now`: operation due times, outage windows, throttle buckets, request log
   * times) with another clock, e.g. a test host's virtual clock. Without an argument: back to the wall clock.
   */
  useClock(now?: () => Date): void {
    this.ctx.now = now ?? (() => new Date());
  }

  updateSettings(patch: SettingsPatch): EmulatorSettings {
    return applySettings(this.settings, patch);
  }

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  requests(): RequestLogEntry[] {
    return this.log.all();
  }

  async handle(raw: RawRequest): Promise<RawResponse> {
    const started = Date.now();
    // The emulator's clock (a test may drive it with a virtual clock): the log's times are that clock's.
    const time = this.ctx.now().toISOString();
    const method = raw.method.toUpperCase();
    let url: URL;
    let path: string;
    try {
      url = new URL(raw.url, PUBLIC_ARM_BASE);
      path = decodeURIComponent(url.pathname);
    } catch {
      return this.finalize(renderError(new ArmError(400, 'InvalidUri', `The request URI '${raw.url}' is not valid.`)), raw, 'read', undefined);
    }
    const apiVersion = url.searchParams.get('api-version');
    const isControl = path.toLowerCase().startsWith('/_emulator/') || path.toLowerCase() === '/_emulator';
    const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];

    let response: EmulatorResponse;
    let kind: OperationKind = defaultKind(method);
    try {
      this.lro.settleDue();
      if (isControl) {
        const req = this.toRequest(method, url, path, apiVersion, raw);
        const r = this.options.control ? await this.options.control(req, this) : undefined;
        response = r ?? renderError(new ArmError(404, 'NotFound', `No emulator control route ${method} ${path}.`));
        return this.finalize(response, raw, kind, undefined, true);
      }
      response = await this.handleArm(method, url, path, apiVersion, raw, subscriptionId, (k) => (kind = k));
    } catch (e) {
      response = errorToResponse(e);
    }
    const result = this.finalize(response, raw, kind, subscriptionId);
    if (!isControl) {
      const body = response.body as { error?: { code?: string } } | undefined;
      this.log.add({
        method,
        path,
        apiVersion,
        status: response.status,
        time,
        durationMs: Date.now() - started,
        ...(response.status >= 400 && body?.error?.code ? { errorCode: body.error.code } : {}),
        ...(method !== 'GET' && method !== 'DELETE' ? { body: parseJsonOrUndefined(raw.body) } : {}),
      });
    }
    return result;
  }

  private toRequest(method: string, url: URL, path: string, apiVersion: string | null, raw: RawRequest): EmulatorRequest {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown;
    if (raw.body.trim().length > 0) {
      try {
        body = JSON.parse(raw.body);
      } catch (e) {
        throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`);
      }
    }
    return { method: method as HttpMethod, url, path, apiVersion, headers, body };
  }

  private async handleArm(
    method: string,
    url: URL,
    path: string,
    apiVersion: string | null,
    raw: RawRequest,
    subscriptionId: string | undefined,
    setKind: (k: OperationKind) => void,
  ): Promise<EmulatorResponse> {
    const fault = this.faults.take(method, path, raw.body);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault && fault.status >= 400) {
      return renderError(
        new ArmError(fault.status, fault.code, fault.message ?? `Injected fault ${fault.code}.`, {
          headers: fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
        }),
      );
    }

    const auth = header(raw.headers, 'authorization');
    if (!auth || !/^Bearer\s+\S+/i.test(auth)) {
      throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
        headers: { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."' },
      });
    }

    if (!METHODS.includes(method as HttpMethod)) {
      throw new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    }
    const match = this.router.match(method, path);
    const kind = match.kind === 'match' ? match.route.kind ?? defaultKind(method) : defaultKind(method);
    setKind(kind);

    const scope = subscriptionId ? `subscription:${subscriptionId}` : 'tenant';
    const token = this.throttler.take(scope, kind);
    if (!token.allowed) {
      const op = kindKey(kind);
      throw new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of '${kind}' requests for subscription '${subscriptionId ?? 'tenant'}' exceeded the limit of '${this.settings.throttling[op].capacity}'. Please try again after '${token.retryAfterSeconds}' seconds.`,
        { headers: { 'Retry-After': String(token.retryAfterSeconds), [`x-ms-ratelimit-remaining-${subscriptionId ? 'subscription' : 'tenant'}-${op}`]: '0' } },
      );
    }
    const remainingHeaders: Record<string, string> = {
      [`x-ms-ratelimit-remaining-${subscriptionId ? 'subscription' : 'tenant'}-${kindKey(kind)}`]: String(token.remaining),
    };
    if (subscriptionId) remainingHeaders[`x-ms-ratelimit-remaining-subscription-global-${kindKey(kind)}`] = String(token.remaining * 15 + 14);

    const withHeaders = (r: EmulatorResponse): EmulatorResponse => ({ ...r, headers: { ...remainingHeaders, ...(r.headers ?? {}) } });
    try {
      if (!apiVersion) {
        throw new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      }
      if (match.kind === 'method-not-allowed') {
        throw new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, {
          headers: { Allow: match.allowed.join(', ') },
        });
      }
      if (match.kind === 'not-found') throw this.unknownRoute(path, apiVersion);
      const req = this.toRequest(method, url, path, apiVersion, raw);
      this.lro.currentApiVersion = apiVersion;
      this.lro.currentMethod = method;
      try {
        return withHeaders(await match.route.handler(req, match.params, this.ctx));
      } finally {
        this.lro.currentApiVersion = null;
        this.lro.currentMethod = null;
      }
    } catch (e) {
      return withHeaders(errorToResponse(e));
    }
  }

  private unknownRoute(path: string, apiVersion: string): ArmError {
    const m = /\/providers\/([^/]+)\/(.+)$/i.exec(path);
    if (m) {
      const ns = m[1];
      const typeSegs = m[2].split('/').filter((_, i) => i % 2 === 0).join('/');
      if (!this.namespaces.has(ns.toLowerCase())) {
        return new ArmError(404, 'NoRegisteredProviderFound', `No registered resource provider found for location '' and API version '${apiVersion}' for type '${typeSegs}' in namespace '${ns}'.`);
      }
      return new ArmError(404, 'InvalidResourceType', `The resource type '${typeSegs}' could not be found in the namespace '${ns}' for api version '${apiVersion}'.`);
    }
    return new ArmError(404, 'NotFound', `The requested path '${path}' is not served by the emulator.`);
  }

  private finalize(r: EmulatorResponse, raw: RawRequest, _kind: OperationKind, _sub: string | undefined, control = false): RawResponse {
    const headers: Record<string, string> = {};
    if (!control) {
      const requestId = randomUUID();
      headers['x-ms-request-id'] = requestId;
      headers['x-ms-correlation-request-id'] = header(raw.headers, 'x-ms-correlation-request-id') ?? randomUUID();
      headers['x-ms-routing-request-id'] = `EMULATOR:${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}:${requestId}`;
      const clientRequestId = header(raw.headers, 'x-ms-client-request-id');
      if (clientRequestId) headers['x-ms-client-request-id'] = clientRequestId;
      headers['Cache-Control'] = 'no-cache';
      headers['Expires'] = '-1';
      headers['Pragma'] = 'no-cache';
    }
    Object.assign(headers, r.headers ?? {});
    let body = '';
    if (r.body !== undefined) {
      body = JSON.stringify(r.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    return { status: r.status, headers, body };
  }
}

function parseJsonOrUndefined(text: string): unknown {
  if (!text || text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
