/**
 * Request bodies of the runbook HTTP endpoints (zod 4). Every message names the field and says the rule; names are
 * checked with the seed's naming rules (`src/policy/naming.ts`, which quotes `SEED`), ids with `parseResourceId`.
 * Unknown fields are errors (a typo must not silently fall back to a default). No transforms: the schemas are also
 * rendered to JSON Schema for the OpenAPI document.
 */
import { z } from 'zod';
import {
  GUID_RE,
  PRIVATE_ENDPOINT_TYPE,
  REDIS_ENTERPRISE_TYPE,
  REDIS_TYPE,
  RESOURCE_GROUP_RE,
  SUBNET_TYPE,
  expectResourceType,
  resourceTypeOf,
  parseResourceId,
} from '../../azure/resource-id';
import { validateCacheName, validatePrivateEndpointName, validateVirtualNetworkName } from '../../policy/naming';
import { SEED } from '../../policy/seed-rules';
import type { CheckResult } from '../../policy/types';
import { GATE_NAMES } from '../../policy/gates';

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

const bool = (field: string) => z.boolean({ error: `${field} must be true or false` });

/** A redis or redisEnterprise cache id (the cache itself, not a child resource). */
const cacheIdField = (field = 'cacheId') =>
  z
    .string({ error: `${field} is required: the ${REDIS_TYPE} or ${REDIS_ENTERPRISE_TYPE} resource id of the cache` })
    .superRefine((value, ctx) => {
      try {
        const p = parseResourceId(value);
        const type = resourceTypeOf(p)?.toLowerCase();
        if (!p.resourceGroup || (type !== REDIS_TYPE.toLowerCase() && type !== REDIS_ENTERPRISE_TYPE.toLowerCase())) {
          ctx.addIssue({
            code: 'custom',
            message: `${field} must be a ${REDIS_TYPE} or ${REDIS_ENTERPRISE_TYPE} id (/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.Cache/Redis/{name}), got type '${resourceTypeOf(p) ?? '(none)'}'`,
          });
          return;
        }
        // The cache name segment follows the seed's DNS-name rule.
        const name = validateCacheName(p.resources[p.resources.length - 1]!.name);
        if (!name.ok) ctx.addIssue({ code: 'custom', message: `${field} names an invalid cache: ${name.message}` });
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `${field} is not a valid resource id: ${(e as Error).message}` });
      }
    })
    .meta({ description: `Resource id of the cache (${REDIS_TYPE} or ${REDIS_ENTERPRISE_TYPE}).` });

const typedIdField = (field: string, type: string, description: string) =>
  z
    .string({ error: `${field} is required: a ${type} resource id` })
    .superRefine((value, ctx) => {
      try {
        const p = expectResourceType(value, type);
        const names = p.resources.map((r) => r.name);
        // Names follow the seed's rules: private endpoints and virtual networks (a subnet id names both).
        const checks =
          type === PRIVATE_ENDPOINT_TYPE ? [validatePrivateEndpointName(names[0]!)] : type === SUBNET_TYPE ? [validateVirtualNetworkName(names[0]!)] : [];
        for (const r of checks) if (!r.ok) ctx.addIssue({ code: 'custom', message: `${field} names an invalid resource: ${r.message}` });
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `${field} must be a ${type} id: ${(e as Error).message}` });
      }
    })
    .meta({ description });

const namedField = (field: string, what: string, validate: (name: string) => CheckResult, rule: string) =>
  z
    .string({ error: `${field} must be a string (${what}). Rule: "${rule}"` })
    .superRefine((value, ctx) => {
      const r = validate(value);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: `${field} is invalid: ${r.message}` });
    })
    .meta({ description: `${what}. ${rule}` });

const privateEndpointNameField = () =>
  namedField('privateEndpointName', 'Name of the private endpoint to create', validatePrivateEndpointName, SEED.privateEndpointName);

const isEnterprise = (cacheId: string): boolean => {
  try {
    return resourceTypeOf(cacheId)?.toLowerCase() === REDIS_ENTERPRISE_TYPE.toLowerCase();
  } catch {
    return false;
  }
};

