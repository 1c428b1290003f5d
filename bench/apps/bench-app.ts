/**
 * A small app in the product's shape (v4 programming model + durable-functions v3) for the host benchmarks,
 * registered through the local host's `load` option (registrations are process-wide: register once).
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

export const BenchFunctions = {
  threeSteps: 'BenchThreeStepsOrchestrator',
  fanOut: 'BenchFanOutOrchestrator',
  step: 'benchStep',
} as const;

let registered = false;

export function registerBenchApp(): void {
  if (registered) return;
  registered = true;

  /** One small unit of work: a lookup and a transformation, as an activity that reads state would do. */
  df.app.activity(BenchFunctions.step, {
    handler: (input: { value: number; step: number }) => ({ value: input.value * 2 + input.step, step: input.step + 1 }),
  });

  /** Three activities in sequence, each taking the previous result. */
  df.app.orchestration(BenchFunctions.threeSteps, function* (context: OrchestrationContext) {
    let state = { value: context.df.getInput<number>() ?? 0, step: 0 };
    for (let i = 0; i < 3; i++) state = yield context.df.callActivity(BenchFunctions.step, state);
    return state.value;
  });

  /** `n` activities at once, then the sum of their results. */
  df.app.orchestration(BenchFunctions.fanOut, function* (context: OrchestrationContext) {
    const n = context.df.getInput<number>() ?? 0;
    const results: Array<{ value: number }> = yield context.df.Task.all(
      Array.from({ length: n }, (_, i) => context.df.callActivity(BenchFunctions.step, { value: i, step: 0 })),
    );
    return results.reduce((sum, r) => sum + r.value, 0);
  });
}

/** What BenchThreeSteps returns for input x: ((2x)*2+1)*2+2. */
export const threeStepsResult = (x: number): number => ((2 * x) * 2 + 1) * 2 + 2;

/** What BenchFanOut returns for n: sum of 2i for i < n. */
export const fanOutResult = (n: number): number => n * (n - 1);
