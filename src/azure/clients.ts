/**
 * The one place that builds Azure management clients.
 *
 * Production and emulator mode use the same SDK clients, the same URLs (https://management.azure.com/...)
 * and the same bearer-token pipeline. Only the transport differs: with `armTransportUrl` set, an HttpClient
 * sends each request to that base instead (for example the local ARM emulator on http://127.0.0.1:PORT).
 * There is no other emulator branch in the product.
 */
import type { TokenCredential, AccessToken } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import {
  createDefaultHttpClient,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { RedisManagementClient } from '@azure/arm-rediscache';
import { RedisEnterpriseManagementClient } from '@azure/arm-redisenterprisecache';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { getCloud, type CloudSettings } from './cloud';

export interface ClientFactoryOptions {
  /** AzureCloud (default), AzureChinaCloud or AzureUSGovernment. */
  cloud?: string;
  /** Defaults to DefaultAzureCredential. */
  credential?: TokenCredential;
  /**
   * Send every ARM request to this base URL instead of the cloud's endpoint, keeping the request's path and
   * query. Used for the local ARM emulator (`http://127.0.0.1:PORT`).
   */
  armTransportUrl?: string;
  /**
   * SDK retry settings. `maxInProcessRetryAfterMs` (default 5,000): a 429/503 whose `Retry-After` asks for a longer
   * wait is not slept on inside the activity (an activity is billed and bounded while it sleeps); the SDK gives up
   * on it at once and the wait happens on a durable timer (the error carries `retry-after-ms=N`).
   */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number; maxInProcessRetryAfterMs?: number };
  userAgentPrefix?: string;
}

export interface AzureClients {
  cloud: CloudSettings;
  redis(subscriptionId: string): RedisManagementClient;
  redisEnterprise(subscriptionId: string): RedisEnterpriseManagementClient;
  network(subscriptionId: string): NetworkManagementClient;
  privateDns(subscriptionId: string): PrivateDnsManagementClient;
  resourceGraph(): ResourceGraphClient;
}

export const USER_AGENT = 'redis-private-link-autopilot/0.1.0';

/** An HttpClient that keeps the SDK's URL but sends it to another base (path and query kept). */
export function createRedirectingHttpClient(fromBase: string, toBase: string): HttpClient {
  const inner = createDefaultHttpClient();
  const from = new URL(fromBase);
  const to = new URL(toBase);
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const original = request.url;
      const url = new URL(original);
      if (url.host.toLowerCase() !== from.host.toLowerCase()) return inner.sendRequest(request);
      url.protocol = to.protocol;
      url.host = to.host;
      // Only the transport sees the other base: the SDK (LRO pollers, pagers, the bearer-token policy on the
      // next request) keeps seeing the ARM URL, so the URL is restored once the response is in.
      request.url = url.toString();
      const insecure = request.allowInsecureConnection;
      if (to.protocol === 'http:') request.allowInsecureConnection = true;
      try {
        return await inner.sendRequest(request);
      } finally {
        request.url = original;
        request.allowInsecureConnection = insecure;
      }
    },
  };
}

/** Header that carries a deferred `Retry-After` (ms) to the error mapping (`mapArmError().retryAfterMs`). */
export const DEFERRED_RETRY_AFTER_HEADER = 'x-autopilot-retry-after-ms';

function retryAfterMsOf(response: PipelineResponse): number | undefined {
  for (const [name, scale] of [['retry-after-ms', 1], ['x-ms-retry-after-ms', 1], ['retry-after', 1000]] as const) {
    const raw = response.headers.get(name);
    if (raw === undefined || raw === null || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return n * scale;
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/**
 * Runs inside the SDK's retry loop, on every attempt: a throttled (429) or unavailable (503) answer asking for a
 * wait longer than `maxMs` loses its Retry-After headers (so the SDK does not sleep on it in-process) and keeps the
 * value in DEFERRED_RETRY_AFTER_HEADER for the orchestrator's durable wait.
 */
export function deferLongRetryAfterPolicy(maxMs: number): PipelinePolicy {
  return {
    name: 'autopilotDeferLongRetryAfter',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        const ms = retryAfterMsOf(response);
        if (ms !== undefined && ms > maxMs) {
          for (const name of ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms']) response.headers.delete(name);
          response.headers.set(DEFERRED_RETRY_AFTER_HEADER, String(Math.round(ms)));
        }
      }
      return response;
    },
  };
}

/** A credential for the emulator, which accepts any bearer token. Never used against Azure. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token = 'emulator-token') {}
  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

export function createClientFactory(options: ClientFactoryOptions = {}): AzureClients {
  const cloud = getCloud(options.cloud);
  const credential = options.credential ?? new DefaultAzureCredential();
  const httpClient = options.armTransportUrl
    ? createRedirectingHttpClient(cloud.armEndpoint, options.armTransportUrl)
    : undefined;
  const common = {
    ...(httpClient ? { httpClient } : {}),
    retryOptions: {
      maxRetries: options.retry?.maxRetries ?? 4,
      retryDelayInMs: options.retry?.retryDelayInMs ?? 1000,
      maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 30_000,
    },
    userAgentOptions: { userAgentPrefix: options.userAgentPrefix ?? USER_AGENT },
    additionalPolicies: [{ policy: deferLongRetryAfterPolicy(options.retry?.maxInProcessRetryAfterMs ?? 5_000), position: 'perRetry' as const }],
  };
  // HLC clients (rediscache, redisenterprisecache) take the endpoint and the token scope explicitly;
  // modular clients (network, privatedns, resourcegraph) take the cloud setting.
  const hlc = { ...common, endpoint: cloud.armEndpoint, credentialScopes: [cloud.armScope] };
  const modular = { ...common, cloudSetting: cloud.sdkCloudSetting, credentials: { scopes: [cloud.armScope] } };

  const memo = <T>(make: (sub: string) => T) => {
    const cache = new Map<string, T>();
    return (sub: string): T => {
      let client = cache.get(sub);
      if (!client) {
        client = make(sub);
        cache.set(sub, client);
      }
      return client;
    };
  };
  let graph: ResourceGraphClient | undefined;
  return {
    cloud,
    redis: memo((sub) => new RedisManagementClient(credential, sub, hlc)),
    redisEnterprise: memo((sub) => new RedisEnterpriseManagementClient(credential, sub, hlc)),
    network: memo((sub) => new NetworkManagementClient(credential, sub, modular)),
    privateDns: memo((sub) => new PrivateDnsManagementClient(credential, sub, modular)),
    resourceGraph: () => (graph ??= new ResourceGraphClient(credential, modular)),
  };
}
