/** Helpers shared by the resource providers: lookups with ARM's 404s, paging, names, deterministic values. */
import { createHash } from 'node:crypto';
import { ArmError, type ArmResource, type EmulatorContext, type EmulatorRequest, type EmulatorResponse } from './types';
import { parseResourceId, parentId } from './ids';
import { parentResourceNotFound, resourceGroupNotFound, resourceNotFound } from './errors';

export function requireResourceGroup(ctx: EmulatorContext, subscriptionId: string, resourceGroupName: string): void {
  if (!ctx.store.resourceGroupExists(subscriptionId, resourceGroupName)) throw resourceGroupNotFound(resourceGroupName);
}

/** The resource, or ARM's 404 (ResourceGroupNotFound when its group does not exist, else ResourceNotFound). */
export function requireResource(ctx: EmulatorContext, id: string): ArmResource {
  const r = ctx.store.get(id);
  if (r) return r;
  const p = parseResourceId(id);
  if (p?.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const parent = parentId(id);
  if (parent && !ctx.store.get(parent)) throw parentResourceNotFound(parent);
  throw resourceNotFound(id);
}

/** The parent of a child being written, or 404 ResourceGroupNotFound / ParentResourceNotFound. */
export function requireParent(ctx: EmulatorContext, id: string): ArmResource {
  const r = ctx.store.get(id);
  if (r) return r;
  const p = parseResourceId(id);
  if (p?.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  throw parentResourceNotFound(id);
}

/**
 * One page of a list: `{ value, nextLink? }`. The page is chosen by `$skiptoken` (an offset); `nextLink` is
 * absolute (public ARM base) and keeps the request's query (api-version included).
 */
export function listPage(ctx: EmulatorContext, req: EmulatorRequest, items: unknown[]): EmulatorResponse {
  const pageSize = Math.max(1, ctx.settings.pageSize ?? 100);
  const token = req.url.searchParams.get('$skiptoken');
  const offset = token && /^\d+$/.test(token) ? Number(token) : 0;
  const value = items.slice(offset, offset + pageSize);
  const body: { value: unknown[]; nextLink?: string } = { value };
  if (offset + pageSize < items.length) {
    const next = new URL(req.url.toString());
    next.searchParams.set('$skiptoken', String(offset + pageSize));
    body.nextLink = `${ctx.publicBaseUrl}${next.pathname}${next.search}`;
  }
  return { status: 200, body };
}

/**
 * The seed's DNS-name rule for caches: 1-63 characters, only letters, digits and hyphens, starting and ending
 * with a letter or digit, no consecutive hyphens.
 */
export function isValidCacheName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(name) && !name.includes('--');
}

export function requireObjectBody(req: EmulatorRequest): Record<string, any> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: a JSON object is required.');
  }
  return req.body as Record<string, any>;
}

/** A deterministic hex digest of the input (for keys, etags and addresses that must not change between runs). */
export function stableHash(input: string): string {
  return createHash('sha256').update(input.toLowerCase()).digest('hex');
}

/** A deterministic public-looking IPv4 address for a host (20.x.y.z). */
export function stablePublicIp(key: string): string {
  const h = stableHash(key);
  const b = (i: number) => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return `20.${b(0) % 250}.${b(1) % 250}.${(b(2) % 250) + 4}`;
}

export function stableKey(key: string): string {
  return Buffer.from(stableHash(key), 'hex').toString('base64');
}

/** Responds with a resource body. */
export function ok(body: unknown, status = 200, headers?: Record<string, string>): EmulatorResponse {
  return { status, body, ...(headers ? { headers } : {}) };
}
