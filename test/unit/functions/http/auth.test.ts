import { authConfigFromEnv, authorize, decodeClientPrincipal, type AuthConfig } from '../../../../src/functions/http/auth';

const SUB_A = '11111111-2222-3333-4444-555555555555';
const SUB_B = '66666666-7777-8888-9999-000000000000';
const GROUP = 'a1b2c3d4-0000-4000-8000-000000000001';
const ROLE_URI = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

function principalHeader(claims: Array<{ typ: string; val: string }>, extra: Record<string, unknown> = {}): string {
  return Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', role_typ: ROLE_URI, claims, ...extra })).toString('base64');
}
function headers(map: Record<string, string>): { get(name: string): string | null } {
  const lower = Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower[name.toLowerCase()] ?? null };
}
const config = (c: Partial<AuthConfig> = {}): AuthConfig => ({ allowedRoles: [], allowedGroups: [], allowedSubscriptions: [], required: true, ...c });

const operator = principalHeader([
  { typ: 'name', val: 'Operator Example' },
  { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: '0c0ffee0-1234-4abc-8def-000000000003' },
  { typ: 'roles', val: 'Autopilot.Operator' },
  { typ: 'groups', val: GROUP },
]);

describe('authorize', () => {
  it('401 without a principal when required', () => {
    const r = authorize(headers({}), config(), [SUB_A]);
    expect(r).toMatchObject({ ok: false, status: 401 });
    expect(!r.ok && r.message).toMatch(/no x-ms-client-principal header/);
  });

  it('ok without a principal when not required (local), principal undefined', () => {
    expect(authorize(headers({}), config({ required: false, allowedRoles: ['Autopilot.Operator'] }), [SUB_A])).toEqual({ ok: true, principal: undefined });
  });

  it('401 for an unreadable principal, even when not required', () => {
    const r = authorize(headers({ 'x-ms-client-principal': '%%%not-base64{' }), config({ required: false }), []);
    expect(r).toMatchObject({ ok: false, status: 401 });
    const noClaims = authorize(headers({ 'x-ms-client-principal': Buffer.from('{"auth_typ":"aad"}').toString('base64') }), config(), []);
    expect(!noClaims.ok && noClaims.message).toMatch(/has no claims list/);
  });

  it('ok for any principal when no roles or groups are configured, with the decoded principal', () => {
    const r = authorize(headers({ 'X-MS-CLIENT-PRINCIPAL': operator }), config(), [SUB_A]);
    expect(r).toEqual({
      ok: true,
      principal: {
        id: '0c0ffee0-1234-4abc-8def-000000000003',
        name: 'Operator Example',
        identityProvider: 'aad',
        roles: ['Autopilot.Operator'],
        groups: [GROUP],
      },
    });
  });

  it('ok with an allowed role (roles claim, case-insensitive)', () => {
    expect(authorize(headers({ 'x-ms-client-principal': operator }), config({ allowedRoles: ['autopilot.operator'] }), [])).toMatchObject({ ok: true });
  });

  it('ok with an allowed role in the long role claim type', () => {
    const h = principalHeader([{ typ: ROLE_URI, val: 'Autopilot.Admin' }]);
    expect(authorize(headers({ 'x-ms-client-principal': h }), config({ allowedRoles: ['Autopilot.Admin'] }), [])).toMatchObject({ ok: true });
  });

  it('ok with an allowed group when the role does not match', () => {
    expect(
      authorize(headers({ 'x-ms-client-principal': operator }), config({ allowedRoles: ['Autopilot.Admin'], allowedGroups: [GROUP.toUpperCase()] }), []),
    ).toMatchObject({ ok: true });
  });

  it('403 outside the roles and groups, naming what is needed', () => {
    const r = authorize(headers({ 'x-ms-client-principal': operator }), config({ allowedRoles: ['Autopilot.Admin'], allowedGroups: ['other-group'] }), []);
    expect(r).toMatchObject({ ok: false, status: 403 });
    expect(!r.ok && r.message).toMatch(/Operator Example needs one of the roles Autopilot.Admin or membership of one of the groups other-group/);
    const noRoles = principalHeader([{ typ: 'name', val: 'x' }]);
    expect(authorize(headers({ 'x-ms-client-principal': noRoles }), config({ allowedRoles: ['Autopilot.Admin'] }), [])).toMatchObject({ status: 403 });
  });

  it('403 when a subscription is not in the allow-list; ok when all are (case-insensitive)', () => {
    const h = headers({ 'x-ms-client-principal': operator });
    const r = authorize(h, config({ allowedSubscriptions: [SUB_A] }), [SUB_A, SUB_B]);
    expect(r).toMatchObject({ ok: false, status: 403 });
    expect(!r.ok && r.message).toContain(SUB_B);
    expect(!r.ok && r.message).not.toContain(SUB_A);
    expect(authorize(h, config({ allowedSubscriptions: [SUB_A.toUpperCase(), SUB_B] }), [SUB_A, SUB_B])).toMatchObject({ ok: true });
  });

  it('the subscription allow-list applies without a principal too', () => {
    expect(authorize(headers({}), config({ required: false, allowedSubscriptions: [SUB_A] }), [SUB_B])).toMatchObject({ ok: false, status: 403 });
  });

  it('an empty allow-list accepts any subscription', () => {
    expect(authorize(headers({ 'x-ms-client-principal': operator }), config(), [SUB_B])).toMatchObject({ ok: true });
  });
});

