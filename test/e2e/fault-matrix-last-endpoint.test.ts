/**
 * Issue #11's fault matrix, last-endpoint workflows with both policies (enable-public-access, recreate-endpoint):
 * the remove-endpoint runbook on a cache whose only endpoint is removed (public access Disabled), and the Event Grid
 * path (a remediation of a cache whose last endpoint was deleted). Every write step x every fault, as in
 * fault-matrix-geo.test.ts; the invariant includes "never unreachable by our hand" and, for the event path, "the
 * cache ends reachable (per the policy, or by the public-access fallback)".
 */
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { buildEstates, matrixCases, runCase } from '../support/fault-matrix';

let h: WorkflowHarness;
let estates: Awaited<ReturnType<typeof buildEstates>>;
beforeAll(async () => {
  h = await startWorkflowHarness({ emulatorClock: 'host' });
  estates = await buildEstates(h);
});
afterAll(async () => h?.close());

const cases = matrixCases().filter((c) => c.scenario.estate === 'last-endpoint');

it.each(cases.map((c) => [c.scenario.name, c.step.name, c.fault, c] as const))('%s: %s x %s: the invariant holds', async (_s, _step, _fault, c) => {
  const r = await runCase(h, estates, c.scenario, c.step, c.fault);
  expect(r.faultMet).toBe(true);
  expect(r.violations).toEqual([]);
});
