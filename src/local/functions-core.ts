/**
 * The `@azure/functions-core` module, as the Azure Functions Node.js worker provides it.
 *
 * In Azure the worker injects this "built-in" module; `@azure/functions` requires it lazily on the first
 * `app.*()` registration (and switches to a silent "test mode" when it is missing). The embedded local host
 * provides this file under that name:
 *  - under jest through `moduleNameMapper` (jest.config.js),
 *  - under plain Node/tsx through `installFunctionsCoreModule()` (a `Module._resolveFilename` hook).
 * It is the one implementation in both cases: it records the registrations, the programming model and the
 * hooks, exactly the surface declared by `types-core/index.d.ts` of azure-functions-nodejs-library.
 *
 * Besides the worker's API it exports `coreState` (read by the local host) and `installFunctionsCoreModule`.
 */
import Module = require('module');

// #region types (a subset of types-core/index.d.ts, the worker <-> library contract)
export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';
export type RpcBindingDirection = 'in' | 'out' | 'inout';

export interface RpcBindingInfo {
  type?: string | null;
  direction?: RpcBindingDirection | null;
  dataType?: string | null;
  properties?: Record<string, string> | null;
  /** The library spreads the trigger/binding options here (route, methods, schedule, authLevel, ...). */
  [option: string]: unknown;
}

export interface RpcDuration {
  seconds?: number | null;
  nanos?: number | null;
}

export interface RpcRetryOptions {
  maxRetryCount?: number | null;
  delayInterval?: RpcDuration | null;
  minimumInterval?: RpcDuration | null;
  maximumInterval?: RpcDuration | null;
  retryStrategy?: 'exponentialBackoff' | 'fixedDelay' | null;
}

export interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: { [name: string]: RpcBindingInfo };
  retryOptions?: RpcRetryOptions;
}

