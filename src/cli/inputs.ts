/**
 * What the command line reads before any work: files (policy, estate) and ids. Every problem is a `UsageError` with
 * one line that names the option, the file and the rule; the CLI exits 2 on it.
 */
import { readFileSync } from 'node:fs';
import { parseBody, addEndpointBody, removeEndpointBody, publicAccessBody, cacheOnlyBody } from '../functions/http/schemas';
import { parsePolicy, PolicyError, type Policy } from '../policy/policy-schema';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads a JSON file; ENOENT, a directory or invalid JSON become one line naming the option and the file. */
export function readJsonFile(option: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${option} ${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${option} ${file}: is a directory, expected a JSON file`);
    throw new UsageError(`${option} ${file}: cannot read it (${code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${option} ${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Validates a policy document; the problems (each with its path) on one line, prefixed with where it came from. */
export function policyFrom(source: string, raw: unknown, extraSubscriptions: string[] = []): Policy {
  const value = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : raw;
  if (extraSubscriptions.length && value && typeof value === 'object') {
    const v = value as { scopes?: { subscriptions?: string[] } };
    v.scopes = { ...(v.scopes ?? {}), subscriptions: [...new Set([...(v.scopes?.subscriptions ?? []), ...extraSubscriptions])] };
  }
  try {
    return parsePolicy(value);
  } catch (e) {
    if (e instanceof PolicyError) throw new UsageError(`${source}: invalid policy: ${e.issues.join('; ')}`);
    throw e;
  }
}

/** Policy from text (AUTOPILOT_POLICY): invalid JSON named. */
export function policyFromText(source: string, text: string, extraSubscriptions: string[] = []): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return policyFrom(source, raw, extraSubscriptions);
}

type Schema = typeof addEndpointBody | typeof removeEndpointBody | typeof publicAccessBody | typeof cacheOnlyBody;

/**
 * Validates a command's ids and values with the runbooks' own request schemas (the one canonical resource-id
 * parser behind them), mapping body fields back to the option names the user typed.
 */
export function validateInput<T>(schema: Schema, body: Record<string, unknown>, optionOf: Record<string, string>): T {
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const r = parseBody(schema, clean);
  if (r.ok) return r.value as T;
  const problems = r.error.details.map((e) => {
    const option = optionOf[e.field] ?? e.field;
    return e.message.startsWith(e.field) ? `${option}${e.message.slice(e.field.length)}` : `${option}: ${e.message}`;
  });
  throw new UsageError(problems.join('; '));
}
