/**
 * The registered addPrivateEndpointOrchestrator replayed by the real durable-functions engine on the local host
 * (with the extension's non-determinism check): the order of its steps, its durable-timer polling and its
 * compensation, read from the orchestration history.
 */
import { HistoryEventType } from '../../src/local/host';
import { OrchestratorNames, geoPairInstanceId } from '../../src/orchestrations/names';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { FAST_SETTINGS, createCache, createNetworks, linkGeoPair, testPolicy } from '../support/workflow-estate';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
  await createNetworks(h.clients);
});
afterEach(async () => h.close());

/**
 * Activity names in scheduling order, consecutive repeats (polls) collapsed, timers as '(timer)'; a
 * sub-orchestration's own steps are spliced in where the parent created it.
 */
async function steps(instanceId: string): Promise<string[]> {
  const out: string[] = [];
  const push = (name: string) => {
    if (out[out.length - 1] !== name) out.push(name);
  };
  for (const e of await h.host.history(instanceId)) {
    if (e.EventType === HistoryEventType.TaskScheduled) push(e.Name!);
    else if (e.EventType === HistoryEventType.TimerCreated) push('(timer)');
    else if (e.EventType === HistoryEventType.SubOrchestrationInstanceCreated) {
      push(`[${e.Name}]`);
      for (const n of await steps(e.InstanceId!)) push(n);
    }
  }
  return out;
}

/** Awaits a condition (checked after each turn of the event loop; no timing assumption). */
async function waitUntil(condition: () => Promise<boolean>, limit = 20_000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await condition()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}

async function geoPair(prefix: string): Promise<string> {
  const primary = await createCache(h.clients, `${prefix}-p`, 'Premium');
  const secondary = await createCache(h.clients, `${prefix}-s`, 'Premium', { location: 'eastus' });
  await linkGeoPair(h.clients, primary, secondary, 'eastus');
  return primary;
}

it('prepares DNS before the endpoint, unlinks, waits on durable timers, creates, relinks, verifies, then disables public access', async () => {
  const cacheId = await geoPair('ord');
  // The unlink stays in progress until the workflow has shown that it waits on a durable timer: no wall-clock
  // race (it used to complete after 150 ms, before the first poll on a loaded machine, and no timer was created).
  h.emu.control.holdNextOperation({ resourcePattern: '/linkedServers/', count: 1 });
  const id = await h.host.startNew(OrchestratorNames.addPrivateEndpoint, { input: { cacheId, policy: testPolicy(), settings: FAST_SETTINGS } });
  const pairId = geoPairInstanceId(cacheId, cacheId.replace(/ord-p$/, 'ord-s'));
  await waitUntil(async () => {
    const history = await h.host.history(pairId).catch(() => []);
    const unlink = history.findIndex((e) => e.EventType === HistoryEventType.TaskScheduled && e.Name === 'deleteLinkedServer');
    return unlink >= 0 && history.slice(unlink).some((e) => e.EventType === HistoryEventType.TimerCreated);
  });
  expect(h.emu.control.releaseHeldOperations()).toBe(1);
  const done = await h.host.waitForCompletion(id);
  expect(done.runtimeStatus).toBe('Completed');
  const s = await steps(id);
  const at = (name: string) => s.indexOf(name);
  expect(s[0]).toBe('getCacheSnapshot');
  expect(at('ensureSubnetReady')).toBeLessThan(at('ensurePrivateDnsZone'));
  expect(at('ensurePrivateDnsZone')).toBeLessThan(at('ensureVirtualNetworkLink'));
  // the geo part runs under the pair's lock: a sub-orchestration with the pair's deterministic instance id
  expect(at('ensureVirtualNetworkLink')).toBeLessThan(at('[geoReplicationChangeOrchestrator]'));
  expect(at('[geoReplicationChangeOrchestrator]')).toBeLessThan(at('deleteLinkedServer'));
  const created = (await h.host.history(id)).find((e) => e.EventType === HistoryEventType.SubOrchestrationInstanceCreated);
  expect(created?.InstanceId).toBe(geoPairInstanceId(cacheId, cacheId.replace(/ord-p$/, 'ord-s')));
  expect(at('deleteLinkedServer')).toBeLessThan(at('createPrivateEndpoint'));
  // the unlink is waited on with durable timers between polls, not inside an activity
  expect(s.slice(at('deleteLinkedServer'), at('createPrivateEndpoint'))).toEqual(expect.arrayContaining(['getCacheState', '(timer)']));
  expect(at('createPrivateEndpoint')).toBeLessThan(at('ensurePrivateDnsZoneGroup'));
  expect(at('ensurePrivateDnsZoneGroup')).toBeLessThan(at('createLinkedServer'));
  expect(s.lastIndexOf('getCacheSnapshot')).toBeGreaterThan(at('createLinkedServer'));
  expect(s.lastIndexOf('updatePublicNetworkAccess')).toBeGreaterThan(s.lastIndexOf('getCacheSnapshot'));
  expect(s[s.length - 1]).toBe('recordInventory');
});

it('runs the relink compensation after a failed endpoint creation, then fails with the original error', async () => {
  const cacheId = await geoPair('comp');
  h.emu.control.failNextOperation({ resourcePattern: 'privateEndpoints/pe-comp-p', code: 'InternalServerError', message: 'Injected endpoint failure', count: 1 });
  const id = await h.host.startNew(OrchestratorNames.addPrivateEndpoint, { input: { cacheId, policy: testPolicy(), settings: FAST_SETTINGS } });
  const done = await h.host.waitForCompletion(id);
  expect(done.runtimeStatus).toBe('Failed');
  expect(String(done.output)).toContain('Injected endpoint failure');
  const s = await steps(id);
  expect(s.indexOf('createLinkedServer')).toBeGreaterThan(s.lastIndexOf('createPrivateEndpoint'));
  expect(s).not.toContain('updatePublicNetworkAccess');
  // an operation that ended Failed fails the step at once with ARM's error (no blind re-run of the PUT), and the
  // endpoint's undo, registered before the PUT, removed the Failed endpoint before the relink
  const history = await h.host.history(geoPairInstanceId(cacheId, cacheId.replace(/comp-p$/, 'comp-s')));
  const attempts = history.filter((e) => e.EventType === HistoryEventType.TaskScheduled && e.Name === 'createPrivateEndpoint').length;
  expect(attempts).toBe(1);
  const geo = await steps(geoPairInstanceId(cacheId, cacheId.replace(/comp-p$/, 'comp-s')));
  expect(geo.lastIndexOf('deletePrivateEndpoint')).toBeGreaterThan(geo.indexOf('createPrivateEndpoint'));
  expect(geo.lastIndexOf('deletePrivateEndpoint')).toBeLessThan(geo.lastIndexOf('createLinkedServer'));
  await expect(h.clients.network('11111111-1111-1111-1111-111111111111').privateEndpoints.get('rg-net', 'pe-comp-p-vnet-app')).rejects.toMatchObject({ statusCode: 404 });
});
