/**
 * What activities need from the outside world, built once from the app settings. Activities receive it as an
 * argument (never constructing clients themselves); tests and the local host replace it with `setDependencies`.
 */
import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { createClientFactory, StaticTokenCredential, type AzureClients } from './clients';
import { BlobDocumentStore, FileDocumentStore, type DocumentStore } from './document-store';
import { EndpointInventory } from './endpoint-inventory';

export interface Dependencies {
  clients: AzureClients;
  /** Durable documents: inventory and reports. */
  documents: DocumentStore;
  inventory: EndpointInventory;
  /** How often an activity polls a short long-running operation it waits on (the SDK poller interval). */
  lroPollIntervalMs: number;
}

export interface DependencyOptions {
  clients: AzureClients;
  documents: DocumentStore;
  /** Default 2,000 ms (the SDK default). */
  lroPollIntervalMs?: number;
}

/** The options to pass to an SDK long-running call an activity waits on. */
export function pollOptions(deps: Pick<Dependencies, 'lroPollIntervalMs'>): { updateIntervalInMs: number } {
  return { updateIntervalInMs: deps.lroPollIntervalMs };
}

export function createDependencies(options: DependencyOptions): Dependencies {
  return {
    clients: options.clients,
    documents: options.documents,
    inventory: new EndpointInventory(options.documents),
    lroPollIntervalMs: options.lroPollIntervalMs ?? 2000,
  };
}

/**
 * From app settings:
 * - AUTOPILOT_CLOUD: AzureCloud | AzureChinaCloud | AzureUSGovernment
 * - AUTOPILOT_ARM_ENDPOINT: send ARM requests to this base (the local emulator); the emulator accepts any token,
 *   so a static token is used and no Azure credential is needed.
 * - AZURE_CLIENT_ID: user-assigned managed identity in Azure (else DefaultAzureCredential).
 * - AUTOPILOT_LRO_POLL_MS: poll interval of the short long-running operations activities wait on (default 2000).
 * - AUTOPILOT_STATE_CONTAINER_URL: blob container for inventory and reports (Azure), else
 *   AUTOPILOT_STATE_DIR (default ./.autopilot) on disk.
 */
export function dependenciesFromEnv(env: Record<string, string | undefined> = process.env): Dependencies {
  const armTransportUrl = env.AUTOPILOT_ARM_ENDPOINT || undefined;
  let credential: TokenCredential;
  if (armTransportUrl) credential = new StaticTokenCredential();
  else if (env.AZURE_CLIENT_ID && env.WEBSITE_SITE_NAME) credential = new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID });
  else credential = new DefaultAzureCredential();
  const clients = createClientFactory({ cloud: env.AUTOPILOT_CLOUD, credential, armTransportUrl });
  const documents = env.AUTOPILOT_STATE_CONTAINER_URL
    ? new BlobDocumentStore(env.AUTOPILOT_STATE_CONTAINER_URL, credential)
    : new FileDocumentStore(path.resolve(env.AUTOPILOT_STATE_DIR ?? '.autopilot'));
  const poll = Number(env.AUTOPILOT_LRO_POLL_MS);
  return createDependencies({ clients, documents, ...(Number.isFinite(poll) && poll > 0 ? { lroPollIntervalMs: poll } : {}) });
}

let current: Dependencies | undefined;

export function getDependencies(): Dependencies {
  current ??= dependenciesFromEnv();
  return current;
}

export function setDependencies(deps: Dependencies | undefined): void {
  current = deps;
}
