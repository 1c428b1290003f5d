/**
 * `startLocalHost()`: load the app's registrations through `@azure/functions-core`, then serve them the way
 * the Functions host and the Durable extension do (see docs/local-host.md for what is and is not reproduced).
 */
import './install-core';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { coreState } from '../functions-core';
import { RealClock, VirtualClock, type Clock, type ClockControl } from './clock';
import { durableClientData } from './durable-http';
import { DurableEngine } from './engine';
import { createRequestHandler, type FrontDoorContext } from './front-doors';
import { errorMessage, FunctionInvoker, type InvokeOutcome } from './invoker';
import { FunctionRegistry, type FunctionInfo, type FunctionSummary } from './registry';
import { FileStore, MemoryStore, type DurableStore } from './store';
import { TimerTriggerService } from './timer-triggers';
import { isTerminal, type HistoryEvent, type OrchestrationStatus, type RuntimeStatus } from './types';

export interface LocalHostOptions {
  /** Module that registers the app's functions (default: src/index.ts resolved from the repo root). */
  appModule?: string;
  /** Registers the app's functions instead of `require(appModule)`. */
  load?: () => void;
  /** Directory for durable state; omitted = in memory only. */
  stateDir?: string;
  clock?: 'real' | 'virtual'; // default 'real'
  /** Start time of the virtual clock (default: now). */
  virtualStartTime?: Date | string;
  port?: number; // default 0 (any free port); npm start uses 7071
  maxConcurrentActivities?: number; // default 8
  /** Orchestrator episodes of different instances running at once (default 8). */
  maxConcurrentOrchestrations?: number;
  /** App settings visible to functions as process.env while the host runs (merged into process.env). */
  env?: Record<string, string>;
  /** Timer triggers run on their schedule when true (default true for real clock, false for virtual). */
  enableTimers?: boolean;
  /** Task hub name in the durable client's URLs (default: DURABLE_TASK_HUB or TestHubName). */
  taskHub?: string;
  log?: (line: string) => void; // host log lines (default: nothing)
}

export interface LocalHost {
  readonly url: string; // http://127.0.0.1:PORT (front doors + durable RPC routes)
  stop(): Promise<void>;
  functions(): FunctionSummary[];
  /** Start an orchestration as DurableClient.startNew would (same singleton rule). Returns the instance id. */
  startNew(name: string, options?: { instanceId?: string; input?: unknown }): Promise<string>;
  getStatus(instanceId: string): Promise<OrchestrationStatus | undefined>;
  waitForCompletion(instanceId: string, options?: { timeoutMs?: number }): Promise<OrchestrationStatus>; // Completed/Failed/Terminated
  raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void>;
  terminate(instanceId: string, reason: string): Promise<void>;
  purge(instanceId: string): Promise<void>;
  history(instanceId: string): Promise<HistoryEvent[]>; // order of activities, timers, sub-orchestrations
  listInstances(filter?: { runtimeStatus?: string[] }): Promise<OrchestrationStatus[]>;
  /** Run a non-HTTP function now (as POST /admin/functions/<name>). */
  runFunction(name: string, input?: unknown): Promise<void>;
  /** Resolves when no orchestration is running or pending and no activity is in flight. */
  idle(options?: { timeoutMs?: number }): Promise<void>;
  /** A real durable-functions DurableClient bound to this host. */
  durableClient(): df.DurableClient;
  /** The host's clock (virtual: pause / resume / advance). */
  readonly clock: ClockControl;
}

const DEFAULT_WAIT_MS = 60_000;

function defaultAppModule(): string {
  // src/local/host/local-host.ts -> src/index.ts (dist/src/index.js when compiled)
  return path.resolve(__dirname, '..', '..', 'index');
}

