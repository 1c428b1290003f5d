/** Verify a cache (the seed's "How do I verify"): read-only. */
import type { OrchestrationContext } from 'durable-functions';
import { verifySnapshot } from '../policy/verify';
import { tierOf } from '../policy/tiers';
import { ProgressReporter, type Orchestration } from './durable-helpers';
import { readSnapshot, refused, type WorkflowEnvelope, type WorkflowResult } from './common';

export interface VerifyCacheInput extends WorkflowEnvelope {
  cacheId: string;
}

export function* verifyCacheOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as VerifyCacheInput;
  const progress = new ProgressReporter(context, 2, input.cacheId);
  progress.next('Reading the cache, its endpoints and DNS');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  progress.next('Checking DNS records and zone links');
  const verification = verifySnapshot(snapshot, input.policy);
  const bad = verification.endpoints.filter((e) => !e.ok);
  const message = verification.endpoints.length === 0
    ? `${snapshot.name} has no private endpoint.`
    : bad.length === 0
      ? `All ${verification.endpoints.length} endpoint(s) verify: ${verification.instructions}`
      : `${bad.length} of ${verification.endpoints.length} endpoint(s) do not verify: ${bad.flatMap((e) => e.problems).join('; ')}`;
  return { status: verification.ok ? 'succeeded' : 'failed', cacheId: snapshot.cacheId, tier: tierOf(snapshot), message, actions: [], verification };
}
