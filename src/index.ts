/**
 * The one place that registers every function (app.* and df.app.*). Azure's Node worker loads this module
 * (package.json "main"), and so does the embedded local host (src/local), unchanged.
 */
import * as df from 'durable-functions';
import { ACTIVITIES } from './activities';
import { registerActivity } from './activities/define';
import { ORCHESTRATORS } from './orchestrations';

for (const [name, handler] of Object.entries(ORCHESTRATORS)) {
  df.app.orchestration(name, handler);
}
for (const activity of ACTIVITIES) registerActivity(activity);

// Triggers (thin: parse, validate, authorize, start or signal an orchestration).
import './functions/http-runbooks';
import './functions/eventgrid-resource-changed';
import './functions/timer-compliance-sweep';
