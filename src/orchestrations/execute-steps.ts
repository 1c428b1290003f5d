/**
 * Executes the steps `plan()` returns, in order, one activity (or a short sequence) per step. Unlinking
 * geo-replication registers its relink as a compensation, run in `finally` when the plan's own relink step was
 * not reached. Returns a record per step; rethrows the first failure after compensating.
 */
import { orchestrationLogger } from '../observability/logger';
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { resourceNameOf } from '../azure/resource-id';
import { addSeconds } from '../policy/time';
import type { GetPrivateEndpointResult } from '../activities/get-private-endpoint';
import type { CacheState } from '../activities/get-cache-state';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import type { PrivateEndpointView } from '../activities/private-endpoint-view';
import type { Step } from '../policy/types';
import { callActivity, isSettled, pollUntil, throwIfFailed, type Orchestration, type ProgressReporter } from './durable-helpers';
import { expectOk, type StepRecord } from './common';
import { assertExecutable, planFor, type ExecutablePlan } from './workflow-plan';
import { relinkGeoReplication, relinkKey, unlinkGeoReplication, type GeoLink } from './geo-replication';
import { setPublicNetworkAccess } from './public-access';
import { Saga, type Escalation } from './saga';
import type { GeoReplicationChangeInput, GeoReplicationChangeResult } from './geo-replication-change';
import { OrchestratorNames, geoPairInstanceId } from './names';
import type { GatePolicy } from '../policy/gates';
import { passGate, type GateOutcome } from './gates';

function describe(step: Step): string {
  switch (step.kind) {
    case 'ensure-subnet-ready':
      return `${step.kind} ${step.subnetId}`;
    case 'ensure-dns-zone':
      return `${step.kind} ${step.zoneId}`;
    case 'ensure-dns-zone-link':
      return `${step.kind} ${resourceNameOf(step.zoneId)} -> ${step.virtualNetworkId}`;
    case 'create-private-endpoint':
    case 'ensure-dns-zone-group':
    case 'delete-private-endpoint':
      return `${step.kind} ${step.privateEndpointId}`;
    case 'set-public-network-access':
      return `${step.kind} ${step.value}`;
    case 'approve-connection':
    case 'reject-connection':
      return `${step.kind} ${step.connectionId}`;
    case 'unlink-geo-replication':
    case 'relink-geo-replication':
      return `${step.kind} ${resourceNameOf(step.primaryCacheId)} -> ${resourceNameOf(step.secondaryCacheId)}`;
    case 'manual':
      return `manual: ${step.message}`;
  }
}

export function describeStep(step: Step): string {
  return describe(step);
}

/** The caches a step writes to (or whose state Azure checks before the write). */
function cachesTouched(step: Step): string[] {
  switch (step.kind) {
    case 'set-public-network-access':
    case 'create-private-endpoint':
      return [step.cacheId];
    case 'approve-connection':
    case 'reject-connection':
      return [step.connectionId.split('/privateEndpointConnections/')[0]];
    case 'unlink-geo-replication':
    case 'relink-geo-replication':
      return [step.primaryCacheId, step.secondaryCacheId];
    default:
      return [];
  }
}

/**
 * Azure refuses writes to a cache while it is Updating, Linking, Unlinking, Scaling... (409). Wait on durable
 * timers until the caches a step touches are settled, rather than spending retries against a busy cache.
 */
function* waitUntilSettled(context: OrchestrationContext, settings: RuntimeSettings, cacheIds: string[]): Orchestration<void> {
  for (const cacheId of cacheIds) {
    yield* pollUntil<CacheState>(context, settings, `${resourceNameOf(cacheId)} accepts changes`, ActivityNames.getCacheState, { cacheId }, (s) =>
      !s.exists || isSettled(s.provisioningState),
    );
  }
}

/**
 * The undo of creating a private endpoint, registered before the PUT: make the endpoint whole or remove it. An
 * endpoint left Failed is deleted; an endpoint without its DNS zone group (whose A record clients in linked VNets
 * would miss: NXDOMAIN where the public name resolved before) gets its zone group, or is deleted when that fails,
 * which brings back public resolution. Each attempt runs under the compensation budget.
 */
