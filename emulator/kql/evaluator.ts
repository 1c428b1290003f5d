/**
 * Binds a parsed query to the tables of a catalog (semantic checks: tables, columns, functions, types) and
 * evaluates it. Binding covers the whole pipeline before any row is read, so an invalid query fails the
 * same way whatever the data.
 */
import type { ComparisonOp, Expr, KqlType, NamedExpr, Operator, Pos, Query, SortKey } from './ast';
import { KqlError } from './errors';
import { AGGREGATE_FUNCTIONS, SCALAR_FUNCTIONS, type Accumulator } from './functions';
import { parseQuery } from './parser';
import {
  compareValues, deepEqual, hasAffix, hasTerm, isNull, toBool, toKqlString, toReal, type Value,
} from './values';

export interface Column {
  name: string;
  type: KqlType;
}

export type Row = Record<string, Value>;

/**
 * What the query's first `where` guarantees about the rows it keeps, so a table can skip building rows that would
 * be filtered out anyway (the `where` still runs on every row it gets). `types`: the lower-case values the `type`
 * column can take (`type =~ 'a'`, `type == 'a'`, `type in~ ('a', 'b')`, `or` of those, one side of an `and`).
 */
export interface RowHint {
  types?: string[];
}

export interface TableSource {
  columns: Column[];
  /** The rows, read once per query execution. */
  rows(hint?: RowHint): Row[];
}

function typesOf(e: Expr): string[] | undefined {
  const literal = (x: Expr): string | undefined => (x.kind === 'literal' && typeof x.value === 'string' ? x.value.toLowerCase() : undefined);
  const isType = (x: Expr): boolean => x.kind === 'column' && x.name === 'type';
  switch (e.kind) {
    case 'compare': {
      if (e.op !== '=~' && e.op !== '==') return undefined;
      const v = isType(e.left) ? literal(e.right) : isType(e.right) ? literal(e.left) : undefined;
      return v === undefined ? undefined : [v];
    }
    case 'in': {
      if ((e.op !== 'in' && e.op !== 'in~') || !isType(e.left)) return undefined;
      const values = e.list.map(literal);
      return values.every((v): v is string => v !== undefined) ? values : undefined;
    }
    case 'logical': {
      const l = typesOf(e.left);
      const r = typesOf(e.right);
      if (e.op === 'or') return l && r ? [...l, ...r] : undefined;
      return l ?? r;
    }
    default:
      return undefined;
  }
}

/** The hint of a query: from its first operator when that is a `where`. */
export function rowHintOf(query: Query): RowHint {
  const first = query.operators[0];
  if (!first || first.kind !== 'where') return {};
  const types = typesOf(first.predicate);
  return types ? { types: [...new Set(types)] } : {};
}

/** Tables by lower-case name (Resource Graph table names are case-insensitive). */
export type Catalog = Record<string, TableSource>;

export interface QueryResult {
  columns: Column[];
  /** Rows holding exactly the output columns, in column order. */
  rows: Row[];
  /** Whether the query itself caps its rows (`take`, `limit`, `top`): such results cannot be paged. */
  limited: boolean;
}

export interface CompiledQuery {
  columns: Column[];
  limited: boolean;
  execute(): QueryResult;
}

/** Parses, binds and runs a query. Throws KqlError for invalid queries. */
export function runQuery(text: string, catalog: Catalog): QueryResult {
  return compileQuery(parseQuery(text), catalog).execute();
}

export function compileQuery(query: Query, catalog: Catalog): CompiledQuery {
  const source = catalog[query.table.name.toLowerCase()];
  if (!source) {
    throw new KqlError(
      'UnknownTable',
      `The name '${query.table.name}' does not refer to any known table, tabular variable or function.`,
      query.table.pos,
      query.table.name,
    );
  }
  let columns = source.columns.map((c) => ({ ...c }));
  const hint = rowHintOf(query);
  const stages: Array<(rows: Row[]) => Row[]> = [];
  let limited = false;
  for (const op of query.operators) {
    const stage = compileOperator(op, columns);
    columns = stage.columns;
    stages.push(stage.run);
    if (stage.limits) limited = true;
  }
  const out = columns;
  return {
    columns: out,
    limited,
    execute() {
      let rows = source.rows(hint);
      for (const run of stages) rows = run(rows);
      const shaped = rows.map((r) => {
        const o: Row = {};
        for (const c of out) o[c.name] = r[c.name] === undefined ? null : r[c.name];
        return o;
      });
      return { columns: out.map((c) => ({ ...c })), rows: shaped, limited };
    },
  };
}

