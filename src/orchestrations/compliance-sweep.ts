/**
 * The compliance sweep, one Resource Graph page (at most 1,000 caches) per generation:
 *  1. triage the page in one activity (snapshots from Resource Graph rows: a compliant cache costs no ARM call and
 *     no activity of its own), which writes the page's report entries;
 *  2. remediate only the caches that need it, through per-cache sub-orchestrations (the same deterministic
 *     instance id as event-driven remediation, so never two workflows on one cache), in waves bounded per
 *     subscription;
 *  3. continue as new with the next page: no history grows with the estate;
 *  4. at the end, merge the pages into the report (JSON + Markdown) and return its summary.
 * Audit mode and dry-run report only.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { EvaluateCachePageResult, RecordRemediationsInput } from '../activities/evaluate-cache-page';
import type { SweepReport } from '../activities/write-report';
import { ActivityNames } from '../activities/names';
import { callActivity, type Orchestration } from './durable-helpers';
import type { WorkflowEnvelope } from './common';
import type { RemediateCacheInput, RemediationResult } from './remediate-cache';
import { OrchestratorNames, cacheInstanceId, subInstanceId } from './names';
import { orchestrationLogger } from '../observability/logger';

export interface ComplianceSweepInput extends WorkflowEnvelope {
  dryRun?: boolean;
  /** Remediations running at once per subscription (default 5). */
  concurrencyPerSubscription?: number;
  /** Carried between generations. */
  sweepId?: string;
  startedAt?: string;
  page?: number;
  skipToken?: string;
  totals?: { caches: number; remediations: number };
}

export interface ComplianceSweepResult {
  sweepId: string;
  summary: SweepReport['summary'];
  /** Where the full report is (blob URL or file path). */
  report: { json: string; markdown: string };
}

type Outcome = RecordRemediationsInput['results'][number];

/** Escalations a failed remediation carries in its error text (`[geo-relink-failed] ...`, one per line). */
const ESCALATION = /^\[(geo-relink-failed|cache-unreachable|endpoint-half-configured)\] (.*)$/gm;

function outcomeOf(cacheId: string, r: RemediationResult | undefined, error?: string): Outcome {
  if (!r) {
    const text = error ?? 'the remediation failed';
    // A human must act: each escalation becomes its own finding in the report, not only words in an error.
    const escalations = [...text.matchAll(ESCALATION)].map((m) => ({ rule: m[1]!, severity: 'high', message: m[2]! }));
    const first = text.split('\n')[0]!;
    return { cacheId, status: 'failed', remaining: [...escalations, { rule: 'workflow-failed', severity: 'high', message: first }], actions: [] };
  }
  return {
    cacheId,
    status: r.status,
    remaining: (r.remaining ?? r.findings).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    actions: r.actions.map((a) => ({ step: a.step, status: a.status })),
    ...(r.topology ? { topology: r.topology } : {}),
  };
}

