/**
 * Scalar and aggregation functions of the subset. Function names are case-sensitive, as in Kusto.
 * Any other name is an `UnknownFunction` error at bind time (before a single row is read).
 */
import type { KqlType } from './ast';
import {
  coerce, deepEqual, isBag, isNull, toBool, toKqlString, toLong, toReal, type Value,
} from './values';

export interface ScalarFunction {
  minArgs: number;
  maxArgs: number;
  /** Result type from the argument types. */
  returns(argTypes: KqlType[]): KqlType;
  /**
   * Evaluates the function. Arguments are thunks so `iff`/`coalesce` only evaluate what they need.
   */
  invoke(args: Array<() => Value>, argTypes: KqlType[]): Value;
  /** Whether the output column keeps the name of the first argument (`tostring(properties.a)` -> `properties_a`). */
  keepsName?: boolean;
}

const fixed = (t: KqlType) => () => t;

/** The string form of a value of a given static type (strings are never null). */
const str = (v: Value): string => toKqlString(v);

function parseJson(v: Value): Value {
  if (typeof v !== 'string') return isNull(v) ? null : v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  tostring: { minArgs: 1, maxArgs: 1, returns: fixed('string'), invoke: ([a]) => str(a()), keepsName: true },
  toint: { minArgs: 1, maxArgs: 1, returns: fixed('int'), invoke: ([a]) => toLong(a()), keepsName: true },
  tolong: { minArgs: 1, maxArgs: 1, returns: fixed('long'), invoke: ([a]) => toLong(a()), keepsName: true },
  todouble: { minArgs: 1, maxArgs: 1, returns: fixed('real'), invoke: ([a]) => toReal(a()), keepsName: true },
  toreal: { minArgs: 1, maxArgs: 1, returns: fixed('real'), invoke: ([a]) => toReal(a()), keepsName: true },
  tobool: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => toBool(a()), keepsName: true },
  toboolean: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => toBool(a()), keepsName: true },
  todynamic: { minArgs: 1, maxArgs: 1, returns: fixed('dynamic'), invoke: ([a]) => parseJson(a()), keepsName: true },
  parse_json: { minArgs: 1, maxArgs: 1, returns: fixed('dynamic'), invoke: ([a]) => parseJson(a()), keepsName: true },
  tolower: { minArgs: 1, maxArgs: 1, returns: fixed('string'), invoke: ([a]) => str(a()).toLowerCase() },
  toupper: { minArgs: 1, maxArgs: 1, returns: fixed('string'), invoke: ([a]) => str(a()).toUpperCase() },
  strlen: { minArgs: 1, maxArgs: 1, returns: fixed('long'), invoke: ([a]) => str(a()).length },
  strcat: { minArgs: 1, maxArgs: 64, returns: fixed('string'), invoke: (args) => args.map((a) => str(a())).join('') },
  substring: {
    minArgs: 2,
    maxArgs: 3,
    returns: fixed('string'),
    invoke: ([s, start, len]) => {
      const text = str(s());
      const from = Math.max(0, toLong(start()) ?? 0);
      const n = len ? toLong(len()) : null;
      return n === null ? text.slice(from) : text.slice(from, from + Math.max(0, n));
    },
  },
  split: {
    minArgs: 2,
    maxArgs: 3,
    returns: fixed('dynamic'),
    invoke: ([s, d, idx]) => {
      const parts = str(s()).split(str(d()));
      if (!idx) return parts;
      const i = toLong(idx());
      return i === null || i < 0 || i >= parts.length ? [] : [parts[i]];
    },
  },
  indexof: {
    minArgs: 2,
    maxArgs: 3,
    returns: fixed('long'),
    invoke: ([s, lookup, start]) => {
      const text = str(s());
      const from = start ? (toLong(start()) ?? 0) : 0;
      if (from < 0 || from > text.length) return -1;
      return text.indexOf(str(lookup()), from);
    },
  },
  replace_string: {
    minArgs: 3,
    maxArgs: 3,
    returns: fixed('string'),
    invoke: ([s, lookup, rewrite]) => {
      const needle = str(lookup());
      const text = str(s());
      return needle === '' ? text : text.split(needle).join(str(rewrite()));
    },
  },
  extract: {
    minArgs: 3,
    maxArgs: 3,
    returns: fixed('string'),
    invoke: ([re, group, s]) => {
      let pattern: RegExp;
      try {
        pattern = new RegExp(str(re()));
      } catch {
        return '';
      }
      const m = pattern.exec(str(s()));
      const g = toLong(group()) ?? 0;
      return m && m[g] !== undefined ? m[g] : '';
    },
  },
  isempty: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => { const v = a(); return isNull(v) || v === ''; } },
  isnotempty: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => { const v = a(); return !(isNull(v) || v === ''); } },
  isnull: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => isNull(a()) },
  isnotnull: { minArgs: 1, maxArgs: 1, returns: fixed('bool'), invoke: ([a]) => !isNull(a()) },
  not: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('bool'),
    invoke: ([a]) => {
      const v = toBool(a());
      return v === null ? null : !v;
    },
  },
  array_length: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('long'),
    invoke: ([a]) => {
      const v = a();
      return Array.isArray(v) ? v.length : null;
    },
  },
  bag_keys: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('dynamic'),
    invoke: ([a]) => {
      const v = a();
      return isBag(v) ? Object.keys(v) : null;
    },
  },
  array_index_of: {
    minArgs: 2,
    maxArgs: 2,
    returns: fixed('long'),
    invoke: ([a, b]) => {
      const arr = a();
      if (!Array.isArray(arr)) return null;
      const needle = b();
      return arr.findIndex((x) => deepEqual(x, needle));
    },
  },
  iff: {
    minArgs: 3,
    maxArgs: 3,
    returns: (t) => (t[1] === t[2] ? t[1] : 'dynamic'),
    invoke: ([c, a, b]) => (toBool(c()) === true ? a() : b()),
  },
  coalesce: {
    minArgs: 1,
    maxArgs: 64,
    returns: (t) => (t.every((x) => x === t[0]) ? t[0] : 'dynamic'),
    invoke: (args, types) => {
      for (let i = 0; i < args.length; i++) {
        const v = args[i]();
        if (!isNull(v) && !(types[i] === 'string' && v === '')) return v;
      }
      return types[0] === 'string' ? '' : null;
    },
  },
  typeof: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('string'),
    invoke: ([a], [t]) => {
      const v = a();
      if (t !== 'dynamic') return t;
      if (isNull(v)) return 'null';
      if (Array.isArray(v)) return 'array';
      if (isBag(v)) return 'dictionary';
      if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
      if (typeof v === 'boolean') return 'bool';
      return 'string';
    },
  },
};
// iif is an alias of iff.
SCALAR_FUNCTIONS.iif = SCALAR_FUNCTIONS.iff;

