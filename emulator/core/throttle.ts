import type { EmulatorSettings } from './types';

export type OperationKind = 'read' | 'write' | 'delete';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * ARM's per-subscription token buckets (reads 250 / 25 per s, writes 200 / 10 per s, deletes 200 / 10 per s by
 * default): each request takes one token of its kind; tokens refill continuously. Requests without a
 * subscription in the path (tenant level) share the 'tenant' scope. Enforced only when `throttling.enabled`.
 */
export class Throttler {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly settings: () => EmulatorSettings, private readonly now: () => number) {}

  /** Takes a token. Returns the remaining count, or the seconds to wait when the bucket is empty. */
  take(scope: string, kind: OperationKind): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const cfg = this.settings().throttling;
    const limit = cfg[kindKey(kind)];
    if (!cfg.enabled) return { allowed: true, remaining: Math.max(0, limit.capacity - 1) };
    const key = `${scope.toLowerCase()}|${kind}`;
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: limit.capacity, updatedAt: now };
      this.buckets.set(key, b);
    }
    const elapsed = Math.max(0, now - b.updatedAt) / 1000;
    b.tokens = Math.min(limit.capacity, b.tokens + elapsed * limit.refillPerSecond);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens) };
    }
    const wait = limit.refillPerSecond > 0 ? (1 - b.tokens) / limit.refillPerSecond : 60;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }

  reset(): void {
    this.buckets.clear();
  }
}

export function kindKey(kind: OperationKind): 'reads' | 'writes' | 'deletes' {
  return kind === 'read' ? 'reads' : kind === 'write' ? 'writes' : 'deletes';
}
