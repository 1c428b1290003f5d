/**
 * The Durable extension's HTTP API (HttpApiHandler.cs), served on the local host under both
 * `/runtime/webhooks/durabletask/` (the webhook URLs handed to clients and returned by
 * createCheckStatusResponse) and `/durabletask/` (the `rpcBaseUrl` the real DurableClient calls).
 *
 *   POST   orchestrators/{functionName}[/{instanceId}]      start (202 + management URLs; 409 while running)
 *   GET    instances/                                       list (runtimeStatus, createdTimeFrom/To, instanceIdPrefix, top)
 *   DELETE instances/                                       purge by filter
 *   GET    instances/{id}                                   status (202 running, 200 done, 404)
 *   DELETE instances/{id}                                   purge (412 unless terminal)
 *   POST   instances/{id}/raiseEvent/{eventName}            202 / 404 / 410
 *   POST   instances/{id}/terminate|suspend|resume?reason=  202 / 404 / 410
 * Entities, rewind and restart answer 501.
 */
import { DurableApiError, type DurableEngine } from './engine';
import { historyEventName, HistoryEventType as ET, isTerminal, type HistoryEvent, type InstanceRecord, type RuntimeStatus } from './types';

export interface DurableHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface DurableHttpContext {
  engine: DurableEngine;
  taskHub: string;
  /** Origin of the request (`http://127.0.0.1:PORT`), used for the management URLs. */
  origin: string;
  waitForCompletion(instanceId: string, timeoutMs: number): Promise<void>;
}

const ALL_STATUSES: RuntimeStatus[] = ['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Suspended'];

/** Durable client binding data: what the extension gives a `durableClient` input. */
export function durableClientData(origin: string, taskHub: string): Record<string, unknown> {
  const base = `${origin}/runtime/webhooks/durabletask`;
  const q = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
    },
    managementUrls: managementUrls(origin, taskHub, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: q,
    rpcBaseUrl: `${origin}/durabletask/`,
    httpBaseUrl: base,
  };
}

