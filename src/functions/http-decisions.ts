/**
 * `POST /api/runbooks/decisions/{instanceId}`: a human decision on the gate a workflow waits on.
 * Authorized like the other runbooks (principal, roles/groups, the subscription of the workflow's cache), then by
 * the gate's own approvers when the policy names some. The decision is raised as the external event `decision`
 * with the caller's principal, so the orchestration history records who decided. No ARM call happens here.
 *
 * 202: delivered. 400: bad body or id. 404: no such workflow. 409: the workflow is not waiting for that gate
 * (finished, or waiting for another one: the message says which).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { parseResourceId } from '../azure/resource-id';
import { mayDecide } from '../policy/gates';
import { DECISION_EVENT, type DecisionEvent, type PendingDecision } from '../orchestrations/gates';
import { isActiveStatus } from './start-or-signal';
import { authConfigFromEnv, authorize } from './http/auth';
import { decisionBody, parseBody } from './http/schemas';

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Content-Type': 'application/json', ...headers } };
}

const INSTANCE_ID = /^[A-Za-z0-9:._@-]{1,100}$/;

/** The cache a workflow is about, from its input (cacheId, or the migration's source). */
function cacheOf(input: unknown): string | undefined {
  const i = (input ?? {}) as Record<string, unknown>;
  const id = i['cacheId'] ?? i['sourceCacheId'];
  return typeof id === 'string' ? id : undefined;
}

export async function handleDecision(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let config;
  try {
    config = authConfigFromEnv(process.env);
  } catch (e) {
    return json(500, { error: { code: 'Misconfigured', message: (e as Error).message } });
  }
  const caller = authorize(request.headers, config, []);
  if (!caller.ok) return json(caller.status, { error: { code: caller.status === 401 ? 'Unauthorized' : 'Forbidden', message: caller.message } });
  const instanceId = request.params.instanceId ?? '';
  if (!INSTANCE_ID.test(instanceId)) {
    return json(400, {
      error: {
        code: 'InvalidRequest',
        message: 'instanceId: must be a workflow instance id (1-100 characters: letters, digits, : . _ @ -)',
        details: [{ field: 'instanceId', message: 'must be a workflow instance id (1-100 characters: letters, digits, : . _ @ -)' }],
      },
    });
  }
  const text = await request.text();
  const parsed = parseBody(decisionBody, text.length ? text : undefined);
  if (!parsed.ok) return json(400, { error: parsed.error });
  const body = parsed.value;

  const client = df.getClient(context);
  const status = await client.getStatus(instanceId, { showInput: true }).catch(() => undefined);
  if (!status) return json(404, { error: { code: 'NotFound', message: `No workflow ${instanceId}.` } });
  const cacheId = cacheOf(status.input);
  let subscriptions: string[] = [];
  try {
    subscriptions = cacheId ? [parseResourceId(cacheId).subscriptionId] : [];
  } catch {
    subscriptions = [];
  }
  const auth = authorize(request.headers, config, subscriptions);
  if (!auth.ok) return json(auth.status, { error: { code: auth.status === 401 ? 'Unauthorized' : 'Forbidden', message: auth.message } });
  const waiting = (status.customStatus as { waitingFor?: PendingDecision } | undefined)?.waitingFor;
  if (!isActiveStatus(status.runtimeStatus) || !waiting) {
    return json(409, {
      error: {
        code: 'NoPendingDecision',
        message: `${instanceId} is ${String(status.runtimeStatus)} and not waiting for a decision${isActiveStatus(status.runtimeStatus) ? ' now' : ''}.`,
      },
    });
  }
  if (waiting.gate.toLowerCase() !== body.gate.toLowerCase()) {
    return json(409, {
      error: { code: 'NoPendingDecision', message: `${instanceId} waits for a decision on '${waiting.gate}', not '${body.gate}'.` },
    });
  }
  if (!mayDecide({ approvers: waiting.approvers ?? [] }, auth.principal)) {
    return json(403, {
      error: {
        code: 'Forbidden',
        message: `Forbidden: ${auth.principal?.name ?? auth.principal?.id ?? 'the caller'} may not decide '${waiting.gate}': the policy names the approvers ${waiting.approvers.join(', ')}`,
      },
    });
  }
  const principal = auth.principal
    ? { ...(auth.principal.id ? { id: auth.principal.id } : {}), ...(auth.principal.name ? { name: auth.principal.name } : {}), ...(auth.principal.identityProvider ? { identityProvider: auth.principal.identityProvider } : {}) }
    : undefined;
  const event: DecisionEvent = {
    gate: waiting.gate,
    decision: body.decision,
    ...(body.comment ? { comment: body.comment } : {}),
    ...(principal ? { principal } : {}),
    decidedAt: new Date().toISOString(),
  };
  await client.raiseEvent(instanceId, DECISION_EVENT, event);
  context.log(`decision ${body.decision} on ${waiting.gate} for ${instanceId} by ${principal?.name ?? principal?.id ?? 'anonymous'}`);
  const statusUrl = `${new URL(request.url).origin}/api/runbooks/operations/${encodeURIComponent(instanceId)}`;
  return json(202, { instanceId, gate: waiting.gate, decision: body.decision, decidedBy: principal ?? null, statusUrl }, { Location: statusUrl });
}

app.http('httpDecide', {
  methods: ['POST'],
  route: 'runbooks/decisions/{instanceId}',
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: handleDecision,
});
