/**
 * The compliance dashboard, served by the same Functions app: `GET /api/dashboard` is a static page (no build step,
 * no CDN: inline CSS and script) that reads `GET /api/dashboard/data`: the last sweep report (one row per cache,
 * with its network topology), the trend over the last sweeps, running and recent workflows with their steps (from
 * the Durable status) and pending decisions. Thin like every trigger: it reads documents and Durable status, never
 * ARM. Decisions are posted by the page to the decision runbook (`POST /api/runbooks/decisions/{instanceId}`).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getDependencies } from '../azure/dependencies';
import { HISTORY_DOCUMENT, parseHistory, type PendingDecision, type SweepReport } from '../activities/write-report';
import { authConfigFromEnv, authorize } from './http/auth';
import { DASHBOARD_HTML } from './dashboard/page';
import { loggerFor } from '../observability/logger';

/** Where the page posts approve / reject (the migration workflow's human gate). */
export const DECISIONS_ROUTE = 'runbooks/decisions/{instanceId}';
const WORKFLOW_WINDOW_HOURS = 24;
const MAX_WORKFLOWS = 50;

export interface DashboardWorkflow {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  createdTime?: string;
  lastUpdatedTime?: string;
  /** The orchestrator's custom status: `{ step, of, doing, done[], cacheId, items }`. */
  progress: unknown;
  /** A human gate the workflow waits on (custom status `pendingDecision`). */
  pendingDecision?: { decision: string; question: string; gate?: string; expiresAt?: string };
}

/** A human gate a workflow waits on (custom status `waitingFor`, set by the migration gates). */
interface WaitingFor {
  gate: string;
  what?: string;
  why?: string;
  since?: string;
  timeoutAt?: string;
  onTimeout?: string;
  approvers?: string[];
  instanceId?: string;
}

export interface DashboardData {
  generatedAt: string;
  report: SweepReport | null;
  trend: ReturnType<typeof parseHistory>;
  workflows: DashboardWorkflow[];
  decisions: Array<PendingDecision & { cacheId?: string }>;
  decisionsUrl: string;
}

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

function iso(d: unknown): string | undefined {
  if (d instanceof Date) return d.toISOString();
  return typeof d === 'string' ? d : undefined;
}

export async function dashboardData(context: InvocationContext, now = new Date()): Promise<DashboardData> {
  const { documents } = getDependencies();
  const text = await documents.read('reports/latest.json');
  const report = text ? (JSON.parse(text) as SweepReport) : null;
  const trend = parseHistory(await documents.read(HISTORY_DOCUMENT));
  let workflows: DashboardWorkflow[] = [];
  try {
    const client = df.getClient(context);
    const list = await client.getStatusBy({ createdTimeFrom: new Date(now.getTime() - WORKFLOW_WINDOW_HOURS * 3600_000) });
    workflows = list
      .map((s) => {
        const custom = (s.customStatus ?? null) as { pendingDecision?: { decision: string; question: string }; waitingFor?: WaitingFor } | null;
        const waiting = custom?.waitingFor;
        const pending = custom?.pendingDecision ?? (waiting ? { decision: waiting.gate, gate: waiting.gate, question: [waiting.what, waiting.why].filter(Boolean).join(': '), ...(waiting.timeoutAt ? { expiresAt: waiting.timeoutAt } : {}) } : undefined);
        return {
          instanceId: s.instanceId,
          name: s.name,
          runtimeStatus: String(s.runtimeStatus),
          createdTime: iso(s.createdTime),
          lastUpdatedTime: iso(s.lastUpdatedTime),
          progress: custom,
          ...(pending ? { pendingDecision: pending } : {}),
        };
      })
      .sort((a, b) => String(b.createdTime).localeCompare(String(a.createdTime)))
      .slice(0, MAX_WORKFLOWS);
  } catch (e) {
    loggerFor(context).warn(`dashboard: cannot list workflows: ${(e as Error).message}`);
  }
  const decisions: DashboardData['decisions'] = [];
  for (const c of report?.caches ?? []) for (const d of c.pendingDecisions ?? []) decisions.push({ ...d, cacheId: c.id });
  for (const w of workflows) {
    if (w.pendingDecision && w.runtimeStatus === 'Running' && !decisions.some((d) => d.instanceId === w.instanceId)) {
      decisions.push({ instanceId: w.instanceId, decision: w.pendingDecision.decision, question: w.pendingDecision.question, requestedAt: w.lastUpdatedTime, ...(w.pendingDecision.gate ? { gate: w.pendingDecision.gate } : {}), ...(w.pendingDecision.expiresAt ? { expiresAt: w.pendingDecision.expiresAt } : {}) });
    }
  }
  return { generatedAt: now.toISOString(), report, trend, workflows, decisions, decisionsUrl: `/api/${DECISIONS_ROUTE}` };
}

app.http('httpDashboard', {
  methods: ['GET'],
  route: 'dashboard',
  // The page holds no data (it reads /api/dashboard/data, which authorizes); it forwards `?code=` to its reads.
  authLevel: 'anonymous',
  handler: async (): Promise<HttpResponseInit> => ({
    status: 200,
    body: DASHBOARD_HTML,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Everything is inline and same-origin: no CDN, no third-party request.
      'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    },
  }),
});

app.http('httpDashboardData', {
  methods: ['GET'],
  route: 'dashboard/data',
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let config;
    try {
      config = authConfigFromEnv(process.env);
    } catch (e) {
      return json(500, { error: { code: 'Misconfigured', message: (e as Error).message } });
    }
    const auth = authorize(request.headers, config, []);
    if (!auth.ok) return json(auth.status, { error: { code: auth.status === 401 ? 'Unauthorized' : 'Forbidden', message: auth.message } });
    return json(200, await dashboardData(context));
  },
});
