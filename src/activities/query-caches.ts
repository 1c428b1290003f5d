import { defineActivity } from './define';
import { ActivityNames } from './names';

export interface QueryCachesInput {
  subscriptions: string[];
  skipToken?: string;
}

export interface QueryCachesResult {
  caches: Array<{ id: string; subscriptionId: string }>;
  skipToken?: string;
  totalRecords: number;
}

/** KQL for the inventory: every cache in scope (Basic/Standard/Premium and Enterprise/Managed Redis). */
export const CACHE_INVENTORY_QUERY = [
  'resources',
  "| where type =~ 'microsoft.cache/redis' or type =~ 'microsoft.cache/redisenterprise'",
  '| project id, subscriptionId',
  '| order by id asc',
].join(' ');

/** One page (at most 1,000 rows) of the cache inventory through Azure Resource Graph. */
export const queryCaches = defineActivity(ActivityNames.queryCaches, async (input: QueryCachesInput, deps): Promise<QueryCachesResult> => {
  const response = await deps.clients.resourceGraph().resources({
    subscriptions: input.subscriptions,
    query: CACHE_INVENTORY_QUERY,
    options: { top: 1000, ...(input.skipToken ? { skipToken: input.skipToken } : {}), resultFormat: 'objectArray' },
  });
  const rows = (response.data as Array<{ id: string; subscriptionId: string }>) ?? [];
  return {
    caches: rows.map((r) => ({ id: r.id, subscriptionId: r.subscriptionId })),
    ...(response.skipToken ? { skipToken: response.skipToken } : {}),
    totalRecords: Number(response.totalRecords ?? rows.length),
  };
});
