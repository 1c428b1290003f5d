/**
 * Invokes a registered function the way the Node worker does (InvocationHandler.ts of
 * azure-functions-nodejs-worker), minus gRPC: build a CoreInvocationContext with RPC-shaped input data,
 * then `programmingModel.getInvocationModel()` -> `getArguments()` -> preInvocation hooks ->
 * `invokeFunction()` -> postInvocation hooks -> `getResponse()`.
 */
import * as crypto from 'node:crypto';
import type {
  CoreInvocationContext,
  CoreState,
  HookCallback,
  InvocationState,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from '../functions-core';
import type { FunctionInfo, FunctionRegistry } from './registry';

export interface InvokeOptions {
  triggerMetadata?: Record<string, RpcTypedData>;
}

export interface InvokeOutcome {
  invocationId: string;
  /** The function (or a hook) threw: the invocation failed. */
  error?: unknown;
  /** What the worker would send back to the host. */
  response?: RpcInvocationResponse;
  /** The handler's return value (after postInvocation hooks). */
  result?: unknown;
}

export type LogLine = (line: string) => void;

/** Data of the durable client binding (what the Durable extension gives a `durableClient` input). */
export type DurableClientData = Record<string, unknown>;

export class FunctionInvoker {
  readonly #core: CoreState;
  readonly #registry: FunctionRegistry;
  readonly #clientData: () => DurableClientData;
  readonly #log: LogLine;

  constructor(core: CoreState, registry: FunctionRegistry, clientData: () => DurableClientData, log: LogLine) {
    this.#core = core;
    this.#registry = registry;
    this.#clientData = clientData;
    this.#log = log;
  }

  async invoke(functionName: string, triggerData: RpcTypedData | undefined, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    const fn = this.#registry.get(functionName);
    if (!fn) {
      throw new Error(`Function code for '${functionName}' is not loaded and cannot be invoked.`);
    }
    return this.invokeFunction(fn, triggerData, options);
  }

  async invokeFunction(fn: FunctionInfo, triggerData: RpcTypedData | undefined, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    const model = this.#core.programmingModel;
    if (!model) {
      throw new Error('No programming model was registered: @azure/functions was not loaded through the local host.');
    }
    const invocationId = crypto.randomUUID();
    const inputData: RpcParameterBinding[] = [];
    for (const [bindingName, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== 'in') continue;
      if (bindingName === fn.triggerBindingName) {
        inputData.push(triggerData === undefined ? { name: bindingName } : { name: bindingName, data: triggerData });
      } else if (binding.type === 'durableClient' || binding.type === 'orchestrationClient') {
        inputData.push({ name: bindingName, data: { string: JSON.stringify(this.#clientData()) } });
      }
      // Other input bindings (blob, table, ...) are not provided by the local host.
    }

    const log = this.#log;
    const logHooks = (): HookCallback[] => this.#core.hooks.get('log') ?? [];
    const appHookData = this.#core.appHookData;
    const current: { context?: unknown } = {};
    const coreCtx: CoreInvocationContext & { state?: InvocationState } = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.functionId,
        inputData,
        triggerMetadata: options.triggerMetadata ?? {},
      },
      metadata: {
        name: fn.name,
        functionId: fn.functionId,
        bindings: fn.metadata.bindings,
        retryOptions: fn.metadata.retryOptions ?? null,
      },
      state: undefined,
      log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
        let finalLevel = level;
        let finalMessage = message;
        if (category === 'user') {
          for (const hook of logHooks()) {
            const ctx = { hookData: {}, appHookData, invocationContext: current.context, category, level: finalLevel, message: finalMessage };
            hook(ctx);
            finalLevel = ctx.level;
            finalMessage = ctx.message;
          }
        }
        if (category === 'user' || finalLevel === 'warning' || finalLevel === 'error' || finalLevel === 'critical') {
          log(`[${fn.name}] ${finalLevel === 'information' ? '' : `${finalLevel}: `}${finalMessage}`);
        }
      },
    };

    const invocationModel = await model.getInvocationModel(coreCtx);
    const args = await invocationModel.getArguments();
    current.context = args.context;
    const hookData: Record<string, unknown> = {};

    const pre = {
      hookData,
      appHookData,
      invocationContext: args.context,
      functionCallback: fn.callback,
      inputs: args.inputs,
    };
    try {
      coreCtx.state = 'preInvocationHooks';
      for (const hook of this.#core.hooks.get('preInvocation') ?? []) await hook(pre);
    } catch (error) {
      return { invocationId, error };
    } finally {
      coreCtx.state = undefined;
    }

    const post = {
      hookData,
      appHookData,
      invocationContext: args.context,
      inputs: pre.inputs,
      result: null as unknown,
      error: null as unknown,
    };
    coreCtx.state = 'invocation';
    try {
      post.result = await invocationModel.invokeFunction(args.context, pre.inputs, pre.functionCallback);
    } catch (error) {
      post.error = error ?? new Error('The function threw a null or undefined value.');
    } finally {
      coreCtx.state = undefined;
    }

    try {
      coreCtx.state = 'postInvocationHooks';
      for (const hook of this.#core.hooks.get('postInvocation') ?? []) await hook(post);
    } catch (error) {
      return { invocationId, error };
    } finally {
      coreCtx.state = undefined;
    }

    if (post.error !== null && post.error !== undefined) return { invocationId, error: post.error };
    try {
      const response = await invocationModel.getResponse(args.context, post.result);
      return { invocationId, response, result: post.result };
    } catch (error) {
      return { invocationId, error };
    }
  }
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** RpcTypedData produced by an activity -> JSON text, as stored in TaskCompleted.Result. */
export function typedDataToJsonText(data: RpcTypedData | null | undefined): string {
  if (data === null || data === undefined) return 'null';
  if (typeof data.json === 'string') return data.json;
  if (typeof data.string === 'string') return JSON.stringify(data.string);
  if (typeof data.int === 'number') return String(data.int);
  if (typeof data.double === 'number') return Number.isFinite(data.double) ? String(data.double) : 'null';
  if (data.bytes) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}