// ---- operators -----------------------------------------------------------------------------------------

interface Stage {
  columns: Column[];
  run(rows: Row[]): Row[];
  limits?: boolean;
}

type Scope = Map<string, Column>;
const scopeOf = (columns: Column[]): Scope => new Map(columns.map((c) => [c.name, c]));

function semantic(message: string, pos: Pos, token: string): KqlError {
  return new KqlError('SemanticError', message, pos, token);
}

function compileOperator(op: Operator, input: Column[]): Stage {
  const opName = op.kind === 'sort' ? 'sort' : op.kind;
  switch (op.kind) {
    case 'where': {
      const pred = compileExpr(op.predicate, scopeOf(input), opName);
      if (pred.type !== 'bool' && pred.type !== 'dynamic') {
        throw semantic(`'where' operator: the predicate must be of type bool, not ${pred.type}`, op.predicate.pos, 'where');
      }
      return { columns: input, run: (rows) => rows.filter((r) => toBool(pred.eval(r)) === true) };
    }

    case 'extend':
    case 'project': {
      // Items are bound in order: a later item may use a column defined by an earlier one.
      let scopeCols = input.map((c) => ({ ...c }));
      const outCols: Column[] = op.kind === 'extend' ? scopeCols.map((c) => ({ ...c })) : [];
      const steps: Array<{ name: string; eval: (r: Row) => Value }> = [];
      const naming = new Naming(op.kind === 'extend' ? input.map((c) => c.name) : []);
      for (const item of op.items) {
        const c = compileExpr(item.expr, scopeOf(scopeCols), opName);
        const name = item.name ?? deriveName(item.expr) ?? naming.next();
        if (op.kind === 'project' && outCols.some((o) => o.name === name)) {
          throw semantic(`'project' operator: duplicate column name '${name}'`, item.namePos ?? item.expr.pos, name);
        }
        const existing = outCols.findIndex((o) => o.name === name);
        if (existing >= 0) outCols[existing] = { name, type: c.type };
        else outCols.push({ name, type: c.type });
        scopeCols = upsert(scopeCols, { name, type: c.type });
        steps.push({ name, eval: c.eval });
      }
      return {
        columns: outCols,
        run: (rows) =>
          rows.map((r) => {
            const work: Row = { ...r };
            for (const s of steps) work[s.name] = s.eval(work);
            if (op.kind === 'extend') return work;
            const o: Row = {};
            for (const c of outCols) o[c.name] = work[c.name];
            return o;
          }),
      };
    }

    case 'project-away':
    case 'project-keep': {
      const matched = new Set<string>();
      for (const p of op.patterns) {
        const hits = input.filter((c) => matchesPattern(c.name, p.pattern));
        if (hits.length === 0 && !p.pattern.includes('*')) {
          throw unknownColumn(op.kind, p.pattern, p.pos);
        }
        for (const h of hits) matched.add(h.name);
      }
      const keep = input.filter((c) => (op.kind === 'project-away' ? !matched.has(c.name) : matched.has(c.name)));
      return { columns: keep, run: (rows) => rows };
    }

    case 'project-rename': {
      let cols = input.map((c) => ({ ...c }));
      for (const it of op.items) {
        const idx = cols.findIndex((c) => c.name === it.oldName);
        if (idx < 0) throw unknownColumn('project-rename', it.oldName, it.pos);
        cols = cols.filter((c, i) => i === idx || c.name !== it.newName);
        cols[cols.findIndex((c) => c.name === it.oldName)] = { name: it.newName, type: cols.find((c) => c.name === it.oldName)!.type };
      }
      const renames = op.items;
      return {
        columns: cols,
        run: (rows) =>
          rows.map((r) => {
            const o: Row = { ...r };
            for (const it of renames) {
              o[it.newName] = r[it.oldName];
              if (it.newName !== it.oldName) delete o[it.oldName];
            }
            return o;
          }),
      };
    }

    case 'mv-expand': {
      const scope = scopeOf(input);
      let cols = input.map((c) => ({ ...c }));
      const naming = new Naming(input.map((c) => c.name));
      const items = op.items.map((it) => {
        const c = compileExpr(it.expr, scope, 'mv-expand');
        const name = it.name ?? deriveName(it.expr) ?? naming.next();
        const type: KqlType = it.toType ?? 'dynamic';
        cols = upsert(cols, { name, type });
        return { name, type, eval: c.eval };
      });
      const limit = op.limit ?? Number.MAX_SAFE_INTEGER;
      return {
        columns: cols,
        run: (rows) => {
          const out: Row[] = [];
          for (const r of rows) {
            const lists = items.map((it) => expansionOf(it.eval(r)));
            const n = Math.min(limit, Math.max(...lists.map((l) => l.length)));
            for (let i = 0; i < n; i++) {
              const o: Row = { ...r };
              items.forEach((it, k) => {
                const v = i < lists[k].length ? lists[k][i] : null;
                o[it.name] = it.type === 'dynamic' ? v : castElement(v, it.type);
              });
              out.push(o);
            }
          }
          return out;
        },
      };
    }

    case 'summarize':
      return compileSummarize(op.aggregates, op.by, input, 'summarize');

    case 'distinct':
      return compileSummarize([], op.items, input, 'distinct');

    case 'sort': {
      const cmp = compileSortKeys(op.keys, scopeOf(input));
      return { columns: input, run: (rows) => [...rows].sort(cmp) };
    }

    case 'top': {
      const cmp = compileSortKeys([op.key], scopeOf(input));
      return { columns: input, limits: true, run: (rows) => [...rows].sort(cmp).slice(0, op.count) };
    }

    case 'take':
      return { columns: input, limits: true, run: (rows) => rows.slice(0, op.count) };

    case 'count':
      return { columns: [{ name: 'Count', type: 'long' }], run: (rows) => [{ Count: rows.length }] };
  }
}

