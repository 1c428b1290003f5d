/**
 * Human gates and maintenance windows: pure rules (no clock, no I/O). The orchestrations wait on them with durable
 * timers and external events (`src/orchestrations/gates.ts`).
 *
 * - A gate is a named decision a disruptive step needs before it runs (`approvals` in the policy). A workflow
 *   waiting for one shows it in its custom status; `POST /api/runbooks/decisions/{instanceId}` (or
 *   `autopilot decide`) answers it; with no answer before the gate's timeout, the gate's `onTimeout` applies
 *   (reject by default).
 * - Maintenance windows are weekly UTC windows; a disruptive step waits until one is open.
 */

/** Every gate a workflow may wait on. */
export const GATE_NAMES = ['geoUnlink', 'publicAccessEnable', 'cutover', 'decommission'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** Steps that disrupt clients: they also wait for a maintenance window (when the policy has any). */
export const DISRUPTIVE_GATES: readonly GateName[] = ['geoUnlink', 'cutover', 'decommission'];

/** Gates the migration always waits on, whether or not the policy lists them (their settings come from it). */
export const ALWAYS_ON_GATES: readonly GateName[] = ['cutover', 'decommission'];

export const GATE_DESCRIPTIONS: Record<GateName, string> = {
  geoUnlink: 'Unlinking passive geo-replication forces a full resync of the secondary when it is linked again.',
  publicAccessEnable: 'Enabling public network access exposes the cache to the internet (its access keys still apply).',
  cutover: 'Applications move to the new Azure Managed Redis endpoint (<name>.<region>.redis.azure.net:10000).',
  decommission: "The source cache's private endpoints and the source cache itself are deleted (not reversible).",
};

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface GateSettings {
  /** Minutes the workflow waits for a decision (default 4320 = 72 h). */
  timeoutMinutes: number;
  /** What a timeout means (default reject). */
  onTimeout: 'approve' | 'reject';
  /** App roles or Entra group object ids allowed to decide; empty: anyone allowed to call the runbooks. */
  approvers: string[];
  /** Minutes between reminders while waiting (logged and counted in the custom status); 0: none. */
  reminderMinutes: number;
}

export interface MaintenanceWindow {
  days: Weekday[];
  /** `HH:MM`, UTC. */
  start: string;
  durationMinutes: number;
}

export const DEFAULT_GATE: GateSettings = { timeoutMinutes: 4320, onTimeout: 'reject', approvers: [], reminderMinutes: 0 };

export interface GatePolicy {
  approvals?: Partial<Record<GateName, Partial<GateSettings>>>;
  maintenanceWindows?: MaintenanceWindow[];
}

/** Whether the policy asks for a decision before the step (always-on gates of the migration included by the caller). */
export function gateRequired(policy: GatePolicy, gate: GateName): boolean {
  return !!policy.approvals?.[gate];
}

export function gateSettings(policy: GatePolicy, gate: GateName): GateSettings {
  const g = policy.approvals?.[gate] ?? {};
  return {
    timeoutMinutes: g.timeoutMinutes ?? DEFAULT_GATE.timeoutMinutes,
    onTimeout: g.onTimeout ?? DEFAULT_GATE.onTimeout,
    approvers: g.approvers ?? DEFAULT_GATE.approvers,
    reminderMinutes: g.reminderMinutes ?? DEFAULT_GATE.reminderMinutes,
  };
}

/** Whether a principal's roles/groups let it decide a gate (empty approver list: anyone the runbooks admit). */
export function mayDecide(settings: Pick<GateSettings, 'approvers'>, principal: { roles?: string[]; groups?: string[] } | undefined): boolean {
  if (settings.approvers.length === 0) return true;
  if (!principal) return false;
  const wanted = new Set(settings.approvers.map((a) => a.trim().toLowerCase()));
  return [...(principal.roles ?? []), ...(principal.groups ?? [])].some((x) => wanted.has(x.trim().toLowerCase()));
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const HHMM_RE = HHMM;

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`start '${hhmm}' is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const DAY_MS = 86_400_000;

export interface WindowState {
  /** The window is open at `now`. */
  open: boolean;
  /** When the step may run: `now` when open, else the next opening. */
  runsAt: Date;
  /** End of that window. */
  closesAt: Date;
}

/**
 * The window a step may run in, seen at `now`: open now, or the next opening. `undefined` when the policy has no
 * windows (no restriction). Windows may cross midnight and the end of the week.
 */
export function nextWindow(windows: MaintenanceWindow[] | undefined, now: Date): WindowState | undefined {
  if (!windows || windows.length === 0) return undefined;
  const t = now.getTime();
  const midnight = Math.floor(t / DAY_MS) * DAY_MS;
  let best: WindowState | undefined;
  for (const w of windows) {
    const startMin = minutesOf(w.start);
    for (let d = -7; d <= 7; d++) {
      const dayStart = midnight + d * DAY_MS;
      const weekday = WEEKDAYS[new Date(dayStart).getUTCDay()]!;
      if (!w.days.includes(weekday)) continue;
      const start = dayStart + startMin * 60_000;
      const end = start + w.durationMinutes * 60_000;
      if (start <= t && t < end) return { open: true, runsAt: new Date(t), closesAt: new Date(end) };
      if (start > t && (!best || start < best.runsAt.getTime())) best = { open: false, runsAt: new Date(start), closesAt: new Date(end) };
    }
  }
  return best;
}
