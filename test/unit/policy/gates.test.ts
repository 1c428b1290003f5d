import fc from 'fast-check';
import { gateSettings, mayDecide, nextWindow, WEEKDAYS, type MaintenanceWindow } from '../../../src/policy/gates';
import { parsePolicy } from '../../../src/policy/policy-schema';

const SUB = '11111111-1111-1111-1111-111111111111';
const base = { scopes: { subscriptions: [SUB] }, dnsZones: { subscriptionId: SUB, resourceGroup: 'rg-dns' } };

describe('nextWindow', () => {
  const sat = [{ days: ['Saturday'], start: '02:00', durationMinutes: 240 }] as MaintenanceWindow[];
  it('no windows: no restriction', () => {
    expect(nextWindow([], new Date('2026-12-02T10:00:00Z'))).toBeUndefined();
  });
  it('before the window: its next opening', () => {
    expect(nextWindow(sat, new Date('2026-12-02T10:00:00Z'))).toEqual({ open: false, runsAt: new Date('2026-12-05T02:00:00Z'), closesAt: new Date('2026-12-05T06:00:00Z') });
  });
  it('inside the window: now', () => {
    expect(nextWindow(sat, new Date('2026-12-05T03:00:00Z'))).toMatchObject({ open: true, runsAt: new Date('2026-12-05T03:00:00Z') });
  });
  it('at the end of the window: the next week', () => {
    expect(nextWindow(sat, new Date('2026-12-05T06:00:00Z'))?.runsAt).toEqual(new Date('2026-12-12T02:00:00Z'));
  });
  it('a window crossing midnight is open after midnight', () => {
    const w = [{ days: ['Sunday'], start: '23:00', durationMinutes: 180 }] as MaintenanceWindow[];
    expect(nextWindow(w, new Date('2026-12-07T01:00:00Z'))).toMatchObject({ open: true });
  });
  it('property: the answer is never in the past, lies inside a window, and no window opens earlier', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ days: fc.subarray([...WEEKDAYS], { minLength: 1 }), h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }), d: fc.integer({ min: 1, max: 2000 }) }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
        (raw, t) => {
          const windows = raw.map((r) => ({ days: r.days, start: `${String(r.h).padStart(2, '0')}:${String(r.m).padStart(2, '0')}`, durationMinutes: r.d })) as MaintenanceWindow[];
          const now = new Date(t);
          const w = nextWindow(windows, now)!;
          expect(w.runsAt.getTime()).toBeGreaterThanOrEqual(t);
          expect(w.closesAt.getTime()).toBeGreaterThan(w.runsAt.getTime());
          // runsAt is inside the window (open one minute later too, unless it closes)
          expect(nextWindow(windows, w.runsAt)!.open).toBe(true);
          if (!w.open) expect(nextWindow(windows, new Date(w.runsAt.getTime() - 60_000))!.runsAt.getTime()).toBeGreaterThanOrEqual(w.runsAt.getTime() - 60_000);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('approvals and windows in the policy', () => {
  it('defaults: no gates, no windows; a listed gate gets its defaults (72 h, reject on timeout)', () => {
    const p = parsePolicy({ ...base, approvals: { geoUnlink: {} } });
    expect(p.maintenanceWindows).toEqual([]);
    expect(gateSettings(p, 'geoUnlink')).toEqual({ timeoutMinutes: 4320, onTimeout: 'reject', approvers: [], reminderMinutes: 0 });
    expect(p.approvals.cutover).toBeUndefined();
  });
  it('refuses unknown gates, bad days and bad times, naming the path', () => {
    expect(() => parsePolicy({ ...base, approvals: { geoUnlnk: {} } })).toThrow(/approvals\.geoUnlnk: unknown key/);
    expect(() => parsePolicy({ ...base, maintenanceWindows: [{ days: ['Sat'], start: '2am', durationMinutes: 0 }] })).toThrow(
      /maintenanceWindows\[0\]\.days\[0\]: days must be weekday names[\s\S]*maintenanceWindows\[0\]\.start: start must be 'HH:MM'[\s\S]*durationMinutes must be at least 1/,
    );
    expect(() => parsePolicy({ ...base, approvals: { cutover: { onTimeout: 'maybe' } } })).toThrow(/approvals\.cutover\.onTimeout: onTimeout must be 'approve' or 'reject'/);
  });
  it('approvers: roles or groups, case-insensitive; none listed: anyone', () => {
    expect(mayDecide({ approvers: [] }, undefined)).toBe(true);
    expect(mayDecide({ approvers: ['Redis.Approver'] }, { roles: ['redis.approver'] })).toBe(true);
    expect(mayDecide({ approvers: ['g-1'] }, { roles: [], groups: ['G-1'] })).toBe(true);
    expect(mayDecide({ approvers: ['Redis.Approver'] }, { roles: ['Reader'] })).toBe(false);
    expect(mayDecide({ approvers: ['Redis.Approver'] }, undefined)).toBe(false);
  });
});
