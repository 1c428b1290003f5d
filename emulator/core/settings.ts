import type { EmulatorSettings } from './types';

/** Defaults: operations complete on their first poll, no Retry-After, throttling off (with ARM's limits). */
export function defaultSettings(): EmulatorSettings {
  return {
    lroDurationMs: 0,
    lroRetryAfterSeconds: undefined,
    pageSize: 100,
    privateDnsRecordSetTop: 'honor',
    throttling: {
      enabled: false,
      reads: { capacity: 250, refillPerSecond: 25 },
      writes: { capacity: 200, refillPerSecond: 10 },
      deletes: { capacity: 200, refillPerSecond: 10 },
    },
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type SettingsPatch = DeepPartial<EmulatorSettings>;

/** Merges a (deep) partial into settings in place. */
export function applySettings(target: EmulatorSettings, patch: SettingsPatch | undefined): EmulatorSettings {
  if (!patch) return target;
  if (patch.lroDurationMs !== undefined) target.lroDurationMs = Number(patch.lroDurationMs);
  if ('lroRetryAfterSeconds' in patch) {
    target.lroRetryAfterSeconds = patch.lroRetryAfterSeconds === null ? undefined : patch.lroRetryAfterSeconds;
  }
  if (patch.pageSize !== undefined) target.pageSize = Math.max(1, Number(patch.pageSize));
  if (patch.privateDnsRecordSetTop !== undefined) target.privateDnsRecordSetTop = patch.privateDnsRecordSetTop === 'max-100' ? 'max-100' : 'honor';
  const t = patch.throttling;
  if (t) {
    if (t.enabled !== undefined) target.throttling.enabled = Boolean(t.enabled);
    for (const k of ['reads', 'writes', 'deletes'] as const) {
      const b = t[k];
      if (b?.capacity !== undefined) target.throttling[k].capacity = Number(b.capacity);
      if (b?.refillPerSecond !== undefined) target.throttling[k].refillPerSecond = Number(b.refillPerSecond);
    }
  }
  return target;
}
