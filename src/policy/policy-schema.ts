/**
 * The policy document: one JSON object (an app setting or a file), validated with zod at start-up.
 *
 * {
 *   "scopes": { "subscriptions": ["<guid>"] },
 *   "mode": "audit" | "enforce",                             // default audit
 *   "cloud": "AzureCloud",                                   // default AzureCloud
 *   "endpointPlacement": { "eastus": { "subnetId": "<subnet id>", "location": "eastus" } },
 *   "dnsZones": { "subscriptionId": "<guid>", "resourceGroup": "rg-dns" },
 *   "consumerVirtualNetworks": ["<vnet id>"],
 *   "publicNetworkAccess": "Disabled",                       // wanted once an approved endpoint exists
 *   "onLastEndpointDeleted": "recreate-endpoint",            // | enable-public-access | report-only
 *   "connectionApproval": { "mode": "leave" }                // | { mode: approve-listed, subscriptions, rejectUnlisted }
 *   "geoReplication": "manual",                              // | unlink-and-relink
 *   "allowBasicTierEndpointRecreate": false,
 *   "overrideTag": "privatelink-autopilot",                  // tag value: exempt | audit | enforce
 *   "approvals": { "geoUnlink": { "timeoutMinutes": 1440, "onTimeout": "reject", "approvers": ["Redis.Operator"] } },
 *   "maintenanceWindows": [{ "days": ["Saturday", "Sunday"], "start": "02:00", "durationMinutes": 240 }],
 *   "migration": { "soakHours": 168, "clientsClusterAware": false, "dataMigration": "none" }
 * }
 *
 * Unknown keys are errors (a typo must not silently fall back to a default).
 */
import { z } from 'zod';
import { CLOUDS } from '../azure/cloud';
import {
  GUID_RE,
  RESOURCE_GROUP_RE,
  SUBNET_TYPE,
  VIRTUAL_NETWORK_TYPE,
  expectResourceType,
  normalizeId,
} from '../azure/resource-id';
import { GATE_NAMES, HHMM_RE, WEEKDAYS } from './gates';

/** The per-cache override tag (default name). */
export const OVERRIDE_TAG = 'privatelink-autopilot';
export const OVERRIDE_VALUES = ['exempt', 'audit', 'enforce'] as const;

/** `East US` -> `eastus`, `westeurope` -> `westeurope`. */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, '').toLowerCase();
}

const guid = (what: string) =>
  z.string({ error: `${what} is required` }).regex(GUID_RE, { error: `${what} must be a GUID` });

