/**
 * Log records to Application Insights as `traces` whose `customDimensions` are the record's dimensions (cacheId,
 * instanceId, rule, step, outcome, ...). `context.log` cannot carry custom properties in the Node programming model
 * (Azure/azure-functions-nodejs-library#227: "you'd have to use the application insights npm package directly"), so
 * this sink sends the records itself, in the documented ingestion envelope (MessageData: message, severityLevel,
 * properties) to the connection string's IngestionEndpoint `/v2.1/track`, batched, no extra dependency. On when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (the Function App's setting); failures are counted, never thrown.
 */
import { addLogSink, type LogLevel, type LogRecord } from './logger';

/** Application Insights severity levels: Verbose 0, Information 1, Warning 2, Error 3, Critical 4. */
export const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3 };

export interface ConnectionString {
  instrumentationKey: string;
  ingestionEndpoint: string;
}

export function parseConnectionString(text: string): ConnectionString | undefined {
  const parts = Object.fromEntries(
    text
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()];
      }),
  );
  const key = parts['instrumentationkey'];
  if (!key) return undefined;
  return { instrumentationKey: key, ingestionEndpoint: (parts['ingestionendpoint'] || 'https://dc.services.visualstudio.com').replace(/\/+$/, '') };
}

/** The envelope of one trace (what becomes a row of `traces`). */
export function envelopeOf(record: LogRecord, iKey: string, role?: string): Record<string, unknown> {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.dimensions)) if (v !== undefined) properties[k] = String(v);
  properties.source = 'autopilot';
  return {
    name: 'Microsoft.ApplicationInsights.Message',
    time: record.timestamp,
    iKey,
    tags: {
      ...(role ? { 'ai.cloud.role': role } : {}),
      ...(record.dimensions.instanceId ? { 'ai.operation.id': String(record.dimensions.instanceId) } : {}),
    },
    data: { baseType: 'MessageData', baseData: { ver: 2, message: record.message, severityLevel: SEVERITY[record.level], properties } },
  };
}

export interface AppInsightsSink {
  flush(): Promise<void>;
  stop(): Promise<void>;
  readonly failures: number;
}

export function startAppInsightsSink(connectionString: string, options: { role?: string; maxBatch?: number; intervalMs?: number; fetchImpl?: typeof fetch } = {}): AppInsightsSink | undefined {
  const cs = parseConnectionString(connectionString);
  if (!cs) return undefined;
  const doFetch = options.fetchImpl ?? fetch;
  const maxBatch = options.maxBatch ?? 100;
  let queue: Record<string, unknown>[] = [];
  let failures = 0;
  let inflight: Promise<void> = Promise.resolve();
  const send = (batch: Record<string, unknown>[]) =>
    doFetch(`${cs.ingestionEndpoint}/v2.1/track`, { method: 'POST', headers: { 'content-type': 'application/x-json-stream' }, body: batch.map((e) => JSON.stringify(e)).join('\n') })
      .then((r) => {
        if (!r.ok) failures++;
      })
      .catch(() => {
        failures++;
      });
  const flush = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      inflight = inflight.then(() => send(batch));
    }
    await inflight;
  };
  const remove = addLogSink((r) => {
    queue.push(envelopeOf(r, cs.instrumentationKey, options.role));
    if (queue.length >= maxBatch) void flush();
  });
  const timer = setInterval(() => void flush(), options.intervalMs ?? 2000);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      remove();
      await flush();
    },
    get failures() {
      return failures;
    },
  };
}
