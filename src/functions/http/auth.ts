/**
 * Authorization of the runbook endpoints, on top of the function key.
 *
 * App Service authentication ("Easy Auth") validates the caller's token and forwards the identity to the app in the
 * `x-ms-client-principal` header: base64 of `{ auth_typ, name_typ, role_typ, claims: [{ typ, val }] }`. App Service
 * strips any such header sent by the client, so the header can be trusted only when App Service authentication is
 * enabled: that is why a principal is required by default in Azure (`WEBSITE_SITE_NAME` set) and optional locally.
 *
 * Roles come from the `roles` claim or `http://schemas.microsoft.com/ws/2008/06/identity/claims/role` (or the claim
 * type named by `role_typ`), groups from `groups` (object ids). Roles and groups compare case-insensitively.
 * Pure: no I/O.
 */

export interface HeadersLike {
  get(name: string): string | null | undefined;
}

export interface AuthConfig {
  /** Accepted app roles; the caller needs one of these roles or one of the groups (both empty: any principal). */
  allowedRoles: string[];
  /** Accepted Entra group object ids. */
  allowedGroups: string[];
  /** Subscriptions a request may touch; empty: any. */
  allowedSubscriptions: string[];
  /** A missing principal is a 401 (true in Azure). */
  required: boolean;
}

export interface ClientPrincipal {
  /** Object id (`oid` claim), else the `x-ms-client-principal-id` header. */
  id?: string;
  name?: string;
  identityProvider?: string;
  roles: string[];
  groups: string[];
}

export type AuthorizeResult =
  | { ok: true; principal: ClientPrincipal | undefined }
  | { ok: false; status: 401 | 403; message: string };

export const PRINCIPAL_HEADER = 'x-ms-client-principal';
export const ROLE_CLAIM_TYPES = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'] as const;
export const GROUP_CLAIM_TYPES = ['groups'] as const;
const OBJECT_ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const NAME_CLAIMS = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

interface RawPrincipal {
  auth_typ?: unknown;
  name_typ?: unknown;
  role_typ?: unknown;
  claims?: unknown;
}

/** Decode `x-ms-client-principal`. Returns a reason string when the header is not base64 JSON with a claims list. */
export function decodeClientPrincipal(header: string, headers?: HeadersLike): ClientPrincipal | string {
  let raw: RawPrincipal;
  try {
    const text = Buffer.from(header.trim(), 'base64').toString('utf8');
    raw = JSON.parse(text) as RawPrincipal;
  } catch {
    return `${PRINCIPAL_HEADER} is not base64-encoded JSON`;
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray(raw.claims)) {
    return `${PRINCIPAL_HEADER} has no claims list`;
  }
  const claims: Array<{ typ: string; val: string }> = [];
  for (const c of raw.claims as unknown[]) {
    if (typeof c !== 'object' || c === null) continue;
    const { typ, val } = c as { typ?: unknown; val?: unknown };
    if (typeof typ === 'string' && typeof val === 'string') claims.push({ typ, val });
  }
  const of = (types: readonly string[]) => {
    const wanted = new Set(types.map((t) => t.toLowerCase()));
    return claims.filter((c) => wanted.has(c.typ.toLowerCase())).map((c) => c.val);
  };
  const roleTypes = [...ROLE_CLAIM_TYPES, ...(typeof raw.role_typ === 'string' ? [raw.role_typ] : [])];
  const nameTypes = [...(typeof raw.name_typ === 'string' ? [raw.name_typ] : []), ...NAME_CLAIMS];
  const principal: ClientPrincipal = {
    roles: [...new Set(of(roleTypes))],
    groups: [...new Set(of(GROUP_CLAIM_TYPES))],
  };
  const id = of(OBJECT_ID_CLAIMS)[0] ?? headers?.get('x-ms-client-principal-id') ?? undefined;
  const name = of(nameTypes)[0] ?? headers?.get('x-ms-client-principal-name') ?? undefined;
  const idp = typeof raw.auth_typ === 'string' ? raw.auth_typ : headers?.get('x-ms-client-principal-idp') ?? undefined;
  if (id) principal.id = id;
  if (name) principal.name = name;
  if (idp) principal.identityProvider = idp;
  return principal;
}

