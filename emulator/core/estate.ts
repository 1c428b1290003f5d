import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ArmResource } from './types';
import { parseResourceId } from './ids';
import type { ResourceGroupEntry } from './store';

/**
 * An estate file: `{ "resources": [ ...ARM resources in the shape of their GET response... ],
 * "resourceGroups"?: [ "/subscriptions/{s}/resourceGroups/{rg}" | { "subscriptionId", "name", "location"? } ] }`.
 * Child resources (private endpoint connections, linked servers, subnets, record sets, ...) are listed as
 * resources of their own, with their full ids.
 */
export interface Estate {
  resources: ArmResource[];
  resourceGroups?: Array<string | ResourceGroupEntry>;
}

const resourceSchema = z
  .object({
    id: z.string().regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i, 'must be a resource id in a resource group'),
    name: z.string().min(1),
    type: z.string().min(3),
    properties: z.record(z.string(), z.any()),
  })
  .passthrough();

const estateSchema = z.object({
  resources: z.array(resourceSchema),
  resourceGroups: z
    .array(
      z.union([
        z.string(),
        z.object({ subscriptionId: z.string(), name: z.string(), location: z.string().optional() }),
      ]),
    )
    .optional(),
});

export function parseEstate(input: unknown, source = 'estate'): Estate {
  const r = estateSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: invalid estate at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const res of r.data.resources) {
    const key = res.id.toLowerCase();
    if (seen.has(key)) throw new Error(`${source}: duplicate resource id ${res.id}`);
    seen.add(key);
    const parsed = parseResourceId(res.id);
    if (!parsed?.type) throw new Error(`${source}: not a resource id: ${res.id}`);
    if (parsed.type.toLowerCase() !== res.type.toLowerCase()) {
      throw new Error(`${source}: type '${res.type}' does not match id ${res.id}`);
    }
  }
  return r.data as Estate;
}

export function loadEstateFile(path: string): Estate {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
  return parseEstate(json, path);
}

export function resolveEstate(estate: Estate | string | undefined): Estate {
  if (estate === undefined) return { resources: [] };
  if (typeof estate === 'string') return loadEstateFile(estate);
  return parseEstate(estate);
}

export function resourceGroupEntries(estate: Estate): ResourceGroupEntry[] {
  return (estate.resourceGroups ?? []).map((g) => {
    if (typeof g !== 'string') return g;
    const p = parseResourceId(g);
    if (!p?.resourceGroupName) throw new Error(`not a resource group id: ${g}`);
    return { subscriptionId: p.subscriptionId, name: p.resourceGroupName };
  });
}
