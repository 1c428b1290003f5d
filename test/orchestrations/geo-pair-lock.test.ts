/**
 * Two workflows on the two caches of one passive geo-replication pair, started together: the pair's lock (the
 * geo change sub-orchestration's deterministic id) makes the second wait and re-plan; both end with an endpoint
 * and the pair linked.
 */
import { HistoryEventType } from '../../src/local/host';
import { OrchestratorNames, cacheInstanceId, geoPairInstanceId } from '../../src/orchestrations/names';
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
  h.emu.control.clearRequests();
  const policy = testPolicy();
  const ids = await Promise.all(
    [primary, secondary].map((cacheId) =>
      h.host.startNew(OrchestratorNames.remediateCache, { instanceId: cacheInstanceId('remediate', cacheId), input: { cacheId, policy, settings: FAST_SETTINGS } }),
    ),
  );
  const results = await Promise.all(ids.map((id) => h.host.waitForCompletion(id, { timeoutMs: 120_000 })));
  for (const r of results) {
    if (r.runtimeStatus !== 'Completed') console.log('FAILED', JSON.stringify(r.output));
    expect(r.runtimeStatus).toBe('Completed');
    expect(r.output).toMatchObject({ status: 'succeeded' });
  }
  for (const name of ['lock-p', 'lock-s']) {
    const cache = await h.clients.redis(SUB).redis.get(RG, name);
    expect(cache.privateEndpointConnections?.filter((c) => c.privateLinkServiceConnectionState?.status === 'Approved')).toHaveLength(1);
  }
  expect((await h.clients.redis(SUB).linkedServer.get(RG, 'lock-p', 'lock-s')).provisioningState).toBe('Succeeded');
  // never two changes of the pair in flight: the accepted unlinks and relinks alternate (each unlink is relinked
  // before the next unlink). A write refused with 409 because a cache was busy with another update (a public
  // access PATCH of the other workflow) is retried once the cache settles, so it does not count here.
  const accepted = h.emu.control
    .requests()
    .filter((r) => r.method !== 'GET' && /linkedServers/i.test(r.path) && r.status < 400)
    .map((r) => r.method);
  expect(accepted.length).toBeGreaterThanOrEqual(2);
  expect(accepted).toEqual(accepted.map((_, i) => (i % 2 === 0 ? 'DELETE' : 'PUT')));
});

it('while one workflow holds the pair, a second one is refused the lock and changes nothing of the pair', async () => {
  const primary = await createCache(h.clients, 'held-p', 'Premium');
  const secondary = await createCache(h.clients, 'held-s', 'Premium');
  await linkGeoPair(h.clients, primary, secondary, 'westus2');
  // The holder's unlink keeps failing with 503 and waits on a durable retry timer that does not fire (paused
  // clock): it holds the pair's lock while both caches stay Succeeded and linked.
  h.emu.control.injectFault({ method: 'DELETE', pathPattern: 'linkedServers/held-s$', status: 503, code: 'ServiceUnavailable', count: 1000 });
  h.host.clock.pause();
  const holder = await h.host.startNew(OrchestratorNames.geoReplicationChange, {
    instanceId: geoPairInstanceId(primary, secondary),
    input: {
      settings: FAST_SETTINGS,
      plan: { mode: 'execute', steps: [{ kind: 'unlink-geo-replication', cacheId: primary, rule: 'private-endpoint-missing', reason: 'test', primaryCacheId: primary, secondaryCacheId: secondary }] },
    },
  });
  await until(async () => (await h.host.history(holder)).some((e) => e.EventType === HistoryEventType.TimerCreated));

  const second = await h.host.startNew(OrchestratorNames.addPrivateEndpoint, {
    input: { cacheId: secondary, policy: testPolicy(), settings: FAST_SETTINGS },
  });
  const refused = await until(async () =>
    (await h.host.history(second)).find((e) => e.EventType === HistoryEventType.SubOrchestrationInstanceFailed),
  );
  expect(String(refused.Reason)).toMatch(/already exists/);
  const done = await h.host.waitForCompletion(second);
  expect(done.runtimeStatus).toBe('Failed');
  expect(String(done.output)).toContain('GeoPairBusy');
  const requests = h.emu.control.requests();
  expect(requests.filter((r) => r.method === 'DELETE' && /linkedServers/i.test(r.path) && r.status < 400)).toEqual([]);
  expect(requests.filter((r) => r.method === 'PUT' && /privateEndpoints\//i.test(r.path))).toEqual([]);
  expect((await h.clients.redis(SUB).linkedServer.get(RG, 'held-p', 'held-s')).provisioningState).toBe('Succeeded');
  await h.host.terminate(holder, 'test over');
  h.host.clock.resume();
});

async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}
