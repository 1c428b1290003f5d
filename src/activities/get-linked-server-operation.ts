import { mapArmError } from '../azure/arm-errors';
import { pollOptions } from '../azure/dependencies';
import { idParts } from './arm-ids';
import { defineActivity, failure, type Outcome } from './define';
import type { LinkedServerOperationStarted } from './create-linked-server';
import { ActivityNames } from './names';

export interface GetLinkedServerOperationInput {
  action: 'create' | 'delete';
  /** The primary cache. */
  cacheId: string;
  linkedServerName: string;
  /** From `createLinkedServer` / `deleteLinkedServer`. */
  operation: string;
  parameters?: LinkedServerOperationStarted['parameters'];
}

/**
 * Polls a linked-server operation ONCE through the SDK's own poller, resumed from its serialized state: the GET of
 * its `Azure-AsyncOperation` (create) or `Location` (delete) URL. `done: false` while it runs; an operation that
 * ended Failed or Canceled comes back as a failure with ARM's error code and message (never retried, never
 * inferred from the cache's later state, which a failed operation leaves as it was).
 */
export const getLinkedServerOperation = defineActivity(
  ActivityNames.getLinkedServerOperation,
  async (input: GetLinkedServerOperationInput, deps): Promise<Outcome<{ done: boolean }>> => {
    const { subscriptionId, resourceGroup, names } = idParts(input.cacheId);
    const linked = deps.clients.redis(subscriptionId).linkedServer;
    const options = { ...pollOptions(deps), resumeFrom: input.operation };
    try {
      const poller =
        input.action === 'create'
          ? await linked.beginCreate(resourceGroup, names[0], input.linkedServerName, input.parameters!, options)
          : await linked.beginDelete(resourceGroup, names[0], input.linkedServerName, options);
      const state = poller.getOperationState();
      if (state.status === 'failed' || state.status === 'canceled') {
        const error = state.error ? mapArmError(state.error) : undefined;
        return failure(error?.code ?? 'OperationFailed', `The operation ended ${state.status}: ${error?.message ?? 'no error detail'}`);
      }
      return { ok: true, done: state.status === 'succeeded' };
    } catch (e) {
      const mapped = mapArmError(e);
      if (mapped.kind === 'lro-failed') return failure(mapped.code, `The operation ended Failed: ${mapped.message}`);
      throw e;
    }
  },
);