function* makeEndpointWholeOrRemove(context: OrchestrationContext, settings: RuntimeSettings, step: Extract<Step, { kind: 'create-private-endpoint' }>): Orchestration<void> {
  const pe = yield* callActivity<GetPrivateEndpointResult>(context, settings, ActivityNames.getPrivateEndpoint, { privateEndpointId: step.privateEndpointId });
  throwIfFailed(ActivityNames.getPrivateEndpoint, pe);
  if (!pe.exists) return;
  if (pe.provisioningState !== 'Failed') {
    // One try at the zone group (its quick retries included); whatever stops it, removing the endpoint is next:
    // the NXDOMAIN window lasts as little as possible.
    try {
      const group = yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.ensurePrivateDnsZoneGroup, { privateEndpointId: step.privateEndpointId, zoneId: step.zoneId });
      if (group.ok) return;
    } catch {
      // fall through to the removal
    }
  }
  expectOk(`Removing the half-configured endpoint ${resourceNameOf(step.privateEndpointId)}`, yield* callActivity<Outcome<{ deleted: boolean }>>(context, settings, ActivityNames.deletePrivateEndpoint, { privateEndpointId: step.privateEndpointId }));
}

function* tryZoneGroupOrThrow(context: OrchestrationContext, settings: RuntimeSettings, name: string, step: Extract<Step, { kind: 'create-private-endpoint' }>): Orchestration<void> {
  expectOk(name, yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.ensurePrivateDnsZoneGroup, { privateEndpointId: step.privateEndpointId, zoneId: step.zoneId }));
}

const endpointKey = (privateEndpointId: string) => `endpoint|${privateEndpointId}`.toLowerCase();

function relinkEscalation(link: GeoLink): (error: string) => Escalation {
  return (error) => ({
    rule: 'geo-relink-failed',
    severity: 'high',
    cacheId: link.primaryCacheId,
    resourceId: `${link.primaryCacheId}/linkedServers/${resourceNameOf(link.secondaryCacheId)}`,
    message: `Passive geo-replication ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)} was unlinked by this workflow and could not be relinked (${error}). Relink it: PUT ${link.primaryCacheId}/linkedServers/${resourceNameOf(link.secondaryCacheId)} with linkedRedisCacheId ${link.secondaryCacheId} and serverRole Secondary (the next sweep retries in enforce mode: rule geo-replication-unlinked).`,
  });
}