function applyEnv(env: Record<string, string> | undefined): () => void {
  if (!env) return () => undefined;
  const previous = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    previous.set(k, process.env[k]);
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function loadApp(options: LocalHostOptions): void {
  if (options.load) {
    options.load();
    return;
  }
  const modulePath = options.appModule ? path.resolve(options.appModule) : defaultAppModule();
  require(modulePath);
}

async function runHooks(name: string, context: Record<string, unknown>): Promise<void> {
  for (const hook of coreState.hooks.get(name) ?? []) await hook(context);
}

export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const log = options.log ?? ((): void => undefined);
  const restoreEnv = applyEnv(options.env);
  const cleanups: Array<() => void> = [restoreEnv];
  try {
    const logSink: NonNullable<typeof coreState.logSink> = (level, category, message) => {
      if (category === 'user' || level === 'warning' || level === 'error') log(`[worker] ${message}`);
    };
    coreState.logSink = logSink;
    cleanups.push(() => {
      if (coreState.logSink === logSink) coreState.logSink = undefined;
    });
    loadApp(options);
    const model = coreState.programmingModel;
    if (!model) {
      throw new Error(
        'No function was registered through @azure/functions-core. Load the local host (src/local/host) before the app, ' +
          'so that @azure/functions finds the worker module instead of switching to test mode.',
      );
    }
    const capabilities = await model.getCapabilities?.({});
    if (capabilities && 'HttpUri' in capabilities) {
      throw new Error('app.setup({ enableHttpStream: true }) is not supported by the local host: use the default (false).');
    }

    const registry = new FunctionRegistry(coreState);
    TimerTriggerService.validate(registry.all());

    const taskHub = options.taskHub ?? options.env?.DURABLE_TASK_HUB ?? process.env.DURABLE_TASK_HUB ?? 'TestHubName';
    let virtual: VirtualClock | undefined;
    let clock: Clock;
    if (options.clock === 'virtual') {
      const start = options.virtualStartTime !== undefined ? new Date(options.virtualStartTime).getTime() : Date.now();
      if (Number.isNaN(start)) throw new Error(`virtualStartTime is not a valid date: ${String(options.virtualStartTime)}`);
      virtual = new VirtualClock(start);
      clock = virtual;
    } else {
      clock = new RealClock();
    }
    cleanups.push(() => clock.dispose());

    const store: DurableStore = options.stateDir ? new FileStore(options.stateDir) : new MemoryStore();
    cleanups.push(() => store.close());
    if (virtual && options.stateDir) {
      // Resume a persisted virtual timeline where it stopped.
      let latest = virtual.now();
      for (const rec of (store as FileStore).loadAll()) latest = Math.max(latest, Date.parse(rec.lastUpdatedTime));
      virtual.advance(Math.max(0, latest - virtual.now()));
    }

    let origin = '';
    const clientData = (): Record<string, unknown> => durableClientData(origin, taskHub);
    const invoker = new FunctionInvoker(coreState, registry, clientData, log);
    const engine = new DurableEngine({
      registry,
      invoker,
      store,
      clock,
      maxConcurrentActivities: options.maxConcurrentActivities ?? 8,
      maxConcurrentOrchestrations: options.maxConcurrentOrchestrations ?? 8,
      log,
    });

    let inFlight = 0;
    const track = async <T>(work: () => Promise<T>): Promise<T> => {
      inFlight++;
      try {
        return await work();
      } finally {
        inFlight--;
        engine.emit('changed');
        clock.poke();
      }
    };
    virtual?.setBusyProbe(() => inFlight > 0 || engine.isBusy());

    const runNonHttp = (fn: FunctionInfo, input: unknown): Promise<InvokeOutcome> =>
      track(() => {
        const type = fn.triggerType.toLowerCase();
        if (type === 'timertrigger') {
          const now = new Date(clock.now()).toISOString();
          const info = { Schedule: { AdjustForDST: true }, ScheduleStatus: { Last: now, Next: now, LastUpdated: now }, IsPastDue: false };
          return invoker.invokeFunction(fn, { json: JSON.stringify(info) });
        }
        if (type === 'eventgridtrigger') {
          const event = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
          return invoker.invokeFunction(fn, { json: JSON.stringify(event ?? null) });
        }
        if (input === undefined) return invoker.invokeFunction(fn, undefined);
        return invoker.invokeFunction(fn, typeof input === 'string' ? { string: input } : { json: JSON.stringify(input) });
      });

    const waitFor = (instanceId: string, timeoutMs: number, done: (s: RuntimeStatus) => boolean): Promise<OrchestrationStatus> =>
      new Promise((resolve, reject) => {
        const timer = { handle: undefined as NodeJS.Timeout | undefined };
        const finish = (err?: Error): void => {
          engine.off('status', check);
          engine.off('changed', check);
          if (timer.handle) clearTimeout(timer.handle);
          if (err) reject(err);
          else resolve(engine.status(instanceId)!);
        };
        function check(): void {
          const rec = engine.record(instanceId);
          if (!rec) finish(new Error(`No instance with ID '${instanceId}' found.`));
          else if (done(rec.runtimeStatus)) finish();
          else if (engine.stopped) finish(new Error(`The local host stopped while waiting for '${instanceId}' (${rec.runtimeStatus}).`));
        }
        engine.on('status', check);
        engine.on('changed', check);
        timer.handle = setTimeout(() => {
          const rec = engine.record(instanceId);
          finish(new Error(`Timed out after ${timeoutMs} ms waiting for '${instanceId}' (status ${rec?.runtimeStatus ?? 'unknown'}).`));
        }, timeoutMs);
        check();
      });

    const ctx: FrontDoorContext = {
      registry,
      invoker,
      engine,
      taskHub,
      log,
      startedAt: Date.now(),
      track,
      runNonHttp,
      waitForCompletion: async (instanceId, timeoutMs) => {
        await waitFor(instanceId, timeoutMs, isTerminal);
      },
    };
    const server = http.createServer(createRequestHandler(ctx));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    cleanups.push(() => {
      server.close();
      server.closeAllConnections();
    });
    const port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;

    await runHooks('appStart', { hookData: {}, appHookData: coreState.appHookData, functionAppDirectory: process.cwd() });
    engine.start();

    const timers = new TimerTriggerService(clock, async ({ fn, timerInfo }) => {
      const outcome = await track(() => invoker.invokeFunction(fn, { json: JSON.stringify(timerInfo) }));
      if (outcome.error !== undefined) log(`[${fn.name}] error: ${errorMessage(outcome.error)}`);
    });
    if (options.enableTimers ?? clock.mode === 'real') timers.start(registry.all());

    log(`Functions (${clock.mode} clock${options.stateDir ? `, state in ${store.location}` : ''}):`);
    for (const f of registry.summaries()) {
      if (f.trigger === 'httpTrigger') log(`  ${f.name}: [${(f.methods ?? ['ALL']).join(',')}] ${origin}/api/${f.route ?? f.name}`);
      else log(`  ${f.name}: ${f.trigger}${f.schedule ? ` (${f.schedule})` : ''}`);
    }

    let stopped = false;
    const host: LocalHost = {
      url: origin,
      clock: {
        mode: clock.mode,
        now: () => new Date(clock.now()),
        pause: () => virtual?.pause(),
        resume: () => virtual?.resume(),
        advance: (ms: number) => virtual?.advance(ms),
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        timers.stop();
        try {
          await runHooks('appTerminate', { hookData: {}, appHookData: coreState.appHookData });
        } finally {
          await engine.stop();
          for (const c of cleanups.reverse()) c();
        }
      },
      functions: () => registry.summaries(),
      async startNew(name, startOptions = {}) {
        return engine.startNew(name, {
          instanceId: startOptions.instanceId,
          inputJson: startOptions.input === undefined ? null : JSON.stringify(startOptions.input),
        });
      },
      async getStatus(instanceId) {
        return engine.status(instanceId);
      },
      waitForCompletion(instanceId, waitOptions = {}) {
        return waitFor(instanceId, waitOptions.timeoutMs ?? DEFAULT_WAIT_MS, isTerminal);
      },
      async raiseEvent(instanceId, eventName, data) {
        engine.raiseEvent(instanceId, eventName, data === undefined ? null : JSON.stringify(data));
      },
      async terminate(instanceId, reason) {
        engine.terminate(instanceId, reason);
        await waitFor(instanceId, DEFAULT_WAIT_MS, isTerminal);
      },
      async purge(instanceId) {
        engine.purge(instanceId);
      },
      async history(instanceId) {
        const rec = engine.record(instanceId);
        if (!rec) throw new Error(`No instance with ID '${instanceId}' found.`);
        return rec.history.map((e) => ({ ...e }));
      },
      async listInstances(filter = {}) {
        const wanted = filter.runtimeStatus?.map((s) => s.toLowerCase());
        return engine
          .records()
          .filter((r) => !wanted || wanted.includes(r.runtimeStatus.toLowerCase()))
          .map((r) => engine.status(r.instanceId)!);
      },
      async runFunction(name, input) {
        const fn = registry.get(name);
        if (!fn) throw new Error(`The function '${name}' doesn't exist.`);
        if (['httptrigger', 'orchestrationtrigger', 'activitytrigger', 'entitytrigger'].includes(fn.triggerType.toLowerCase())) {
          throw new Error(`Function '${fn.name}' has a ${fn.triggerType}: runFunction runs non-HTTP, non-durable functions.`);
        }
        const outcome = await runNonHttp(fn, input);
        if (outcome.error !== undefined) throw outcome.error;
      },
      idle(idleOptions = {}) {
        const timeoutMs = idleOptions.timeoutMs ?? DEFAULT_WAIT_MS;
        return new Promise<void>((resolve, reject) => {
          const isIdle = (): boolean => inFlight === 0 && engine.isIdle();
          const timer = { handle: undefined as NodeJS.Timeout | undefined };
          const finish = (err?: Error): void => {
            engine.off('changed', check);
            if (timer.handle) clearTimeout(timer.handle);
            if (err) reject(err);
            else resolve();
          };
          function check(): void {
            if (isIdle()) finish();
          }
          engine.on('changed', check);
          timer.handle = setTimeout(() => {
            const busy = engine
              .records()
              .filter((r) => ['Pending', 'Running', 'ContinuedAsNew'].includes(r.runtimeStatus))
              .map((r) => `${r.instanceId} (${r.name}, ${r.runtimeStatus})`);
            finish(new Error(`Timed out after ${timeoutMs} ms waiting for the host to be idle; running: ${busy.join(', ') || 'none'}`));
          }, timeoutMs);
          check();
        });
      },
      durableClient() {
        const input = df.input.durableClient();
        const context = new InvocationContext({ functionName: 'local-host-client', options: { extraInputs: [input] } });
        context.extraInputs.set(input, clientData());
        return df.getClient(context);
      },
    };
    return host;
  } catch (e) {
    for (const c of cleanups.reverse()) {
      try {
        c();
      } catch {
        // best effort
      }
    }
    throw e;
  }
}
