/**
 * Two workflows on the two caches of one passive geo-replication pair, started together: the pair's lock (the
 * geo change sub-orchestration's deterministic id) makes the second wait and re-plan; both end with an endpoint
 * and the pair linked.
 */
import { OrchestratorNames, cacheInstanceId } from '../../src/orchestrations/names';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { FAST_SETTINGS, RG, SUB, createCache, createNetworks, linkGeoPair, testPolicy } from '../support/workflow-estate';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
  await createNetworks(h.clients);
});
afterEach(async () => h.close());

it('remediations of both caches of a pair, started at once, both succeed one after the other', async () => {
  const primary = await createCache(h.clients, 'lock-p', 'Premium');
  const secondary = await createCache(h.clients, 'lock-s', 'Premium');
  await linkGeoPair(h.clients, primary, secondary, 'westus2');
  h.emu.control.setSettings({ lroDurationMs: 100 });
  const policy = testPolicy();
  const ids = await Promise.all(
    [primary, secondary].map((cacheId) =>
      h.host.startNew(OrchestratorNames.remediateCache, { instanceId: cacheInstanceId('remediate', cacheId), input: { cacheId, policy, settings: FAST_SETTINGS } }),
    ),
  );
  const results = await Promise.all(ids.map((id) => h.host.waitForCompletion(id, { timeoutMs: 120_000 })));
  for (const r of results) {
    expect(r.runtimeStatus).toBe('Completed');
    expect(r.output).toMatchObject({ status: 'succeeded' });
  }
  for (const name of ['lock-p', 'lock-s']) {
    const cache = await h.clients.redis(SUB).redis.get(RG, name);
    expect(cache.privateEndpointConnections?.filter((c) => c.privateLinkServiceConnectionState?.status === 'Approved')).toHaveLength(1);
  }
  expect((await h.clients.redis(SUB).linkedServer.get(RG, 'lock-p', 'lock-s')).provisioningState).toBe('Succeeded');
  // never two changes of the pair in flight: no unlink or relink was refused as busy (409)
  const geoWrites = h.emu.control.requests().filter((r) => r.method !== 'GET' && /linkedServers/i.test(r.path));
  expect(geoWrites.length).toBeGreaterThanOrEqual(2);
  expect(geoWrites.filter((r) => r.status >= 400)).toEqual([]);
});
