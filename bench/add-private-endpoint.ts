/**
 * 4. One enforce-mode `addPrivateEndpointOrchestrator` end to end: the product's registered functions on the
 * embedded host (virtual clock), activities calling the real SDK clients over loopback HTTP against a fresh
 * emulator holding a Standard cache with public access and two VNets (the endpoint subnet still has private
 * endpoint network policies Enabled, no private DNS zone yet). The workflow disables the subnet policies,
 * creates the zone and links it to both VNets, creates the endpoint and its DNS zone group, verifies DNS, then
 * disables public access. Figures: wall time from start to completion and the ARM requests it sent.
 *
 * The emulator does not model VNet peering, so only the endpoint's VNet can reach the cache; the consumer VNet is
 * checked for private name resolution (the zone link).
 *
 * A first run against another fresh emulator warms the process up (module loading, JIT); the figures are those of
 * the second run. Long-running operations complete on their first poll (emulator default) and durable timers run
 * on the virtual clock, so the time is the product's and the emulator's own work, not Azure's waiting.
 */
import { startEmulator } from '../emulator';
import { createDependencies, setDependencies } from '../src/azure/dependencies';
import { createClientFactory, StaticTokenCredential } from '../src/azure/clients';
import { MemoryDocumentStore } from '../src/azure/document-store';
import type { RuntimeSettings } from '../src/azure/settings';
import { startLocalHost } from '../src/local/host';
import { OrchestratorNames } from '../src/orchestrations/names';
import { parsePolicy } from '../src/policy/policy-schema';
import { countRequests } from './lib/arm';
import { BENCH_SUBSCRIPTION, LOCATION, RG_DNS, emptyBenchEstate, ids, putRedis, putVnet } from './lib/estates';
import { Recorder, progress } from './lib/report';
import { now, round } from './lib/stats';

const SETTINGS: RuntimeSettings = {
  cloud: 'AzureCloud',
  pollIntervalSeconds: 10,
  operationTimeoutSeconds: 3600,
  activityRetry: { firstRetryIntervalMs: 2000, maxNumberOfAttempts: 6, backoffCoefficient: 2 },
};

const policy = parsePolicy({
  scopes: { subscriptions: [BENCH_SUBSCRIPTION] },
  mode: 'enforce',
  dnsZones: { subscriptionId: BENCH_SUBSCRIPTION, resourceGroup: RG_DNS },
  endpointPlacement: { [LOCATION]: { subnetId: ids.subnet('vnet-app', 'endpoints') } },
  consumerVirtualNetworks: [ids.vnet('vnet-consumer')],
  publicNetworkAccess: 'Disabled',
  onLastEndpointDeleted: 'enable-public-access',
  geoReplication: 'unlink-and-relink',
});

interface RunFigures {
  ms: number;
  requests: number;
  writes: number;
  byMethod: Record<string, number>;
  ok: boolean;
  detail: string;
}

async function oneRun(host: Awaited<ReturnType<typeof startLocalHost>>, label: string): Promise<RunFigures> {
  const emu = await startEmulator({ estate: emptyBenchEstate() });
  try {
    await putVnet(emu.engine, 'vnet-app', '10.1.0.0/16', { name: 'endpoints', prefix: '10.1.1.0/24', policies: 'Enabled' });
    await putVnet(emu.engine, 'vnet-consumer', '10.2.0.0/16', { name: 'endpoints', prefix: '10.2.1.0/24', policies: 'Disabled' });
    const cacheId = await putRedis(emu.engine, `cache-${label}`, 'Standard', { publicNetworkAccess: 'Enabled' });
    const clients = createClientFactory({
      armTransportUrl: emu.url,
      credential: new StaticTokenCredential(),
      retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    });
    setDependencies(createDependencies({ clients, documents: new MemoryDocumentStore() }));
    const counter = countRequests(emu.engine);
    const t0 = now();
    const id = await host.startNew(OrchestratorNames.addPrivateEndpoint, { instanceId: `add-${label}`, input: { cacheId, policy, settings: SETTINGS } });
    const status = await host.waitForCompletion(id, { timeoutMs: 30_000 });
    const ms = now() - t0;
    counter.stop();
    const byMethod: Record<string, number> = {};
    for (const r of counter.requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    const output = status.output as { status?: string; message?: string } | undefined;
    const fromApp = emu.control.connectivity(cacheId, ids.vnet('vnet-app'));
    const fromConsumer = emu.control.connectivity(cacheId, ids.vnet('vnet-consumer'));
    const fromInternet = emu.control.connectivity(cacheId, 'internet');
    const ok =
      status.runtimeStatus === 'Completed' &&
      output?.status === 'succeeded' &&
      fromApp.resolution === 'private' &&
      fromApp.reachable &&
      fromConsumer.resolution === 'private' &&
      fromConsumer.resolvedAddress === fromApp.resolvedAddress &&
      !fromInternet.reachable;
    const detail = `${status.runtimeStatus}/${output?.status ?? '-'}: ${output?.message ?? ''}; from vnet-app ${fromApp.resolution}/${fromApp.reachable}, vnet-consumer resolves ${fromConsumer.resolution} ${fromConsumer.resolvedAddress ?? '-'}, from internet ${fromInternet.reachable}`;
    return { ms, requests: counter.total, writes: counter.total - (byMethod.GET ?? 0), byMethod, ok, detail };
  } finally {
    setDependencies(undefined);
    await emu.close();
  }
}

export async function run(): Promise<{ figures: Recorder['figures']; checks: Recorder['checks']; notes: string[] }> {
  const rec = new Recorder();
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false });
  try {
    const cold = await oneRun(host, 'warmup');
    const warm = await oneRun(host, 'measured');
    rec.figure('addEndpoint.ms', 'add private endpoint, start to completion', round(warm.ms), 'ms');
    rec.figure('addEndpoint.requests', 'ARM requests sent', warm.requests, 'requests');
    for (const [method, n] of Object.entries(warm.byMethod).sort()) rec.figure(`addEndpoint.requests.${method}`, `  of which ${method}`, n, 'requests');
    rec.figure('addEndpoint.coldMs', 'first run in the process (module loading, JIT)', round(cold.ms), 'ms');
    rec.note(`measured run: ${warm.detail}`);
    if (!cold.ok) rec.note(`warm-up run: ${cold.detail}`);
    progress(`add private endpoint: ${round(warm.ms)} ms, ${warm.requests} ARM requests (cold run ${round(cold.ms)} ms)`);
    rec.check('addEndpoint.ok', 'workflow succeeded and the endpoint works (1 = yes)', warm.ok && cold.ok ? 1 : 0, '==', 1);
    rec.check('addEndpoint.ms', 'add private endpoint end to end', round(warm.ms), '<=', 500, 'ms');
    rec.check('addEndpoint.requests', 'ARM requests of one add-private-endpoint workflow', warm.requests, '<=', 50, 'requests');
  } finally {
    await host.stop();
  }
  return rec;
}
