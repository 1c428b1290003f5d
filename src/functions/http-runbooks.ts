/**
 * HTTP runbooks under /api/runbooks: parse and validate (zod; 400 naming the field and the rule), authorize
 * (App Service authentication principal, role/group and subscription allow-list), start the orchestration, answer
 * 202 with the Durable status URLs (dry-run: wait briefly and answer with the plan). No ARM call happens here.
 */
import { loggerFor } from '../observability/logger';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { z } from 'zod';
import { parseResourceId } from '../azure/resource-id';
import { OrchestratorNames, boundedInstanceId, cacheInstanceId } from '../orchestrations/names';
import { isActiveStatus, startOrSignal } from './start-or-signal';
import { authConfigFromEnv, authorize } from './http/auth';
import { openApiDocument } from './http/openapi';
import {
  addEndpointBody,
  cacheOnlyBody,
  createCacheBody,
  migrateBody,
  parseBody,
  publicAccessBody,
  removeEndpointBody,
  type CreateCacheBody,
} from './http/schemas';
import { envelope } from './config';

interface Runbook<S extends z.ZodType> {
  name: string;
  route: string;
  schema: S;
  orchestrator: string;
  /** Subscriptions the request touches (authorization). */
  subscriptions(body: z.output<S>): string[];
  /** Orchestration input (the envelope is added). */
  input(body: z.output<S>): Record<string, unknown>;
  cacheId(body: z.output<S>): string;
  /**
   * The workflow part of the deterministic instance id (default: the runbook name). Remediation uses 'remediate',
   * shared with events and sweeps: one remediation per cache, and a second request re-checks the running one.
   */
  instanceWorkflow?: string;
  signalIfRunning?: boolean;
}

const subOf = (id: string) => parseResourceId(id).subscriptionId;

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Content-Type': 'application/json', ...headers } };
}

function register<S extends z.ZodType>(rb: Runbook<S>): void {
  app.http(rb.name, {
    methods: ['POST'],
    route: rb.route,
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      let authConfig;
      try {
        authConfig = authConfigFromEnv(process.env);
      } catch (e) {
        return json(500, { error: { code: 'Misconfigured', message: (e as Error).message } });
      }
      // Who is calling first (401/403 before anything about the request is revealed), then what, then where.
      const caller = authorize(request.headers, authConfig, []);
      if (!caller.ok) return json(caller.status, { error: { code: caller.status === 401 ? 'Unauthorized' : 'Forbidden', message: caller.message } });
      const text = await request.text();
      const parsed = parseBody(rb.schema, text.length ? text : undefined);
      if (!parsed.ok) return json(400, { error: parsed.error });
      const body = parsed.value as z.output<S> & { dryRun?: boolean };
      const auth = authorize(request.headers, authConfig, rb.subscriptions(body));
      if (!auth.ok) return json(auth.status, { error: { code: auth.status === 401 ? 'Unauthorized' : 'Forbidden', message: auth.message } });
      let env;
      try {
        env = envelope();
      } catch (e) {
        return json(500, { error: { code: 'InvalidPolicy', message: (e as Error).message } });
      }
      const client = df.getClient(context);
      const cacheId = rb.cacheId(body);
      const input = { ...env, ...rb.input(body), ...(body.dryRun ? { dryRun: true } : {}) };
      const base = cacheInstanceId(rb.instanceWorkflow ?? rb.name, cacheId);
      const instanceId = body.dryRun ? boundedInstanceId(`${base}:dryrun:${Date.now()}`) : base;
      const existing = await client.getStatus(instanceId).catch(() => undefined);
      if (existing && isActiveStatus(existing.runtimeStatus) && rb.signalIfRunning) {
        await startOrSignal(client, rb.orchestrator, instanceId, input, { eventTime: new Date().toISOString() });
        loggerFor(context, { cacheId, instanceId }).info(`${rb.name}: ${instanceId} already runs; asked it to re-check`);
        return client.createCheckStatusResponse(request, instanceId);
      }
      if (existing && isActiveStatus(existing.runtimeStatus)) {
        const statusUrl = `${new URL(request.url).origin}/api/runbooks/operations/${encodeURIComponent(instanceId)}`;
        return json(409, { error: { code: 'OperationInProgress', message: `A ${rb.name} operation for ${cacheId} is already running (${instanceId}).` }, instanceId, statusUrl }, { Location: statusUrl });
      }
      if (existing) await client.purgeInstanceHistory(instanceId).catch(() => undefined);
      await client.startNew(rb.orchestrator, { instanceId, input });
      loggerFor(context, { cacheId, instanceId }).info(`${rb.name}: started ${rb.orchestrator} ${instanceId}${body.dryRun ? ' (dry-run)' : ''}`);
      if (body.dryRun) {
        return client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, { timeoutInMilliseconds: 30_000, retryIntervalInMilliseconds: 200 });
      }
      return client.createCheckStatusResponse(request, instanceId);
    },
  });
}

