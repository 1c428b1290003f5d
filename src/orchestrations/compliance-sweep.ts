/**
 * The compliance sweep: inventory every cache in scope through Azure Resource Graph (paged), remediate each cache
 * through a per-cache sub-orchestration (deterministic ids, bounded concurrency per subscription), write the
 * report (JSON + Markdown) and return it. Audit mode and dry-run report only.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { QueryCachesResult } from '../activities/query-caches';
import type { CacheReportEntry, SweepReport } from '../activities/write-report';
import { ActivityNames } from '../activities/names';
import { callActivity, ProgressReporter, type Orchestration } from './durable-helpers';
import type { WorkflowEnvelope } from './common';
import type { RemediateCacheInput, RemediationResult } from './remediate-cache';
import { OrchestratorNames, cacheInstanceId, subInstanceId } from './names';

export interface ComplianceSweepInput extends WorkflowEnvelope {
  dryRun?: boolean;
  /** Sub-orchestrations running at once per subscription. */
  concurrencyPerSubscription?: number;
}

function entryOf(cacheId: string, r: RemediationResult | undefined, failure?: string): CacheReportEntry {
  if (!r) return { id: cacheId, compliant: false, status: 'failed', findings: [{ rule: 'workflow-failed', severity: 'high', message: failure ?? 'unknown error' }], actions: [] };
  const remaining = r.remaining ?? r.findings;
  return {
    id: cacheId,
    ...(r.tier ? { tier: r.tier } : {}),
    compliant: remaining.length === 0,
    status: r.status,
    findings: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    actions: r.actions.map((a) => ({ step: a.step, status: a.status })),
  };
}

export function* complianceSweepOrchestrator(context: OrchestrationContext): Orchestration<SweepReport> {
  const input = context.df.getInput() as ComplianceSweepInput;
  const { policy, settings } = input;
  const sweepId = `sweep-${context.df.currentUtcDateTime.toISOString().replace(/[:.]/g, '-')}`;
  const progress = new ProgressReporter(context, 3);
  progress.next('Inventory through Azure Resource Graph');
  const caches: QueryCachesResult['caches'] = [];
  let skipToken: string | undefined;
  do {
    const page: QueryCachesResult = yield* callActivity<QueryCachesResult>(context, settings, ActivityNames.queryCaches, {
      subscriptions: policy.scopes.subscriptions,
      skipToken,
    });
    caches.push(...page.caches);
    skipToken = page.skipToken;
  } while (skipToken);

  progress.next(`Evaluating ${caches.length} cache(s)`);
  const limit = Math.max(1, input.concurrencyPerSubscription ?? 5);
  const bySubscription = new Map<string, string[]>();
  for (const c of caches) bySubscription.set(c.subscriptionId.toLowerCase(), [...(bySubscription.get(c.subscriptionId.toLowerCase()) ?? []), c.id]);
  const entries: CacheReportEntry[] = [];
  // Waves: at most `limit` caches of each subscription at a time.
  const queues = [...bySubscription.values()];
  while (queues.some((q) => q.length > 0)) {
    const wave = queues.flatMap((q) => q.splice(0, limit));
    const tasks: Task[] = wave.map((cacheId) => {
      const child: RemediateCacheInput = { policy, settings, cacheId, dryRun: input.dryRun, reason: 'compliance sweep' };
      return context.df.callSubOrchestrator(OrchestratorNames.remediateCache, child, subInstanceId(context.df.instanceId, cacheInstanceId('remediate', cacheId)));
    });
    try {
      const results = (yield context.df.Task.all(tasks)) as RemediationResult[];
      wave.forEach((id, i) => entries.push(entryOf(id, results[i])));
    } catch {
      // Task.all fails on the first failure: collect each task's own outcome.
      wave.forEach((id, i) => {
        const t = tasks[i] as any;
        entries.push(t.isFaulted ? entryOf(id, undefined, String(t.result?.message ?? t.result ?? 'failed')) : entryOf(id, t.result as RemediationResult));
      });
    }
  }
  progress.next('Writing the report');
  const report: SweepReport = {
    sweepId,
    startedAt: context.df.currentUtcDateTime.toISOString(),
    mode: policy.mode,
    dryRun: !!input.dryRun,
    summary: {
      caches: entries.length,
      compliant: entries.filter((e) => e.compliant).length,
      nonCompliant: entries.filter((e) => !e.compliant).length,
      remediated: entries.filter((e) => e.status === 'succeeded').length,
      failed: entries.filter((e) => e.status === 'failed').length,
    },
    caches: entries,
  };
  yield* callActivity(context, settings, ActivityNames.writeReport, { report });
  return report;
}
