/**
 * Crash after every ARM request (issue #11): a workflow runs once on an embedded host with durable state on disk;
 * right after each ARM request the emulator handled, the test takes what a crash at that instant would leave
 * behind: the host's state directory as persisted then, and the emulator's resources (the request's effect
 * included, its response never delivered). Then, for every such crash point, the emulator is put back to that
 * state and a NEW host resumes from that state directory, and the end state must satisfy the invariant: geo pair
 * linked and its unlink record gone, endpoint whole (DNS zone group and A record), cache reachable, no Failed
 * endpoint. In process, on the virtual clock: each crash point costs a host start and the rest of the workflow.
 *
 * Scenarios: the geo-replicated add-endpoint workflow (every request), the remediate runbook (the Event Grid path
 * of a cache whose last endpoint was deleted, every request), the compliance sweep (every write), and a crash
 * during compensation (a zone group that keeps failing: every request of the compensation).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Estate } from '../../emulator';
import type { ArmResource } from '../../emulator/core/types';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { OrchestratorNames } from '../../src/orchestrations/names';
import { GEO_UNLINKED_TAG } from '../../src/policy/naming';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { buildEstates, MATRIX_SETTINGS } from '../support/fault-matrix';
import { ESTATE_RESOURCE_GROUPS, ids, testPolicy } from '../support/workflow-estate';

let t: TestEmulator;
let tmp: string;
let estates: Record<'geo' | 'last-endpoint', Estate>;

beforeAll(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  setDependencies(createDependencies({ clients: t.clients, documents: new MemoryDocumentStore(), lroPollIntervalMs: 10 }));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'autopilot-crash-every-'));
  estates = await buildEstates(t);
});
afterAll(async () => {
  setDependencies(undefined);
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface CrashPoint {
  index: number;
  request: string;
  resources: ArmResource[];
  stateDir: string;
}

let runCounter = 0;

/**
 * Runs `start` on a host with a state directory and records a crash point after every ARM request that `keep`
 * selects. Returns the crash points and the instance id.
 */
async function record(estate: Estate, start: (host: LocalHost) => Promise<string>, keep: (method: string, path: string, index: number) => boolean) {
  t.emu.control.reset(structuredClone(estate));
  const run = ++runCounter;
  const stateDir = path.join(tmp, `run-${run}`);
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false, stateDir });
  const points: CrashPoint[] = [];
  const engine = t.emu.engine;
  const original = engine.handle.bind(engine);
  let index = 0;
  engine.handle = async (raw) => {
    const response = await original(raw);
    if (!raw.url.startsWith('/_emulator')) {
      index++;
      const p = raw.url.split('?')[0]!;
      if (keep(raw.method, p, index)) {
        // Operations complete on their first poll (lroDurationMs 0): settle them now, so the copy is consistent.
        engine.lro.settleAll();
        const copy = path.join(tmp, `run-${run}-crash-${index}`);
        fs.cpSync(stateDir, copy, { recursive: true });
        fs.rmSync(path.join(copy, 'host.lock'), { force: true });
        points.push({ index, request: `${raw.method} ${p}`, resources: structuredClone(engine.store.snapshot()), stateDir: copy });
      }
    }
    return response;
  };
  let id: string;
  try {
    id = await start(host);
    const done = await host.waitForCompletion(id, { timeoutMs: 120_000 });
    expect(['Completed', 'Failed']).toContain(done.runtimeStatus);
  } finally {
    engine.handle = original;
    await host.stop();
  }
  return { points, id };
}

/** Resumes from one crash point and returns the final status. */
async function resume(point: CrashPoint, id: string) {
  t.emu.control.restore(structuredClone(point.resources));
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false, stateDir: point.stateDir });
  try {
    const status = (await host.getStatus(id)) ? await host.waitForCompletion(id, { timeoutMs: 120_000 }) : undefined;
    return status;
  } finally {
    await host.stop();
  }
}

const resource = (id: string) => t.emu.control.snapshot().find((r) => r.id.toLowerCase() === id.toLowerCase());