const lower = (xs: string[]) => new Set(xs.map((x) => x.trim().toLowerCase()).filter((x) => x.length > 0));

/**
 * 401 without a principal (when required) or with an unreadable one; 403 when the principal has none of the
 * allowed roles/groups, or when a subscription is outside the allow-list (when the list is non-empty).
 */
export function authorize(headers: HeadersLike, config: AuthConfig, subscriptionIds: string[]): AuthorizeResult {
  const header = headers.get(PRINCIPAL_HEADER);
  let principal: ClientPrincipal | undefined;
  if (header !== null && header !== undefined && header.trim().length > 0) {
    const decoded = decodeClientPrincipal(header, headers);
    if (typeof decoded === 'string') return { ok: false, status: 401, message: `Unauthorized: ${decoded}` };
    principal = decoded;
  } else if (config.required) {
    return {
      ok: false,
      status: 401,
      message: `Unauthorized: no ${PRINCIPAL_HEADER} header; sign in through App Service authentication (Easy Auth) with a Microsoft Entra token`,
    };
  }

  const roles = lower(config.allowedRoles);
  const groups = lower(config.allowedGroups);
  if (principal && (roles.size > 0 || groups.size > 0)) {
    const hasRole = principal.roles.some((r) => roles.has(r.toLowerCase()));
    const hasGroup = principal.groups.some((g) => groups.has(g.toLowerCase()));
    if (!hasRole && !hasGroup) {
      const wanted = [
        ...(roles.size > 0 ? [`one of the roles ${config.allowedRoles.join(', ')}`] : []),
        ...(groups.size > 0 ? [`membership of one of the groups ${config.allowedGroups.join(', ')}`] : []),
      ].join(' or ');
      return {
        ok: false,
        status: 403,
        message: `Forbidden: ${principal.name ?? principal.id ?? 'the caller'} needs ${wanted}`,
      };
    }
  }

  const subscriptions = lower(config.allowedSubscriptions);
  if (subscriptions.size > 0) {
    const outside = [...new Set(subscriptionIds)].filter((s) => !subscriptions.has(s.toLowerCase()));
    if (outside.length > 0) {
      return {
        ok: false,
        status: 403,
        message: `Forbidden: subscription${outside.length > 1 ? 's' : ''} ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not in AUTOPILOT_ALLOWED_SUBSCRIPTIONS`,
      };
    }
  }
  return { ok: true, principal };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Read the settings: `AUTOPILOT_REQUIRE_PRINCIPAL` ("true"/"false"; default true when `WEBSITE_SITE_NAME` is set,
 * i.e. in Azure, false otherwise), `AUTOPILOT_ALLOWED_ROLES`, `AUTOPILOT_ALLOWED_GROUPS`,
 * `AUTOPILOT_ALLOWED_SUBSCRIPTIONS` (comma lists). Throws on a value that is neither "true" nor "false".
 */
export function authConfigFromEnv(env: Record<string, string | undefined>): AuthConfig {
  const flag = env['AUTOPILOT_REQUIRE_PRINCIPAL']?.trim().toLowerCase();
  let required: boolean;
  if (flag === undefined || flag === '') required = (env['WEBSITE_SITE_NAME'] ?? '').trim().length > 0;
  else if (flag === 'true') required = true;
  else if (flag === 'false') required = false;
  else throw new Error(`AUTOPILOT_REQUIRE_PRINCIPAL must be "true" or "false", got "${env['AUTOPILOT_REQUIRE_PRINCIPAL']}"`);
  return {
    required,
    allowedRoles: list(env['AUTOPILOT_ALLOWED_ROLES']),
    allowedGroups: list(env['AUTOPILOT_ALLOWED_GROUPS']),
    allowedSubscriptions: list(env['AUTOPILOT_ALLOWED_SUBSCRIPTIONS']),
  };
}