/** A running aggregation for one group. */
export interface Accumulator {
  add(args: Value[]): void;
  result(): Value;
}

export interface AggregateFunction {
  minArgs: number;
  maxArgs: number;
  returns(argTypes: KqlType[]): KqlType;
  create(argTypes: KqlType[]): Accumulator;
  /** Default output column name, from the derived name of the first argument (may be undefined). */
  defaultName(argName: string | undefined): string;
}

const numericResult = (t: KqlType[]): KqlType => (t[0] === 'int' || t[0] === 'long' ? 'long' : 'real');

export const AGGREGATE_FUNCTIONS: Record<string, AggregateFunction> = {
  count: {
    minArgs: 0,
    maxArgs: 0,
    returns: fixed('long'),
    defaultName: () => 'count_',
    create: () => {
      let n = 0;
      return { add: () => void n++, result: () => n };
    },
  },
  countif: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('long'),
    defaultName: () => 'countif_',
    create: () => {
      let n = 0;
      return { add: ([p]) => void (toBool(p) === true && n++), result: () => n };
    },
  },
  dcount: {
    minArgs: 1,
    maxArgs: 2,
    returns: fixed('long'),
    defaultName: (a) => `dcount_${a ?? ''}`,
    create: () => {
      const seen = new Set<string>();
      return { add: ([v]) => void (!isNull(v) && seen.add(JSON.stringify(v))), result: () => seen.size };
    },
  },
  sum: {
    minArgs: 1,
    maxArgs: 1,
    returns: numericResult,
    defaultName: (a) => `sum_${a ?? ''}`,
    create: () => {
      let s = 0;
      return { add: ([v]) => void (s += toReal(v) ?? 0), result: () => s };
    },
  },
  avg: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('real'),
    defaultName: (a) => `avg_${a ?? ''}`,
    create: () => {
      let s = 0;
      let n = 0;
      return {
        add: ([v]) => {
          const r = toReal(v);
          if (r !== null) {
            s += r;
            n++;
          }
        },
        result: () => (n === 0 ? null : s / n),
      };
    },
  },
  min: {
    minArgs: 1,
    maxArgs: 1,
    returns: (t) => t[0],
    defaultName: (a) => `min_${a ?? ''}`,
    create: (t) => extreme(t[0], -1),
  },
  max: {
    minArgs: 1,
    maxArgs: 1,
    returns: (t) => t[0],
    defaultName: (a) => `max_${a ?? ''}`,
    create: (t) => extreme(t[0], 1),
  },
  make_list: {
    minArgs: 1,
    maxArgs: 2,
    returns: fixed('dynamic'),
    defaultName: (a) => `list_${a ?? ''}`,
    create: () => {
      const out: Value[] = [];
      return { add: ([v]) => void (!isNull(v) && out.push(v)), result: () => out };
    },
  },
  make_set: {
    minArgs: 1,
    maxArgs: 2,
    returns: fixed('dynamic'),
    defaultName: (a) => `set_${a ?? ''}`,
    create: () => {
      const out: Value[] = [];
      return {
        add: ([v]) => {
          if (!isNull(v) && !out.some((x) => deepEqual(x, v))) out.push(v);
        },
        result: () => out,
      };
    },
  },
  take_any: {
    minArgs: 1,
    maxArgs: 1,
    returns: (t) => t[0],
    defaultName: (a) => `any_${a ?? ''}`,
    create: (t) => {
      let has = false;
      let value: Value = coerce(null, t[0]);
      return {
        add: ([v]) => {
          if (!has) {
            has = true;
            value = v;
          }
        },
        result: () => value,
      };
    },
  },
};
AGGREGATE_FUNCTIONS.any = AGGREGATE_FUNCTIONS.take_any;

function extreme(type: KqlType, sign: 1 | -1): Accumulator {
  let best: Value = null;
  return {
    add: ([v]) => {
      if (isNull(v) || (type === 'string' && v === '')) return;
      if (best === null) {
        best = v;
        return;
      }
      const cmp =
        typeof v === 'number' && typeof best === 'number'
          ? v - best
          : str(v) < str(best) ? -1 : str(v) > str(best) ? 1 : 0;
      if (cmp * sign > 0) best = v;
    },
    result: () => (best === null ? coerce(null, type) : best),
  };
}
