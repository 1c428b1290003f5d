/**
 * Small helpers shared by the Microsoft.Network and Private DNS providers of the emulator.
 */
import { ArmError, type ArmResource, type EmulatorContext, type EmulatorRequest, type EmulatorResponse } from '../core/types';
import { resourceGroupNotFound } from '../core/errors';
import { parseResourceId } from '../core/ids';

export const NETWORK_NS = 'Microsoft.Network';

export const TYPES = {
  virtualNetwork: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  privateEndpoint: 'Microsoft.Network/privateEndpoints',
  privateDnsZoneGroup: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
  networkInterface: 'Microsoft.Network/networkInterfaces',
  privateDnsZone: 'Microsoft.Network/privateDnsZones',
  virtualNetworkLink: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
} as const;

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network` */
export function networkBase(subscriptionId: string, resourceGroupName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${NETWORK_NS}`;
}

/** 404 ResourceGroupNotFound unless the resource group exists (explicitly seeded or holding resources). */
export function requireResourceGroup(ctx: EmulatorContext, subscriptionId: string, resourceGroupName: string): void {
  if (!ctx.store.resourceGroupExists(subscriptionId, resourceGroupName)) throw resourceGroupNotFound(resourceGroupName);
}

/** Network resources carry weak etags (`W/"guid"`). */
export function weakEtag(ctx: EmulatorContext): string {
  return `W/"${ctx.newGuid()}"`;
}

/** A list response: ARM always sends `value` (modular pagers fail without it); `$top` trims the page. */
export function listResponse(req: EmulatorRequest, items: unknown[]): EmulatorResponse {
  const top = Number(req.url.searchParams.get('$top'));
  const value = Number.isInteger(top) && top > 0 ? items.slice(0, top) : items;
  return { status: 200, body: { value } };
}

/** The body as an object (ARM answers a body that is not a JSON object with InvalidRequestFormat). */
export function bodyObject(req: EmulatorRequest): Record<string, any> {
  const b = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request.');
  }
  return b as Record<string, any>;
}

export function props(body: Record<string, any>): Record<string, any> {
  const p = body.properties;
  if (p === undefined || p === null) return {};
  if (typeof p !== 'object' || Array.isArray(p)) throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request.');
  return p as Record<string, any>;
}

export function tagsOf(body: Record<string, any>, existing?: ArmResource): Record<string, string> | undefined {
  if (body.tags !== undefined && body.tags !== null) return body.tags as Record<string, string>;
  return existing?.tags;
}

export function idParts(id: string): { subscriptionId: string; resourceGroupName: string } | undefined {
  const p = parseResourceId(id);
  if (!p?.resourceGroupName) return undefined;
  return { subscriptionId: p.subscriptionId, resourceGroupName: p.resourceGroupName };
}

/** The id of the `{type}/{name}` ancestor of `id` (e.g. the VNet of a subnet id), matched case-insensitively. */
export function ancestorId(id: string, type: string): string | undefined {
  const segs = id.split('/');
  for (let i = segs.length - 2; i >= 0; i--) {
    if (segs[i].toLowerCase() === type.toLowerCase()) return segs.slice(0, i + 2).join('/');
  }
  return undefined;
}

export function lastSegment(id: string): string {
  const segs = id.split('/').filter((s) => s.length > 0);
  return segs[segs.length - 1] ?? '';
}

export function eqi(a: string | undefined | null, b: string | undefined | null): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

export function strip<T extends Record<string, any>>(o: T, keys: string[]): T {
  const out: Record<string, any> = { ...o };
  for (const k of keys) delete out[k];
  return out as T;
}
