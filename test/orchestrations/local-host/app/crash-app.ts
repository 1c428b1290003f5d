/**
 * App for the kill/restart test: every activity run appends a line to `<LH_MARKER_DIR>/<step>.runs`, and a
 * step hangs (until the process is killed) while `<LH_MARKER_DIR>/block-<step>` exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HttpRequest } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, OrchestrationContext } from 'durable-functions';

function markerDir(): string {
  const dir = process.env.LH_MARKER_DIR;
  if (!dir) throw new Error('LH_MARKER_DIR is not set');
  return dir;
}

df.app.activity('MarkStep', {
  handler: async (step: string) => {
    fs.appendFileSync(path.join(markerDir(), `${step}.runs`), `${process.pid}\n`);
    if (fs.existsSync(path.join(markerDir(), `block-${step}`))) {
      await new Promise<never>(() => undefined); // hangs until the process is killed
    }
    return `${step}-done`;
  },
});

df.app.orchestration('CrashChild', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('MarkStep', context.df.getInput<string>());
});

df.app.orchestration('CrashSequence', function* (context: OrchestrationContext) {
  const a: string = yield context.df.callActivity('MarkStep', 'a');
  const b: string = yield context.df.callSubOrchestrator('CrashChild', 'b', `${context.df.instanceId}-child`);
  context.df.setCustomStatus('waiting-timer');
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3000));
  const c: string = yield context.df.callActivity('MarkStep', 'c');
  return [a, b, c];
});

df.app.client.http('crashStart', {
  route: 'start/{name}/{id}',
  methods: ['POST'],
  handler: async (req: HttpRequest, client: DurableClient) => {
    const id = await client.startNew(req.params.name!, { instanceId: req.params.id });
    return client.createCheckStatusResponse(req, id);
  },
});
