/** Starts an ARM emulator and the product's real SDK client factory pointed at it (fast retries). */
import { startEmulator, type RunningEmulator, type Estate } from '../../emulator';
import type { EmulatorSettings } from '../../emulator/core/types';
import type { SettingsPatch } from '../../emulator/core/settings';
import { createClientFactory, StaticTokenCredential, type AzureClients } from '../../src/azure/clients';

export interface TestEmulator {
  emu: RunningEmulator;
  clients: AzureClients;
  close(): Promise<void>;
}

/** LRO poll interval to pass to SDK pollers in tests (`{ updateIntervalInMs: FAST_POLL_MS }`). */
export const FAST_POLL_MS = 5;

export async function startTestEmulator(
  estate?: Estate | string,
  settings?: Partial<EmulatorSettings> | SettingsPatch,
): Promise<TestEmulator> {
  const emu = await startEmulator({ estate, settings });
  const clients = createClientFactory({
    armTransportUrl: emu.url,
    credential: new StaticTokenCredential(),
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  return { emu, clients, close: () => emu.close() };
}

/** A raw HTTP response seen by an SDK call (through the `onResponse` operation option). */
export interface SeenResponse {
  status: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
}

/**
 * Collects every raw response of SDK calls: pass `{ onResponse: seen.onResponse }` in the operation options.
 * For LROs the SDK calls it for the initial response, each poll and the final GET.
 */
export function responseRecorder(): { onResponse: (raw: any) => void; responses: SeenResponse[] } {
  const responses: SeenResponse[] = [];
  return {
    responses,
    onResponse: (raw: any) => {
      // The wire body (parsedBody is the SDK's deserialized, flattened form).
      let body: any;
      if (typeof raw.bodyAsText === 'string' && raw.bodyAsText.length > 0) {
        try {
          body = JSON.parse(raw.bodyAsText);
        } catch {
          body = raw.bodyAsText;
        }
      }
      responses.push({
        status: raw.status,
        url: raw.request?.url ?? '',
        method: raw.request?.method ?? '',
        headers: raw.headers?.toJSON ? raw.headers.toJSON() : {},
        body,
      });
    },
  };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Where `actual` (a wire body from the emulator) does not have the shape of `expected` (a real payload):
 * every key of `expected` must exist in `actual` with the same JSON type, recursively (arrays: the first
 * element of each, when both have one). Paths in `ignore` (e.g. 'properties.accessKeys') are skipped.
 */
export function shapeMismatches(expected: unknown, actual: unknown, ignore: string[] = [], path = ''): string[] {
  if (ignore.includes(path)) return [];
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${path || '(root)'}: expected ${te}, got ${ta}`];
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    return e.length > 0 && a.length > 0 ? shapeMismatches(e[0], a[0], ignore, `${path}[0]`) : [];
  }
  if (te !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    if (ignore.includes(p)) continue;
    if (!(k in (actual as Record<string, unknown>))) out.push(`${p}: missing`);
    else out.push(...shapeMismatches(v, (actual as Record<string, unknown>)[k], ignore, p));
  }
  return out;
}
