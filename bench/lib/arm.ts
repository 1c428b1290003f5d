/**
 * Direct ARM calls into an emulator engine (no socket) to build estates quickly, and a request counter that
 * sees every ARM request the emulator answers (the emulator's own request log keeps only the last 10,000).
 */
import type { EmulatorEngine } from '../../emulator';

export const API = { redis: '2024-11-01', enterprise: '2022-01-01', network: '2026-01-01', dns: '2024-06-01' } as const;

/** One ARM request straight into the engine, with every long-running operation settled afterwards. */
export async function arm(engine: EmulatorEngine, method: string, path: string, apiVersion: string, body?: unknown): Promise<any> {
  const res = await engine.handle({
    method,
    url: `${path}?api-version=${apiVersion}`,
    headers: { authorization: 'Bearer bench', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status} ${res.body}`);
  engine.lro.settleAll();
  return res.body ? JSON.parse(res.body) : undefined;
}

export interface CountedRequest {
  method: string;
  path: string;
  status: number;
  /** Time the emulator took to answer (its own log's figure). */
  durationMs: number;
}

/**
 * Counts the ARM requests an engine answers from now on (control routes under /_emulator/ are not ARM requests
 * and are not counted). Keeps method, path and status of at most `max` requests; `total` counts them all.
 */
export function countRequests(engine: EmulatorEngine, max = 200_000): { readonly total: number; readonly requests: CountedRequest[]; reset(): void; stop(): void } {
  const state = { total: 0, requests: [] as CountedRequest[], active: true };
  const log = engine.log;
  const original = log.add;
  log.add = function add(this: typeof log, e) {
    if (state.active) {
      state.total++;
      if (state.requests.length < max) state.requests.push({ method: e.method, path: e.path, status: e.status, durationMs: e.durationMs });
    }
    return original.call(this, e);
  };
  return {
    get total() {
      return state.total;
    },
    get requests() {
      return state.requests;
    },
    reset() {
      state.total = 0;
      state.requests = [];
    },
    stop() {
      state.active = false;
      log.add = original;
    },
  };
}
