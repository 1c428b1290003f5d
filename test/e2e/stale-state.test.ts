/**
 * Workflows never act on stale state (issue #9 item 7), through the app's own triggers on the embedded host:
 *  - an Event Grid delete event delivered while the delete still settles never answers no-change while the cache
 *    is unreachable, and never fails because the endpoint vanished between two reads;
 */
import { OrchestratorNames, cacheInstanceId } from '../../src/orchestrations/names';
import { FAST_SETTINGS, SUB, createCache, createNetworks, ids, testPolicy } from '../support/workflow-estate';
import { resourceEvent, startProductHost, type ProductHost } from '../support/product-host';

let p: ProductHost;
afterEach(async () => p?.close());

const VNETS = () => [ids.vnet('vnet-app'), ids.vnet('vnet-consumer'), 'internet'];
const reachableFrom = (cacheId: string) => VNETS().filter((v) => p.emu.control.connectivity(cacheId, v).reachable);


async function privateCache(name: string, policy = testPolicy()): Promise<{ cacheId: string; pe: string }> {
  const cacheId = await createCache(p.clients, name, 'Standard');
  const added = await p.host.waitForCompletion(await p.host.startNew(OrchestratorNames.addPrivateEndpoint, { input: { cacheId, policy, settings: FAST_SETTINGS } }));
  expect(added.output).toMatchObject({ status: 'succeeded', publicNetworkAccess: 'Disabled' });
  return { cacheId, pe: (added.output as { privateEndpointId: string }).privateEndpointId };
}

describe.each(['enable-public-access', 'recreate-endpoint'] as const)('onLastEndpointDeleted: %s', (onLast) => {
  it('an Event Grid delete event delivered while the delete settles: the remediation waits, then restores reachability', async () => {
    const policy = testPolicy({ onLastEndpointDeleted: onLast });
    p = await startProductHost(policy);
    await createNetworks(p.clients);
    const { cacheId, pe } = await privateCache('stale-evt', policy);
    // The delete takes a while in Azure; the event is delivered at once (Event Grid is fast, ARM is not).
    p.emu.control.setSettings({ lroDurationMs: 400 });
    const peName = pe.split('/').pop()!;
    await p.clients.network(SUB).privateEndpoints.beginDelete('rg-net', peName);
    expect((await p.clients.network(SUB).privateEndpoints.get('rg-net', peName)).provisioningState).toBe('Deleting');
    await p.host.runFunction('eventGridResourceChanged', [resourceEvent(pe, 'delete', 'Microsoft.Network/privateEndpoints/delete', new Date().toISOString())]);
    const instanceId = cacheInstanceId('remediate', cacheId);
    const done = await p.host.waitForCompletion(instanceId, { timeoutMs: 120_000 });
    expect(done.runtimeStatus).toBe('Completed');
    // not 'no-change' (the state read while the endpoint was still there), not a failure (the endpoint vanished)
    expect(done.output).toMatchObject({ status: 'succeeded' });
    await p.host.idle({ timeoutMs: 60_000 });
    p.emu.control.setSettings({ lroDurationMs: 0 });
    expect(reachableFrom(cacheId).length).toBeGreaterThan(0);
  }, 180_000);
});
