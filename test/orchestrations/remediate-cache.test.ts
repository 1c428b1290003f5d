/**
 * The registered remediateCacheOrchestrator replayed on the local host: plan order (prerequisites before the
 * endpoint), and public access disabled only by a later run, once the new endpoint's DNS verifies (lockout guard).
 */
import { HistoryEventType } from '../../src/local/host';
import { OrchestratorNames, cacheInstanceId } from '../../src/orchestrations/names';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { FAST_SETTINGS, RG, SUB, createCache, createNetworks, testPolicy } from '../support/workflow-estate';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
  await createNetworks(h.clients);
});
afterEach(async () => h.close());

async function activities(instanceId: string): Promise<string[]> {
  return (await h.host.history(instanceId)).filter((e) => e.EventType === HistoryEventType.TaskScheduled).map((e) => e.Name!);
}

it('runs prerequisites before the endpoint, and disables public access only after the endpoint verified', async () => {
  const cacheId = await createCache(h.clients, 'rem-order', 'Standard');
  const id = cacheInstanceId('remediate', cacheId);
  await h.host.startNew(OrchestratorNames.remediateCache, { instanceId: id, input: { cacheId, policy: testPolicy(), settings: FAST_SETTINGS } });
  const done = await h.host.waitForCompletion(id);
  expect(done.output).toMatchObject({ status: 'succeeded', remaining: [] });
  const a = await activities(id);
  const at = (name: string) => a.indexOf(name);
  expect(at('ensureSubnetReady')).toBeGreaterThan(at('getCacheSnapshot'));
  expect(at('ensureSubnetReady')).toBeLessThan(at('createPrivateEndpoint'));
  expect(at('ensureVirtualNetworkLink')).toBeLessThan(at('createPrivateEndpoint'));
  expect(at('createPrivateEndpoint')).toBeLessThan(at('ensurePrivateDnsZoneGroup'));
  // the lockout guard: public access is disabled in a second pass, after a fresh read shows the endpoint verified
  const snapshotsBefore = a.slice(0, at('updatePublicNetworkAccess')).filter((n) => n === 'getCacheSnapshot').length;
  expect(at('updatePublicNetworkAccess')).toBeGreaterThan(at('ensurePrivateDnsZoneGroup'));
  expect(snapshotsBefore).toBe(2);
  expect((await h.clients.redis(SUB).redis.get(RG, 'rem-order')).publicNetworkAccess).toBe('Disabled');
  expect(h.emu.control.connectivity(cacheId, 'internet').reachable).toBe(false);
  expect(h.emu.control.connectivity(cacheId, '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app').reachable).toBe(true);
});
