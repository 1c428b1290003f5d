/**
 * A read view over the registrations captured by `@azure/functions-core` (src/local/functions-core.ts).
 * Function names are matched case-insensitively, as the Functions host and the Durable extension do.
 */
import type { CoreState, FunctionCallback, FunctionMetadata, RpcBindingInfo } from '../functions-core';

export interface FunctionInfo {
  name: string;
  functionId: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  triggerBindingName: string;
  trigger: RpcBindingInfo;
  /** Trigger type, e.g. `httpTrigger`, `orchestrationTrigger`, `activityTrigger`, `timerTrigger`. */
  triggerType: string;
}

/** Public summary of a registered function (LocalHost.functions()). */
export interface FunctionSummary {
  name: string;
  trigger: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  schedule?: string;
}

export class FunctionRegistry {
  readonly #core: CoreState;

  constructor(core: CoreState) {
    this.#core = core;
  }

  all(): FunctionInfo[] {
    const out: FunctionInfo[] = [];
    for (const [functionId, reg] of this.#core.functions) {
      const entry = Object.entries(reg.metadata.bindings).find(
        ([, b]) => b.direction === 'in' && typeof b.type === 'string' && /trigger$/i.test(b.type),
      );
      if (!entry) continue;
      const [triggerBindingName, trigger] = entry;
      out.push({
        name: reg.metadata.name,
        functionId,
        metadata: reg.metadata,
        callback: reg.callback,
        triggerBindingName,
        trigger,
        triggerType: String(trigger.type),
      });
    }
    return out;
  }

  get(name: string): FunctionInfo | undefined {
    const lower = name.toLowerCase();
    return this.all().find((f) => f.name.toLowerCase() === lower);
  }

  /** The function if it exists with this trigger type (case-insensitive), else undefined. */
  getWithTrigger(name: string, triggerType: string): FunctionInfo | undefined {
    const f = this.get(name);
    return f && f.triggerType.toLowerCase() === triggerType.toLowerCase() ? f : undefined;
  }

  summaries(): FunctionSummary[] {
    return this.all().map((f) => {
      const s: FunctionSummary = { name: f.name, trigger: f.triggerType };
      const t = f.trigger;
      if (f.triggerType === 'httpTrigger') {
        s.route = typeof t.route === 'string' && t.route.length > 0 ? t.route : f.name;
        if (Array.isArray(t.methods)) s.methods = (t.methods as string[]).map((m) => m.toUpperCase());
        s.authLevel = typeof t.authLevel === 'string' ? t.authLevel : 'function';
      }
      if (f.triggerType === 'timerTrigger' && typeof t.schedule === 'string') s.schedule = t.schedule;
      return s;
    });
  }
}