/** The HttpManagementPayload of an instance. */
export function managementUrls(origin: string, taskHub: string, instanceId: string): Record<string, string> {
  const q = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage`;
  const instance = `${origin}/runtime/webhooks/durabletask/instances/${instanceId === 'INSTANCEID' ? instanceId : encodeURIComponent(instanceId)}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${q}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${q}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${q}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${q}`,
    purgeHistoryDeleteUri: `${instance}?${q}`,
    restartPostUri: `${instance}/restart?${q}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${q}`,
    resumePostUri: `${instance}/resume?reason={text}&${q}`,
  };
}

function seconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

function parse(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The extension's condensed history (HistoryEvents of a status query). */
function condensedHistory(rec: InstanceRecord, showOutput: boolean, showInput: boolean): unknown[] {
  const scheduled = new Map<number, HistoryEvent>();
  const out: unknown[] = [];
  for (const e of rec.history) {
    switch (e.EventType) {
      case ET.OrchestratorStarted:
      case ET.OrchestratorCompleted:
        break;
      case ET.TaskScheduled:
      case ET.SubOrchestrationInstanceCreated:
        scheduled.set(e.EventId, e);
        break;
      case ET.ExecutionStarted:
        out.push({ EventType: 'ExecutionStarted', FunctionName: e.Name, Timestamp: e.Timestamp, ...(showInput ? { Input: parse(e.Input) } : {}) });
        break;
      case ET.TaskCompleted:
      case ET.TaskFailed:
      case ET.SubOrchestrationInstanceCompleted:
      case ET.SubOrchestrationInstanceFailed: {
        const s = scheduled.get(e.TaskScheduledId ?? -1);
        out.push({
          EventType: historyEventName(e.EventType),
          FunctionName: s?.Name,
          ...(s?.InstanceId ? { InstanceId: s.InstanceId } : {}),
          ScheduledTime: s?.Timestamp,
          Timestamp: e.Timestamp,
          ...(e.Reason !== undefined ? { Reason: e.Reason, Details: e.Details } : {}),
          ...(showOutput && e.Result !== undefined ? { Result: parse(e.Result) } : {}),
        });
        break;
      }
      case ET.ExecutionCompleted:
        out.push({
          EventType: 'ExecutionCompleted',
          OrchestrationStatus: e.OrchestrationStatus,
          Timestamp: e.Timestamp,
          ...(showOutput ? { Result: e.OrchestrationStatus === 'Completed' ? parse(e.Result) : e.Result } : {}),
        });
        break;
      default:
        out.push({
          EventType: historyEventName(e.EventType),
          Timestamp: e.Timestamp,
          ...(e.EventId >= 0 ? { EventId: e.EventId } : {}),
          ...(e.TimerId !== undefined ? { TimerId: e.TimerId } : {}),
          ...(e.FireAt !== undefined ? { FireAt: e.FireAt } : {}),
          ...(e.Name !== undefined ? { Name: e.Name } : {}),
          ...(e.EventType === ET.EventRaised && showInput ? { Input: parse(e.Input) } : {}),
        });
    }
  }
  return out;
}

/** StatusResponsePayload of the extension. */
export function statusPayload(
  rec: InstanceRecord,
  options: { showInput?: boolean; showHistory?: boolean; showHistoryOutput?: boolean } = {},
): Record<string, unknown> {
  const showInput = options.showInput !== false;
  const payload: Record<string, unknown> = {
    name: rec.name,
    instanceId: rec.instanceId,
    runtimeStatus: rec.runtimeStatus,
    input: showInput ? parse(rec.input) : null,
    customStatus: parse(rec.customStatus),
    output: parse(rec.output),
    createdTime: seconds(rec.createdTime),
    lastUpdatedTime: seconds(rec.lastUpdatedTime),
  };
  if (options.showHistory) payload.historyEvents = condensedHistory(rec, !!options.showHistoryOutput, showInput);
  return payload;
}

function bool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  return undefined;
}

function statuses(q: URLSearchParams): RuntimeStatus[] | undefined {
  const raw = q.getAll('runtimeStatus').flatMap((v) => v.split(','));
  const list = raw
    .map((v) => ALL_STATUSES.find((s) => s.toLowerCase() === v.trim().toLowerCase()))
    .filter((s): s is RuntimeStatus => s !== undefined);
  return list.length > 0 ? list : undefined;
}

function date(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function matches(rec: InstanceRecord, q: URLSearchParams): boolean {
  const st = statuses(q);
  if (st && !st.includes(rec.runtimeStatus)) return false;
  const from = date(q, 'createdTimeFrom');
  const to = date(q, 'createdTimeTo');
  const created = Date.parse(rec.createdTime);
  if (from !== undefined && created < from) return false;
  if (to !== undefined && created > to) return false;
  const prefix = q.get('instanceIdPrefix');
  if (prefix && !rec.instanceId.startsWith(prefix)) return false;
  return true;
}

function checkStatusResponse(ctx: DurableHttpContext, instanceId: string): DurableHttpResponse {
  const payload = managementUrls(ctx.origin, ctx.taskHub, instanceId);
  return {
    status: 202,
    headers: { Location: payload.statusQueryGetUri!, 'Retry-After': '10' },
    body: payload,
  };
}

function error(e: unknown): DurableHttpResponse {
  if (e instanceof DurableApiError) return { status: e.status, body: { Message: e.message } };
  return { status: 500, body: { Message: 'Something went wrong while processing your request', ExceptionMessage: String((e as Error)?.message ?? e) } };
}

function getStatus(ctx: DurableHttpContext, instanceId: string, q: URLSearchParams, requestUrl: string): DurableHttpResponse {
  const rec = ctx.engine.record(instanceId);
  if (!rec) return { status: 404 };
  const body = statusPayload(rec, {
    showInput: bool(q, 'showInput'),
    showHistory: bool(q, 'showHistory'),
    showHistoryOutput: bool(q, 'showHistoryOutput'),
  });
  if (!isTerminal(rec.runtimeStatus)) {
    return { status: 202, headers: { Location: requestUrl, 'Retry-After': '5' }, body };
  }
  const failed = rec.runtimeStatus === 'Failed' && bool(q, 'returnInternalServerErrorOnFailure') === true;
  return { status: failed ? 500 : 200, body };
}

/**
 * Handle one request below the durable base path. `path` is the rest of the path after the base
 * (e.g. `instances/abc/terminate`), `body` the raw request body.
 */
export async function handleDurableRequest(
  ctx: DurableHttpContext,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
  requestUrl: string,
  continuationToken?: string,
): Promise<DurableHttpResponse> {
  const seg = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  try {
    if (seg[0] === 'orchestrators') {
      if (method !== 'POST' || !seg[1] || seg.length > 3) return { status: 404 };
      let inputJson: string | null = null;
      if (body.length > 0) {
        try {
          JSON.parse(body);
        } catch {
          return { status: 400, body: { Message: 'Invalid JSON content' } };
        }
        inputJson = body;
      }
      const id = ctx.engine.startNew(seg[1], { instanceId: seg[2], inputJson });
      const timeout = Number(query.get('timeout'));
      if (query.has('timeout') && Number.isFinite(timeout) && timeout > 0) {
        await ctx.waitForCompletion(id, timeout * 1000).catch(() => undefined);
        const rec = ctx.engine.record(id);
        if (rec?.runtimeStatus === 'Completed') return { status: 200, body: parse(rec.output) };
        if (rec && isTerminal(rec.runtimeStatus)) return getStatus(ctx, id, query, requestUrl);
      }
      return checkStatusResponse(ctx, id);
    }

    if (seg[0] === 'entities') {
      return { status: 501, body: { Message: 'Durable entities are not supported by the local host.' } };
    }

    if (seg[0] !== 'instances') return { status: 404 };
    const instanceId = seg[1];

    if (!instanceId) {
      const matching = ctx.engine.records().filter((r) => matches(r, query));
      if (method === 'GET') {
        const showInput = bool(query, 'showInput');
        const top = Number(query.get('top'));
        const start = Number(continuationToken ?? 0) || 0;
        const pageSize = Number.isInteger(top) && top > 0 ? top : matching.length;
        const page = matching.slice(start, start + pageSize).map((r) => statusPayload(r, { showInput }));
        const headers: Record<string, string> = {};
        if (start + pageSize < matching.length) headers['x-ms-continuation-token'] = String(start + pageSize);
        return { status: 200, headers, body: page };
      }
      if (method === 'DELETE') {
        if (date(query, 'createdTimeFrom') === undefined) {
          return { status: 400, body: "Please provide value for 'createdTimeFrom' parameter." };
        }
        let deleted = 0;
        for (const r of matching) {
          if (isTerminal(r.runtimeStatus) && ctx.engine.purge(r.instanceId)) deleted++;
        }
        return deleted === 0 ? { status: 404 } : { status: 200, body: { instancesDeleted: deleted } };
      }
      return { status: 404 };
    }

    const operation = seg[2];
    if (!operation) {
      if (method === 'GET') return getStatus(ctx, instanceId, query, requestUrl);
      if (method === 'DELETE') {
        const deleted = ctx.engine.purge(instanceId);
        return deleted ? { status: 200, body: { instancesDeleted: 1 } } : { status: 404 };
      }
      return { status: 404 };
    }
    if (method !== 'POST') return { status: 404 };
    const reason = query.get('reason') ?? '';
    switch (operation.toLowerCase()) {
      case 'raiseevent': {
        const eventName = seg[3];
        if (!eventName || seg.length > 4) return { status: 404 };
        if (body.length > 0) {
          try {
            JSON.parse(body);
          } catch {
            return { status: 400, body: { Message: 'Invalid JSON content' } };
          }
        }
        ctx.engine.raiseEvent(instanceId, eventName, body.length > 0 ? body : null);
        return { status: 202 };
      }
      case 'terminate':
        ctx.engine.terminate(instanceId, reason);
        return { status: 202 };
      case 'suspend':
        ctx.engine.suspend(instanceId, reason);
        return { status: 202 };
      case 'resume':
        ctx.engine.resume(instanceId, reason);
        return { status: 202 };
      case 'rewind':
      case 'restart':
        if (!ctx.engine.record(instanceId)) return { status: 404 };
        return { status: 501, body: { Message: `The ${operation} operation is not supported by the local host.` } };
      default:
        return { status: 404 };
    }
  } catch (e) {
    return error(e);
  }
}
