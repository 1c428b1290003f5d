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
  /**
   * Compensations (relink, enable public access, make a created endpoint whole or remove it) retry on durable timers
   * with their own, longer budget: first wait, longest wait and total budget in seconds. Defaults:
   * `COMPENSATION_DEFAULTS` (1 min, 30 min, 6 h).
   */
  compensation?: CompensationSettings;
}

export interface CompensationSettings {
  firstRetrySeconds: number;
  maxRetrySeconds: number;
  budgetSeconds: number;
}

export const COMPENSATION_DEFAULTS: CompensationSettings = { firstRetrySeconds: 60, maxRetrySeconds: 1800, budgetSeconds: 6 * 3600 };

const envSchema = z.object({
  AUTOPILOT_CLOUD: z.enum(['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment']).default('AzureCloud'),
  AUTOPILOT_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  AUTOPILOT_OPERATION_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(86_400).default(3_600),
  AUTOPILOT_RETRY_FIRST_INTERVAL_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  AUTOPILOT_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  AUTOPILOT_COMPENSATION_FIRST_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(COMPENSATION_DEFAULTS.firstRetrySeconds),
  AUTOPILOT_COMPENSATION_MAX_RETRY_SECONDS: z.coerce.number().int().min(1).max(6 * 3600).default(COMPENSATION_DEFAULTS.maxRetrySeconds),
  AUTOPILOT_COMPENSATION_BUDGET_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(COMPENSATION_DEFAULTS.budgetSeconds),
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
    compensation: {
      firstRetrySeconds: e.AUTOPILOT_COMPENSATION_FIRST_RETRY_SECONDS,
      maxRetrySeconds: e.AUTOPILOT_COMPENSATION_MAX_RETRY_SECONDS,
      budgetSeconds: e.AUTOPILOT_COMPENSATION_BUDGET_SECONDS,
    },
  };
}
