/** local.settings.sample.json is what a new user copies: its policy must pass the validator the app runs at start-up. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePolicy } from '../../../src/policy/policy-schema';

it('the sample policy in local.settings.sample.json is accepted by the validator', () => {
  const sample = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'local.settings.sample.json'), 'utf8'));
  const policy = parsePolicy(sample.Values.AUTOPILOT_POLICY);
  expect(policy.mode).toBe('audit');
  expect(policy.scopes.subscriptions).toHaveLength(1);
});