const typedId = (type: string, what: string) =>
  z.string({ error: `${what} is required` }).superRefine((value, ctx) => {
    try {
      expectResourceType(value, type);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a ${type} id: ${(e as Error).message}` });
    }
  });

const placementSchema = z.strictObject({
  subnetId: typedId(SUBNET_TYPE, 'subnetId'),
  /** Region of the subnet's VNet (where the endpoint is created). Defaults to the placement's key. */
  location: z.string().min(1).optional(),
});

const connectionApprovalSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('leave') }),
    z.strictObject({
      mode: z.literal('approve-listed'),
      /** Pending connections from endpoints in these subscriptions are approved. */
      subscriptions: z.array(guid('subscription')).min(1, { error: 'list at least one subscription' }),
      /** Pending connections from any other subscription are rejected (default) or left pending. */
      rejectUnlisted: z.boolean().default(true),
    }),
  ],
  { error: "mode must be 'leave' or 'approve-listed'" },
);

const gateSchema = z.strictObject({
  timeoutMinutes: z.number().int().min(1, { error: 'timeoutMinutes must be at least 1' }).max(525_600, { error: 'timeoutMinutes must be at most 525600 (a year)' }).optional(),
  onTimeout: z.enum(['approve', 'reject'], { error: "onTimeout must be 'approve' or 'reject'" }).optional(),
  /** App roles or Entra group object ids allowed to decide (empty: anyone allowed to call the runbooks). */
  approvers: z.array(z.string().min(1)).optional(),
  reminderMinutes: z.number().int().min(0).optional(),
});

const approvalsSchema = z.strictObject(
  Object.fromEntries(GATE_NAMES.map((g) => [g, gateSchema.optional()])) as Record<(typeof GATE_NAMES)[number], z.ZodOptional<typeof gateSchema>>,
);

const maintenanceWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS, { error: `days must be weekday names (${WEEKDAYS.join(', ')})` })).min(1, { error: 'list at least one day' }),
  start: z.string().regex(HHMM_RE, { error: "start must be 'HH:MM' (UTC, 24-hour)" }),
  durationMinutes: z.number().int().min(1, { error: 'durationMinutes must be at least 1' }).max(10_080, { error: 'durationMinutes must be at most 10080 (a week)' }),
});

const migrationSchema = z.strictObject({
  /** Hours between the confirmed cutover and the decommission gate (the soak). */
  soakHours: z.number().min(0).max(8760).default(168),
  /** Clients are cluster-aware: the target database uses OSSCluster instead of EnterpriseCluster. */
  clientsClusterAware: z.boolean().default(false),
  /** Data migration by default: none (cache-aside) or export-import (Premium only). */
  dataMigration: z.enum(['none', 'export-import'], { error: "dataMigration must be 'none' or 'export-import'" }).default('none'),
  /** Storage container for export-import (`https://<account>.blob.core.windows.net/<container>`). */
  exportContainerUrl: z.string().url().optional(),
  /** Minutes between cutover reminders while the workflow waits for cutover-confirmed. */
  cutoverReminderMinutes: z.number().int().min(0).default(1440),
});

export const policySchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }).default(1),
    cloud: z
      .enum(Object.keys(CLOUDS) as [keyof typeof CLOUDS, ...(keyof typeof CLOUDS)[]], {
        error: `cloud must be one of ${Object.keys(CLOUDS).join(', ')}`,
      })
      .default('AzureCloud'),
    scopes: z.strictObject(
      {
        subscriptions: z
          .array(guid('subscription'), { error: 'subscriptions must be a list of subscription GUIDs' })
          .min(1, { error: 'list at least one subscription' }),
      },
      { error: 'scopes is required: { "subscriptions": ["<guid>"] }' },
    ),
    mode: z.enum(['audit', 'enforce'], { error: "mode must be 'audit' or 'enforce'" }).default('audit'),
    endpointPlacement: z
      .record(z.string().min(1), placementSchema)
      .default({})
      .superRefine((placements, ctx) => {
        const seen = new Map<string, string>();
        for (const key of Object.keys(placements)) {
          const region = normalizeRegion(key);
          const prev = seen.get(region);
          if (prev !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: `region '${key}' is the same region as '${prev}'`,
            });
          }
          seen.set(region, key);
        }
      })
      .transform((placements) => {
        const out: Record<string, { subnetId: string; location: string }> = {};
        for (const [key, value] of Object.entries(placements)) {
          const region = normalizeRegion(key);
          out[region] = { subnetId: value.subnetId, location: normalizeRegion(value.location ?? key) };
        }
        return out;
      }),
    dnsZones: z.strictObject(
      {
        subscriptionId: guid('subscriptionId'),
        resourceGroup: z
          .string({ error: 'resourceGroup is required' })
          .regex(RESOURCE_GROUP_RE, { error: 'resourceGroup is not a valid resource group name' })
          .refine((s) => !s.endsWith('.'), { error: 'resourceGroup must not end with a period' }),
      },
      { error: 'dnsZones is required: { "subscriptionId": "<guid>", "resourceGroup": "<name>" } (where the private DNS zones live)' },
    ),
    consumerVirtualNetworks: z.array(typedId(VIRTUAL_NETWORK_TYPE, 'virtual network')).default([]),
    publicNetworkAccess: z
      .enum(['Enabled', 'Disabled'], { error: "publicNetworkAccess must be 'Enabled' or 'Disabled'" })
      .default('Disabled'),
    onLastEndpointDeleted: z
      .enum(['enable-public-access', 'recreate-endpoint', 'report-only'], {
        error: "onLastEndpointDeleted must be 'enable-public-access', 'recreate-endpoint' or 'report-only'",
      })
      .default('recreate-endpoint'),
    connectionApproval: connectionApprovalSchema.default({ mode: 'leave' }),
    geoReplication: z
      .enum(['manual', 'unlink-and-relink'], { error: "geoReplication must be 'manual' or 'unlink-and-relink'" })
      .default('manual'),
    /** Basic caches can lose data when an endpoint is deleted and recreated: off unless explicitly allowed. */
    allowBasicTierEndpointRecreate: z.boolean().default(false),
    overrideTag: z.string().min(1).max(512).default(OVERRIDE_TAG),
    /** Steps that wait for a human decision (see src/policy/gates.ts). */
    approvals: approvalsSchema.default({}),
    /** Weekly UTC windows for disruptive steps; empty: any time. */
    maintenanceWindows: z.array(maintenanceWindowSchema).default([]),
    migration: migrationSchema.default({ soakHours: 168, clientsClusterAware: false, dataMigration: 'none', cutoverReminderMinutes: 1440 }),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.consumerVirtualNetworks.forEach((id, i) => {
      const key = normalizeId(id);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['consumerVirtualNetworks', i], message: 'duplicate virtual network' });
      seen.add(key);
    });
  });