describe('decodeClientPrincipal', () => {
  it('uses role_typ and the principal headers as fallbacks', () => {
    const h = principalHeader([{ typ: 'custom-role', val: 'R1' }], { role_typ: 'custom-role', auth_typ: undefined });
    const p = decodeClientPrincipal(h, headers({ 'x-ms-client-principal-id': 'id-1', 'x-ms-client-principal-name': 'n1', 'x-ms-client-principal-idp': 'aad' }));
    expect(p).toEqual({ roles: ['R1'], groups: [], id: 'id-1', name: 'n1', identityProvider: 'aad' });
  });
  it('skips malformed claims', () => {
    const h = Buffer.from(JSON.stringify({ claims: [{ typ: 'roles' }, null, { typ: 'roles', val: 'A' }, { typ: 'roles', val: 'A' }] })).toString('base64');
    expect(decodeClientPrincipal(h)).toEqual({ roles: ['A'], groups: [] });
  });
});

describe('authConfigFromEnv', () => {
  it('requires a principal by default in Azure and not locally', () => {
    expect(authConfigFromEnv({ WEBSITE_SITE_NAME: 'func-autopilot' }).required).toBe(true);
    expect(authConfigFromEnv({}).required).toBe(false);
  });
  it('honours an explicit flag either way', () => {
    expect(authConfigFromEnv({ WEBSITE_SITE_NAME: 'x', AUTOPILOT_REQUIRE_PRINCIPAL: 'false' }).required).toBe(false);
    expect(authConfigFromEnv({ AUTOPILOT_REQUIRE_PRINCIPAL: ' TRUE ' }).required).toBe(true);
  });
  it('rejects a flag that is not true/false', () => {
    expect(() => authConfigFromEnv({ AUTOPILOT_REQUIRE_PRINCIPAL: 'yes' })).toThrow(/must be "true" or "false", got "yes"/);
  });
  it('reads comma lists, trimming blanks', () => {
    expect(
      authConfigFromEnv({
        AUTOPILOT_ALLOWED_ROLES: 'Autopilot.Operator, Autopilot.Admin ,',
        AUTOPILOT_ALLOWED_GROUPS: GROUP,
        AUTOPILOT_ALLOWED_SUBSCRIPTIONS: ` ${SUB_A},${SUB_B} `,
      }),
    ).toEqual({ required: false, allowedRoles: ['Autopilot.Operator', 'Autopilot.Admin'], allowedGroups: [GROUP], allowedSubscriptions: [SUB_A, SUB_B] });
  });
});
