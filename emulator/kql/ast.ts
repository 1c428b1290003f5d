/** The syntax tree of the supported KQL subset. Every node keeps the position of its first token. */
import type { KqlPosition } from './errors';

export type Pos = KqlPosition;

/** Scalar types, as Kusto names them. `dynamic` holds JSON (objects, arrays, and scalars inside them). */
export type KqlType = 'string' | 'long' | 'int' | 'real' | 'bool' | 'dynamic';

export type ComparisonOp =
  | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>='
  | 'has' | '!has' | 'has_cs' | '!has_cs'
  | 'contains' | '!contains' | 'contains_cs' | '!contains_cs'
  | 'startswith' | '!startswith' | 'startswith_cs' | '!startswith_cs'
  | 'endswith' | '!endswith' | 'endswith_cs' | '!endswith_cs'
  | 'hasprefix' | '!hasprefix' | 'hassuffix' | '!hassuffix';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type InOp = 'in' | '!in' | 'in~' | '!in~';

export type Expr =
  | { kind: 'literal'; value: unknown; type: KqlType; pos: Pos }
  | { kind: 'column'; name: string; pos: Pos }
  /** `target.name` or `target['name']` */
  | { kind: 'member'; target: Expr; name: string; pos: Pos }
  /** `target[index]` with a numeric (or computed) index */
  | { kind: 'index'; target: Expr; index: Expr; pos: Pos }
  | { kind: 'call'; name: string; args: Expr[]; pos: Pos; namePos: Pos }
  | { kind: 'unary'; op: '-' | '+'; operand: Expr; pos: Pos }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr; pos: Pos }
  | { kind: 'compare'; op: ComparisonOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'arith'; op: ArithmeticOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'in'; op: InOp; left: Expr; list: Expr[]; pos: Pos }
  | { kind: 'between'; negated: boolean; left: Expr; low: Expr; high: Expr; pos: Pos };

export type CallExpr = Extract<Expr, { kind: 'call' }>;

/** `name = expr` or a bare `expr` (the output name is then derived from the expression). */
export interface NamedExpr {
  name?: string;
  namePos?: Pos;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
  /** Explicit `nulls first|last`; by default nulls come first ascending and last descending. */
  nullsFirst?: boolean;
}

export type Operator =
  | { kind: 'where'; predicate: Expr; pos: Pos }
  | { kind: 'project'; items: NamedExpr[]; pos: Pos }
  | { kind: 'project-away'; patterns: Array<{ pattern: string; pos: Pos }>; pos: Pos }
  | { kind: 'project-keep'; patterns: Array<{ pattern: string; pos: Pos }>; pos: Pos }
  | { kind: 'project-rename'; items: Array<{ newName: string; oldName: string; pos: Pos }>; pos: Pos }
  | { kind: 'extend'; items: NamedExpr[]; pos: Pos }
  /** `mv-expand [Name =] ArrayExpression [to typeof(Type)], ... [limit n]` */
  | { kind: 'mv-expand'; items: Array<NamedExpr & { toType?: KqlType }>; limit?: number; pos: Pos }
  | { kind: 'summarize'; aggregates: NamedExpr[]; by: NamedExpr[]; pos: Pos }
  | { kind: 'sort'; keys: SortKey[]; pos: Pos }
  | { kind: 'take'; count: number; pos: Pos }
  | { kind: 'top'; count: number; key: SortKey; pos: Pos }
  | { kind: 'count'; pos: Pos }
  | { kind: 'distinct'; items: NamedExpr[]; pos: Pos };

export interface Query {
  /** The source table as written (e.g. `Resources`); `resources` when the query starts with an operator. */
  table: { name: string; pos: Pos };
  operators: Operator[];
}
