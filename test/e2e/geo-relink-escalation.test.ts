/**
 * A relink that cannot finish (issue #11 item 3, issue #9 "a sweep that finds a pair the product unlinked and did
 * not relink"): the relink keeps failing past the compensation's own budget, so the remediation escalates
 * `geo-relink-failed` (a finding in the sweep's report, not only words in an error); the pair keeps the unlink
 * record (tag) on the cache; the next sweep reports `geo-replication-unlinked` and relinks it in enforce mode.
 */
import { OrchestratorNames } from '../../src/orchestrations/names';
import { GEO_UNLINKED_TAG } from '../../src/policy/naming';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { buildEstates, MATRIX_SETTINGS } from '../support/fault-matrix';
import { RG, SUB, ids, testPolicy } from '../support/workflow-estate';

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness({ emulatorClock: 'host' });
  const estates = await buildEstates(h);
  h.emu.control.reset(structuredClone(estates.geo));
});
afterAll(async () => h?.close());

it('escalates geo-relink-failed in the report, keeps the record, and the next sweep relinks the pair', async () => {
  const policy = testPolicy();
  // Compensation budget of 5 minutes; the relink PUT fails for an hour from its first attempt.
  const settings = { ...MATRIX_SETTINGS, compensation: { firstRetrySeconds: 60, maxRetrySeconds: 120, budgetSeconds: 300 } };
  h.emu.control.injectFault({ method: 'PUT', pathPattern: 'linkedServers/geo-s$', status: 503, code: 'ServiceUnavailable', durationSeconds: 3600 });

  const first = await h.run(OrchestratorNames.complianceSweep, { policy, settings }, 'sweep-escalation-1');
  expect(first.runtimeStatus).toBe('Completed');
  const report1 = JSON.parse((await h.documents.read(`reports/${first.output.sweepId}.json`))!);
  const entry1 = report1.caches.find((c: any) => c.id.toLowerCase() === ids.cache('geo-p').toLowerCase());
  expect(entry1.status).toBe('failed');
  const escalation = entry1.remaining.find((f: any) => f.rule === 'geo-relink-failed');
  expect(escalation?.message).toMatch(/linkedServers\/geo-s/);
  expect(escalation?.severity).toBe('high');
  const redis = h.clients.redis(SUB);
  await expect(redis.linkedServer.get(RG, 'geo-p', 'geo-s')).rejects.toMatchObject({ statusCode: 404 });
  expect((await redis.redis.get(RG, 'geo-p')).tags?.[GEO_UNLINKED_TAG]).toBe(ids.cache('geo-s'));
  // the cache stays reachable (public access was Enabled and nothing disabled it)
  expect(h.emu.control.connectivity(ids.cache('geo-p'), 'internet').reachable).toBe(true);

  // ARM is healthy again: the next sweep finds the pair the product unlinked and relinks it.
  h.emu.engine.faults.clear();
  const second = await h.run(OrchestratorNames.complianceSweep, { policy, settings }, 'sweep-escalation-2');
  const report2 = JSON.parse((await h.documents.read(`reports/${second.output.sweepId}.json`))!);
  const entry2 = report2.caches.find((c: any) => c.id.toLowerCase() === ids.cache('geo-p').toLowerCase());
  expect(entry2.findings.map((f: any) => f.rule)).toContain('geo-replication-unlinked');
  expect(entry2.actions.map((a: any) => a.step)).toEqual(expect.arrayContaining([expect.stringMatching(/^relink-geo-replication geo-p -> geo-s/)]));
  expect(entry2.status).toBe('succeeded');
  expect((await redis.linkedServer.get(RG, 'geo-p', 'geo-s')).provisioningState).toBe('Succeeded');
  expect((await redis.redis.get(RG, 'geo-p')).tags?.[GEO_UNLINKED_TAG]).toBeUndefined();
});
