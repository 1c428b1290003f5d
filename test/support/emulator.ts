/** Starts an ARM emulator and the product's real SDK client factory pointed at it (fast retries). */
import { startEmulator, type RunningEmulator, type Estate } from '../../emulator';
import type { EmulatorSettings } from '../../emulator/core/types';
import type { SettingsPatch } from '../../emulator/core/settings';
import { shapeDiff } from './shape';
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

export function shapeMismatches(expected: unknown, actual: unknown, ignore: string[] = []): string[] {
  return shapeDiff(expected, actual, { ignore, nonEmptyArrays: false });
}
