/**
 * Clocks of the local host.
 *
 * - `RealClock`: wall-clock time; timers are `setTimeout`s (chunked, since Node caps a delay at ~24.8 days).
 * - `VirtualClock`: time stands still while the host has work; when nothing is runnable it jumps to the next
 *   due timer, so durable timers, retry back-off and timer-trigger schedules take no wall time in tests.
 *   Between jumps it yields to the event loop, so HTTP requests and test code keep running.
 */

export type ClockMode = 'real' | 'virtual';

export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  readonly mode: ClockMode;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `callback` once the clock reaches `at` (ms since the epoch). */
  schedule(at: number, callback: () => void): ClockTimer;
  /** Tell the clock that the host's work changed (a virtual clock may advance when the host is idle). */
  poke(): void;
  dispose(): void;
}

/** Control surface of the virtual clock (for tests that race external events against timers). */
export interface ClockControl {
  readonly mode: ClockMode;
  now(): Date;
  /** Virtual clock: stop jumping to the next timer until `resume()`. No effect on a real clock. */
  pause(): void;
  resume(): void;
  /** Virtual clock: move time forward by `ms`, firing the timers that become due. */
  advance(ms: number): void;
}

const MAX_TIMEOUT_MS = 2_147_000_000;

export class RealClock implements Clock {
  readonly mode = 'real' as const;
  readonly #handles = new Set<NodeJS.Timeout>();
  #disposed = false;

  now(): number {
    return Date.now();
  }

  schedule(at: number, callback: () => void): ClockTimer {
    let handle: NodeJS.Timeout | undefined;
    let canceled = false;
    const arm = (): void => {
      if (canceled || this.#disposed) return;
      const delay = Math.max(0, at - Date.now());
      handle = setTimeout(
        () => {
          if (handle) this.#handles.delete(handle);
          if (canceled || this.#disposed) return;
          if (Date.now() < at) arm();
          else callback();
        },
        Math.min(delay, MAX_TIMEOUT_MS),
      );
      this.#handles.add(handle);
    };
    arm();
    return {
      cancel: () => {
        canceled = true;
        if (handle) {
          clearTimeout(handle);
          this.#handles.delete(handle);
        }
      },
    };
  }

  poke(): void {
    // Wall-clock timers fire on their own.
  }

  dispose(): void {
    this.#disposed = true;
    for (const h of this.#handles) clearTimeout(h);
    this.#handles.clear();
  }
}

interface VirtualEntry {
  at: number;
  seq: number;
  callback: () => void;
  canceled: boolean;
}

/** Binary min-heap on (at, seq). */
class TimerHeap {
  readonly #items: VirtualEntry[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(e: VirtualEntry): void {
    const a = this.#items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): VirtualEntry | undefined {
    return this.#items[0];
  }

  pop(): VirtualEntry | undefined {
    const a = this.#items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }
}

function less(a: VirtualEntry, b: VirtualEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  #now: number;
  #seq = 0;
  readonly #heap = new TimerHeap();
  #busy: () => boolean = () => false;
  #checkScheduled = false;
  #paused = false;
  #disposed = false;
  readonly #onAdvance: ((now: number) => void) | undefined;

  constructor(start: number, onAdvance?: (now: number) => void) {
    this.#now = start;
    this.#onAdvance = onAdvance;
  }

  /** The host tells the clock how to know whether it still has runnable work. */
  setBusyProbe(probe: () => boolean): void {
    this.#busy = probe;
  }

  now(): number {
    return this.#now;
  }

  schedule(at: number, callback: () => void): ClockTimer {
    const entry: VirtualEntry = { at, seq: this.#seq++, callback, canceled: false };
    this.#heap.push(entry);
    this.poke();
    return {
      cancel: () => {
        entry.canceled = true;
      },
    };
  }

  poke(): void {
    if (this.#checkScheduled || this.#disposed) return;
    this.#checkScheduled = true;
    setImmediate(() => {
      this.#checkScheduled = false;
      this.#check();
    });
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.poke();
  }

  /** Move time forward by `ms` and fire what became due. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('advance: ms must be >= 0');
    this.#setNow(this.#now + ms);
    this.#fireDue();
    this.poke();
  }

  dispose(): void {
    this.#disposed = true;
    this.#heap.clear();
  }

  #setNow(t: number): void {
    if (t > this.#now) {
      this.#now = t;
      this.#onAdvance?.(t);
    }
  }

  #fireDue(): boolean {
    let fired = false;
    for (;;) {
      const top = this.#heap.peek();
      if (!top || top.at > this.#now) break;
      this.#heap.pop();
      if (top.canceled) continue;
      fired = true;
      top.callback();
    }
    return fired;
  }

  #check(): void {
    if (this.#disposed) return;
    if (this.#fireDue()) {
      this.poke();
      return;
    }
    if (this.#paused || this.#busy()) return;
    // Skip canceled entries, then jump to the next due timer.
    for (;;) {
      const top = this.#heap.peek();
      if (!top) return;
      if (top.canceled) {
        this.#heap.pop();
        continue;
      }
      this.#setNow(top.at);
      break;
    }
    this.#fireDue();
    this.poke();
  }
}
