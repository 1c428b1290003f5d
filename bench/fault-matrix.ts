/**
 * 5. The fault matrix of issue #11 (the same cases as test/e2e/fault-matrix-*.test.ts, test/support/fault-matrix.ts):
 * for each workflow scenario (geo-replicated add-endpoint; last-endpoint removal and the Event Grid remediation of a
 * cache whose last endpoint was deleted, each with onLastEndpointDeleted enable-public-access and recreate-endpoint)
 * and each fault (429 with Retry-After, 500, 503, 409 busy, operation ends Failed, 300-second outage) at each write
 * step: how many ARM requests the fault costs (the run's requests minus the same workflow's without a fault) and
 * the virtual time until the workflow ended with the invariant restored (its compensations included).
 *
 * One emulator and one embedded host on the virtual clock, which also drives the emulator's clock: the 5-minute
 * fault windows and the compensations' durable timers (1 min, doubling, at most 30 min) cost no wall time.
 */
import { startWorkflowHarness } from '../test/support/workflow-harness';
import { buildEstates, FAULTS, matrixCases, runCase, scenarios, type CaseResult } from '../test/support/fault-matrix';
import { Recorder, progress } from './lib/report';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export async function run(): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();
  const h = await startWorkflowHarness({ emulatorClock: 'host' });
  try {
    const estates = await buildEstates(h);
    // Baselines: each scenario without a fault.
    const baseline = new Map<string, { requests: number; seconds: number }>();
    for (const s of scenarios()) {
      h.emu.control.reset(structuredClone(estates[s.estate]));
      const t0 = h.host.clock.now().getTime();
      const id = await h.host.startNew(s.orchestrator, { instanceId: `bench-baseline-${slug(s.name)}`, input: s.input() });
      await h.host.waitForCompletion(id, { timeoutMs: 60_000 });
      baseline.set(s.name, { requests: h.emu.control.requests().length, seconds: Math.round((h.host.clock.now().getTime() - t0) / 1000) });
      rec.figure(`faults.${slug(s.name)}.baseline.requests`, `${s.name}: ARM requests without a fault`, baseline.get(s.name)!.requests, 'requests');
    }
    const results: CaseResult[] = [];
    for (const c of matrixCases()) results.push(await runCase(h, estates, c.scenario, c.step, c.fault));
    progress(`fault matrix: ${results.length} cases`);
    for (const s of scenarios()) {
      const base = baseline.get(s.name)!;
      for (const fault of FAULTS) {
        const rows = results.filter((r) => r.scenario === s.name && r.fault === fault);
        if (rows.length === 0) continue;
        const extra = rows.map((r) => r.requests - base.requests);
        const worst = rows.reduce((a, b) => (b.virtualSeconds > a.virtualSeconds ? b : a));
        const key = `faults.${slug(s.name)}.${fault}`;
        rec.figure(`${key}.extraRequests.max`, `${s.name} / ${fault}: extra ARM requests, worst step`, Math.max(...extra), 'requests');
        rec.figure(`${key}.extraRequests.mean`, `${s.name} / ${fault}: extra ARM requests, mean over ${rows.length} steps`, Math.round(extra.reduce((a, b) => a + b, 0) / rows.length), 'requests');
        rec.figure(`${key}.recovery.maxSeconds`, `${s.name} / ${fault}: virtual time to recovery, worst step (${worst.step})`, worst.virtualSeconds, 's');
      }
      progress(`${s.name}: baseline ${base.requests} requests`);
    }
    const violations = results.flatMap((r) => r.violations.map((v) => `${r.scenario} / ${r.step} / ${r.fault}: ${v}`));
    const unmet = results.filter((r) => !r.faultMet).map((r) => `${r.scenario} / ${r.step} / ${r.fault}`);
    for (const v of violations.slice(0, 20)) rec.note(`invariant violated: ${v}`);
    for (const u of unmet.slice(0, 20)) rec.note(`fault not met: ${u}`);
    rec.note(`${results.length} cases; recovery = virtual time from the workflow's start to its end, compensations included (fault windows: 300 s; compensation retries after 1, 2, 4, 8 ... min)`);
    rec.check('faults.invariantViolations', 'invariant violations over the whole matrix', violations.length, '==', 0);
    rec.check('faults.unmet', 'cases whose fault was never met', unmet.length, '==', 0);
    rec.check('faults.recovery.maxSeconds', 'worst virtual time to recovery (compensation budget 6 h)', Math.max(...results.map((r) => r.virtualSeconds)), '<=', 6 * 3600, 's');
  } finally {
    await h.close();
  }
  return rec;
}
