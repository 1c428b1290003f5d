import { ArmError, type EmulatorContext, type LroManager, type LroStartOptions, type LroStyle, type RouteDef, type EmulatorResponse } from './types';
import { parseResourceId } from './ids';
import { locationDisplayName, normalizeLocation } from './locations';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface OperationRecord {
  id: string;
  style: LroStyle;
  subscriptionId: string;
  resourceGroupName?: string;
  /** As given by the provider (Redis: display name, e.g. 'East US'). */
  location: string;
  resourceId: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  dueAt: number;
  error?: { code: string; message: string };
  /** Set when failNextOperation matched at start. */
  injectedError?: { code: string; message: string };
  /** Set when holdNextOperation matched at start: stays InProgress until releaseHeldOperations (test control). */
  held?: boolean;
  apiVersion: string;
  complete: () => void;
  fail?: (error: { code: string; message: string }) => void;
}

export interface OperationFault {
  resourcePattern: string;
  /** Only operations started by a request with this method (e.g. `PUT` for a relink, not the unlink's `DELETE`). */
  method?: string;
  code: string;
  message: string;
  count?: number;
}

/**
 * Long-running operations. `start` registers an operation and returns the headers of the initial response;
 * the operation stays InProgress until `settings.lroDurationMs` has passed, and `settleDue` (run before every
 * HTTP request) completes it then. With `lroDurationMs: 0` an operation completes on the next request, i.e.
 * the SDK's first poll. The status/result URLs are served by `lroRoutes()`.
 */
export class OperationManager implements LroManager {
  private readonly ops = new Map<string, OperationRecord>();
  private faults: Array<OperationFault & { remaining: number; regex: RegExp }> = [];
  private holds: Array<{ regex: RegExp; remaining: number }> = [];
  /** The api-version of the request being handled (used in the URLs we hand out). */
  currentApiVersion: string | null = null;
  /** The method of the request being handled (operation faults may be limited to one method). */
  currentMethod: string | null = null;

  constructor(private readonly ctx: () => EmulatorContext) {}

  start(options: LroStartOptions): { operationId: string; headers: Record<string, string> } {
    const ctx = this.ctx();
    const id = ctx.newGuid();
    const now = ctx.now();
    const parsed = parseResourceId(options.resourceId);
    const rec: OperationRecord = {
      id,
      style: options.style,
      subscriptionId: options.subscriptionId,
      resourceGroupName: parsed?.resourceGroupName,
      location: options.location,
      resourceId: options.resourceId,
      status: 'InProgress',
      startTime: now.toISOString(),
      dueAt: now.getTime() + Math.max(0, ctx.settings.lroDurationMs),
      apiVersion: this.currentApiVersion ?? defaultApiVersion(options.style),
      complete: options.complete,
      fail: options.fail,
    };
    const method = this.currentMethod?.toUpperCase();
    const fault = this.faults.find((f) => f.remaining > 0 && f.regex.test(options.resourceId) && (!f.method || f.method.toUpperCase() === method));
    if (fault) {
      fault.remaining -= 1;
      rec.injectedError = { code: fault.code, message: fault.message };
      this.faults = this.faults.filter((f) => f.remaining > 0);
    }
    const hold = this.holds.find((h) => h.remaining > 0 && h.regex.test(options.resourceId));
    if (hold) {
      hold.remaining -= 1;
      rec.held = true;
      this.holds = this.holds.filter((h) => h.remaining > 0);
    }
    this.ops.set(id.toLowerCase(), rec);
    this.prune();
    const headers: Record<string, string> = {};
    if (options.headers.includes('azure-async-operation')) headers['Azure-AsyncOperation'] = this.statusUrl(rec);
    if (options.headers.includes('location')) headers['Location'] = options.locationUrl ?? this.resultUrl(rec);
    const retryAfter = ctx.settings.lroRetryAfterSeconds;
    if (retryAfter !== undefined && options.headers.length > 0) headers['Retry-After'] = String(retryAfter);
    return { operationId: id, headers };
  }

