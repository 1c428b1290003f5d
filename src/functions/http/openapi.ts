/**
 * The runbook route table and the OpenAPI 3.0.3 document generated from it and from the zod request schemas
 * (`z.toJSONSchema`, OpenAPI 3.0 target). Routes are relative to the Functions route prefix (`/api` by default).
 * Pure: no I/O.
 */
import { z } from 'zod';
import { REQUEST_SCHEMAS, type RequestSchemaName } from './schemas';

export interface RunbookRoute {
  method: 'GET' | 'POST';
  /** Functions route template, e.g. `runbooks/operations/{instanceId}`. */
  route: string;
  /** Also the name of the HTTP trigger that serves it. */
  operationId: string;
  summary: string;
  /** The request body schema (POST routes). */
  requestSchema?: RequestSchemaName;
}

export const RUNBOOK_ROUTES: readonly RunbookRoute[] = [
  {
    method: 'POST',
    route: 'runbooks/add-endpoint',
    operationId: 'httpAddPrivateEndpoint',
    summary: 'Add a private endpoint to a cache',
    requestSchema: 'addEndpointBody',
  },
  {
    method: 'POST',
    route: 'runbooks/remove-endpoint',
    operationId: 'httpRemovePrivateEndpoint',
    summary: 'Remove a private endpoint from a cache',
    requestSchema: 'removeEndpointBody',
  },
  {
    method: 'POST',
    route: 'runbooks/public-access',
    operationId: 'httpSetPublicNetworkAccess',
    summary: 'Enable or disable public network access on a cache',
    requestSchema: 'publicAccessBody',
  },
  {
    method: 'POST',
    route: 'runbooks/create-cache',
    operationId: 'httpCreateCacheWithPrivateEndpoint',
    summary: 'Create a virtual network and a cache reachable only through a private endpoint',
    requestSchema: 'createCacheBody',
  },
  {
    method: 'POST',
    route: 'runbooks/remediate',
    operationId: 'httpRemediateCache',
    summary: 'Evaluate a cache against the policy and converge it (or plan only with dryRun)',
    requestSchema: 'cacheOnlyBody',
  },
  {
    method: 'POST',
    route: 'runbooks/verify',
    operationId: 'httpVerifyCache',
    summary: 'Verify that a cache is reachable only through its private endpoints',
    requestSchema: 'cacheOnlyBody',
  },
  {
    method: 'POST',
    route: 'runbooks/migrate',
    operationId: 'httpMigrateToManagedRedis',
    summary: 'Migrate a cache to a private Azure Managed Redis target (phases P0-P5 with cutover and decommission gates; dryRun returns the plan)',
    requestSchema: 'migrateBody',
  },
  {
    method: 'POST',
    route: 'runbooks/decisions/{instanceId}',
    operationId: 'httpDecide',
    summary: 'Approve or reject the gate a workflow waits on (its status shows waitingFor)',
    requestSchema: 'decisionBody',
  },
  {
    method: 'GET',
    route: 'runbooks/operations/{instanceId}',
    operationId: 'httpGetOperationStatus',
    summary: 'Status and result of a runbook operation',
  },
  {
    method: 'GET',
    route: 'openapi.json',
    operationId: 'httpOpenApi',
    summary: 'This OpenAPI document',
  },
];

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: Json): Json => ({ 'application/json': { schema } });
const errorResponse = (description: string): Json => ({ description, content: jsonContent(ref('ErrorResponse')) });

function requestSchemaJson(name: RequestSchemaName): Json {
  const schema = z.toJSONSchema(REQUEST_SCHEMAS[name], { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Json;
  delete schema['$schema'];
  return schema;
}

const ERROR_RESPONSE_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'InvalidRequest' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string', example: 'cacheId' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** The Durable Functions check-status payload returned with 202 Accepted. */
const OPERATION_ACCEPTED_SCHEMA: Json = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', description: 'Orchestration instance id (deterministic per cache).' },
    statusQueryGetUri: { type: 'string' },
    sendEventPostUri: { type: 'string' },
    terminatePostUri: { type: 'string' },
    purgeHistoryDeleteUri: { type: 'string' },
  },
};

