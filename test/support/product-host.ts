/**
 * The app's functions on the embedded host (virtual clock) with a policy in its app settings and auth disabled, the
 * activities' SDK clients pointed at a fresh ARM emulator: what the triggers (runbooks, Event Grid, sweep) see.
 */
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import type { Policy } from '../../src/policy/policy-schema';
import { startTestEmulator, type TestEmulator } from './emulator';
import { ESTATE_RESOURCE_GROUPS } from './workflow-estate';

export interface ProductHost extends TestEmulator {
  host: LocalHost;
  documents: MemoryDocumentStore;
}

export async function startProductHost(policy: Policy, env: Record<string, string> = {}): Promise<ProductHost> {
  const t = await startTestEmulator({ resources: [], resourceGroups: ESTATE_RESOURCE_GROUPS });
  const documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents, lroPollIntervalMs: 10 }));
  const host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    env: {
      AUTOPILOT_POLICY: JSON.stringify(policy),
      AUTOPILOT_AUTH: 'disabled',
      AUTOPILOT_REQUIRE_PRINCIPAL: 'false',
      AUTOPILOT_ALLOWED_ROLES: '',
      AUTOPILOT_ALLOWED_GROUPS: '',
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: '',
      AUTOPILOT_POLL_INTERVAL_SECONDS: '10',
      AUTOPILOT_OPERATION_TIMEOUT_SECONDS: '3600',
      ...env,
    },
  });
  return {
    ...t,
    host,
    documents,
    async close() {
      await host.stop();
      setDependencies(undefined);
      await t.close();
    },
  };
}

/** An Event Grid (schema) resource event, as ARM sends it for a write or delete on `resourceId`. */
export function resourceEvent(resourceId: string, kind: 'write' | 'delete', action: string, eventTime: string): Record<string, unknown> {
  const sub = resourceId.split('/')[2];
  return {
    subject: resourceId,
    eventType: kind === 'delete' ? 'Microsoft.Resources.ResourceDeleteSuccess' : 'Microsoft.Resources.ResourceWriteSuccess',
    eventTime,
    id: `${kind}-${resourceId.split('/').pop()}-${eventTime}`,
    topic: `/subscriptions/${sub}`,
    dataVersion: '2',
    metadataVersion: '1',
    data: {
      authorization: { scope: resourceId, action },
      resourceProvider: resourceId.split('/providers/')[1]?.split('/')[0],
      resourceUri: resourceId,
      operationName: action,
      status: 'Succeeded',
      subscriptionId: sub,
      tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    },
  };
}
