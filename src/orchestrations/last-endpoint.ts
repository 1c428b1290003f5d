/**
 * Never unreachable by our hand. What to do when a cache with public network access Disabled has (or is about to
 * have) no approved endpoint, and the fallback every workflow path applies when it might end unreachable.
 *
 * - `isReachable(snapshot)`: public network access Enabled, or an Approved connection whose endpoint is not Failed.
 * - `applyLastEndpointPolicy`: the policy's `onLastEndpointDeleted`: enable-public-access (the PATCH, awaited),
 *   recreate-endpoint (a replacement endpoint at the policy's placement; when there is none, or the replacement or
 *   its DNS zone group fails, public access is enabled), report-only (say so).
 * - `ensureReachable`: re-reads the cache after a workflow (failed or not) and, when it is unreachable, enables
 *   public access: always when the workflow found it reachable (our hand made it unreachable), otherwise unless the
 *   policy says report-only. The PATCH runs with the compensation budget (minutes to hours on durable timers); when
 *   it cannot finish, it escalates `cache-unreachable` to a human.
 */
import type { OrchestrationContext } from 'durable-functions';
import { SEED, quote } from '../policy/seed-rules';
import { placementFor, type Policy } from '../policy/policy-schema';
import { evaluate } from '../policy/evaluate';
import type { CacheSnapshot } from '../policy/snapshot';
import { tierFactsOf } from '../policy/tiers';
import { sameId } from '../azure/resource-id';
import type { Orchestration } from './durable-helpers';
import { readSnapshot, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import type { AddPrivateEndpointInput } from './add-private-endpoint';
import { OrchestratorNames, subInstanceId } from './names';
import { passGate } from './gates';
import { setPublicNetworkAccess } from './public-access';
import { withBudget, type Escalation } from './saga';

const BROKEN_DNS = new Set(['dns-zone-group-missing', 'dns-record-missing', 'dns-record-mismatch']);

/**
 * Whether some client can reach the cache at all: public access Enabled, or an Approved endpoint that is not Failed
 * and whose name resolution this product did not find broken (no zone group, A record missing or wrong: NXDOMAIN or
 * a wrong address for clients in linked VNets). Tiers without the publicNetworkAccess flag count as reachable.
 */
export function isReachable(snapshot: CacheSnapshot, policy: Policy): boolean {
  if (!tierFactsOf(snapshot).supportsPublicNetworkAccess || snapshot.publicNetworkAccess === undefined) return true;
  if (snapshot.publicNetworkAccess === 'Enabled') return true;
  const broken = new Set(
    evaluate(snapshot, policy)
      .filter((f) => BROKEN_DNS.has(f.rule))
      .flatMap((f) => [f.data?.privateEndpointId, ...(Array.isArray(f.data?.privateEndpointIds) ? f.data.privateEndpointIds : [])])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.toLowerCase()),
  );
  return snapshot.connections.some((c) => {
    if (c.status !== 'Approved' || broken.has(c.privateEndpointId.toLowerCase())) return false;
    const pe = snapshot.privateEndpoints.find((p) => sameId(p.id, c.privateEndpointId));
    return !pe || String(pe.provisioningState).toLowerCase() !== 'failed';
  });
}

/** `[cache-unreachable] ...` for the error text, the report and the custom status. */
export function unreachableEscalation(cacheId: string, error: string): Escalation {
  return {
    rule: 'cache-unreachable',
    severity: 'high',
    cacheId,
    message: `The cache has public network access Disabled and no working approved endpoint, and enabling public access failed within the compensation budget (${error}). Add a private endpoint or enable public network access (${quote(SEED.lastEndpointDeleted)}).`,
  };
}

/** Enables public access with the compensation budget; throws `[cache-unreachable] ...` when it cannot. */
export function* enablePublicAccessWithBudget(context: OrchestrationContext, input: WorkflowEnvelope, cacheId: string, actions: StepRecord[]): Orchestration<string> {
  try {
    const r = yield* withBudget(context, input.settings, 'enable public network access', () => setPublicNetworkAccess(context, input.settings, cacheId, 'Enabled'));
    actions.push({ step: 'set-public-network-access Enabled', status: r.changed ? 'done' : 'skipped' });
    return `Public network access enabled so the cache stays reachable (${quote(SEED.lastEndpointDeleted)}).`;
  } catch (e) {
    const escalation = unreachableEscalation(cacheId, e instanceof Error ? e.message : String(e));
    actions.push({ step: 'escalate cache-unreachable', status: 'failed', detail: escalation.message });
    context.df.setCustomStatus({ doing: 'A human must act', escalations: [escalation] });
    throw new Error(`[${escalation.rule}] ${escalation.message.replace(/\s*\n\s*/g, ' ')}`);
  }
}