const publicNetworkAccessField = (field: string) =>
  z.enum(['Enabled', 'Disabled'], { error: `${field} must be 'Enabled' or 'Disabled'. Rule: "${SEED.publicNetworkAccessFlag}"` });

const dryRun = bool('dryRun').optional().meta({ description: 'Plan only: report the steps without changing Azure.' });

// ---------------------------------------------------------------------------------------------------------------
// IPv4 CIDR (the seed: "specify the IPv4 address space as one or more address prefixes in CIDR notation")

export interface Cidr {
  base: number;
  length: number;
}

/** Parse `a.b.c.d/n` (host bits must be zero, as Azure requires). Returns a reason string when invalid. */
export function parseCidr(text: string): Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return `'${text}' is not IPv4 CIDR notation (e.g. 10.0.0.0/16)`;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return `'${text}' has an octet above 255`;
  const length = Number(m[5]);
  if (length > 32) return `'${text}' has a prefix length above 32`;
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = maskOf(length);
  const base = (ip & mask) >>> 0;
  if (base !== ip) return `'${text}' has host bits set; the network address is ${formatIp(base)}/${length}`;
  return { base, length };
}

function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.length >= outer.length && ((inner.base & maskOf(outer.length)) >>> 0) === outer.base;
}

function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

const cidrField = (field: string, description: string) =>
  z
    .string({ error: `${field} must be an IPv4 prefix in CIDR notation (e.g. 10.0.0.0/16)` })
    .superRefine((value, ctx) => {
      const c = parseCidr(value);
      if (typeof c === 'string') ctx.addIssue({ code: 'custom', message: `${field}: ${c}` });
    })
    .meta({ description });

/** Azure naming rules (Microsoft.Network/virtualNetworks/subnets): 1-80 characters, alphanumerics, underscores,
 * periods and hyphens; start with an alphanumeric; end with an alphanumeric or underscore. */
export const SUBNET_NAME_RULE =
  'Subnet names: 1-80 characters; alphanumerics, underscores, periods, and hyphens; start with alphanumeric; end alphanumeric or underscore.';

function validateSubnetName(name: string): CheckResult {
  const ok = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/.test(name);
  return ok ? { ok: true } : { ok: false, rule: 'subnet-name', message: `Subnet name '${name}' does not follow the Azure naming rule. Rule: "${SUBNET_NAME_RULE}"` } as CheckResult;
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

const body = (what: string) => ({ error: `the request body must be a JSON object (${what})` });

export const addEndpointBody = z
  .strictObject(
    {
      cacheId: cacheIdField(),
      subnetId: typedIdField('subnetId', SUBNET_TYPE, 'Subnet where the private endpoint is created.'),
      privateEndpointName: privateEndpointNameField().optional(),
      geoReplication: z
        .enum(['manual', 'unlink-and-relink'], {
          error: `geoReplication must be 'manual' or 'unlink-and-relink'. Rule: "${SEED.geoReplication}"`,
        })
        .optional()
        .meta({ description: `What to do when the cache uses passive geo-replication. ${SEED.geoReplication}` }),
      publicNetworkAccess: publicNetworkAccessField('publicNetworkAccess')
        .optional()
        .meta({ description: `Value to set once the endpoint is approved. ${SEED.publicNetworkAccessFlag}` }),
      dryRun,
    },
    body('add a private endpoint'),
  )
  .superRefine((v, ctx) => {
    if (v.publicNetworkAccess !== undefined && isEnterprise(v.cacheId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicNetworkAccess'],
        message: `publicNetworkAccess cannot be set on a ${REDIS_ENTERPRISE_TYPE} cache. Rule: "${SEED.enterpriseNoPublicNetworkAccess}"`,
      });
    }
  })
  .meta({ description: 'Add a private endpoint (with its private DNS zone group) to a cache.' });