/** The validated policy with defaults applied (placement keys normalised to `eastus` form). */
export type Policy = z.output<typeof policySchema>;
/** What a user writes (defaults optional). */
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyMode = Policy['mode'];
export type ConnectionApproval = Policy['connectionApproval'];
/** The mode that applies to one cache after the tag override. */
export type EffectiveMode = (typeof OVERRIDE_VALUES)[number];

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    message: string,
    /** Each problem as `path: message`. */
    readonly issues: string[],
  ) {
    super(message);
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out.length === 0 ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/**
 * Validate a policy (object or JSON text). Throws `PolicyError` listing EVERY problem with its path, e.g.
 * `Invalid policy (2 problems):\n  - scopes.subscriptions[0]: subscription must be a GUID\n  - mode: ...`.
 */
export function parsePolicy(input: unknown): Policy {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      const issue = `(root): not valid JSON (${(e as Error).message})`;
      throw new PolicyError(`Invalid policy (1 problem):\n  - ${issue}`, [issue]);
    }
  }
  const result = policySchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((iss) => {
      let path = [...iss.path];
      let message = iss.message;
      if (iss.code === 'unrecognized_keys') {
        message = `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}`;
        if (iss.keys.length === 1) path = [...path, iss.keys[0]!];
      }
      return `${formatPath(path)}: ${message}`;
    });
    throw new PolicyError(
      `Invalid policy (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((s) => `  - ${s}`).join('\n')}`,
      issues,
    );
  }
  return result.data;
}

/** Read the override tag (tag names are case-insensitive in Azure; the value is trimmed, case-insensitive). */
export function overrideOf(policy: Pick<Policy, 'overrideTag'>, tags: Record<string, string> | undefined): {
  value?: EffectiveMode;
  invalid?: string;
} {
  if (!tags) return {};
  const wanted = policy.overrideTag.toLowerCase();
  for (const [k, v] of Object.entries(tags)) {
    if (k.toLowerCase() !== wanted) continue;
    const value = String(v).trim().toLowerCase();
    if ((OVERRIDE_VALUES as readonly string[]).includes(value)) return { value: value as EffectiveMode };
    return { invalid: String(v) };
  }
  return {};
}

/** The mode for one cache: the tag override when valid, else the policy mode. */
export function effectiveMode(policy: Pick<Policy, 'mode' | 'overrideTag'>, tags: Record<string, string> | undefined): EffectiveMode {
  return overrideOf(policy, tags).value ?? policy.mode;
}

/** Whether a subscription is in the policy's scopes. */
export function inScope(policy: Pick<Policy, 'scopes'>, subscriptionId: string): boolean {
  return policy.scopes.subscriptions.some((s) => s.toLowerCase() === subscriptionId.toLowerCase());
}

/** The endpoint placement for a region (any spelling: `East US`, `eastus`). */
export function placementFor(
  policy: Pick<Policy, 'endpointPlacement'>,
  region: string,
): { subnetId: string; location: string } | undefined {
  return policy.endpointPlacement[normalizeRegion(region)];
}