export interface RpcNullableString {
  value?: string | null;
}

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: RpcNullableString | null;
  path?: RpcNullableString | null;
  expires?: { value?: { seconds?: number | null; nanos?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone' | null;
  maxAge?: { value?: number | null } | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: { [k: string]: string } | null;
  body?: RpcTypedData | null;
  params?: { [k: string]: string } | null;
  statusCode?: string | null;
  query?: { [k: string]: string } | null;
  enableContentNegotiation?: boolean | null;
  rawBody?: RpcTypedData | null;
  cookies?: RpcHttpCookie[] | null;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

export interface RpcParameterBinding {
  name?: string | null;
  data?: RpcTypedData | null;
}

export interface RpcInvocationRequest {
  invocationId?: string | null;
  functionId?: string | null;
  inputData?: RpcParameterBinding[] | null;
  triggerMetadata?: { [k: string]: RpcTypedData } | null;
  traceContext?: { traceParent?: string | null; traceState?: string | null; attributes?: Record<string, string> | null } | null;
  retryContext?: { retryCount?: number | null; maxRetryCount?: number | null } | null;
}

export interface RpcInvocationResponse {
  invocationId?: string | null;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedData | null;
}

export interface RpcFunctionMetadata {
  name?: string | null;
  functionId?: string | null;
  bindings?: { [k: string]: RpcBindingInfo } | null;
  retryOptions?: RpcRetryOptions | null;
}

export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: RpcFunctionMetadata;
  state?: InvocationState;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationArguments {
  context: unknown;
  inputs: unknown[];
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface InvocationModel {
  getArguments(): Promise<InvocationArguments>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export type WorkerCapabilities = Record<string, string>;

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel | Promise<InvocationModel>;
  getCapabilities?(defaultCapabilities: WorkerCapabilities): WorkerCapabilities | Promise<WorkerCapabilities>;
}

export type HookData = { [key: string]: unknown };
export type HookCallback = (context: any) => unknown;
export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';
// #endregion

/** Represents a type which can release resources (same contract as the worker's Disposable). */
export class Disposable {
  #callOnDispose: (() => unknown) | undefined;

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  static from(...disposableLikes: Array<{ dispose: () => unknown }>): Disposable {
    return new Disposable(() => {
      for (const d of disposableLikes) d.dispose();
    });
  }

  dispose(): unknown {
    const fn = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return fn ? fn() : undefined;
  }
}

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

/** What the local host reads back: registrations, the programming model, hooks and app-level hook data. */
export interface CoreState {
  /** Keyed by function id (the function name unless `functionId` was given), in registration order. */
  readonly functions: Map<string, RegisteredFunction>;
  programmingModel: ProgrammingModel | undefined;
  readonly hooks: Map<string, HookCallback[]>;
  readonly appHookData: HookData;
  /** Receives `log()` calls made outside an invocation (the host installs its logger here). */
  logSink: ((level: RpcLogLevel, category: RpcLogCategory, message: string) => void) | undefined;
}

export const coreState: CoreState = {
  functions: new Map(),
  programmingModel: undefined,
  hooks: new Map(),
  appHookData: {},
  logSink: undefined,
};

/** The version of "the worker" (this module). */
export const version = '4.0.0-local';

/** The version of "the Functions host" (the embedded local host). */
export const hostVersion = '4.0.0-local';

/**
 * Register a function (called by `@azure/functions` for every `app.*()` / `df.app.*()` registration).
 * The Node worker stores the metadata and callback under the function id and builds the host's raw
 * bindings from them; here the metadata is kept as is.
 */
export function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
  if (!metadata || typeof metadata.name !== 'string' || metadata.name.length === 0) {
    throw new Error('registerFunction: metadata.name must be a non-empty string.');
  }
  const functionId = metadata.functionId || metadata.name;
  for (const existing of coreState.functions.values()) {
    if (existing.metadata.name.toLowerCase() === metadata.name.toLowerCase()) {
      throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    }
  }
  coreState.functions.set(functionId, { metadata, callback });
  return new Disposable(() => {
    coreState.functions.delete(functionId);
  });
}

/** Register a lifecycle hook: preInvocation, postInvocation, appStart, appTerminate or log. */
export function registerHook(hookName: string, callback: HookCallback): Disposable {
  const list = coreState.hooks.get(hookName) ?? [];
  list.push(callback);
  coreState.hooks.set(hookName, list);
  return new Disposable(() => {
    const current = coreState.hooks.get(hookName) ?? [];
    coreState.hooks.set(
      hookName,
      current.filter((h) => h !== callback),
    );
  });
}

/** Only one programming model is kept: the last one set wins (as in the worker). */
export function setProgrammingModel(programmingModel: ProgrammingModel): void {
  coreState.programmingModel = programmingModel;
}

export function getProgrammingModel(): ProgrammingModel | undefined {
  return coreState.programmingModel;
}

/** Log outside an invocation. */
export function log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
  coreState.logSink?.(level, category, message);
}

const CORE_MODULE_NAME = '@azure/functions-core';
const INSTALLED = Symbol.for('redis-private-link-autopilot.functions-core.installed');

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
interface ModuleInternals {
  _resolveFilename: ResolveFilename;
  [INSTALLED]?: string;
}

/**
 * Make `require('@azure/functions-core')` load this file under plain Node or tsx, by hooking module
 * resolution (the worker proxies `Module.prototype.require`; resolving to a real file has the same effect
 * and keeps one module instance in Node's cache). Idempotent. Under jest, `moduleNameMapper` does the same
 * and this hook is never consulted for modules jest loads.
 */
export function installFunctionsCoreModule(): void {
  const internals = Module as unknown as ModuleInternals;
  if (internals[INSTALLED]) return;
  const original = internals._resolveFilename;
  const target = __filename;
  internals._resolveFilename = function resolveFunctionsCore(request, parent, isMain, options) {
    if (request === CORE_MODULE_NAME) return target;
    return original.call(this, request, parent, isMain, options);
  };
  internals[INSTALLED] = target;
}
