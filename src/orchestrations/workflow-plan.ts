/**
 * Dry run is a type, not a flag each workflow must remember to read.
 *
 * Every workflow computes its steps with one code path, then wraps them in a plan of its run mode: a `DryRunPlan`
 * or an `ExecutablePlan`. Only the step executor (`executeSteps`) can reach an ARM write activity, and it accepts
 * an `ExecutablePlan` only (checked by the compiler and again at run time, since plans cross sub-orchestration
 * inputs as JSON). ESLint bans the literal `planFor('execute', ...)` in orchestrators: the mode comes from the
 * input (`runModeOf`) or from an executable plan.
 */
import type { Step } from '../policy/types';
import type { StepRecord } from './common';

export type RunMode = 'dry-run' | 'execute';

/** What a workflow can ask the executor to do. */
export type WorkflowStep = Step;

export interface DryRunPlan {
  readonly mode: 'dry-run';
  readonly steps: WorkflowStep[];
}

export interface ExecutablePlan {
  readonly mode: 'execute';
  readonly steps: WorkflowStep[];
}

export type WorkflowPlan = DryRunPlan | ExecutablePlan;

/** The run mode an orchestration input asks for: a dry run unless it explicitly is not one. */
export function runModeOf(input: { dryRun?: boolean }): RunMode {
  return input.dryRun === false || input.dryRun === undefined ? 'execute' : 'dry-run';
}

export function planFor(mode: 'dry-run', steps: WorkflowStep[]): DryRunPlan;
export function planFor(mode: 'execute', steps: WorkflowStep[]): ExecutablePlan;
export function planFor(mode: RunMode, steps: WorkflowStep[]): WorkflowPlan;
export function planFor(mode: RunMode, steps: WorkflowStep[]): WorkflowPlan {
  return mode === 'execute' ? { mode: 'execute', steps } : { mode: 'dry-run', steps };
}

/** Run-time check of the executor's argument (plans cross sub-orchestration inputs as plain JSON). */
export function assertExecutable(plan: unknown): asserts plan is ExecutablePlan {
  const p = plan as { mode?: unknown; steps?: unknown } | undefined;
  if (!p || p.mode !== 'execute' || !Array.isArray(p.steps)) {
    throw new Error(`DryRunViolation: the step executor only runs an executable plan (got ${p && typeof p === 'object' ? `mode ${String(p.mode)}` : typeof plan}); nothing was written.`);
  }
}

/** The dry run's answer: each step as `planned`, with its reason. */
export function plannedActions(plan: WorkflowPlan, describe: (s: WorkflowStep) => string): StepRecord[] {
  return plan.steps.map((s) => ({ step: describe(s), status: 'planned' as const, detail: s.reason }));
}