  /** Keeps memory bounded in a long-running emulator: forgets the oldest finished operations beyond 10,000. */
  private prune(max = 10_000): void {
    if (this.ops.size <= max) return;
    for (const [key, op] of this.ops) {
      if (this.ops.size <= max) break;
      if (op.status !== 'InProgress') this.ops.delete(key);
    }
  }

  settleDue(): void {
    const now = this.ctx().now().getTime();
    for (const op of this.ops.values()) {
      if (op.status === 'InProgress' && !op.held && op.dueAt <= now) this.finish(op);
    }
  }

  /**
   * Test control: the next `count` operations on a resource matching the pattern stay InProgress, whatever
   * lroDurationMs says, until `releaseHeld()`. Lets a test observe "the workflow waits" without wall-clock timing.
   */
  holdNext(resourcePattern: string, count = 1): void {
    this.holds.push({ regex: new RegExp(resourcePattern, 'i'), remaining: count });
  }

  /** Lets held operations complete at their due time (the next request settles those already due). */
  releaseHeld(): number {
    let n = 0;
    for (const op of this.ops.values()) {
      if (op.held) {
        op.held = false;
        n++;
      }
    }
    this.holds = [];
    return n;
  }

  /** Completes (or fails) every operation still in progress, regardless of its due time. */
  settleAll(): void {
    for (const op of this.ops.values()) if (op.status === 'InProgress') this.finish(op);
  }

  private finish(op: OperationRecord): void {
    const endTime = this.ctx().now().toISOString();
    if (op.injectedError) {
      this.markFailed(op, op.injectedError, endTime);
      return;
    }
    try {
      op.complete();
      op.status = 'Succeeded';
      op.endTime = endTime;
    } catch (e) {
      const error = e instanceof ArmError ? { code: e.code, message: e.message } : { code: 'InternalServerError', message: String((e as Error)?.message ?? e) };
      this.markFailed(op, error, endTime);
    }
  }

  private markFailed(op: OperationRecord, error: { code: string; message: string }, endTime: string): void {
    op.status = 'Failed';
    op.error = error;
    op.endTime = endTime;
    try {
      op.fail?.(error);
    } catch {
      // a failing fail-hook must not break the request being served
    }
  }

