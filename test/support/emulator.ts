/** Starts an ARM emulator and the product's real SDK client factory pointed at it (fast retries). */
import { startEmulator, type RunningEmulator, type Estate } from '../../emulator';
import type { EmulatorSettings } from '../../emulator/core/types';
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
  settings?: Partial<EmulatorSettings>,
): Promise<TestEmulator> {
  const emu = await startEmulator({ estate, settings });
  const clients = createClientFactory({
    armTransportUrl: emu.url,
    credential: new StaticTokenCredential(),
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  return { emu, clients, close: () => emu.close() };
}
