/** Resource id helpers for ARM ids (`/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}]`). */

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroupName?: string;
  /** e.g. 'Microsoft.Cache' */
  namespace?: string;
  /** Full ARM type, e.g. 'Microsoft.Cache/Redis/privateEndpointConnections' (casing as in the id). */
  type?: string;
  /** Last segment (the resource name). */
  name?: string;
  /** Type/name pairs after the namespace. */
  segments: Array<{ type: string; name: string }>;
}

/** Parses an ARM resource id; returns undefined when it is not one. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = id.split('/').filter((p) => p.length > 0);
  if (parts.length < 2 || parts[0].toLowerCase() !== 'subscriptions') return undefined;
  const out: ParsedResourceId = { subscriptionId: parts[1], segments: [] };
  let i = 2;
  if (parts[i]?.toLowerCase() === 'resourcegroups') {
    if (!parts[i + 1]) return undefined;
    out.resourceGroupName = parts[i + 1];
    i += 2;
  }
  if (i >= parts.length) return out;
  if (parts[i].toLowerCase() !== 'providers' || !parts[i + 1]) return undefined;
  out.namespace = parts[i + 1];
  i += 2;
  const rest = parts.slice(i);
  if (rest.length % 2 !== 0) return undefined;
  for (let j = 0; j < rest.length; j += 2) out.segments.push({ type: rest[j], name: rest[j + 1] });
  if (out.segments.length > 0) {
    out.type = [out.namespace, ...out.segments.map((s) => s.type)].join('/');
    out.name = out.segments[out.segments.length - 1].name;
  }
  return out;
}

/** The id of the parent resource (one type/name pair less), or undefined for a top-level resource. */
export function parentId(id: string): string | undefined {
  const p = parseResourceId(id);
  if (!p || p.segments.length < 2) return undefined;
  return id.split('/').slice(0, -2).join('/');
}

export function resourceGroupId(subscriptionId: string, resourceGroupName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Builds `/subscriptions/{sub}/resourceGroups/{rg}/providers/{type with names}`. */
export function buildResourceId(
  subscriptionId: string,
  resourceGroupName: string,
  namespace: string,
  ...typeNamePairs: string[]
): string {
  return `${resourceGroupId(subscriptionId, resourceGroupName)}/providers/${namespace}/${typeNamePairs.join('/')}`;
}