/** A replacement endpoint at the policy's placement (the add-endpoint workflow as a sub-orchestration). */
export function* addReplacementEndpoint(
  context: OrchestrationContext,
  input: WorkflowEnvelope,
  snapshot: CacheSnapshot,
  actions: StepRecord[],
  suffix: string,
): Orchestration<WorkflowResult | undefined> {
  const placement = placementFor(input.policy, snapshot.location);
  if (!placement) {
    actions.push({ step: 'create-private-endpoint (replacement)', status: 'skipped', detail: `no endpointPlacement for ${snapshot.location}` });
    return undefined;
  }
  const child: AddPrivateEndpointInput = { policy: input.policy, settings: input.settings, cacheId: snapshot.cacheId, subnetId: placement.subnetId };
  try {
    const result = (yield context.df.callSubOrchestrator(OrchestratorNames.addPrivateEndpoint, child, subInstanceId(context.df.instanceId, suffix))) as WorkflowResult;
    if (result.status === 'succeeded') {
      actions.push({ step: `create-private-endpoint (replacement) ${String(result.privateEndpointId)}`, status: 'done' });
      return result;
    }
    actions.push({ step: 'create-private-endpoint (replacement)', status: 'failed', detail: result.message });
  } catch (e) {
    actions.push({ step: 'create-private-endpoint (replacement)', status: 'failed', detail: e instanceof Error ? e.message : String(e) });
  }
  return undefined;
}

export function* applyLastEndpointPolicy(
  context: OrchestrationContext,
  input: WorkflowEnvelope,
  snapshot: CacheSnapshot,
  actions: StepRecord[],
): Orchestration<string> {
  const facts = tierFactsOf(snapshot);
  const mode = input.policy.onLastEndpointDeleted;
  if (mode === 'report-only') {
    actions.push({ step: 'report unreachable cache', status: 'done' });
    return `The cache has no approved endpoint and public access is Disabled: it is unreachable (${quote(SEED.lastEndpointDeleted)}).`;
  }
  if (mode === 'recreate-endpoint') {
    const replaced = yield* addReplacementEndpoint(context, input, snapshot, actions, 'replace-endpoint');
    if (replaced) return `A replacement private endpoint was added: ${replaced.message}`;
  }
  if (!facts.supportsPublicNetworkAccess) {
    return 'The cache has no approved endpoint; its tier has no publicNetworkAccess flag to fall back on.';
  }
  if (input.policy.approvals?.publicAccessEnable) {
    // The policy gates enabling public access: a human decides (the cache stays unreachable meanwhile, as the
    // policy owner chose). Rejected or timed out: not enabled, and the result says so.
    const gate = yield* passGate(context, input.policy, {
      gate: 'publicAccessEnable',
      what: `enable public network access on ${snapshot.name}`,
      why: `The cache lost its last approved private endpoint and is unreachable; onLastEndpointDeleted wants public access enabled (${quote(SEED.lastEndpointDeleted)}).`,
    });
    actions.push({ step: 'decision publicAccessEnable', status: gate.approved ? 'done' : 'failed', detail: gate.message });
    if (!gate.approved) return `Public network access was NOT enabled: ${gate.message} The cache stays unreachable until someone adds an endpoint or enables public access.`;
  }
  return yield* enablePublicAccessWithBudget(context, input, snapshot.cacheId, actions);
}

/**
 * After a workflow (whatever happened): when the cache is now unreachable, enable public access (always when it
 * was reachable before the workflow; otherwise per the policy, report-only meaning no). Returns what it did.
 */
export function* ensureReachable(
  context: OrchestrationContext,
  input: WorkflowEnvelope & { cacheId: string },
  wasReachable: boolean,
  actions: StepRecord[],
): Orchestration<string | undefined> {
  let now: CacheSnapshot | undefined;
  try {
    now = yield* withBudget(context, input.settings, 'reading the cache to check it is reachable', () => readSnapshot(context, input));
  } catch {
    now = undefined;
  }
  if (!now) return undefined;
  if (isReachable(now, input.policy)) return undefined;
  if (!wasReachable && input.policy.onLastEndpointDeleted === 'report-only') return undefined;
  if (!tierFactsOf(now).supportsPublicNetworkAccess) return undefined;
  return yield* enablePublicAccessWithBudget(context, input, now.cacheId, actions);
}
