/**
 * Pieces every Private Link orchestrator shares: the input envelope, reading the snapshot, the zone for a
 * cache, and the result shape.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RuntimeSettings } from '../azure/settings';
import { getCloud } from '../azure/cloud';
import { privateDnsZoneIdOf } from '../azure/resource-id';
import type { GetCacheSnapshotResult } from '../activities/get-cache-snapshot';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import type { Policy } from '../policy/policy-schema';
import type { CacheSnapshot } from '../policy/snapshot';
import { tierFactsOf } from '../policy/tiers';
import type { Finding } from '../policy/types';
import { addSeconds, isAfterOrAt } from '../policy/time';
import { sameId } from '../azure/resource-id';
import { callActivity, isSettled, throwIfFailed, type Orchestration } from './durable-helpers';

/** Every orchestration input carries the validated policy and the runtime settings (read by the trigger). */
export interface WorkflowEnvelope {
  policy: Policy;
  settings: RuntimeSettings;
}

export type WorkflowStatus = 'succeeded' | 'refused' | 'no-change' | 'audited' | 'planned' | 'failed';

export interface StepRecord {
  step: string;
  status: 'done' | 'skipped' | 'failed' | 'planned';
  detail?: string;
}

export interface WorkflowResult {
  status: WorkflowStatus;
  cacheId: string;
  message: string;
  /** The rule a refusal quotes (stable id), when refused. */
  rule?: string;
  actions: StepRecord[];
  findings?: Finding[];
  compensationErrors?: string[];
  [extra: string]: unknown;
}

export function* readSnapshot(
  context: OrchestrationContext,
  input: WorkflowEnvelope & { cacheId: string },
): Orchestration<CacheSnapshot | undefined> {
  const result = yield* callActivity<GetCacheSnapshotResult>(context, input.settings, ActivityNames.getCacheSnapshot, {
    cacheId: input.cacheId,
    cloud: input.policy.cloud,
    dnsZones: input.policy.dnsZones,
  });
  throwIfFailed(ActivityNames.getCacheSnapshot, result);
  return result.exists ? result.snapshot : undefined;
}

/**
 * A private endpoint of the cache is still changing (Creating, Updating, Deleting...), or a live connection names an
 * endpoint that is already gone: a decision made on this snapshot would act on stale state (an Event Grid delete
 * event delivered while the delete settles would read "endpoint still there" and answer no-change).
 */
export function endpointsInFlight(snapshot: CacheSnapshot, alsoWaitFor?: string): boolean {
  return snapshot.connections.some((c) => {
    if (!c.privateEndpointId) return false;
    if (alsoWaitFor && sameId(c.privateEndpointId, alsoWaitFor)) return true;
    if (c.status === 'Rejected' || c.status === 'Disconnected') return false;
    const pe = snapshot.privateEndpoints.find((p) => sameId(p.id, c.privateEndpointId));
    return !pe || !isSettled(pe.provisioningState);
  });
}

/**
 * Reads the snapshot again until no endpoint is in flight (durable timers at the poll interval, bounded by the
 * operation timeout): the state a decision is made on. Returns the last read when the bound is reached.
 */
export function* readSettledSnapshot(
  context: OrchestrationContext,
  input: WorkflowEnvelope & { cacheId: string },
  options: { alsoWaitFor?: string } = {},
): Orchestration<CacheSnapshot | undefined> {
  const deadline = addSeconds(context.df.currentUtcDateTime, input.settings.operationTimeoutSeconds);
  let snapshot = yield* readSnapshot(context, input);
  while (snapshot && endpointsInFlight(snapshot, options.alsoWaitFor) && !isAfterOrAt(context.df.currentUtcDateTime, deadline)) {
    yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, input.settings.pollIntervalSeconds));
    snapshot = yield* readSnapshot(context, input);
  }
  return snapshot;
}

/** The private DNS zone for the cache's tier, in the policy's DNS zone home. */
export function zoneIdFor(snapshot: CacheSnapshot, policy: Policy): string {
  const zoneName = getCloud(policy.cloud).privateDnsZones[tierFactsOf(snapshot).zoneKey];
  return privateDnsZoneIdOf(policy.dnsZones.subscriptionId, policy.dnsZones.resourceGroup, zoneName);
}

export function refused(cacheId: string, rule: string, message: string, actions: StepRecord[] = []): WorkflowResult {
  return { status: 'refused', cacheId, rule, message, actions };
}

/** Turns an activity's expected failure into an orchestration error (message only: no classes cross). */
export function expectOk<T extends object>(what: string, outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${what}: ${outcome.code}: ${outcome.message}`);
  return outcome;
}
