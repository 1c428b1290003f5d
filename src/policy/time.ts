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