export function* complianceSweepOrchestrator(context: OrchestrationContext): Orchestration<ComplianceSweepResult | undefined> {
  const input = context.df.getInput() as ComplianceSweepInput;
  const { policy, settings } = input;
  const startedAt = input.startedAt ?? context.df.currentUtcDateTime.toISOString();
  const sweepId = input.sweepId ?? `sweep-${startedAt.replace(/[:.]/g, '-')}`;
  const page = input.page ?? 0;
  const totals = input.totals ?? { caches: 0, remediations: 0 };
  const log = orchestrationLogger(context, { sweepId });

  context.df.setCustomStatus({ step: 1, of: 3, doing: `Evaluating inventory page ${page + 1} (${totals.caches} cache(s) so far)`, sweepId });
  const triage = yield* callActivity<EvaluateCachePageResult>(context, settings, ActivityNames.evaluateCachePage, {
    policy,
    sweepId,
    page,
    skipToken: input.skipToken,
    dryRun: input.dryRun,
    // The orchestration clock (virtual in tests): retirement readiness is judged at the sweep's own time.
    now: context.df.currentUtcDateTime.toISOString(),
  });

  if (triage.toRemediate.length > 0) {
    context.df.setCustomStatus({ step: 2, of: 3, doing: `Remediating ${triage.toRemediate.length} cache(s) of page ${page + 1}`, sweepId });
    const limit = Math.max(1, input.concurrencyPerSubscription ?? 5);
    const queues = new Map<string, Array<{ cacheId: string; geoGroup?: string }>>();
    for (const c of triage.toRemediate) {
      const key = c.subscriptionId.toLowerCase();
      queues.set(key, [...(queues.get(key) ?? []), c]);
    }
    const results: Outcome[] = [];
    while ([...queues.values()].some((q) => q.length > 0)) {
      // At most `limit` caches per subscription, and one cache per geo-replication pair, in each wave.
      const groups = new Set<string>();
      const wave: string[] = [];
      for (const q of queues.values()) {
        let taken = 0;
        for (let i = 0; i < q.length && taken < limit; ) {
          const c = q[i];
          if (c.geoGroup && groups.has(c.geoGroup)) {
            i++;
            continue;
          }
          if (c.geoGroup) groups.add(c.geoGroup);
          wave.push(c.cacheId);
          q.splice(i, 1);
          taken++;
        }
      }
      context.df.setCustomStatus({ step: 2, of: 3, doing: `Remediating ${triage.toRemediate.length} cache(s) of page ${page + 1}`, sweepId, items: { done: results.length, total: triage.toRemediate.length } });
      const tasks: Task[] = wave.map((cacheId) => {
        const child: RemediateCacheInput = { policy, settings, cacheId, reason: `compliance sweep ${sweepId}` };
        // Ids unique to this sweep page: a sub-orchestration never shares an id with a running instance (an event
        // remediation of the same cache), whose handling differs between Durable backends.
        return context.df.callSubOrchestrator(OrchestratorNames.remediateCache, child, subInstanceId(context.df.instanceId, `p${page}:${cacheInstanceId('remediate', cacheId)}`));
      });
      try {
        yield context.df.Task.all(tasks);
      } catch {
        // Task.all fails at the first failure while siblings may still run: wait for every one of them, so the
        // next wave never exceeds the concurrency bound.
        for (const t of tasks) {
          if (t.isCompleted || t.isFaulted) continue;
          try {
            yield t;
          } catch {
            // its failure is read below
          }
        }
      }
      wave.forEach((id, i) => {
        const t = tasks[i];
        if (t.isFaulted) log.error(`Remediation of ${id} failed: ${String((t.result as Error | undefined)?.message ?? t.result)}`, { cacheId: id, outcome: 'failed', workflow: 'remediation' });
        results.push(t.isFaulted ? outcomeOf(id, undefined, String((t.result as Error | undefined)?.message ?? t.result)) : outcomeOf(id, t.result as RemediationResult));
      });
    }
    yield* callActivity(context, settings, ActivityNames.recordRemediations, { sweepId, page, results });
  }

  const next = { caches: totals.caches + triage.caches, remediations: totals.remediations + triage.toRemediate.length };
  if (triage.skipToken) {
    context.df.continueAsNew({ ...input, sweepId, startedAt, page: page + 1, skipToken: triage.skipToken, totals: next });
    return undefined;
  }
  context.df.setCustomStatus({ step: 3, of: 3, doing: `Writing the report for ${next.caches} cache(s)`, sweepId });
  const written = yield* callActivity<{ summary: SweepReport['summary']; json: string; markdown: string }>(context, settings, ActivityNames.writeReport, {
    sweepId,
    pages: page + 1,
    startedAt,
    finishedAt: context.df.currentUtcDateTime.toISOString(),
    mode: policy.mode,
    dryRun: !!input.dryRun,
  });
  const s = written.summary;
  log.info(`Compliance sweep ${sweepId} completed: ${s.caches} cache(s), ${s.compliant} compliant, ${s.nonCompliant} non-compliant, ${s.remediated} remediated, ${s.failed} failed`, {
    sweepId, workflow: 'sweep', outcome: s.failed > 0 ? 'completed-with-failures' : 'completed', caches: s.caches, compliant: s.compliant, nonCompliant: s.nonCompliant, remediated: s.remediated, failed: s.failed, exempt: s.exempt,
  });
  return { sweepId, summary: written.summary, report: { json: written.json, markdown: written.markdown } };
}
