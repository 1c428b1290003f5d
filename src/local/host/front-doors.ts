/**
 * The local host's HTTP server: the front doors the Functions host offers, plus the Durable extension's API.
 *
 *   /api/{route}                                   HTTP triggers (route templates, methods; authLevel is recorded, not enforced)
 *   /runtime/webhooks/eventgrid?functionName=X     Event Grid trigger: validation handshake (Event Grid schema and
 *                                                  CloudEvents), notifications (one invocation per event)
 *   /runtime/webhooks/durabletask/...              Durable HTTP API (webhook URLs)
 *   /durabletask/...                               Durable HTTP API (the DurableClient's rpcBaseUrl)
 *   POST /admin/functions/{name}                   run a non-HTTP function now ({"input": "..."})
 *   GET  /admin/functions, GET /admin/host/status  what is registered, host status
 */
import type * as http from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from '../functions-core';
import { DurableApiError, type DurableEngine } from './engine';
import { handleDurableRequest } from './durable-http';
import { errorMessage, type FunctionInvoker, type InvokeOutcome, type LogLine } from './invoker';
import type { FunctionInfo, FunctionRegistry } from './registry';
import { compileRoute, matchRoute, type CompiledRoute } from './routes';

export interface FrontDoorContext {
  registry: FunctionRegistry;
  invoker: FunctionInvoker;
  engine: DurableEngine;
  taskHub: string;
  log: LogLine;
  startedAt: number;
  /** Count an invocation as in flight while it runs (the virtual clock does not move meanwhile). */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Run a non-HTTP function now (admin endpoint). */
  runNonHttp(fn: FunctionInfo, input: unknown): Promise<InvokeOutcome>;
  waitForCompletion(instanceId: string, timeoutMs: number): Promise<void>;
}

