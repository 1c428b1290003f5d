/**
 * Typed REST calls for what `@azure/arm-redisenterprisecache@2.2.0` (api 2022-01-01) cannot send: the AMR cluster
 * with `publicNetworkAccess` (api-version 2025-07-01, required on create since that version) and the migrations API
 * on the target cluster (api-version `MIGRATIONS_API_VERSION`). Requests go through the SDK client's own pipeline
 * (`ServiceClient.sendRequest`): the same credential, retry policy, user agent and transport (the emulator's
 * redirecting HttpClient) as every other ARM call. Errors are thrown as `RestError` (mapped once in arm-errors.ts).
 *
 * Ids reaching these URLs have passed `parseResourceId` (the canonical resource-id type).
 */
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { AzureClients } from './clients';
import { expectResourceType } from './resource-id';

export const AMR_PNA_API_VERSION = '2025-07-01';
/** Migrations first appear in 2025-08-01-preview; 2026-09-01 is the newest stable folder read (GA name unsettled). */
export const MIGRATIONS_API_VERSION = '2026-09-01';

export interface ArmJson {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string; capacity?: number };
  properties?: Record<string, any>;
  [k: string]: unknown;
}

const assertType = expectResourceType;

async function send(clients: AzureClients, subscriptionId: string, method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, apiVersion: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const client = clients.redisEnterprise(subscriptionId);
  const url = `${clients.cloud.armEndpoint.replace(/\/$/, '')}${path}?api-version=${apiVersion}`;
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const response = await client.sendRequest(request);
  let parsed: any;
  if (response.bodyAsText) {
    try {
      parsed = JSON.parse(response.bodyAsText);
    } catch {
      parsed = response.bodyAsText;
    }
  }
  if (response.status >= 400) {
    const err = parsed?.error ?? {};
    throw new RestError(err.message ?? `HTTP ${response.status}`, { code: err.code, statusCode: response.status, request, response });
  }
  return { status: response.status, body: parsed, headers: response.headers.toJSON() };
}

/** GET the cluster at api 2025-07-01 (with `publicNetworkAccess`); undefined on 404. */
export async function getManagedRedisCluster(clients: AzureClients, clusterId: string): Promise<ArmJson | undefined> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  try {
    return (await send(clients, p.subscriptionId, 'GET', clusterId, AMR_PNA_API_VERSION)).body as ArmJson;
  } catch (e) {
    if (e instanceof RestError && e.statusCode === 404) return undefined;
    throw e;
  }
}

export interface ClusterCreate {
  location: string;
  sku: string;
  highAvailability: 'Enabled' | 'Disabled';
  publicNetworkAccess: 'Enabled' | 'Disabled';
  tags: Record<string, string>;
}

/** PUT the cluster (starts the operation; the caller polls `getManagedRedisCluster`). */
export async function putManagedRedisCluster(clients: AzureClients, clusterId: string, c: ClusterCreate): Promise<ArmJson> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  return (
    await send(clients, p.subscriptionId, 'PUT', clusterId, AMR_PNA_API_VERSION, {
      location: c.location,
      sku: { name: c.sku },
      tags: c.tags,
      properties: { publicNetworkAccess: c.publicNetworkAccess, minimumTlsVersion: '1.2', highAvailability: c.highAvailability },
    })
  ).body as ArmJson;
}

export async function deleteManagedRedisCluster(clients: AzureClients, clusterId: string): Promise<boolean> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  try {
    const r = await send(clients, p.subscriptionId, 'DELETE', clusterId, AMR_PNA_API_VERSION);
    return r.status !== 204;
  } catch (e) {
    if (e instanceof RestError && e.statusCode === 404) return false;
    throw e;
  }
}

export interface MigrationValidation {
  isValid: boolean;
  errors: Array<{ disparities: Array<{ category: string; message: string }> }>;
  warnings: Array<{ disparities: Array<{ category: string; message: string }> }>;
}

/** Migrations_Validate (flat body). */
export async function validateMigration(clients: AzureClients, clusterId: string, sourceResourceId: string, skipDataMigration: boolean): Promise<MigrationValidation> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  assertType(sourceResourceId, 'Microsoft.Cache/Redis');
  const r = await send(clients, p.subscriptionId, 'POST', `${clusterId}/migrations/default/validate`, MIGRATIONS_API_VERSION, { sourceResourceId, skipDataMigration });
  return { isValid: !!r.body?.isValid, errors: r.body?.errors ?? [], warnings: r.body?.warnings ?? [] };
}

/** Migrations_Start: PUT migrations/default (switchDns and skipDataMigration are required). */
export async function startMigration(clients: AzureClients, clusterId: string, sourceResourceId: string, options: { switchDns: boolean; skipDataMigration: boolean }): Promise<ArmJson> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  assertType(sourceResourceId, 'Microsoft.Cache/Redis');
  return (
    await send(clients, p.subscriptionId, 'PUT', `${clusterId}/migrations/default`, MIGRATIONS_API_VERSION, {
      properties: { sourceType: 'AzureCacheForRedis', sourceResourceId, switchDns: options.switchDns, skipDataMigration: options.skipDataMigration },
    })
  ).body as ArmJson;
}

/** Migrations_Get; undefined on 404. The state is an open string (examples show values outside the enum). */
export async function getMigration(clients: AzureClients, clusterId: string): Promise<ArmJson | undefined> {
  const p = assertType(clusterId, 'Microsoft.Cache/redisEnterprise');
  try {
    return (await send(clients, p.subscriptionId, 'GET', `${clusterId}/migrations/default`, MIGRATIONS_API_VERSION)).body as ArmJson;
  } catch (e) {
    if (e instanceof RestError && e.statusCode === 404) return undefined;
    throw e;
  }
}

export interface ProviderInfo {
  registrationState: string;
  /** Resource type (lower case) -> normalised regions (`westus2`). */
  locations: Record<string, string[]>;
}

/** Providers_Get (api 2021-04-01): registration of a namespace in a subscription and where its types are offered. */
export async function getResourceProvider(clients: AzureClients, subscriptionId: string, namespace: string): Promise<ProviderInfo> {
  const r = await send(clients, subscriptionId, 'GET', `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/${encodeURIComponent(namespace)}`, '2021-04-01');
  const locations: Record<string, string[]> = {};
  for (const t of (r.body?.resourceTypes ?? []) as Array<{ resourceType?: string; locations?: string[] }>) {
    locations[String(t.resourceType ?? '').toLowerCase()] = (t.locations ?? []).map((l) => l.replace(/\s+/g, '').toLowerCase());
  }
  return { registrationState: String(r.body?.registrationState ?? 'Unknown'), locations };
}
