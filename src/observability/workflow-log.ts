/** The completion lines of workflows, one vocabulary for every entry point (Kusto queries in docs/operations.md). */
import type { Logger } from './logger';

export interface OutcomeLike {
  status: string;
  cacheId: string;
  message: string;
  rule?: string;
  findings?: Array<{ rule: string; severity?: string }>;
  remaining?: Array<{ rule: string; severity?: string }>;
}

/**
 * `error` for a failed workflow, `warning` for each finding left open (rule as a dimension), `info` otherwise.
 * Every line carries `cacheId` and `outcome`.
 */
export function logWorkflowOutcome(log: Logger, workflow: string, r: OutcomeLike): void {
  const dims = { cacheId: r.cacheId, workflow, outcome: r.status };
  if (r.status === 'failed') {
    log.error(`${workflow} failed: ${r.message}`, dims);
    return;
  }
  if (r.status === 'refused') log.warn(`${workflow} refused: ${r.message}`, { ...dims, rule: r.rule });
  else log.info(`${workflow} ${r.status}: ${r.message}`, dims);
  const open = r.remaining ?? (r.status === 'succeeded' ? [] : (r.findings ?? []));
  for (const f of open) log.warn(`Finding left open: ${f.rule}`, { ...dims, rule: f.rule, severity: f.severity });
}