export const removeEndpointBody = z
  .strictObject(
    {
      cacheId: cacheIdField(),
      privateEndpointId: typedIdField('privateEndpointId', PRIVATE_ENDPOINT_TYPE, 'The private endpoint to delete.'),
      acceptDataLoss: bool('acceptDataLoss')
        .optional()
        .meta({ description: `Required for Basic caches. ${SEED.basicTierDataLoss}` }),
      dryRun,
    },
    body('remove a private endpoint'),
  )
  .meta({ description: 'Remove a private endpoint from a cache (refused when it would leave the cache unreachable).' });

export const publicAccessBody = z
  .strictObject(
    {
      cacheId: cacheIdField().superRefine((value, ctx) => {
        if (isEnterprise(value)) {
          ctx.addIssue({
            code: 'custom',
            message: `cacheId is a ${REDIS_ENTERPRISE_TYPE} cache, which has no publicNetworkAccess flag. Rule: "${SEED.enterpriseNoPublicNetworkAccess}"`,
          });
        }
      }),
      value: publicNetworkAccessField('value').meta({ description: SEED.publicNetworkAccessFlag }),
      force: bool('force')
        .optional()
        .meta({ description: `Disable public access even when no approved private endpoint exists. ${SEED.lastEndpointDeleted}` }),
      dryRun,
    },
    body('set publicNetworkAccess'),
  )
  .meta({ description: 'Enable or disable public network access on a cache.' });

const SKU_CAPACITY_RULE =
  'Valid values: for C (Basic/Standard) family (0, 1, 2, 3, 4, 5, 6), for P (Premium) family (1, 2, 3, 4, 5)';