/** `to typeof(T)`: a cast, not a conversion: elements that are not of the type become null ('' for string). */
function castElement(v: Value, type: KqlType): Value {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : '';
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v) ? v : null;
    case 'real':
      return typeof v === 'number' ? v : null;
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    default:
      return v;
  }
}

/** The rows an `mv-expand` of this value produces (Kusto: null -> one null row; empty -> none; bag -> one per key). */
function expansionOf(v: Value): Value[] {
  if (isNull(v)) return [null];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return Object.entries(v as Record<string, Value>).map(([k, x]) => ({ [k]: x }));
  return [v];
}

function upsert(cols: Column[], col: Column): Column[] {
  const i = cols.findIndex((c) => c.name === col.name);
  if (i < 0) return [...cols, col];
  const copy = [...cols];
  copy[i] = col;
  return copy;
}

function matchesPattern(name: string, pattern: string): boolean {
  if (!pattern.includes('*')) return name === pattern;
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(name);
}

function unknownColumn(opName: string, name: string, pos: Pos): KqlError {
  return new KqlError('UnknownColumn', `'${opName}' operator: Failed to resolve scalar expression named '${name}'`, pos, name);
}

/** Generates `Column1`, `Column2`, ... for unnamed expressions, skipping taken names. */
class Naming {
  private n = 0;
  constructor(private readonly taken: string[]) {}
  next(): string {
    for (;;) {
      const name = `Column${++this.n}`;
      if (!this.taken.includes(name)) {
        this.taken.push(name);
        return name;
      }
    }
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}

function compileSummarize(aggregates: NamedExpr[], by: NamedExpr[], input: Column[], opName: string): Stage {
  const scope = scopeOf(input);
  const taken = new Set<string>();
  const naming = new Naming([]);
  const keys = by.map((item) => {
    const c = compileExpr(item.expr, scope, opName);
    const name = uniqueName(item.name ?? deriveName(item.expr) ?? naming.next(), taken);
    taken.add(name);
    if (c.type === 'dynamic' && opName === 'summarize') {
      throw semantic(
        `Summarize group key '${name}' is of a 'dynamic' type. Please use an explicit cast (for example, 'summarize ... by tostring(${name})')`,
        item.expr.pos,
        name,
      );
    }
    return { name, type: c.type, eval: c.eval };
  });
  const aggs = aggregates.map((item) => {
    const e = item.expr;
    if (e.kind !== 'call') throw semantic(`'summarize' operator: expected an aggregation function call`, e.pos, tokenOf(e));
    const fn = AGGREGATE_FUNCTIONS[e.name];
    if (!fn) {
      if (SCALAR_FUNCTIONS[e.name]) {
        throw semantic(`'summarize' operator: '${e.name}' is not an aggregation function`, e.pos, e.name);
      }
      throw new KqlError('UnknownFunction', `Unknown function: '${e.name}'.`, e.pos, e.name);
    }
    checkArity(e.name, e.args.length, fn.minArgs, fn.maxArgs, e.pos);
    const args = e.args.map((a) => compileExpr(a, scope, opName));
    const argTypes = args.map((a) => a.type);
    const name = uniqueName(item.name ?? fn.defaultName(e.args[0] ? deriveName(e.args[0]) : undefined), taken);
    taken.add(name);
    return { name, type: fn.returns(argTypes), create: () => fn.create(argTypes), args };
  });
  const columns: Column[] = [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggs.map((a) => ({ name: a.name, type: a.type }))];
  return {
    columns,
    run: (rows) => {
      const groups = new Map<string, { keyValues: Value[]; accs: Accumulator[] }>();
      const newGroup = (keyValues: Value[]) => ({ keyValues, accs: aggs.map((a) => a.create()) });
      for (const r of rows) {
        const keyValues = keys.map((k) => k.eval(r));
        const id = JSON.stringify(keyValues);
        let g = groups.get(id);
        if (!g) {
          g = newGroup(keyValues);
          groups.set(id, g);
        }
        aggs.forEach((a, i) => g!.accs[i].add(a.args.map((x) => x.eval(r))));
      }
      // Kusto: a summarize without `by` always yields one row, even over no input.
      if (keys.length === 0 && groups.size === 0) groups.set('[]', newGroup([]));
      return [...groups.values()].map((g) => {
        const o: Row = {};
        keys.forEach((k, i) => (o[k.name] = g.keyValues[i]));
        aggs.forEach((a, i) => (o[a.name] = g.accs[i].result()));
        return o;
      });
    },
  };
}

function compileSortKeys(keys: SortKey[], scope: Scope): (a: Row, b: Row) => number {
  const compiled = keys.map((k) => ({
    eval: compileExpr(k.expr, scope, 'sort').eval,
    desc: k.desc,
    nullsFirst: k.nullsFirst ?? !k.desc,
  }));
  return (a, b) => {
    for (const k of compiled) {
      const va = k.eval(a);
      const vb = k.eval(b);
      const na = isNull(va);
      const nb = isNull(vb);
      if (na || nb) {
        if (na && nb) continue;
        return na === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(va, vb);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

// ---- expressions ---------------------------------------------------------------------------------------

interface Compiled {
  type: KqlType;
  eval(row: Row): Value;
}

const NUMERIC = new Set<KqlType>(['int', 'long', 'real']);

function tokenOf(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return e.name;
    case 'call':
      return e.name;
    case 'literal':
      return toKqlString(e.value);
    case 'compare':
    case 'arith':
    case 'in':
      return e.op;
    case 'logical':
      return e.op;
    default:
      return e.kind;
  }
}

/** Kusto's name for an unnamed output column: `properties.a['b']` -> `properties_a_b`; `tostring(x)` -> `x`. */
export function deriveName(e: Expr): string | undefined {
  switch (e.kind) {
    case 'column':
      return e.name;
    case 'member': {
      const t = deriveName(e.target);
      return t === undefined ? undefined : `${t}_${e.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    }
    case 'index': {
      const t = deriveName(e.target);
      if (t === undefined || e.index.kind !== 'literal' || typeof e.index.value !== 'number' || e.index.value < 0) return undefined;
      return `${t}_${e.index.value}`;
    }
    case 'call': {
      const fn = SCALAR_FUNCTIONS[e.name];
      return fn?.keepsName && e.args[0] ? deriveName(e.args[0]) : undefined;
    }
    default:
      return undefined;
  }
}

function checkArity(name: string, n: number, min: number, max: number, pos: Pos): void {
  if (n < min || n > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw semantic(`The function '${name}' expects ${expected} argument(s), got ${n}`, pos, name);
  }
}

function compileExpr(e: Expr, scope: Scope, opName: string): Compiled {
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return { type: e.type, eval: () => v };
    }
    case 'column': {
      const col = scope.get(e.name);
      if (!col) throw unknownColumn(opName, e.name, e.pos);
      const name = e.name;
      return { type: col.type, eval: (r) => r[name] ?? null };
    }
    case 'member': {
      const t = compileExpr(e.target, scope, opName);
      const name = e.name;
      return {
        type: 'dynamic',
        eval: (r) => {
          const v = t.eval(r);
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
          return Object.prototype.hasOwnProperty.call(v, name) ? ((v as Record<string, Value>)[name] ?? null) : null;
        },
      };
    }
    case 'index': {
      const t = compileExpr(e.target, scope, opName);
      const idx = compileExpr(e.index, scope, opName);
      return {
        type: 'dynamic',
        eval: (r) => {
          const v = t.eval(r);
          const i = idx.eval(r);
          if (Array.isArray(v) && typeof i === 'number' && Number.isInteger(i)) {
            const k = i < 0 ? v.length + i : i;
            return k >= 0 && k < v.length ? (v[k] ?? null) : null;
          }
          if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof i === 'string') {
            return Object.prototype.hasOwnProperty.call(v, i) ? ((v as Record<string, Value>)[i] ?? null) : null;
          }
          return null;
        },
      };
    }
    case 'call': {
      const fn = SCALAR_FUNCTIONS[e.name];
      if (!fn) {
        if (AGGREGATE_FUNCTIONS[e.name]) {
          throw semantic(`'${opName}' operator: the aggregation function '${e.name}' can only be used in summarize`, e.pos, e.name);
        }
        throw new KqlError('UnknownFunction', `Unknown function: '${e.name}'.`, e.pos, e.name);
      }
      checkArity(e.name, e.args.length, fn.minArgs, fn.maxArgs, e.pos);
      const args = e.args.map((a) => compileExpr(a, scope, opName));
      const types = args.map((a) => a.type);
      return {
        type: fn.returns(types),
        eval: (r) => fn.invoke(args.map((a) => () => a.eval(r)), types),
      };
    }
    case 'unary': {
      const o = compileExpr(e.operand, scope, opName);
      if (!NUMERIC.has(o.type) && o.type !== 'dynamic') {
        throw semantic(`The unary operator '${e.op}' expects a number, not ${o.type}`, e.pos, e.op);
      }
      return {
        type: o.type === 'dynamic' ? 'real' : o.type,
        eval: (r) => {
          const v = toReal(o.eval(r));
          return v === null ? null : e.op === '-' ? -v : v;
        },
      };
    }
    case 'logical': {
      const l = compileExpr(e.left, scope, opName);
      const r = compileExpr(e.right, scope, opName);
      for (const side of [l, r]) {
        if (side.type !== 'bool' && side.type !== 'dynamic') {
          throw semantic(`The operator '${e.op}' expects bool operands, not ${side.type}`, e.pos, e.op);
        }
      }
      if (e.op === 'and') {
        return {
          type: 'bool',
          eval: (row) => {
            const a = toBool(l.eval(row));
            if (a === false) return false;
            const b = toBool(r.eval(row));
            if (b === false) return false;
            return a === true && b === true ? true : null;
          },
        };
      }
      return {
        type: 'bool',
        eval: (row) => {
          const a = toBool(l.eval(row));
          if (a === true) return true;
          const b = toBool(r.eval(row));
          if (b === true) return true;
          return a === false && b === false ? false : null;
        },
      };
    }
    case 'compare':
      return compileCompare(e.op, e.left, e.right, e.pos, scope, opName);
    case 'arith': {
      const l = compileExpr(e.left, scope, opName);
      const r = compileExpr(e.right, scope, opName);
      for (const side of [l, r]) {
        if (!NUMERIC.has(side.type) && side.type !== 'dynamic') {
          throw semantic(`The operator '${e.op}' expects numbers, not ${side.type}`, e.pos, e.op);
        }
      }
      const integral = (l.type === 'int' || l.type === 'long') && (r.type === 'int' || r.type === 'long');
      const type: KqlType = integral ? 'long' : 'real';
      return {
        type,
        eval: (row) => {
          const a = toReal(l.eval(row));
          const b = toReal(r.eval(row));
          if (a === null || b === null) return null;
          switch (e.op) {
            case '+':
              return a + b;
            case '-':
              return a - b;
            case '*':
              return a * b;
            case '/':
              if (b === 0) return integral ? null : a / b;
              return integral ? Math.trunc(a / b) : a / b;
            case '%':
              return b === 0 ? null : a % b;
          }
        },
      };
    }
    case 'in': {
      const l = compileExpr(e.left, scope, opName);
      const items = e.list.map((x) => compileExpr(x, scope, opName));
      const ci = e.op === 'in~' || e.op === '!in~';
      const negated = e.op.startsWith('!');
      return {
        type: 'bool',
        eval: (row) => {
          const v = l.eval(row);
          let found = false;
          for (const it of items) {
            const raw = it.eval(row);
            const candidates = it.type === 'dynamic' && Array.isArray(raw) ? raw : [raw];
            for (const c of candidates) {
              if (ci ? toKqlString(v).toLowerCase() === toKqlString(c).toLowerCase() : equalTyped(v, c, l.type, it.type) === true) {
                found = true;
                break;
              }
            }
            if (found) break;
          }
          return negated ? !found : found;
        },
      };
    }
    case 'between': {
      const l = compileExpr(e.left, scope, opName);
      const lo = compileExpr(e.low, scope, opName);
      const hi = compileExpr(e.high, scope, opName);
      return {
        type: 'bool',
        eval: (row) => {
          const v = toReal(l.eval(row));
          const a = toReal(lo.eval(row));
          const b = toReal(hi.eval(row));
          if (v === null || a === null || b === null) return null;
          const inside = v >= a && v <= b;
          return e.negated ? !inside : inside;
        },
      };
    }
  }
}

/** `==` with Kusto typing: strings compare as strings (a dynamic side is converted); null compares as null. */
function equalTyped(a: Value, b: Value, ta: KqlType, tb: KqlType): boolean | null {
  if (ta === 'string' || tb === 'string') return toKqlString(a) === toKqlString(b);
  if (isNull(a) || isNull(b)) return null;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a !== typeof b) return false;
  return typeof a === 'object' ? deepEqual(a, b) : a === b;
}

function comparable(ta: KqlType, tb: KqlType): boolean {
  if (ta === tb || ta === 'dynamic' || tb === 'dynamic') return true;
  return NUMERIC.has(ta) && NUMERIC.has(tb);
}

function compileCompare(op: ComparisonOp, left: Expr, right: Expr, pos: Pos, scope: Scope, opName: string): Compiled {
  const l = compileExpr(left, scope, opName);
  const r = compileExpr(right, scope, opName);
  const typeError = () =>
    semantic(`Cannot compare values of types ${l.type} and ${r.type}. Try adding explicit casts`, pos, op);
  const bool = (fn: (a: Value, b: Value) => boolean | null): Compiled => ({
    type: 'bool',
    eval: (row) => fn(l.eval(row), r.eval(row)),
  });
  const s = toKqlString;

  switch (op) {
    case '==':
    case '!=': {
      if (!comparable(l.type, r.type)) throw typeError();
      return bool((a, b) => {
        const eq = equalTyped(a, b, l.type, r.type);
        return eq === null ? null : op === '==' ? eq : !eq;
      });
    }
    case '=~':
      return bool((a, b) => s(a).toLowerCase() === s(b).toLowerCase());
    case '!~':
      return bool((a, b) => s(a).toLowerCase() !== s(b).toLowerCase());
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!comparable(l.type, r.type)) throw typeError();
      const stringwise = l.type === 'string' && r.type === 'string';
      return bool((a, b) => {
        let c: number;
        if (stringwise) {
          c = s(a) < s(b) ? -1 : s(a) > s(b) ? 1 : 0;
        } else {
          if (typeof a !== 'number' || typeof b !== 'number') return null;
          c = a - b;
        }
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      });
    }
    default: {
      const negated = op.startsWith('!');
      const base = negated ? op.slice(1) : op;
      const cs = base.endsWith('_cs');
      const kind = cs ? base.slice(0, -3) : base;
      const test = (hay: string, needle: string): boolean => {
        const h = cs ? hay : hay.toLowerCase();
        const n = cs ? needle : needle.toLowerCase();
        switch (kind) {
          case 'has':
            return hasTerm(hay, needle, cs);
          case 'contains':
            return h.includes(n);
          case 'startswith':
            return h.startsWith(n);
          case 'endswith':
            return h.endsWith(n);
          case 'hasprefix':
            return hasAffix(hay, needle, true);
          case 'hassuffix':
            return hasAffix(hay, needle, false);
          default:
            return false;
        }
      };
      return bool((a, b) => {
        const res = test(s(a), s(b));
        return negated ? !res : res;
      });
    }
  }
}
