/**
 * The one place that registers every function (app.* and df.app.*). Azure's Node worker loads this module
 * (package.json "main"), and so does the embedded local host (src/local), unchanged.
 */
import * as df from 'durable-functions';
import { ACTIVITIES } from './activities';
import { registerActivity } from './activities/define';
import { ORCHESTRATORS } from './orchestrations';
import { loadPolicy } from './functions/config';
import { startAppInsightsSink } from './observability/app-insights';

// Structured log records -> Application Insights traces with customDimensions (cacheId, instanceId, rule, step).
if (process.env.APPLICATIONINSIGHTS_CONNECTION_STRING) {
  startAppInsightsSink(process.env.APPLICATIONINSIGHTS_CONNECTION_STRING, { role: process.env.WEBSITE_SITE_NAME });
}

for (const [name, handler] of Object.entries(ORCHESTRATORS)) {
  df.app.orchestration(name, handler);
}
for (const activity of ACTIVITIES) registerActivity(activity);

// Validate the policy at start-up, so a bad document is reported with every problem and its path when the app
// loads, not first when an event arrives. Triggers read it again (and refuse to act) while it stays invalid.
if (process.env.AUTOPILOT_POLICY || process.env.AUTOPILOT_POLICY_FILE) {
  try {
    loadPolicy();
  } catch (e) {
    console.error(`redis-private-link-autopilot: ${(e as Error).message}`);
  }
}

// Triggers (thin: parse, validate, authorize, start or signal an orchestration).
import './functions/http-runbooks';
import './functions/http-decisions';
import './functions/eventgrid-resource-changed';
import './functions/timer-compliance-sweep';
import './functions/http-dashboard';
