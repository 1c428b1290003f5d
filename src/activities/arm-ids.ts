import { parseResourceId } from '../azure/resource-id';

/** The pieces of a validated ARM id that SDK calls take as arguments. */
export interface IdParts {
  subscriptionId: string;
  resourceGroup: string;
  /** Resource names from the top-level resource down: a subnet id gives ['vnet', 'subnet']. */
  names: string[];
}

export function idParts(id: string): IdParts {
  const parsed = parseResourceId(id);
  if (!parsed.resourceGroup || parsed.resources.length === 0) throw new Error(`Not a resource id inside a resource group: '${id}'`);
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, names: parsed.resources.map((r) => r.name) };
}
