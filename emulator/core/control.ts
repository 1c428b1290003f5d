import { ArmError, type ArmResource, type EmulatorRequest, type EmulatorResponse, type EmulatorSettings } from './types';
import type { EmulatorEngine } from './engine';
import type { FaultSpec } from './faults';
import type { OperationFault } from './lro';
import type { RequestLogEntry } from './request-log';
import type { SettingsPatch } from './settings';
import type { Estate } from './estate';
import { checkConnectivity, type ConnectivityResult } from '../oracle/connectivity';

/** Test and operator controls (also served over HTTP under /_emulator/). */
export interface EmulatorControl {
  /** Answer the next `count` (default 1) matching requests with an error (optionally delayed). */
  injectFault(f: FaultSpec): void;
  /** Make the next `count` (default 1) long-running operations on a matching resource id end Failed. */
  failNextOperation(f: OperationFault): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Back to an estate (the one given at start when omitted): resources, operations, faults, log, throttle buckets. */
  reset(estate?: Estate | string): void;
  snapshot(): ArmResource[];
  restore(resources: ArmResource[]): void;
  connectivity(cacheId: string, from: string): ConnectivityResult;
  setSettings(p: SettingsPatch): void;
  /** Current settings (a copy). */
  settings(): EmulatorSettings;
  /** Completes every operation still in progress now (ignores lroDurationMs). */
  settleOperations(): void;
  /** Faults not consumed yet: request faults (windows with their remaining seconds) and operation faults. */
  pendingFaults(): { requests: FaultSpec[]; operations: OperationFault[] };
  /** In code only: drive the emulator's clock with another one (a test host's virtual clock); none = wall clock. */
  useClock(now?: () => Date): void;
  /** The next `count` operations on a resource id matching the pattern stay InProgress until released. */
  holdNextOperation(h: { resourcePattern: string; count?: number }): void;
  /** Releases held operations (they complete at their due time); returns how many were held. */
  releaseHeldOperations(): number;
}

export function createControl(engine: EmulatorEngine): EmulatorControl {
  return {
    injectFault: (f) => engine.injectFault(f),
    failNextOperation: (f) => engine.lro.addFault(f),
    requests: () => engine.requests(),
    clearRequests: () => engine.log.clear(),
    reset: (estate) => engine.reset(estate),
    snapshot: () => engine.store.snapshot(),
    restore: (resources) => engine.restore(resources),
    connectivity: (cacheId, from) => checkConnectivity(engine.ctx, cacheId, from),
    setSettings: (p) => void engine.updateSettings(p),
    settings: () => structuredClone(engine.settings),
    settleOperations: () => engine.lro.settleAll(),
    pendingFaults: () => ({ requests: engine.faults.pending(), operations: engine.lro.pendingFaults() }),
    useClock: (now) => engine.useClock(now),
    holdNextOperation: (h) => engine.lro.holdNext(h.resourcePattern, h.count),
    releaseHeldOperations: () => engine.lro.releaseHeld(),
  };
}

const ok = (body?: unknown, status = 200): EmulatorResponse => ({ status, body });

function requireBody(req: EmulatorRequest): any {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') {
    throw new ArmError(400, 'InvalidRequestContent', 'A JSON object body is required.');
  }
  return req.body;
}

/**
 * HTTP control routes:
 * POST /_emulator/faults, POST /_emulator/operation-faults, GET|DELETE /_emulator/requests, POST /_emulator/reset,
 * GET|PUT /_emulator/snapshot, GET /_emulator/connectivity?cache=&from=, GET|PATCH /_emulator/settings,
 * POST /_emulator/settle, GET /_emulator/health.
 */
export function handleControlRequest(req: EmulatorRequest, engine: EmulatorEngine): EmulatorResponse | undefined {
  const control = createControl(engine);
  const route = `${req.method} ${req.path.replace(/\/+$/, '').toLowerCase()}`;
  try {
    switch (route) {
      case 'GET /_emulator/health':
        return ok({
          status: 'ok',
          resources: engine.store.size,
          pendingOperations: engine.lro.pendingCount(),
          providers: engine.providers.map((p) => ({ name: p.name, routes: p.routes.length })),
        });
      case 'POST /_emulator/faults': {
        const b = requireBody(req);
        if (typeof b.pathPattern !== 'string' || typeof b.status !== 'number' || typeof b.code !== 'string') {
          throw new ArmError(400, 'InvalidRequestContent', 'A fault needs pathPattern (string), status (number) and code (string).');
        }
        if (b.startOn !== undefined && (typeof b.startOn !== 'object' || typeof b.startOn?.pathPattern !== 'string')) {
          throw new ArmError(400, 'InvalidRequestContent', 'startOn needs pathPattern (string), and optionally method and bodyPattern.');
        }
        control.injectFault(b as FaultSpec);
        return ok(undefined, 204);
      }
      case 'POST /_emulator/operation-faults': {
        const b = requireBody(req);
        if (typeof b.resourcePattern !== 'string' || typeof b.code !== 'string' || typeof b.message !== 'string') {
          throw new ArmError(400, 'InvalidRequestContent', 'An operation fault needs resourcePattern, code and message (strings).');
        }
        control.failNextOperation(b as OperationFault);
        return ok(undefined, 204);
      }
      case 'GET /_emulator/faults':
        return ok(control.pendingFaults());
      case 'GET /_emulator/requests':
        return ok({ value: control.requests() });
      case 'DELETE /_emulator/requests':
        control.clearRequests();
        return ok(undefined, 204);
      case 'POST /_emulator/reset':
        control.reset(req.body && typeof req.body === 'object' ? (req.body as Estate) : undefined);
        return ok(undefined, 204);
      case 'GET /_emulator/snapshot':
        return ok({ resources: control.snapshot() });
      case 'PUT /_emulator/snapshot': {
        const b = requireBody(req);
        if (!Array.isArray(b.resources)) throw new ArmError(400, 'InvalidRequestContent', 'Expected { "resources": [...] }.');
        control.restore(b.resources as ArmResource[]);
        return ok(undefined, 204);
      }
      case 'GET /_emulator/connectivity': {
        const cache = req.url.searchParams.get('cache');
        const from = req.url.searchParams.get('from');
        if (!cache || !from) throw new ArmError(400, 'InvalidRequestContent', 'Query parameters cache and from are required.');
        return ok(control.connectivity(cache, from));
      }
      case 'GET /_emulator/settings':
        return ok(control.settings());
      case 'PATCH /_emulator/settings':
        control.setSettings(requireBody(req) as SettingsPatch);
        return ok(control.settings());
      case 'POST /_emulator/settle':
        control.settleOperations();
        return ok(undefined, 204);
      default:
        return undefined;
    }
  } catch (e) {
    if (e instanceof ArmError) throw e;
    throw new ArmError(400, 'InvalidRequestContent', (e as Error).message);
  }
}