  addFault(fault: OperationFault): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1, regex: new RegExp(fault.resourcePattern, 'i') });
  }

  get(operationId: string): OperationRecord | undefined {
    return this.ops.get(operationId.toLowerCase());
  }

  list(): OperationRecord[] {
    return [...this.ops.values()];
  }

  /** Operation faults not consumed yet. */
  pendingFaults(): OperationFault[] {
    return this.faults.map(({ remaining, regex: _r, ...f }) => ({ ...f, count: remaining }));
  }

  pendingCount(): number {
    return [...this.ops.values()].filter((o) => o.status === 'InProgress').length;
  }

  clear(): void {
    this.ops.clear();
    this.faults = [];
  }

  /** The Azure-AsyncOperation URL for an operation. */
  statusUrl(op: OperationRecord): string {
    const base = this.ctx().publicBaseUrl;
    const q = `?api-version=${encodeURIComponent(op.apiVersion)}`;
    const loc = encodeURIComponent(op.location);
    switch (op.style) {
      case 'redis':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${loc}/asyncOperations/${op.id}${q}`;
      case 'redisEnterprise':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${loc}/operationsStatus/${op.id}${q}`;
      case 'network':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${loc}/operations/${op.id}${q}`;
      case 'privateDns':
        return `${base}/subscriptions/${op.subscriptionId}/resourceGroups/${op.resourceGroupName ?? 'unknown'}/providers/Microsoft.Network/privateDnsOperationStatuses/${op.id}${q}`;
    }
  }

  /** The Location (operation result) URL for an operation. */
  resultUrl(op: OperationRecord): string {
    const base = this.ctx().publicBaseUrl;
    const q = `?api-version=${encodeURIComponent(op.apiVersion)}`;
    const loc = encodeURIComponent(op.location);
    switch (op.style) {
      case 'redis':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${loc}/operationresults/${op.id}${q}`;
      case 'redisEnterprise':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${loc}/operationsStatus/${op.id}${q}`;
      case 'network':
        return `${base}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${loc}/operationResults/${op.id}${q}`;
      case 'privateDns':
        return `${base}/subscriptions/${op.subscriptionId}/resourceGroups/${op.resourceGroupName ?? 'unknown'}/providers/Microsoft.Network/privateDnsOperationResults/${op.id}${q}`;
    }
  }

  /** Body of a status poll, in the shape of each provider. */
  statusBody(op: OperationRecord): Record<string, unknown> {
    switch (op.style) {
      case 'redis':
        return {
          id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${op.location}/asyncOperations/${op.id}`,
          name: op.id,
          status: op.status,
          startTime: op.startTime,
          endTime: op.endTime ?? null,
          percentComplete: op.status === 'InProgress' ? null : 100,
          properties: null,
          error: op.error ?? null,
        };
      case 'redisEnterprise':
        return {
          id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.Cache/locations/${normalizeLocation(op.location)}/operationsStatus/${op.id}`,
          name: op.id,
          startTime: op.startTime,
          ...(op.endTime ? { endTime: op.endTime } : {}),
          status: op.status,
          ...(op.error ? { error: op.error } : {}),
        };
      case 'network':
      case 'privateDns':
        return { status: op.status, ...(op.error ? { error: op.error } : {}) };
    }
  }

  private retryHeaders(): Record<string, string> {
    const ra = this.ctx().settings.lroRetryAfterSeconds;
    return ra !== undefined ? { 'Retry-After': String(ra) } : {};
  }

  private lookup(operationId: string, style: LroStyle[]): OperationRecord {
    const op = this.get(operationId);
    if (!op || !style.includes(op.style)) {
      throw new ArmError(404, 'OperationNotFound', `The operation '${operationId}' could not be found.`);
    }
    return op;
  }

  private statusResponse(op: OperationRecord): EmulatorResponse {
    return { status: 200, headers: op.status === 'InProgress' ? this.retryHeaders() : {}, body: this.statusBody(op) };
  }

  /** Result polls (Location): 202 while running, then 200 empty (redis) / 204 (network, privateDns), or the error. */
  private resultResponse(op: OperationRecord, doneStatus: number): EmulatorResponse {
    if (op.status === 'InProgress') {
      return { status: 202, headers: { Location: this.resultUrl(op), ...this.retryHeaders() } };
    }
    if (op.status === 'Failed' && op.error) throw new ArmError(400, op.error.code, op.error.message);
    return { status: doneStatus };
  }

  /** The routes that serve operation status and result polls for every style. */
  routes(): RouteDef[] {
    const read = 'read' as const;
    return [
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/asyncOperations/{operationId}',
        handler: (_req, p) => this.statusResponse(this.lookup(p.operationId, ['redis'])),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/operationresults/{operationId}',
        handler: (_req, p) => this.resultResponse(this.lookup(p.operationId, ['redis']), 200),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/operationsStatus/{operationId}',
        handler: (_req, p) => this.statusResponse(this.lookup(p.operationId, ['redisEnterprise'])),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/operations/{operationId}',
        handler: (_req, p) => this.statusResponse(this.lookup(p.operationId, ['network'])),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/operationResults/{operationId}',
        handler: (_req, p) => this.resultResponse(this.lookup(p.operationId, ['network']), 204),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateDnsOperationStatuses/{operationId}',
        handler: (_req, p) => this.statusResponse(this.lookup(p.operationId, ['privateDns'])),
      },
      {
        method: 'GET', kind: read,
        template: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateDnsOperationResults/{operationId}',
        handler: (_req, p) => this.resultResponse(this.lookup(p.operationId, ['privateDns']), 204),
      },
    ];
  }
}

function defaultApiVersion(style: LroStyle): string {
  switch (style) {
    case 'redis':
      return '2024-11-01';
    case 'redisEnterprise':
      return '2022-01-01';
    case 'network':
      return '2026-01-01';
    case 'privateDns':
      return '2024-06-01';
  }
}

/** Redis puts the display name in its operation URLs (`East US` -> `East%20US`). */
export function redisOperationLocation(location: string): string {
  return locationDisplayName(location);
}
