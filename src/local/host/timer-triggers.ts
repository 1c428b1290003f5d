/**
 * Timer triggers on their NCRONTAB schedule (6 fields, with seconds, evaluated in UTC like the Functions host
 * without WEBSITE_TIME_ZONE), or a TimeSpan `hh:mm:ss` interval. `%Setting%` schedules are read from the
 * environment. Parsing is cron-parser's. An occurrence that comes while the previous run is still going is
 * skipped (timer functions are singletons in the Functions host).
 */
import { CronExpressionParser } from 'cron-parser';
import type { Clock, ClockTimer } from './clock';
import type { FunctionInfo } from './registry';

export interface Schedule {
  expression: string;
  /** First occurrence strictly after `after` (ms since the epoch). */
  next(after: number): number;
}

/** Parse a timer trigger schedule; throws with the host's message when it is not valid. */
export function parseSchedule(raw: string, env: NodeJS.ProcessEnv = process.env): Schedule {
  let expression = raw.trim();
  const setting = /^%(.+)%$/.exec(expression);
  if (setting) {
    const value = env[setting[1]!];
    if (value === undefined) throw new Error(`The timer schedule refers to the app setting '${setting[1]}', which is not set.`);
    expression = value.trim();
  }
  const invalid = new Error(`The schedule expression '${expression}' was not recognized as a valid cron expression or timespan string.`);
  const span = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expression);
  if (span) {
    const ms = (((Number(span[1] ?? 0) * 24 + Number(span[2])) * 60 + Number(span[3])) * 60 + Number(span[4])) * 1000;
    if (ms <= 0) throw invalid;
    return { expression, next: (after) => after + ms };
  }
  if (expression.split(/\s+/).length !== 6) throw invalid;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: new Date(0) }).next();
  } catch {
    throw invalid;
  }
  return {
    expression,
    next(after: number): number {
      return CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: new Date(after) }).next().getTime();
    },
  };
}

export interface TimerInvocation {
  fn: FunctionInfo;
  /** The TimerInfo the host passes (PascalCase; the library camel-cases it). */
  timerInfo: {
    Schedule: { AdjustForDST: boolean };
    ScheduleStatus: { Last: string; Next: string; LastUpdated: string };
    IsPastDue: boolean;
  };
}

export class TimerTriggerService {
  readonly #clock: Clock;
  readonly #run: (invocation: TimerInvocation) => Promise<void>;
  readonly #timers = new Map<string, ClockTimer>();
  #stopped = false;

  constructor(clock: Clock, run: (invocation: TimerInvocation) => Promise<void>) {
    this.#clock = clock;
    this.#run = run;
  }

  /** Validate every timer function's schedule (throws on the first invalid one). */
  static validate(functions: FunctionInfo[]): void {
    for (const fn of functions) {
      if (fn.triggerType !== 'timerTrigger') continue;
      try {
        parseSchedule(String(fn.trigger.schedule ?? ''));
      } catch (e) {
        throw new Error(`Function '${fn.name}': ${(e as Error).message}`);
      }
    }
  }

  start(functions: FunctionInfo[]): void {
    for (const fn of functions) {
      if (fn.triggerType !== 'timerTrigger') continue;
      const schedule = parseSchedule(String(fn.trigger.schedule ?? ''));
      const state = { last: this.#clock.now(), running: false };
      const arm = (after: number): void => {
        if (this.#stopped) return;
        const at = schedule.next(after);
        this.#timers.set(
          fn.name,
          this.#clock.schedule(at, () => {
            if (this.#stopped) return;
            const next = schedule.next(at);
            arm(at);
            if (state.running) return;
            state.running = true;
            const nowIso = new Date(this.#clock.now()).toISOString();
            void this.#run({
              fn,
              timerInfo: {
                Schedule: { AdjustForDST: true },
                ScheduleStatus: { Last: new Date(state.last).toISOString(), Next: new Date(next).toISOString(), LastUpdated: nowIso },
                IsPastDue: this.#clock.now() - at > 1000 * 60,
              },
            }).finally(() => {
              state.running = false;
              state.last = at;
            });
          }),
        );
      };
      if (fn.trigger.runOnStartup === true) {
        const now = this.#clock.now();
        state.running = true;
        void this.#run({
          fn,
          timerInfo: {
            Schedule: { AdjustForDST: true },
            ScheduleStatus: {
              Last: new Date(now).toISOString(),
              Next: new Date(schedule.next(now)).toISOString(),
              LastUpdated: new Date(now).toISOString(),
            },
            IsPastDue: false,
          },
        }).finally(() => {
          state.running = false;
        });
      }
      arm(this.#clock.now());
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
  }
}
