/**
 * Pure time arithmetic for orchestrators: they may not construct dates from the clock, but they may derive a
 * timer's fire time from `context.df.currentUtcDateTime`, which is replay-safe.
 */
export function addSeconds(from: Date, seconds: number): Date {
  return new Date(from.getTime() + seconds * 1000);
}

export function isAfterOrAt(a: Date, b: Date): boolean {
  return a.getTime() >= b.getTime();
}

/** Whether an ISO time (e.g. an Event Grid eventTime) is at or before `date`; unparsable times count as after. */
export function isoAtOrBefore(iso: string | undefined, date: Date): boolean {
  if (!iso) return false;
  const t = new Date(iso).getTime();
  return Number.isFinite(t) && t <= date.getTime();
}
