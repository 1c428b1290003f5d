/**
 * The one structured logger of the app: triggers, orchestrators (replay-safe) and activities log through it.
 *
 *   const log = loggerFor(context, { cacheId });             // trigger or activity (InvocationContext)
 *   const log = orchestrationLogger(context, { cacheId });   // orchestrator: silent while replaying
 *   log.info('Creating private endpoint', { step: 'create-private-endpoint' });
 *   log.warn('Finding left open', { rule: 'public-access-enabled' });
 *   log.child({ rule }).error('Workflow failed', { outcome: 'failed' });
 *
 * Every record carries its dimensions (cacheId, instanceId, rule, step, ...). They become Application Insights
 * `customDimensions` through the telemetry sink (src/observability/app-insights.ts, on when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set); the Functions log stream still gets one readable line per record
 * through `context.log/warn/error` (with the dimensions appended). Tests capture records with `captureLogs()`.
 */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** Custom dimensions. Well-known keys first; anything else scalar is allowed. */
export interface LogDimensions {
  cacheId?: string;
  instanceId?: string;
  /** Function or orchestrator name. */
  operation?: string;
  /** A finding's rule id. */
  rule?: string;
  /** A plan step kind or a workflow phase. */
  step?: string;
  stepIndex?: number;
  stepTotal?: number;
  /** succeeded | failed | refused | no-change | planned | audited ... */
  outcome?: string;
  [key: string]: string | number | boolean | undefined;
}

export interface LogRecord {
  timestamp: string;
  level: LogLevel;
  message: string;
  dimensions: LogDimensions;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, dimensions?: LogDimensions): void;
  info(message: string, dimensions?: LogDimensions): void;
  warn(message: string, dimensions?: LogDimensions): void;
  error(message: string, dimensions?: LogDimensions): void;
  /** A logger whose records also carry these dimensions. */
  child(dimensions: LogDimensions): Logger;
}

const sinks = new Set<LogSink>();

/** Adds a process-wide sink (telemetry, tests); returns the function that removes it. */
export function addLogSink(sink: LogSink): () => void {
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/** Records every log line until `stop()` (tests). */
export function captureLogs(): { records: LogRecord[]; stop(): void } {
  const records: LogRecord[] = [];
  const stop = addLogSink((r) => records.push(r));
  return { records, stop };
}

function clean(d: LogDimensions): LogDimensions {
  const out: LogDimensions = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** `message | cacheId=... instanceId=...`: the readable line for the Functions log stream. */
export function formatLine(message: string, dimensions: LogDimensions): string {
  const dims = Object.entries(dimensions).map(([k, v]) => `${k}=${v}`);
  return dims.length > 0 ? `${message} | ${dims.join(' ')}` : message;
}

interface TextOutput {
  log(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
  error?(...args: unknown[]): void;
  debug?(...args: unknown[]): void;
}

function make(out: TextOutput | undefined, base: LogDimensions, now: () => string, enabled: () => boolean): Logger {
  const emit = (level: LogLevel, message: string, dimensions?: LogDimensions) => {
    if (!enabled()) return;
    const record: LogRecord = { timestamp: now(), level, message, dimensions: clean({ ...base, ...dimensions }) };
    if (out) {
      const line = formatLine(message, record.dimensions);
      if (level === 'error') (out.error ?? out.log).call(out, line);
      else if (level === 'warning') (out.warn ?? out.log).call(out, line);
      else if (level === 'debug') (out.debug ?? out.log).call(out, line);
      else out.log(line);
    }
    for (const sink of sinks) {
      try {
        sink(record);
      } catch {
        // a sink never breaks the workflow it observes
      }
    }
  };
  return {
    debug: (m, d) => emit('debug', m, d),
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warning', m, d),
    error: (m, d) => emit('error', m, d),
    child: (d) => make(out, { ...base, ...d }, now, enabled),
  };
}

/** The part of `InvocationContext` the logger uses. */
export interface InvocationLike extends TextOutput {
  invocationId?: string;
  functionName?: string;
}

/** For triggers and activities. */
export function loggerFor(context: InvocationLike | undefined, dimensions: LogDimensions = {}): Logger {
  return make(context, { operation: context?.functionName, ...dimensions }, () => new Date().toISOString(), () => true);
}

/** The part of the durable `OrchestrationContext` the logger uses. */
export interface OrchestrationLike extends TextOutput {
  df: { isReplaying: boolean; instanceId: string; currentUtcDateTime: Date };
  functionName?: string;
}

/**
 * For orchestrators: silent while the engine replays (a line is written once, when its code first runs); the
 * timestamp is the orchestration's deterministic time; the instance id is always a dimension.
 */
export function orchestrationLogger(context: OrchestrationLike, dimensions: LogDimensions = {}): Logger {
  return make(
    context,
    { operation: context.functionName, instanceId: context.df.instanceId, ...dimensions },
    () => context.df.currentUtcDateTime.toISOString(),
    () => !context.df.isReplaying,
  );
}

/** For code outside any invocation (the CLI, `npm start`, start-up checks). */
export function processLogger(dimensions: LogDimensions = {}, out?: TextOutput): Logger {
  return make(out, dimensions, () => new Date().toISOString(), () => true);
}