function endpointWhole(cacheName: string, peName: string): string[] {
  const problems: string[] = [];
  const all = t.emu.control.snapshot();
  const pe = all.find((r) => r.id.toLowerCase() === ids.pe(peName).toLowerCase());
  if (!pe) return problems;
  if (pe.properties.provisioningState === 'Failed') problems.push(`${peName} is Failed`);
  if (!all.some((r) => r.id.toLowerCase().startsWith(`${pe.id.toLowerCase()}/privatednszonegroups/`))) problems.push(`${peName} has no zone group`);
  else if (!all.some((r) => /\/A\//.test(r.id) && r.name.toLowerCase() === cacheName)) problems.push(`${peName} has no A record`);
  return problems;
}

describe('crash after every ARM request', () => {
  it('geo-replicated add-endpoint: every crash point resumes to a linked pair and a whole endpoint', async () => {
    const policy = testPolicy();
    const cacheId = ids.cache('geo-p');
    const { points, id } = await record(
      estates.geo,
      (host) => host.startNew(OrchestratorNames.addPrivateEndpoint, { instanceId: 'crash-geo', input: { cacheId, policy, settings: MATRIX_SETTINGS } }),
      () => true,
    );
    expect(points.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const p of points) {
      const status = await resume(p, id);
      const link = resource(`${cacheId}/linkedServers/geo-s`);
      const tagged = Object.keys(resource(cacheId)?.tags ?? {}).includes(GEO_UNLINKED_TAG);
      const problems = [
        ...(status?.runtimeStatus === 'Completed' ? [] : [`ended ${status?.runtimeStatus ?? 'unknown'}: ${JSON.stringify(status?.output ?? '').slice(0, 200)}`]),
        ...(link?.properties.provisioningState === 'Succeeded' ? [] : ['the pair is not linked']),
        ...(tagged ? ['the unlink record is left'] : []),
        ...endpointWhole('geo-p', 'pe-geo-p-vnet-app'),
        ...(t.emu.control.connectivity(cacheId, ids.vnet('vnet-app')).reachable ? [] : ['not reachable from vnet-app']),
      ];
      if (problems.length) failures.push(`crash after #${p.index} ${p.request}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('remediate runbook, last endpoint deleted (recreate-endpoint): every crash point resumes to a reachable cache', async () => {
    const policy = testPolicy({ onLastEndpointDeleted: 'recreate-endpoint' });
    const cacheId = ids.cache('std-orphan');
    const { points, id } = await record(
      estates['last-endpoint'],
      (host) => host.startNew(OrchestratorNames.remediateCache, { instanceId: 'crash-remediate', input: { cacheId, policy, settings: MATRIX_SETTINGS, reason: 'runbook' } }),
      () => true,
    );
    expect(points.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const p of points) {
      const status = await resume(p, id);
      const problems = [
        ...(status?.runtimeStatus === 'Completed' ? [] : [`ended ${status?.runtimeStatus ?? 'unknown'}`]),
        ...endpointWhole('std-orphan', 'pe-std-orphan-vnet-app'),
        ...(t.emu.control.connectivity(cacheId, ids.vnet('vnet-app')).reachable ? [] : ['not reachable from vnet-app']),
      ];
      if (problems.length) failures.push(`crash after #${p.index} ${p.request}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('compliance sweep (enforce, geo pair): every crash after a write resumes to a linked pair and whole endpoints', async () => {
    const policy = testPolicy();
    const { points, id } = await record(
      estates.geo,
      (host) => host.startNew(OrchestratorNames.complianceSweep, { instanceId: 'crash-sweep', input: { policy, settings: MATRIX_SETTINGS } }),
      (method) => method !== 'GET' && method !== 'POST',
    );
    expect(points.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const p of points) {
      const status = await resume(p, id);
      const link = resource(`${ids.cache('geo-p')}/linkedServers/geo-s`) ?? resource(`${ids.cache('geo-s')}/linkedServers/geo-p`);
      const problems = [
        ...(status?.runtimeStatus === 'Completed' ? [] : [`ended ${status?.runtimeStatus ?? 'unknown'}`]),
        ...(link ? [] : ['the pair is not linked']),
        ...endpointWhole('geo-p', 'pe-geo-p-vnet-app'),
        ...endpointWhole('geo-s', 'pe-geo-s-vnet-app'),
      ];
      if (problems.length) failures.push(`crash after #${p.index} ${p.request}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('crash during compensation: a zone group that keeps failing; every crash inside the compensation resumes it', async () => {
    const policy = testPolicy();
    const cacheId = ids.cache('geo-p');
    let compensating = false;
    const { points, id } = await record(
      estates.geo,
      async (host) => {
        // The zone group PUT fails for 30 minutes: the step gives up, the compensation removes the endpoint and relinks.
        t.emu.control.injectFault({ method: 'PUT', pathPattern: 'privateDnsZoneGroups/default$', status: 500, code: 'InternalServerError', durationSeconds: 1800 });
        t.emu.control.useClock(() => host.clock.now());
        return host.startNew(OrchestratorNames.addPrivateEndpoint, { instanceId: 'crash-compensation', input: { cacheId, policy, settings: MATRIX_SETTINGS } });
      },
      (method, p) => {
        // From the compensation's first write (the endpoint's removal) on.
        if (method === 'DELETE' && /privateEndpoints\/pe-geo-p-vnet-app$/i.test(p)) compensating = true;
        return compensating;
      },
    );
    t.emu.control.useClock();
    expect(points.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const p of points) {
      const status = await resume(p, id);
      const link = resource(`${cacheId}/linkedServers/geo-s`);
      const problems = [
        ...(status?.runtimeStatus === 'Failed' ? [] : [`ended ${status?.runtimeStatus ?? 'unknown'} (the step failed: Failed expected)`]),
        ...(link?.properties.provisioningState === 'Succeeded' ? [] : ['the pair is not linked']),
        ...(resource(ids.pe('pe-geo-p-vnet-app')) ? ['the half-configured endpoint is left'] : []),
        ...(t.emu.control.connectivity(cacheId, 'internet').reachable ? [] : ['not reachable from the internet (it was before)']),
      ];
      if (problems.length) failures.push(`crash after #${p.index} ${p.request}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});
