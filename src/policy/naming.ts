/**
 * The seed's naming rules as validators, and the deterministic names of what the autopilot creates.
 *
 * Validators return `{ ok: true }` or `{ ok: false, rule, message }`; the message says what is wrong and quotes the
 * documented rule. Lengths not stated by the seed (virtual network and private endpoint: 2-64) come from
 * "Naming rules and restrictions for Azure resources" (Microsoft.Network).
 */
import { SEED } from './seed-rules';
import type { CheckResult } from './types';

export type NamingRule =
  | 'cache-name-length'
  | 'cache-name-characters'
  | 'cache-name-start-end'
  | 'cache-name-consecutive-hyphens'
  | 'virtual-network-name-length'
  | 'virtual-network-name-characters'
  | 'virtual-network-name-start'
  | 'virtual-network-name-end'
  | 'private-endpoint-name-length'
  | 'private-endpoint-name-characters'
  | 'private-endpoint-name-start'
  | 'private-endpoint-name-end';

const OK: CheckResult = { ok: true };

function bad(rule: NamingRule, what: string, name: string, problem: string, documented: string): CheckResult {
  return { ok: false, rule, message: `${what} '${name}' ${problem}. Rule: "${documented}"` };
}

/** "The cache name must be a string between 1 and 63 characters. ..." */
export function validateCacheName(name: string): CheckResult {
  const what = 'Cache name';
  if (typeof name !== 'string' || name.length < 1 || name.length > 63) {
    return bad('cache-name-length', what, String(name), `has ${chars(name)}, not 1 to 63`, SEED.cacheName);
  }
  const invalid = [...name].filter((c) => !/[A-Za-z0-9-]/.test(c));
  if (invalid.length > 0) {
    return bad('cache-name-characters', what, name, `contains ${describeChars(invalid)}; only numbers, letters, or hyphens are allowed`, SEED.cacheName);
  }
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) {
    return bad('cache-name-start-end', what, name, 'must start and end with a number or letter', SEED.cacheName);
  }
  if (name.includes('--')) {
    return bad('cache-name-consecutive-hyphens', what, name, 'contains consecutive hyphens', SEED.cacheName);
  }
  return OK;
}

function validateNetworkName(
  name: string,
  what: string,
  prefix: 'virtual-network-name' | 'private-endpoint-name',
  documented: string,
): CheckResult {
  if (typeof name !== 'string' || name.length < 2 || name.length > 64) {
    return bad(`${prefix}-length`, what, String(name), `has ${chars(name)}, not 2 to 64 (Azure naming rules for Microsoft.Network)`, documented);
  }
  const invalid = [...name].filter((c) => !/[A-Za-z0-9_.-]/.test(c));
  if (invalid.length > 0) {
    return bad(`${prefix}-characters`, what, name, `contains ${describeChars(invalid)}; only letters, numbers, underscores, periods, or hyphens are allowed`, documented);
  }
  if (!/^[A-Za-z0-9]/.test(name)) {
    return bad(`${prefix}-start`, what, name, 'must begin with a letter or number', documented);
  }
  if (!/[A-Za-z0-9_]$/.test(name)) {
    return bad(`${prefix}-end`, what, name, 'must end with a letter, number, or underscore', documented);
  }
  return OK;
}

/** "The name must: begin with a letter or number; end with a letter, number, or underscore; and contain only ..." */
export function validateVirtualNetworkName(name: string): CheckResult {
  return validateNetworkName(name, 'Virtual network name', 'virtual-network-name', SEED.virtualNetworkName);
}

/** Same rule as virtual networks, at most 64 characters. */
export function validatePrivateEndpointName(name: string): CheckResult {
  return validateNetworkName(name, 'Private endpoint name', 'private-endpoint-name', SEED.privateEndpointName);
}

function chars(name: unknown): string {
  const n = String(name ?? '').length;
  return `${n} character${n === 1 ? '' : 's'}`;
}

function describeChars(chars: string[]): string {
  const unique = [...new Set(chars)];
  return `invalid character${unique.length > 1 ? 's' : ''} ${unique.map((c) => JSON.stringify(c)).join(', ')}`;
}

/** FNV-1a 32-bit, hex: a short deterministic suffix that keeps truncated names distinct. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Make `raw` fit "begin with a letter or number; end with a letter, number, or underscore; only letters, numbers,
 * underscores, periods, or hyphens", at most `max` characters. Characters outside the set become `-`. Names longer than `max` are cut and get `-<8 hex hash of the full name>` so two long names stay distinct.
 */
export function sanitizeNetworkName(raw: string, max: number): string {
  let name = raw.replace(/[^A-Za-z0-9_.-]/g, '-');
  name = name.replace(/^[^A-Za-z0-9]+/, '');
  if (name.length > max) {
    const suffix = `-${shortHash(raw)}`;
    name = name.slice(0, max - suffix.length).replace(/[.-]+$/, '') + suffix;
  }
  name = name.replace(/[.-]+$/, '');
  if (name.length === 0) name = `n${shortHash(raw)}`;
  return name;
}

export const PRIVATE_ENDPOINT_NAME_MAX = 64;
/** Private DNS zone virtual network link names: 1-80 characters. */
export const DNS_ZONE_LINK_NAME_MAX = 80;

/** `pe-<cache>-<vnet>`, sanitised and truncated to the private endpoint naming rule (max 64). */
export function privateEndpointName(cacheName: string, vnetName: string): string {
  return sanitizeNetworkName(`pe-${cacheName}-${vnetName}`, PRIVATE_ENDPOINT_NAME_MAX);
}

/** The DNS zone group the autopilot creates on its endpoints. */
export const DNS_ZONE_GROUP_NAME = 'default';

export function dnsZoneGroupName(): string {
  return DNS_ZONE_GROUP_NAME;
}

/** `link-<vnet>` (sanitised, max 80). Links are matched on the VNet id; the name is used only when creating. */
export function dnsZoneLinkName(vnetName: string): string {
  return sanitizeNetworkName(`link-${vnetName}`, DNS_ZONE_LINK_NAME_MAX);
}

/**
 * Tag this product puts on the primary cache of a passive geo-replication pair before it unlinks it, removed once
 * the relink succeeded; its value is the secondary cache's id. A sweep that finds it on a cache without that link
 * reports `geo-replication-unlinked` (and relinks in enforce mode).
 */
export const GEO_UNLINKED_TAG = 'privatelink-autopilot-geo-unlinked';