function* runStep(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  step: Step,
  saga: Saga,
  relinkLocations: Map<string, string>,
): Orchestration<StepRecord> {
  const name = describe(step);
  yield* waitUntilSettled(context, settings, cachesTouched(step));
  const call = <T extends object>(activity: string, input: unknown) => callActivity<Outcome<T>>(context, settings, activity, input);
  switch (step.kind) {
    case 'ensure-subnet-ready': {
      const r = expectOk(name, yield* call<{ changed: boolean }>(ActivityNames.ensureSubnetReady, { subnetId: step.subnetId }));
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'ensure-dns-zone': {
      const r = expectOk(name, yield* call<{ changed: boolean }>(ActivityNames.ensurePrivateDnsZone, { zoneId: step.zoneId }));
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'ensure-dns-zone-link': {
      const r = expectOk(name, yield* call<{ changed: boolean }>(ActivityNames.ensureVirtualNetworkLink, { zoneId: step.zoneId, virtualNetworkId: step.virtualNetworkId }));
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'create-private-endpoint': {
      // Undo registered before the PUT: a failure anywhere after it never leaves a half-configured endpoint.
      saga.register(endpointKey(step.privateEndpointId), `make ${resourceNameOf(step.privateEndpointId)} whole or remove it`, () => makeEndpointWholeOrRemove(context, settings, step), (error) => ({
        rule: 'endpoint-half-configured',
        severity: 'high',
        cacheId: step.cacheId,
        resourceId: step.privateEndpointId,
        message: `Private endpoint ${step.privateEndpointId} was created by this workflow and could neither get its DNS zone group nor be removed (${error}): give it a zone group for ${resourceNameOf(step.zoneId)} or delete it.`,
      }));
      const created = expectOk(
        name,
        yield* call<{ created: boolean; endpoint: PrivateEndpointView }>(ActivityNames.createPrivateEndpoint, {
          privateEndpointId: step.privateEndpointId,
          cacheId: step.cacheId,
          subnetId: step.subnetId,
          groupId: step.groupId,
          location: step.location,
          connectionName: resourceNameOf(step.privateEndpointId),
        }),
      );
      yield* tryZoneGroupOrThrow(context, settings, name, step);
      const pe = yield* pollUntil<GetPrivateEndpointResult>(
        context,
        settings,
        `${resourceNameOf(step.privateEndpointId)} is Succeeded and Approved`,
        ActivityNames.getPrivateEndpoint,
        { privateEndpointId: step.privateEndpointId },
        (p) => !p.exists || p.provisioningState === 'Failed' || p.connectionStatus === 'Rejected' || (p.provisioningState === 'Succeeded' && p.connectionStatus === 'Approved'),
      );
      if (!pe.exists || pe.provisioningState !== 'Succeeded' || pe.connectionStatus !== 'Approved') {
        throw new Error(`${name}: ended ${pe.exists ? `${pe.provisioningState} / ${pe.connectionStatus}` : 'missing'}`);
      }
      saga.discharge(endpointKey(step.privateEndpointId));
      yield* callActivity(context, settings, ActivityNames.recordInventory, { entries: [{ privateEndpointId: step.privateEndpointId, cacheId: step.cacheId }] });
      return { step: name, status: created.created ? 'done' : 'skipped', detail: pe.privateIp ? `private IP ${pe.privateIp}` : undefined };
    }
    case 'ensure-dns-zone-group': {
      const r = expectOk(name, yield* call<{ changed: boolean }>(ActivityNames.ensurePrivateDnsZoneGroup, { privateEndpointId: step.privateEndpointId, zoneId: step.zoneId, refresh: step.refresh }));
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'set-public-network-access': {
      const r = yield* setPublicNetworkAccess(context, settings, step.cacheId, step.value);
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'approve-connection':
    case 'reject-connection': {
      const status = step.kind === 'approve-connection' ? 'Approved' : 'Rejected';
      const r = expectOk(name, yield* call<{ changed: boolean }>(ActivityNames.updateConnectionState, { connectionId: step.connectionId, status, description: `${status} by redis-private-link-autopilot: ${step.reason}` }));
      return { step: name, status: r.changed ? 'done' : 'skipped' };
    }
    case 'delete-private-endpoint': {
      const r = expectOk(name, yield* call<{ deleted: boolean }>(ActivityNames.deletePrivateEndpoint, { privateEndpointId: step.privateEndpointId }));
      return { step: name, status: r.deleted ? 'done' : 'skipped' };
    }
    case 'unlink-geo-replication': {
      const link: GeoLink = { primaryCacheId: step.primaryCacheId, secondaryCacheId: step.secondaryCacheId, secondaryLocation: relinkLocations.get(relinkKey(step)) ?? '' };
      // One relink per pair, registered before the unlink (a second busy round registers nothing more).
      saga.register(relinkKey(link), `relink ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)}`, () => relinkGeoReplication(context, settings, link), relinkEscalation(link));
      yield* unlinkGeoReplication(context, settings, link);
      return { step: name, status: 'done' };
    }
    case 'relink-geo-replication': {
      const link: GeoLink = { primaryCacheId: step.primaryCacheId, secondaryCacheId: step.secondaryCacheId, secondaryLocation: step.secondaryLocation };
      // Also for a relink planned alone (a sweep relinking a pair this product unlinked): should it fail, the
      // compensation keeps trying with its longer budget, then escalates.
      saga.register(relinkKey(link), `relink ${resourceNameOf(link.primaryCacheId)} -> ${resourceNameOf(link.secondaryCacheId)}`, () => relinkGeoReplication(context, settings, link), relinkEscalation(link));
      yield* relinkGeoReplication(context, settings, link);
      saga.discharge(relinkKey(link));
      return { step: name, status: 'done' };
    }
    case 'manual':
      return { step: name, status: 'skipped', detail: step.link ? `see ${step.link}` : undefined };
  }
}

const BUSY = /\b409\b[\s\S]*\bbusy\b|\bbusy\b[\s\S]*\b409\b/i;
const MAX_BUSY_ROUNDS = 5;

/**
 * A step whose activity kept meeting 409 "busy" (another operation on the cache started between our check and our
 * write) waits until the cache settles and runs again: steps are idempotent, bounded rounds.
 */
function* runStepWhenNotBusy(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  step: Step,
  saga: Saga,
  relinkLocations: Map<string, string>,
): Orchestration<StepRecord> {
  for (let round = 1; ; round++) {
    try {
      return yield* runStep(context, settings, step, saga, relinkLocations);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (round >= MAX_BUSY_ROUNDS || !BUSY.test(message)) throw e;
      orchestrationLogger(context).warn(`${describe(step)}: the cache was busy (round ${round}); waiting until it settles`, { step: step.kind });
    }
  }
}

export interface ExecutedSteps {
  actions: StepRecord[];
  compensationErrors: string[];
  /** Compensations that could not finish: a human must act (also in the error text when the steps failed). */
  escalations: Escalation[];
}

/** Error text of escalations: `[rule] message` per line (parsed back by the sweep's report). */
export function escalationText(escalations: Escalation[]): string {
  return escalations.map((e) => `[${e.rule}] ${e.message.replace(/\s*\n\s*/g, ' ')}`).join('\n');
}

/** Runs the steps in order in this orchestration, with the saga (every write's undo, run on failure). */
export function* runStepsDirectly(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  plan: ExecutablePlan,
  progress?: ProgressReporter,
  gating?: GatePolicy,
): Orchestration<ExecutedSteps> {
  // Dry run is a type: only an executable plan reaches the write activities below (checked again at run time:
  // plans cross sub-orchestration inputs as JSON).
  assertExecutable(plan);
  const steps = plan.steps as Step[];
  const actions: StepRecord[] = [];
  const saga = new Saga();
  const relinkLocations = new Map<string, string>();
  for (const step of steps) {
    if (step.kind === 'relink-geo-replication') relinkLocations.set(relinkKey(step), step.secondaryLocation);
  }
  let failure: unknown;
  try {
    for (const step of steps) {
      progress?.next(describe(step));
      if (gating && step.kind === 'set-public-network-access' && step.value === 'Enabled') {
        const gate = yield* passGate(context, gating, { gate: 'publicAccessEnable', what: `enable public network access on ${resourceNameOf(step.cacheId)}`, why: step.reason });
        recordGate(actions, gate);
        if (!gate.approved) throw new Error(gate.message);
      }
      try {
        actions.push(yield* runStepWhenNotBusy(context, settings, step, saga, relinkLocations));
      } catch (e) {
        actions.push({ step: describe(step), status: 'failed', detail: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    }
  } catch (e) {
    failure = e;
  }
  if (failure || saga.pending.length > 0) {
    if (saga.pending.length > 0) context.df.setCustomStatus({ doing: `Compensating: ${saga.pending.join('; ')}`, compensating: saga.pending });
    yield* saga.compensate(context, settings);
    for (const e of saga.escalations) actions.push({ step: `escalate ${e.rule}`, status: 'failed', detail: e.message });
    if (saga.escalations.length > 0) context.df.setCustomStatus({ doing: 'A human must act', escalations: saga.escalations });
  }
  if (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    const suffix = saga.errors.length ? ` Compensation errors: ${saga.errors.join('; ')}` : '';
    const escalations = saga.escalations.length ? `\n${escalationText(saga.escalations)}` : '';
    throw new Error(`${message}${suffix}${escalations}`);
  }
  return { actions, compensationErrors: saga.errors, escalations: saga.escalations };
}

function recordGate(actions: StepRecord[], gate: GateOutcome): void {
  if (gate.decision) actions.push({ step: `decision ${gate.decision.gate}`, status: gate.approved ? 'done' : 'failed', detail: gate.message });
  if (gate.window?.waited) actions.push({ step: `maintenance window ${gate.window.gate}`, status: 'done', detail: `waited until ${gate.window.runsAt}` });
}

/** Error message prefix when the geo-replication pair is being changed by another workflow. */
export const GEO_PAIR_BUSY = 'GeoPairBusy';

/**
 * Runs the steps in order. The geo-replication part of a plan (from the first unlink to the last relink) runs as
 * a sub-orchestration with the pair's instance id: the pair's lock. When another workflow holds it, this throws
 * `GeoPairBusy: ...` (callers wait and re-plan from fresh state).
 */
export function* executeSteps(
  context: OrchestrationContext,
  settings: RuntimeSettings,
  plan: ExecutablePlan,
  progress?: ProgressReporter,
  /** The policy's approvals and maintenance windows: unlinking geo-replication and enabling public access wait
   * for a decision when the policy lists their gate (`GateRejected: ...` is thrown before any step runs when
   * rejected); unlinking waits for a maintenance window. */
  gating?: GatePolicy,
): Orchestration<ExecutedSteps> {
  assertExecutable(plan);
  const steps = plan.steps as Step[];
  // The pair's lock covers an unlink .. relink, and a relink planned alone (a sweep relinking what was unlinked).
  const first = steps.findIndex((s) => s.kind === 'unlink-geo-replication' || s.kind === 'relink-geo-replication');
  if (first < 0) return yield* runStepsDirectly(context, settings, plan, progress, gating);
  const gateActions: StepRecord[] = [];
  const unlinks = steps.filter((s): s is Extract<Step, { kind: 'unlink-geo-replication' }> => s.kind === 'unlink-geo-replication');
  if (gating && unlinks.length > 0) {
    const gate = yield* passGate(context, gating, {
      gate: 'geoUnlink',
      what: unlinks.map((u) => `unlink geo-replication ${resourceNameOf(u.primaryCacheId)} -> ${resourceNameOf(u.secondaryCacheId)}`).join(', '),
      why: `${unlinks[0]!.reason} Unlinking forces a full resync of the secondary when it is linked again.`,
    });
    recordGate(gateActions, gate);
    if (!gate.approved) throw new Error(gate.message);
  }
  const last = steps.map((s) => s.kind).lastIndexOf('relink-geo-replication');
  const end = last >= first ? last + 1 : steps.length;
  const unlink = steps[first] as Extract<Step, { kind: 'unlink-geo-replication' | 'relink-geo-replication' }>;
  const before = yield* runStepsDirectly(context, settings, planFor(plan.mode, steps.slice(0, first)), progress, gating);
  progress?.next(`geo-replication change ${resourceNameOf(unlink.primaryCacheId)} <-> ${resourceNameOf(unlink.secondaryCacheId)}`);
  const input: GeoReplicationChangeInput = { plan: planFor(plan.mode, steps.slice(first, end)), settings };
  let geo: GeoReplicationChangeResult;
  const change = context.df.callSubOrchestrator(OrchestratorNames.geoReplicationChange, input, geoPairInstanceId(unlink.primaryCacheId, unlink.secondaryCacheId));
  // Bounded wait: should a backend not refuse the pair's id while another change holds it, this never hangs.
  const deadline = context.df.createTimer(addSeconds(context.df.currentUtcDateTime, 4 * settings.operationTimeoutSeconds));
  try {
    const winner = yield context.df.Task.any([change, deadline]);
    if (winner === deadline) throw new Error(`${GEO_PAIR_BUSY}: the geo-replication change did not finish in time`);
    if (!deadline.isCompleted) deadline.cancel();
    if (change.isFaulted) throw change.result;
    geo = change.result as GeoReplicationChangeResult;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/already exists/i.test(message)) throw new Error(`${GEO_PAIR_BUSY}: another workflow is changing the geo-replication pair (${message})`);
    throw e;
  }
  const after = yield* runStepsDirectly(context, settings, planFor(plan.mode, steps.slice(end)), progress, gating);
  return {
    actions: [...gateActions, ...before.actions, ...geo.actions, ...after.actions],
    compensationErrors: [...before.compensationErrors, ...geo.compensationErrors, ...after.compensationErrors],
    escalations: [...before.escalations, ...(geo.escalations ?? []), ...after.escalations],
  };
}
