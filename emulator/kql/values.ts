/**
 * Runtime values and their KQL semantics. Values are plain JSON: `null`, strings, numbers, booleans,
 * arrays and objects (`dynamic`). A `string` column is never null in Kusto: an absent string is `""`.
 */
import type { KqlType } from './ast';

export type Value = unknown;

export const isNull = (v: Value): boolean => v === null || v === undefined;

export function isBag(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `tostring()`: null -> "", strings unchanged, numbers and booleans printed, dynamic objects as compact JSON. */
export function toKqlString(v: Value): string {
  if (isNull(v)) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const INT_RE = /^\s*[+-]?\d+\s*$/;
const NUM_RE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** `todouble()` / `toreal()`. */
export function toReal(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && NUM_RE.test(v)) return Number(v);
  return null;
}

/** `tolong()` / `toint()`: integers, truncating reals; null when not convertible. */
export function toLong(v: Value): number | null {
  if (typeof v === 'string' && INT_RE.test(v)) return parseInt(v, 10);
  const r = toReal(v);
  return r === null ? null : Math.trunc(r);
}

/** `tobool()`. */
export function toBool(v: Value): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    const n = toLong(s);
    return n === null ? null : n !== 0;
  }
  return null;
}

/** Converts a value to the representation of a static type (used by typed columns and `int(...)` literals). */
export function coerce(v: Value, type: KqlType): Value {
  switch (type) {
    case 'string':
      return toKqlString(v);
    case 'int':
    case 'long':
      return toLong(v);
    case 'real':
      return toReal(v);
    case 'bool':
      return toBool(v);
    case 'dynamic':
      return v === undefined ? null : v;
  }
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isBag(a)) {
    if (!isBag(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const isTermChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * `has`: the needle matches whole terms of the haystack. A term is a run of ASCII letters and digits; the
 * match must start and end on term boundaries (for the ends of the needle that are term characters).
 */
export function hasTerm(haystack: string, needle: string, caseSensitive: boolean): boolean {
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  if (n.length === 0) return true;
  const startsWithTerm = isTermChar(n[0]);
  const endsWithTerm = isTermChar(n[n.length - 1]);
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const before = startsWithTerm ? !isTermChar(h[i - 1]) : true;
    const after = endsWithTerm ? !isTermChar(h[i + n.length]) : true;
    if (before && after) return true;
  }
  return false;
}

/** `hasprefix` / `hassuffix`: a term of the haystack starts / ends with the needle. */
export function hasAffix(haystack: string, needle: string, prefix: boolean): boolean {
  const terms = haystack.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0);
  const n = needle.toLowerCase();
  return terms.some((t) => (prefix ? t.startsWith(n) : t.endsWith(n)));
}

const typeRank = (v: Value): number => {
  if (isNull(v)) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  return 4;
};

/** Total order for sorting: nulls handled by the caller; numbers numerically; strings ordinally. */
export function compareValues(a: Value, b: Value): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