export const createCacheBody = z
  .strictObject(
    {
      subscriptionId: z
        .string({ error: 'subscriptionId is required (a subscription GUID)' })
        .regex(GUID_RE, { error: 'subscriptionId must be a GUID' }),
      resourceGroup: z
        .string({ error: 'resourceGroup is required' })
        .regex(RESOURCE_GROUP_RE, {
          error: 'resourceGroup must be 1-90 letters, digits, underscores, hyphens, periods or parentheses',
        })
        .refine((s) => !s.endsWith('.'), { error: 'resourceGroup must not end with a period' }),
      name: namedField('name', 'DNS name of the new cache', validateCacheName, SEED.cacheName),
      location: z
        .string({ error: 'location is required (an Azure region, e.g. eastus)' })
        .regex(/^[A-Za-z0-9][A-Za-z0-9 ]{0,63}$/, { error: "location must be an Azure region name like 'eastus' or 'East US'" }),
      sku: z.strictObject(
        {
          name: z.enum(['Basic', 'Standard', 'Premium'], { error: "sku.name must be 'Basic', 'Standard' or 'Premium'" }),
          capacity: z
            .number({ error: `sku.capacity must be a number. Rule: "${SKU_CAPACITY_RULE}"` })
            .int({ error: `sku.capacity must be an integer. Rule: "${SKU_CAPACITY_RULE}"` })
            .min(0, { error: `sku.capacity must be 0 to 6. Rule: "${SKU_CAPACITY_RULE}"` })
            .max(6, { error: `sku.capacity must be 0 to 6. Rule: "${SKU_CAPACITY_RULE}"` }),
        },
        { error: 'sku is required: { "name": "Basic" | "Standard" | "Premium", "capacity": 0-6 }' },
      ),
      shardCount: z
        .number({ error: 'shardCount must be a number' })
        .int({ error: 'shardCount must be an integer' })
        .min(1, { error: 'shardCount must be at least 1 (omit it for a non-clustered cache)' })
        .max(30, { error: 'shardCount must be at most 30 (Premium clusters have at most 30 shards)' })
        .optional()
        .meta({ description: `Premium only: number of shards (clustering). ${SEED.linkLimitClustered}` }),
      virtualNetwork: z.strictObject(
        {
          name: namedField('virtualNetwork.name', 'Name of the new virtual network', validateVirtualNetworkName, SEED.virtualNetworkName),
          addressPrefixes: z
            .array(cidrField('virtualNetwork.addressPrefixes[]', 'IPv4 address prefix (CIDR)'), {
              error: 'virtualNetwork.addressPrefixes must be a list of IPv4 prefixes in CIDR notation',
            })
            .min(1, { error: 'virtualNetwork.addressPrefixes must list at least one IPv4 prefix in CIDR notation' }),
          subnetName: namedField('virtualNetwork.subnetName', 'Name of the subnet for the private endpoint', validateSubnetName, SUBNET_NAME_RULE),
          subnetAddressPrefix: cidrField(
            'virtualNetwork.subnetAddressPrefix',
            "The subnet's address range in CIDR notation; it must be contained by the address space of the virtual network.",
          ),
        },
        {
          error:
            'virtualNetwork is required: { "name", "addressPrefixes": ["10.0.0.0/16"], "subnetName", "subnetAddressPrefix": "10.0.0.0/24" }',
        },
      ),
      privateEndpointName: privateEndpointNameField().optional(),
      dryRun,
    },
    body('create a cache with a private endpoint'),
  )
  .superRefine((v, ctx) => {
    const premium = v.sku.name === 'Premium';
    if (premium && (v.sku.capacity < 1 || v.sku.capacity > 5)) {
      ctx.addIssue({ code: 'custom', path: ['sku', 'capacity'], message: `sku.capacity ${v.sku.capacity} is not a Premium size (P1-P5). Rule: "${SKU_CAPACITY_RULE}"` });
    }
    if (v.shardCount !== undefined && !premium) {
      ctx.addIssue({ code: 'custom', path: ['shardCount'], message: `shardCount is only allowed with sku.name 'Premium' (clustering is a Premium feature), not '${v.sku.name}'` });
    }
    const prefixes = v.virtualNetwork.addressPrefixes.map((p) => parseCidr(p));
    prefixes.forEach((a, i) => {
      prefixes.slice(0, i).forEach((b, j) => {
        if (typeof a !== 'string' && typeof b !== 'string' && cidrOverlaps(a, b)) {
          ctx.addIssue({ code: 'custom', path: ['virtualNetwork', 'addressPrefixes', i], message: `virtualNetwork.addressPrefixes[${i}] '${v.virtualNetwork.addressPrefixes[i]}' overlaps addressPrefixes[${j}] '${v.virtualNetwork.addressPrefixes[j]}'` });
        }
      });
    });
    const subnet = parseCidr(v.virtualNetwork.subnetAddressPrefix);
    if (typeof subnet !== 'string') {
      if (subnet.length > 29) {
        ctx.addIssue({ code: 'custom', path: ['virtualNetwork', 'subnetAddressPrefix'], message: `virtualNetwork.subnetAddressPrefix '${v.virtualNetwork.subnetAddressPrefix}' is smaller than /29, the smallest IPv4 subnet Azure supports` });
      }
      const valid = prefixes.filter((p): p is Cidr => typeof p !== 'string');
      if (valid.length === prefixes.length && !valid.some((p) => cidrContains(p, subnet))) {
        ctx.addIssue({
          code: 'custom',
          path: ['virtualNetwork', 'subnetAddressPrefix'],
          message: `virtualNetwork.subnetAddressPrefix '${v.virtualNetwork.subnetAddressPrefix}' is not inside the address space (${v.virtualNetwork.addressPrefixes.join(', ')}). Rule: "It must be contained by the address space of the virtual network."`,
        });
      }
    }
  })
  .meta({ description: 'Create a virtual network, a cache with public access disabled, and its private endpoint.' });

export const cacheOnlyBody = z
  .strictObject({ cacheId: cacheIdField(), dryRun }, body('{ "cacheId": "..." }'))
  .meta({ description: 'A request naming one cache (remediate, verify).' });