register({
  name: 'httpAddPrivateEndpoint',
  route: 'runbooks/add-endpoint',
  schema: addEndpointBody,
  orchestrator: OrchestratorNames.addPrivateEndpoint,
  subscriptions: (b) => [subOf(b.cacheId), subOf(b.subnetId)],
  input: (b) => ({ cacheId: b.cacheId, subnetId: b.subnetId, privateEndpointName: b.privateEndpointName, geoReplication: b.geoReplication, publicNetworkAccess: b.publicNetworkAccess }),
  cacheId: (b) => b.cacheId,
});

register({
  name: 'httpRemovePrivateEndpoint',
  route: 'runbooks/remove-endpoint',
  schema: removeEndpointBody,
  orchestrator: OrchestratorNames.removePrivateEndpoint,
  subscriptions: (b) => [subOf(b.cacheId), subOf(b.privateEndpointId)],
  input: (b) => ({ cacheId: b.cacheId, privateEndpointId: b.privateEndpointId, acceptDataLoss: b.acceptDataLoss }),
  cacheId: (b) => b.cacheId,
});

register({
  name: 'httpSetPublicNetworkAccess',
  route: 'runbooks/public-access',
  schema: publicAccessBody,
  orchestrator: OrchestratorNames.setPublicNetworkAccess,
  subscriptions: (b) => [subOf(b.cacheId)],
  input: (b) => ({ cacheId: b.cacheId, value: b.value, force: b.force }),
  cacheId: (b) => b.cacheId,
});

function createInput(b: CreateCacheBody): Record<string, unknown> {
  const cacheId = `/subscriptions/${b.subscriptionId}/resourceGroups/${b.resourceGroup}/providers/Microsoft.Cache/Redis/${b.name}`;
  const vnet = b.virtualNetwork;
  return {
    cache: {
      cacheId,
      location: b.location,
      sku: { name: b.sku.name, family: b.sku.name === 'Premium' ? 'P' : 'C', capacity: b.sku.capacity },
      ...(b.shardCount ? { shardCount: b.shardCount } : {}),
    },
    virtualNetwork: {
      virtualNetworkId: `/subscriptions/${b.subscriptionId}/resourceGroups/${b.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${vnet.name}`,
      addressPrefixes: vnet.addressPrefixes,
      subnetName: vnet.subnetName,
      subnetAddressPrefix: vnet.subnetAddressPrefix,
    },
    privateEndpointName: b.privateEndpointName,
  };
}

register({
  name: 'httpCreateCacheWithPrivateEndpoint',
  route: 'runbooks/create-cache',
  schema: createCacheBody,
  orchestrator: OrchestratorNames.createCacheWithPrivateEndpoint,
  subscriptions: (b) => [b.subscriptionId],
  input: createInput,
  cacheId: (b) => `/subscriptions/${b.subscriptionId}/resourceGroups/${b.resourceGroup}/providers/Microsoft.Cache/Redis/${b.name}`,
});

register({
  name: 'httpRemediateCache',
  route: 'runbooks/remediate',
  schema: cacheOnlyBody,
  orchestrator: OrchestratorNames.remediateCache,
  subscriptions: (b) => [subOf(b.cacheId)],
  input: (b) => ({ cacheId: b.cacheId, reason: 'runbook' }),
  cacheId: (b) => b.cacheId,
  instanceWorkflow: 'remediate',
  signalIfRunning: true,
});

register({
  name: 'httpVerifyCache',
  route: 'runbooks/verify',
  schema: cacheOnlyBody,
  orchestrator: OrchestratorNames.verifyCache,
  subscriptions: (b) => [subOf(b.cacheId)],
  input: (b) => ({ cacheId: b.cacheId }),
  cacheId: (b) => b.cacheId,
});

register({
  name: 'httpMigrateToManagedRedis',
  route: 'runbooks/migrate',
  schema: migrateBody,
  orchestrator: OrchestratorNames.migrateToManagedRedis,
  subscriptions: (b) => [subOf(b.cacheId), ...(b.endpointSubnetIds ?? []).map(subOf)],
  input: (b) => ({ cacheId: b.cacheId, targetSku: b.targetSku, targetName: b.targetName, data: b.data, exportContainerUrl: b.exportContainerUrl, endpointSubnetIds: b.endpointSubnetIds }),
  cacheId: (b) => b.cacheId,
  instanceWorkflow: 'migrate',
});

app.http('httpGetOperationStatus', {
  methods: ['GET'],
  route: 'runbooks/operations/{instanceId}',
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const auth = authorize(request.headers, authConfigFromEnv(process.env), []);
    if (!auth.ok) return json(auth.status, { error: { code: auth.status === 401 ? 'Unauthorized' : 'Forbidden', message: auth.message } });
    const instanceId = request.params.instanceId;
    const status = await df.getClient(context).getStatus(instanceId).catch(() => undefined);
    if (!status) return json(404, { error: { code: 'NotFound', message: `No operation ${instanceId}.` } });
    return json(200, {
      instanceId,
      name: status.name,
      runtimeStatus: status.runtimeStatus,
      progress: status.customStatus ?? null,
      createdTime: status.createdTime,
      lastUpdatedTime: status.lastUpdatedTime,
      output: status.output ?? null,
    });
  },
});

app.http('httpOpenApi', {
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'anonymous',
  handler: async (request) => json(200, openApiDocument({ serverUrl: `${new URL(request.url).origin}/api` })),
});
