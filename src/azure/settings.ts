/**
 * Runtime settings read from the app settings (environment) by triggers, and passed to orchestrations in their
 * input: orchestrators never read the environment themselves.
 */
import { z } from 'zod';

export interface RuntimeSettings {
  cloud: string;
  /** Seconds between two polls of a long Azure operation (durable timers). */
  pollIntervalSeconds: number;
  /** How long an orchestration waits for one Azure operation before giving up. */
  operationTimeoutSeconds: number;
  /** Retries of activities that hit retryable faults (429, 5xx, 409 busy), bounded by attempt count. */
  activityRetry: { firstRetryIntervalMs: number; maxNumberOfAttempts: number; backoffCoefficient: number };
}

const envSchema = z.object({
  AUTOPILOT_CLOUD: z.enum(['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment']).default('AzureCloud'),
  AUTOPILOT_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  AUTOPILOT_OPERATION_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(86_400).default(3_600),
  AUTOPILOT_RETRY_FIRST_INTERVAL_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  AUTOPILOT_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
});

export function readRuntimeSettings(env: Record<string, string | undefined> = process.env): RuntimeSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid app settings: ${issues}`);
  }
  const e = parsed.data;
  return {
    cloud: e.AUTOPILOT_CLOUD,
    pollIntervalSeconds: e.AUTOPILOT_POLL_INTERVAL_SECONDS,
    operationTimeoutSeconds: e.AUTOPILOT_OPERATION_TIMEOUT_SECONDS,
    activityRetry: {
      firstRetryIntervalMs: e.AUTOPILOT_RETRY_FIRST_INTERVAL_MS,
      maxNumberOfAttempts: e.AUTOPILOT_RETRY_MAX_ATTEMPTS,
      backoffCoefficient: 2,
    },
  };
}
