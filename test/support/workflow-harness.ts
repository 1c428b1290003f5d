/**
 * The product's registered functions on the embedded local host (virtual clock, real durable-functions replay),
 * their activities calling the real SDK clients against a fresh ARM emulator.
 */
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { startTestEmulator, type TestEmulator } from './emulator';
import { ESTATE_RESOURCE_GROUPS } from './workflow-estate';

export interface WorkflowHarness extends TestEmulator {
  host: LocalHost;
  documents: MemoryDocumentStore;
  /** Start an orchestration and wait for it to end; returns its status (output, runtimeStatus, customStatus). */
  run(name: string, input: unknown, instanceId?: string): Promise<any>;
}

export interface WorkflowHarnessOptions {
  /**
   * 'host': the emulator's clock is the host's virtual clock (outage windows and throttles pass with durable
   * timers, at no wall time). Only with operations that complete on their first poll (lroDurationMs 0): an SDK
   * poller inside an activity waits in wall time, while the virtual clock stands still.
   */
  emulatorClock?: 'wall' | 'host';
}

export async function startWorkflowHarness(options: WorkflowHarnessOptions = {}): Promise<WorkflowHarness> {
  const t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  const documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents, lroPollIntervalMs: 10 }));
  const host = await startLocalHost({ clock: 'virtual', enableTimers: false });
  if (options.emulatorClock === 'host') t.emu.control.useClock(() => host.clock.now());
  return {
    ...t,
    host,
    documents,
    async run(name, input, instanceId) {
      const id = await host.startNew(name, { input, instanceId });
      return host.waitForCompletion(id, { timeoutMs: 60_000 });
    },
    async close() {
      await host.stop();
      setDependencies(undefined);
      await t.close();
    },
  };
}
