/**
 * The structured logs as Application Insights receives them, and the three Kusto queries of docs/operations.md run
 * against them. A compliance sweep of the demo estate (enforce mode, one endpoint creation failing) runs on the
 * embedded host; the App Insights sink posts its envelopes to a local ingestion endpoint; the envelopes become
 * `traces` rows (timestamp, message, severityLevel, customDimensions) and the documented queries are evaluated by the
 * emulator's KQL engine (without their `ago()` time filter, which that engine does not implement).
 */
import http from 'node:http';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { parsePolicy } from '../../src/policy/policy-schema';
import { SWEEP_INSTANCE_ID } from '../../src/functions/start-or-signal';
import { startAppInsightsSink, type AppInsightsSink } from '../../src/observability/app-insights';
import { runQuery } from '../../emulator/kql';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const root = path.join(__dirname, '..', '..');
const demoPolicy = JSON.parse(readFileSync(path.join(root, 'examples', 'policy.demo.json'), 'utf8'));
const STD = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-demo-cache/providers/Microsoft.Cache/Redis/demo-std-pe-public';
const BASIC = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-demo-cache/providers/Microsoft.Cache/Redis/demo-basic-public';

let t: TestEmulator;
let host: LocalHost;
let server: http.Server;
let sink: AppInsightsSink;
const envelopes: any[] = [];
let rows: Array<Record<string, unknown>>;
let summary: any;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      expect(req.url).toBe('/v2.1/track');
      for (const line of body.split('\n').filter(Boolean)) envelopes.push(JSON.parse(line));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"itemsReceived":1,"itemsAccepted":1,"errors":[]}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  sink = startAppInsightsSink(`InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:${port}/`)!;

  t = await startTestEmulator(path.join(root, 'emulator', 'estates', 'demo.json'));
  // The Basic cache's new endpoint fails every time: its remediation fails (an error line, outcome failed).
  t.emu.control.failNextOperation({ resourcePattern: 'privateEndpoints/pe-demo-basic-public', code: 'InternalServerError', message: 'Injected endpoint failure', count: 100 });
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore() }));
  host = await startLocalHost({ clock: 'virtual', enableTimers: false, env: { AUTOPILOT_POLICY: JSON.stringify(parsePolicy(demoPolicy)), AUTOPILOT_POLL_INTERVAL_SECONDS: '5' } });
  await host.runFunction('timerComplianceSweep');
  const done = await host.waitForCompletion(SWEEP_INSTANCE_ID, { timeoutMs: 180_000 });
  expect(done.runtimeStatus).toBe('Completed');
  summary = (done.output as any).summary;
  await sink.stop();
  rows = envelopes.map((e) => ({
    timestamp: e.time,
    message: e.data.baseData.message,
    severityLevel: e.data.baseData.severityLevel,
    customDimensions: e.data.baseData.properties,
  }));
}, 240_000);

afterAll(async () => {
  await host?.stop();
  setDependencies(undefined);
  await t?.close();
  await new Promise((r) => server?.close(r));
});

function documentedQueries(): string[] {
  const doc = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
  return [...doc.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m) => m[1].split('\n').filter((l) => !l.includes('ago(')).join('\n').trim());
}

function query(text: string) {
  return runQuery(text, {
    traces: {
      columns: [
        { name: 'timestamp', type: 'string' },
        { name: 'message', type: 'string' },
        { name: 'severityLevel', type: 'long' },
        { name: 'customDimensions', type: 'dynamic' },
      ],
      rows: () => rows as any,
    },
  }).rows;
}

it('sends every record as a trace with its dimensions as customDimensions, in the ingestion envelope', () => {
  expect(sink.failures).toBe(0);
  expect(envelopes.length).toBeGreaterThan(20);
  for (const e of envelopes) {
    expect(e).toMatchObject({ name: 'Microsoft.ApplicationInsights.Message', iKey: '00000000-0000-0000-0000-000000000000', data: { baseType: 'MessageData', baseData: { ver: 2 } } });
    expect([0, 1, 2, 3]).toContain(e.data.baseData.severityLevel);
    expect(e.data.baseData.properties.source).toBe('autopilot');
  }
});

it('orchestrator lines carry the instance id and the cache, are written once (replay-safe), and keep a stable step total', () => {
  const steps = rows.filter((r: any) => r.customDimensions.stepTotal !== undefined) as any[];
  expect(steps.length).toBeGreaterThan(5);
  for (const r of steps) expect(r.customDimensions.instanceId).toEqual(expect.any(String));
  const remediation = steps.filter((r) => String(r.customDimensions.operation ?? '').startsWith('remediateCache'));
  for (const r of remediation) expect(r.customDimensions.cacheId).toMatch(/^\/subscriptions\//);
  const totals = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const r of steps) {
    const id = r.customDimensions.instanceId;
    totals.set(id, (totals.get(id) ?? new Set()).add(r.customDimensions.stepTotal));
    // (a geo pair's lock instance runs once per cache of the pair: its executions differ by orchestration time)
    const key = `${id}|${r.timestamp}|${r.message}`;
    expect(seen.has(key)).toBe(false); // a replay would write the same line again
    seen.add(key);
  }
  for (const [, set] of totals) expect(set.size).toBe(1);
});

it('one completion line per sweep with its summary', () => {
  const done = rows.filter((r: any) => r.customDimensions.workflow === 'sweep') as any[];
  expect(done).toHaveLength(1);
  expect(done[0].severityLevel).toBe(1);
  expect(done[0].customDimensions).toMatchObject({ caches: String(summary.caches), compliant: String(summary.compliant), nonCompliant: String(summary.nonCompliant), failed: String(summary.failed) });
});

it('docs/operations.md: "what happened to cache X" lists that cache\'s steps and outcome, in order', () => {
  const [whatHappened] = documentedQueries();
  const result = query(whatHappened);
  expect(result.length).toBeGreaterThan(2);
  expect(result.map((r) => r.message).join('\n')).toMatch(/set-public-network-access|publicNetworkAccess/i);
  expect(result.some((r) => r.outcome === 'succeeded')).toBe(true);
  const times = result.map((r) => String(r.timestamp));
  expect([...times].sort()).toEqual(times);
  expect(result.every((r) => r.instanceId !== undefined)).toBe(true);
});

it('docs/operations.md: "failed workflows today" finds the failed remediation of the Basic cache', () => {
  const failed = query(documentedQueries()[1]);
  expect(failed.length).toBeGreaterThanOrEqual(1);
  expect(failed.map((r) => String(r.cacheId).toLowerCase())).toContain(BASIC.toLowerCase());
  expect(failed.map((r) => String(r.cacheId).toLowerCase())).not.toContain(STD.toLowerCase());
});

it('docs/operations.md: "caches left non-compliant" lists exactly the non-compliant rows of the report, with their rules', () => {
  const left = query(documentedQueries()[2]);
  expect(left).toHaveLength(summary.nonCompliant);
  expect(left.map((r) => String(r.cacheId).toLowerCase())).toContain(BASIC.toLowerCase());
  expect(left.map((r) => String(r.cacheId).toLowerCase())).not.toContain(STD.toLowerCase());
  for (const r of left) expect((r.rules as string[]).length).toBeGreaterThan(0);
});