export const migrateBody = z
  .strictObject(
    {
      cacheId: cacheIdField().refine((v) => /\/providers\/Microsoft\.Cache\/redis\//i.test(v), {
        error: 'cacheId must be an Azure Cache for Redis cache (Microsoft.Cache/Redis): Basic, Standard or Premium',
      }),
      targetSku: z
        .string({ error: 'targetSku must be a string' })
        .regex(/^(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)\d+$/, { error: 'targetSku must be an Azure Managed Redis SKU (Balanced_B*, MemoryOptimized_M*, ComputeOptimized_X*, FlashOptimized_A*)' })
        .optional()
        .meta({ description: 'AMR SKU of the target (default: the documented mapping).' }),
      targetName: namedField('targetName', 'Name of the target Azure Managed Redis cluster (default <source>-amr)', validateCacheName, SEED.cacheName).optional(),
      data: z.enum(['none', 'export-import'], { error: "data must be 'none' or 'export-import'" }).optional().meta({ description: 'Data migration: none (cache-aside) or export-import (Premium only).' }),
      exportContainerUrl: z.url({ error: 'exportContainerUrl must be an https URL of a blob container' }).optional(),
      endpointSubnetIds: z.array(typedIdField('endpointSubnetIds[]', SUBNET_TYPE, 'A subnet for a target private endpoint.')).min(1, { error: 'list at least one subnet' }).optional(),
      dryRun,
    },
    body('{ "cacheId": "..." }'),
  )
  .meta({ description: 'Migrate an Azure Cache for Redis cache to a private Azure Managed Redis target, side by side.' });

export type MigrateBody = z.output<typeof migrateBody>;

export const decisionBody = z
  .strictObject(
    {
      gate: z.enum(GATE_NAMES, { error: `gate is required: one of ${GATE_NAMES.join(', ')}` }).meta({ description: 'The gate the workflow waits on (its custom status shows waitingFor.gate).' }),
      decision: z.enum(['approve', 'reject'], { error: "decision must be 'approve' or 'reject'" }),
      comment: z.string({ error: 'comment must be a string' }).max(1000, { error: 'comment must be at most 1000 characters' }).optional(),
    },
    body('{ "gate": "decommission", "decision": "approve", "comment": "..." }'),
  )
  .meta({ description: 'A decision on the gate a workflow waits on; the caller principal is recorded in its history.' });

export type DecisionBody = z.output<typeof decisionBody>;
export type AddEndpointBody = z.output<typeof addEndpointBody>;
export type RemoveEndpointBody = z.output<typeof removeEndpointBody>;
export type PublicAccessBody = z.output<typeof publicAccessBody>;
export type CreateCacheBody = z.output<typeof createCacheBody>;
export type CacheOnlyBody = z.output<typeof cacheOnlyBody>;

/** The request schemas by name (the OpenAPI components use these names). */
export const REQUEST_SCHEMAS = {
  addEndpointBody,
  removeEndpointBody,
  publicAccessBody,
  createCacheBody,
  cacheOnlyBody,
  migrateBody,
  decisionBody,
} as const;
export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export interface InvalidRequest {
  code: 'InvalidRequest';
  message: string;
  details: Array<{ field: string; message: string }>;
}

export type ParseBodyResult<T> = { ok: true; value: T } | { ok: false; status: 400; error: InvalidRequest };

function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(body)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out.length === 0 ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function invalid(details: InvalidRequest['details']): { ok: false; status: 400; error: InvalidRequest } {
  const message = `Invalid request body (${details.length} problem${details.length === 1 ? '' : 's'}): ${details
    .map((d) => `${d.field}: ${d.message}`)
    .join('; ')}`;
  return { ok: false, status: 400, error: { code: 'InvalidRequest', message, details } };
}

/** Validate a request body (parsed JSON, or its text). Every problem is listed with its field. Never throws. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): ParseBodyResult<z.output<S>> {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch (e) {
      return invalid([{ field: '(body)', message: `the request body is not valid JSON (${(e as Error).message})` }]);
    }
  }
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const details: InvalidRequest['details'] = [];
  for (const iss of r.error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const field = fieldOf([...iss.path, key]);
        details.push({ field, message: `${field} is not a known field` });
      }
      continue;
    }
    details.push({ field: fieldOf(iss.path), message: iss.message });
  }
  return invalid(details);
}
