/**
 * What triggers read from the app settings: the policy document and the runtime settings. Orchestrations get both
 * in their input; they never read the environment.
 */
import { readFileSync } from 'node:fs';
import { parsePolicy, type Policy } from '../policy/policy-schema';
import { readRuntimeSettings, type RuntimeSettings } from '../azure/settings';
import type { WorkflowEnvelope } from '../orchestrations/common';

let cached: { key: string; policy: Policy } | undefined;

/** AUTOPILOT_POLICY (JSON text) or AUTOPILOT_POLICY_FILE (path). Throws PolicyError naming every problem. */
export function loadPolicy(env: Record<string, string | undefined> = process.env): Policy {
  const text = env.AUTOPILOT_POLICY ?? (env.AUTOPILOT_POLICY_FILE ? readFileSync(env.AUTOPILOT_POLICY_FILE, 'utf8') : undefined);
  if (!text) throw new Error('No policy configured: set AUTOPILOT_POLICY (JSON) or AUTOPILOT_POLICY_FILE (path).');
  if (cached?.key !== text) cached = { key: text, policy: parsePolicy(text) };
  return cached.policy;
}

export function loadSettings(env: Record<string, string | undefined> = process.env): RuntimeSettings {
  return readRuntimeSettings(env);
}

export function envelope(env: Record<string, string | undefined> = process.env): WorkflowEnvelope {
  return { policy: loadPolicy(env), settings: loadSettings(env) };
}