const OPERATION_STATUS_SCHEMA: Json = {
  type: 'object',
  required: ['instanceId', 'runtimeStatus'],
  properties: {
    instanceId: { type: 'string' },
    name: { type: 'string' },
    runtimeStatus: {
      type: 'string',
      enum: ['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Suspended'],
    },
    createdTime: { type: 'string', format: 'date-time' },
    lastUpdatedTime: { type: 'string', format: 'date-time' },
    input: {},
    output: {},
    customStatus: {},
  },
};

/** `runbooks/operations/{instanceId}` -> `/runbooks/operations/{instanceId}`. */
function pathOf(route: string): string {
  return `/${route}`;
}

/** The OpenAPI 3.0.3 document of the runbook API. */
export function openApiDocument(options: { serverUrl?: string; version?: string } = {}): Json {
  const paths: Record<string, Json> = {};
  for (const r of RUNBOOK_ROUTES) {
    const op: Json = { operationId: r.operationId, summary: r.summary, tags: ['runbooks'] };
    const responses: Json = {};
    if (r.operationId === 'httpDecide') {
      op['parameters'] = [
        { name: 'instanceId', in: 'path', required: true, description: 'The waiting workflow (the id a runbook POST returned).', schema: { type: 'string' } },
      ];
      op['requestBody'] = { required: true, content: jsonContent(ref('decisionBody')) };
      responses['202'] = { description: 'The decision was delivered to the workflow (recorded in its history with the caller principal).', content: jsonContent({ type: 'object', additionalProperties: true }) };
      responses['400'] = errorResponse('Invalid request: every problem is listed with its field and the rule.');
      responses['404'] = errorResponse('No workflow with this id.');
      responses['409'] = errorResponse('The workflow is not waiting for a decision on this gate.');
    } else if (r.requestSchema) {
      op['requestBody'] = { required: true, content: jsonContent(ref(r.requestSchema)) };
      responses['202'] = {
        description: 'Accepted: the operation runs as a durable orchestration; poll the Location header.',
        headers: { Location: { description: 'URL of the operation status', schema: { type: 'string' } } },
        content: jsonContent(ref('OperationAccepted')),
      };
      responses['200'] = {
        description: 'dryRun: true — the workflow read the live state and returns its plan (or refusal); nothing was written.',
        content: jsonContent({ type: 'object', additionalProperties: true }),
      };
      responses['400'] = errorResponse('Invalid request: every problem is listed with its field and the rule.');
    } else if (r.operationId === 'httpGetOperationStatus') {
      op['parameters'] = [
        { name: 'instanceId', in: 'path', required: true, description: 'The id returned by a runbook POST.', schema: { type: 'string' } },
      ];
      responses['200'] = { description: 'The operation status.', content: jsonContent(ref('OperationStatus')) };
      responses['404'] = errorResponse('No operation with this id.');
    } else {
      responses['200'] = { description: 'The OpenAPI document.', content: jsonContent({ type: 'object' }) };
    }
    responses['401'] = errorResponse('Unauthorized: missing function key or App Service principal.');
    responses['403'] = errorResponse('Forbidden: the caller lacks an allowed role/group, or a subscription is outside the allow-list.');
    op['responses'] = responses;
    const path = pathOf(r.route);
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }

  const schemas: Record<string, Json> = {};
  for (const name of Object.keys(REQUEST_SCHEMAS) as RequestSchemaName[]) schemas[name] = requestSchemaJson(name);
  schemas['ErrorResponse'] = ERROR_RESPONSE_SCHEMA;
  schemas['OperationAccepted'] = OPERATION_ACCEPTED_SCHEMA;
  schemas['OperationStatus'] = OPERATION_STATUS_SCHEMA;

  return {
    openapi: '3.0.3',
    info: {
      title: 'Redis Private Link Autopilot runbooks',
      version: options.version ?? '1.0.0',
      description:
        'Runbooks that keep Azure Cache for Redis reachable only through Private Link. Every call needs a function key; in Azure, App Service authentication adds the caller principal checked against the allowed roles, groups and subscriptions.',
    },
    servers: [{ url: options.serverUrl ?? '/api' }],
    security: [{ functionKey: [] }],
    paths,
    components: {
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'Azure Functions function or host key.' },
      },
      schemas,
    },
  };
}