const MAX_BODY_BYTES = 100 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new DurableApiError(413, 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  let payload: string | Buffer | undefined;
  const h: Record<string, string> = { ...headers };
  if (body === undefined || body === null) payload = undefined;
  else if (Buffer.isBuffer(body)) payload = body;
  else if (typeof body === 'string') {
    payload = body;
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(status, h);
  res.end(payload);
}

function headerRecord(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function cookieHeader(c: RpcHttpCookie): string {
  let s = `${c.name ?? ''}=${c.value ?? ''}`;
  if (c.domain?.value) s += `; Domain=${c.domain.value}`;
  if (c.path?.value) s += `; Path=${c.path.value}`;
  const exp = c.expires?.value?.seconds;
  if (typeof exp === 'number') s += `; Expires=${new Date(exp * 1000).toUTCString()}`;
  if (typeof c.maxAge?.value === 'number') s += `; Max-Age=${c.maxAge.value}`;
  if (c.secure?.value) s += '; Secure';
  if (c.httpOnly?.value) s += '; HttpOnly';
  if (c.sameSite && c.sameSite !== 'explicitNone') s += `; SameSite=${c.sameSite[0]!.toUpperCase()}${c.sameSite.slice(1)}`;
  else if (c.sameSite === 'explicitNone') s += '; SameSite=None';
  return s;
}

export function createRequestHandler(ctx: FrontDoorContext): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const routes = new Map<string, CompiledRoute>();
  const compiled = (template: string): CompiledRoute => {
    let r = routes.get(template);
    if (!r) {
      r = compileRoute(template);
      routes.set(template, r);
    }
    return r;
  };

  async function handleHttpTrigger(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const routePath = url.pathname.replace(/^\/api\/?/, '');
    const method = (req.method ?? 'GET').toUpperCase();
    let best: { fn: FunctionInfo; params: Record<string, string>; score: number } | undefined;
    for (const fn of ctx.registry.all()) {
      if (fn.triggerType !== 'httpTrigger') continue;
      const methods = Array.isArray(fn.trigger.methods) ? (fn.trigger.methods as string[]).map((m) => m.toUpperCase()) : undefined;
      if (methods && methods.length > 0 && !methods.includes(method)) continue;
      const template = typeof fn.trigger.route === 'string' && fn.trigger.route.length > 0 ? fn.trigger.route : fn.name;
      const route = compiled(template);
      const params = matchRoute(route, routePath);
      if (params && (!best || route.literalCount > best.score)) best = { fn, params, score: route.literalCount };
    }
    if (!best) {
      send(res, 404);
      return;
    }
    const body = await readBody(req);
    const rpc: RpcHttpData = {
      method,
      url: url.href,
      headers: headerRecord(req),
      query: Object.fromEntries(url.searchParams),
      params: best.params,
      body: { bytes: new Uint8Array(body) },
    };
    const fn = best.fn;
    const outcome = await ctx.track(() => ctx.invoker.invokeFunction(fn, { http: rpc }));
    if (outcome.error !== undefined) {
      ctx.log(`[${fn.name}] error: ${errorMessage(outcome.error)}`);
      send(res, 500);
      return;
    }
    const response = outcome.response;
    let data: RpcTypedData | null | undefined = response?.returnValue;
    if (!data?.http) data = response?.outputData?.find((o) => o.data?.http)?.data;
    const out = data?.http;
    if (!out) {
      send(res, 204);
      return;
    }
    const headers: Record<string, string | string[]> = { ...(out.headers ?? {}) };
    if (out.cookies && out.cookies.length > 0) headers['Set-Cookie'] = out.cookies.map(cookieHeader);
    const status = Number.parseInt(out.statusCode ?? '200', 10) || 200;
    const bytes = out.body?.bytes ? Buffer.from(out.body.bytes) : out.body?.string !== undefined && out.body?.string !== null ? Buffer.from(out.body.string) : undefined;
    res.writeHead(status, headers);
    res.end(bytes);
  }

  async function handleEventGrid(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('functionName') ?? '';
    const fn = name ? ctx.registry.getWithTrigger(name, 'eventGridTrigger') : undefined;
    if (!fn) {
      send(res, 404, `cannot find function: '${name}'`);
      return;
    }
    const method = (req.method ?? '').toUpperCase();
    if (method === 'OPTIONS') {
      // CloudEvents abuse protection (webhook validation handshake of the CloudEvents schema).
      const origin = req.headers['webhook-request-origin'];
      if (typeof origin !== 'string' || origin.length === 0) {
        send(res, 400);
        return;
      }
      send(res, 200, undefined, { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*' });
      return;
    }
    if (method !== 'POST') {
      send(res, 405);
      return;
    }
    const type = String(req.headers['aeg-event-type'] ?? '').toLowerCase();
    const text = (await readBody(req)).toString('utf8');
    let token: unknown;
    try {
      token = JSON.parse(text);
    } catch {
      send(res, 400, 'The request content should be parseable into a JSON object or array.');
      return;
    }
    if (type === 'subscriptionvalidation') {
      let code: unknown;
      if (Array.isArray(token)) {
        code = (token[0] as { data?: { validationCode?: unknown } } | undefined)?.data?.validationCode;
      } else if (token && typeof token === 'object') {
        // CloudEvents subscription event: data may arrive JSON-encoded.
        let data = (token as { data?: unknown }).data;
        if (typeof data === 'string') data = JSON.parse(data);
        code = (data as { validationCode?: unknown } | undefined)?.validationCode;
      }
      if (typeof code !== 'string') {
        send(res, 400, 'The validation event carries no data.validationCode.');
        return;
      }
      ctx.log(`[${fn.name}] perform handshake with eventGrid for function: ${fn.name}`);
      send(res, 200, { validationResponse: code });
      return;
    }
    if (type === 'notification') {
      const events = Array.isArray(token) ? token : token && typeof token === 'object' ? [token] : undefined;
      if (!events) {
        send(res, 400, 'The request content should be parseable into a JSON object or array.');
        return;
      }
      const outcomes = await Promise.all(
        events.map((e) => ctx.track(() => ctx.invoker.invokeFunction(fn, { json: JSON.stringify(e) }))),
      );
      const failed = outcomes.find((o) => o.error !== undefined);
      if (failed) {
        ctx.log(`[${fn.name}] error: ${errorMessage(failed.error)}`);
        send(res, 500, errorMessage(failed.error));
        return;
      }
      send(res, 202);
      return;
    }
    if (type === 'unsubscribe') {
      send(res, 202);
      return;
    }
    send(res, 400);
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? '').toUpperCase();
    const parts = url.pathname.split('/').filter((s) => s.length > 0);
    if (parts[1] === 'host' && parts[2] === 'status' && method === 'GET') {
      send(res, 200, {
        id: 'local',
        state: ctx.engine.stopped ? 'Stopping' : 'Running',
        version: '4.0.0-local',
        processId: process.pid,
        processUptime: Date.now() - ctx.startedAt,
      });
      return;
    }
    if (parts[1] === 'functions' && parts.length === 2 && method === 'GET') {
      send(res, 200, ctx.registry.summaries());
      return;
    }
    if (parts[1] === 'functions' && parts.length === 3 && method === 'POST') {
      const name = decodeURIComponent(parts[2]!);
      const fn = ctx.registry.get(name);
      if (!fn) {
        send(res, 404);
        return;
      }
      const text = (await readBody(req)).toString('utf8');
      let input: unknown;
      if (text.length > 0) {
        try {
          input = (JSON.parse(text) as { input?: unknown }).input;
        } catch {
          send(res, 400, 'The body must be JSON: {"input": "..."}');
          return;
        }
      }
      if (['httptrigger', 'orchestrationtrigger', 'activitytrigger', 'entitytrigger'].includes(fn.triggerType.toLowerCase())) {
        send(res, 400, `Function '${fn.name}' has a ${fn.triggerType}: only non-HTTP, non-durable functions can be run through the admin endpoint.`);
        return;
      }
      void ctx.runNonHttp(fn, input).then(
        (o) => {
          if (o.error !== undefined) ctx.log(`[${fn.name}] error: ${errorMessage(o.error)}`);
        },
        (e: unknown) => ctx.log(`[${fn.name}] error: ${errorMessage(e)}`),
      );
      send(res, 202);
      return;
    }
    send(res, 404);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const p = url.pathname;
    if (p === '/api' || p.startsWith('/api/')) return handleHttpTrigger(req, res, url);
    if (p === '/runtime/webhooks/eventgrid' || p === '/runtime/webhooks/eventgrid/') return handleEventGrid(req, res, url);
    const durableBase = p.startsWith('/runtime/webhooks/durabletask/')
      ? '/runtime/webhooks/durabletask/'
      : p.startsWith('/durabletask/')
        ? '/durabletask/'
        : undefined;
    if (durableBase) {
      const body = (await readBody(req)).toString('utf8');
      const token = req.headers['x-ms-continuation-token'];
      const r = await handleDurableRequest(
        { engine: ctx.engine, taskHub: ctx.taskHub, origin: url.origin, waitForCompletion: ctx.waitForCompletion },
        (req.method ?? 'GET').toUpperCase(),
        p.slice(durableBase.length),
        url.searchParams,
        body,
        url.href,
        typeof token === 'string' ? token : undefined,
      );
      send(res, r.status, r.body, r.headers);
      return;
    }
    if (p.startsWith('/admin/')) return handleAdmin(req, res, url);
    if (p === '/' && (req.method ?? 'GET').toUpperCase() === 'GET') {
      send(res, 200, { state: 'Running', functions: ctx.registry.summaries().length });
      return;
    }
    send(res, 404);
  }

  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof DurableApiError) {
        send(res, e.status, { Message: e.message });
        return;
      }
      ctx.log(`host: ${req.method ?? ''} ${req.url ?? ''} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      send(res, 500);
    });
  };
}
