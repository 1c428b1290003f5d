/**
 * Recursive-descent parser for the KQL subset used against Azure Resource Graph:
 *
 *   query      := [table] ( '|' operator )*
 *   operator   := where expr | project items | project-away names | project-keep names
 *               | project-rename new = old, ... | extend items
 *               | mv-expand [name =] expr [to typeof(type)], ... [limit n]
 *               | summarize [aggregates] [by items] | (order|sort) by keys | (take|limit) n
 *               | top n by key | count | distinct items
 *   expr       := or
 *   or         := and ( 'or' and )*
 *   and        := compare ( 'and' compare )*
 *   compare    := additive [ cmpOp additive | inOp '(' expr, ... ')' | ['!']between '(' additive '..' additive ')' ]
 *   additive   := multiplicative ( ('+'|'-') multiplicative )*
 *   multiplicative := unary ( ('*'|'/'|'%') unary )*
 *   unary      := ('-'|'+') unary | postfix
 *   postfix    := primary ( '.' name | '[' expr ']' )*
 *   primary    := literal | name '(' args ')' | name | '(' expr ')' | dynamic(json) | int(..) | long(..) | real(..) | bool(..)
 *
 * Precedence follows Kusto: `or` < `and` < comparisons < additive < multiplicative < unary < member access.
 * Comparisons do not chain (`a == b == c` is a parse error).
 */
import { KqlError } from './errors';
import { tokenize, type Token } from './lexer';
import type { ComparisonOp, Expr, InOp, KqlType, NamedExpr, Operator, Pos, Query, SortKey } from './ast';

const COMPARISON_OPS = new Set<string>([
  '==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>=',
  'has', '!has', 'has_cs', '!has_cs', 'contains', '!contains', 'contains_cs', '!contains_cs',
  'startswith', '!startswith', 'startswith_cs', '!startswith_cs', 'endswith', '!endswith', 'endswith_cs',
  '!endswith_cs', 'hasprefix', '!hasprefix', 'hassuffix', '!hassuffix',
]);
const IN_OPS = new Set<string>(['in', '!in', 'in~', '!in~']);
/** Scalar type names (for typed literals and `to typeof(...)`). */
const TYPE_NAMES: Record<string, KqlType> = {
  dynamic: 'dynamic', int: 'int', long: 'long', real: 'real', double: 'real', bool: 'bool', boolean: 'bool', string: 'string',
};
/** Keywords that cannot be used as a bare column name. */
const RESERVED = new Set<string>([
  'and', 'or', 'by', 'in', 'between', 'asc', 'desc', 'where', 'filter', 'project', 'extend', 'summarize', 'order',
  'sort', 'take', 'limit', 'top', 'distinct', 'has', 'has_cs', 'contains', 'contains_cs', 'startswith',
  'startswith_cs', 'endswith', 'endswith_cs', 'hasprefix', 'hassuffix',
]);

/** Tabular operators of the subset (KQL names; `mvexpand` is the legacy spelling of `mv-expand`). */
export const SUPPORTED_OPERATORS = [
  'where', 'filter', 'project', 'project-away', 'project-keep', 'project-rename', 'extend', 'mv-expand', 'mvexpand',
  'summarize', 'order', 'sort', 'take', 'limit', 'top', 'count', 'distinct',
] as const;
const OPERATOR_SET = new Set<string>(SUPPORTED_OPERATORS);

export function parseQuery(text: string): Query {
  return new Parser(tokenize(text)).parseQuery();
}

/** Parses a standalone scalar expression (used by tests and tooling). */
export function parseExpression(text: string): Expr {
  const p = new Parser(tokenize(text));
  const e = p.parseExpr();
  p.expectEof();
  return e;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  // ---- token helpers -------------------------------------------------------------------------------
  private get tok(): Token {
    return this.tokens[this.i];
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.text === text;
  }
  private isWord(word: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text === word;
  }
  private fail(message: string, t: Token = this.tok, expected?: string): never {
    throw new KqlError('ParserFailure', message, t.pos, t.text, expected);
  }
  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`Expected '${text}' but found '${this.tok.text}'`, this.tok, text);
    return this.next();
  }
  private expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail(`Expected '${word}' but found '${this.tok.text}'`, this.tok, word);
    return this.next();
  }
  private expectIdent(what: string): Token {
    if (this.tok.kind !== 'ident') this.fail(`Expected ${what} but found '${this.tok.text}'`);
    return this.next();
  }
  expectEof(): void {
    if (this.tok.kind !== 'eof') this.fail(`Unexpected '${this.tok.text}'`, this.tok, '<EOF>');
  }
  /** Two tokens written with nothing between them. */
  private adjacent(a: Token, b: Token): boolean {
    return a.end === b.pos.offset;
  }

  // ---- query ---------------------------------------------------------------------------------------
  parseQuery(): Query {
    let table: Query['table'];
    const first = this.tok;
    if (first.kind === 'eof') this.fail('The query is empty', first);
    if (first.kind === 'ident' && !this.startsOperator()) {
      this.next();
      table = { name: first.text, pos: first.pos };
    } else if (first.kind === 'ident') {
      // ARG: a query may start with an operator; the table is then `Resources`.
      table = { name: 'resources', pos: first.pos };
      const operators = [this.parseOperator()];
      return { table, operators: this.parseRest(operators) };
    } else {
      this.fail(`Expected a table name but found '${first.text}'`, first);
    }
    return { table, operators: this.parseRest([]) };
  }

  /** Whether the current identifier starts an operator rather than naming a table. */
  private startsOperator(): boolean {
    const name = this.peekOperatorName();
    if (!name || !OPERATOR_SET.has(name.name)) return false;
    const after = this.tokens[this.i + name.length];
    return after.kind !== 'eof' && !this.isOp('|', after);
  }

  private parseRest(operators: Operator[]): Operator[] {
    while (this.tok.kind !== 'eof') {
      if (!this.isOp('|')) this.fail(`Expected '|' or the end of the query but found '${this.tok.text}'`, this.tok, '|');
      this.next();
      operators.push(this.parseOperator());
    }
    return operators;
  }

  /** Reads a possibly hyphenated operator name (`project-away`, `mv-expand`) without consuming it. */
  private peekOperatorName(): { name: string; length: number } | undefined {
    const t = this.tok;
    if (t.kind !== 'ident') return undefined;
    const dash = this.peek(1);
    const rest = this.peek(2);
    if (this.isOp('-', dash) && rest.kind === 'ident' && this.adjacent(t, dash) && this.adjacent(dash, rest)) {
      return { name: `${t.text}-${rest.text}`, length: 3 };
    }
    return { name: t.text, length: 1 };
  }

  private parseOperator(): Operator {
    const start = this.tok;
    const op = this.peekOperatorName();
    if (!op) this.fail(`Expected a query operator but found '${start.text}'`, start);
    if (!OPERATOR_SET.has(op.name)) {
      throw new KqlError('ParserFailure', `Unknown or unsupported query operator '${op.name}'`, start.pos, op.name);
    }
    this.i += op.length;
    const pos = start.pos;
    switch (op.name) {
      case 'where':
      case 'filter':
        return { kind: 'where', predicate: this.parseExpr(), pos };
      case 'project':
        return { kind: 'project', items: this.parseNamedList(), pos };
      case 'extend':
        return { kind: 'extend', items: this.parseNamedList(), pos };
      case 'project-away':
      case 'project-keep':
        return { kind: op.name, patterns: this.parseNamePatterns(), pos };
      case 'project-rename': {
        const items: Array<{ newName: string; oldName: string; pos: Pos }> = [];
        do {
          const n = this.expectIdent('a column name');
          this.expectOp('=');
          const o = this.expectIdent('a column name');
          items.push({ newName: n.text, oldName: o.text, pos: o.pos });
        } while (this.isOp(',') && this.next());
        return { kind: 'project-rename', items, pos };
      }
      case 'mv-expand':
      case 'mvexpand': {
        const items: Array<NamedExpr & { toType?: KqlType }> = [];
        do {
          const item: NamedExpr & { toType?: KqlType } = this.parseNamedExpr();
          if (this.isWord('to')) {
            this.next();
            this.expectWord('typeof');
            this.expectOp('(');
            const t = this.expectIdent('a type name');
            const type = TYPE_NAMES[t.text];
            if (!type) this.fail(`Unknown type '${t.text}'`, t);
            item.toType = type;
            this.expectOp(')');
          }
          items.push(item);
        } while (this.isOp(',') && this.next());
        let limit: number | undefined;
        if (this.isWord('limit')) {
          this.next();
          limit = this.parseCount();
        }
        return { kind: 'mv-expand', items, limit, pos };
      }
      case 'summarize': {
        let aggregates: NamedExpr[] = [];
        if (!this.isWord('by')) aggregates = this.parseNamedList();
        let by: NamedExpr[] = [];
        if (this.isWord('by')) {
          this.next();
          by = this.parseNamedList();
        }
        if (aggregates.length === 0 && by.length === 0) this.fail('summarize needs an aggregate or a by clause');
        return { kind: 'summarize', aggregates, by, pos };
      }
      case 'order':
      case 'sort': {
        this.expectWord('by');
        const keys: SortKey[] = [this.parseSortKey()];
        while (this.isOp(',')) {
          this.next();
          keys.push(this.parseSortKey());
        }
        return { kind: 'sort', keys, pos };
      }
      case 'take':
      case 'limit':
        return { kind: 'take', count: this.parseCount(), pos };
      case 'top': {
        const count = this.parseCount();
        this.expectWord('by');
        return { kind: 'top', count, key: this.parseSortKey(), pos };
      }
      case 'count':
        return { kind: 'count', pos };
      case 'distinct':
        return { kind: 'distinct', items: this.parseNamedList(), pos };
    }
    return this.fail(`Unknown query operator '${op.name}'`, start);
  }

  private parseCount(): number {
    const t = this.tok;
    if (t.kind !== 'number' || t.isReal) this.fail(`Expected a row count but found '${t.text}'`, t);
    this.next();
    return t.value as number;
  }

  private parseNamePatterns(): Array<{ pattern: string; pos: Pos }> {
    const out: Array<{ pattern: string; pos: Pos }> = [];
    do {
      const t = this.tok;
      if (t.kind !== 'ident' && !this.isOp('*')) this.fail(`Expected a column name but found '${t.text}'`, t);
      // A pattern is a run of adjacent identifier and '*' tokens: `prop*`, `*Id`, `a*b`.
      let pattern = this.next().text;
      while ((this.tok.kind === 'ident' || this.isOp('*')) && this.adjacent(this.tokens[this.i - 1], this.tok)) {
        pattern += this.next().text;
      }
      out.push({ pattern, pos: t.pos });
    } while (this.isOp(',') && this.next());
    return out;
  }

  private parseNamedList(): NamedExpr[] {
    const items: NamedExpr[] = [this.parseNamedExpr()];
    while (this.isOp(',')) {
      this.next();
      items.push(this.parseNamedExpr());
    }
    return items;
  }

  private parseNamedExpr(): NamedExpr {
    const t = this.tok;
    if (t.kind === 'ident' && this.isOp('=', this.peek(1))) {
      this.next();
      this.next();
      return { name: t.text, namePos: t.pos, expr: this.parseExpr() };
    }
    return { expr: this.parseExpr() };
  }

  private parseSortKey(): SortKey {
    const expr = this.parseExpr();
    let desc = true; // KQL sorts descending unless told otherwise
    if (this.isWord('asc')) {
      this.next();
      desc = false;
    } else if (this.isWord('desc')) {
      this.next();
    }
    let nullsFirst: boolean | undefined;
    if (this.isWord('nulls')) {
      this.next();
      if (this.isWord('first')) nullsFirst = true;
      else if (this.isWord('last')) nullsFirst = false;
      else this.fail(`Expected 'first' or 'last' but found '${this.tok.text}'`, this.tok, 'first');
      this.next();
    }
    return { expr, desc, nullsFirst };
  }

  // ---- expressions ---------------------------------------------------------------------------------
  parseExpr(): Expr {
    return this.parseOr();
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const t = this.next();
      left = { kind: 'logical', op: 'or', left, right: this.parseAnd(), pos: t.pos };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseCompare();
    while (this.isWord('and')) {
      const t = this.next();
      left = { kind: 'logical', op: 'and', left, right: this.parseCompare(), pos: t.pos };
    }
    return left;
  }

  private comparisonOpAt(t: Token): string | undefined {
    if ((t.kind === 'op' || t.kind === 'ident') && COMPARISON_OPS.has(t.text)) return t.text;
    return undefined;
  }

  private parseCompare(): Expr {
    const left = this.parseAdditive();
    const t = this.tok;
    const cmp = this.comparisonOpAt(t);
    if (cmp) {
      this.next();
      const right = this.parseAdditive();
      const op = (cmp === '<>' ? '!=' : cmp) as ComparisonOp;
      const node: Expr = { kind: 'compare', op, left, right, pos: t.pos };
      if (this.comparisonOpAt(this.tok) || this.isInOp(this.tok)) {
        this.fail(`Comparisons cannot be chained: unexpected '${this.tok.text}'`);
      }
      return node;
    }
    if (this.isInOp(t)) {
      this.next();
      this.expectOp('(');
      const list: Expr[] = [];
      if (!this.isOp(')')) {
        list.push(this.parseExpr());
        while (this.isOp(',')) {
          this.next();
          list.push(this.parseExpr());
        }
      }
      this.expectOp(')');
      return { kind: 'in', op: t.text as InOp, left, list, pos: t.pos };
    }
    if (this.isWord('between') || (this.isOp('!') && this.isWord('between', this.peek(1)) && this.adjacent(t, this.peek(1)))) {
      const negated = this.isOp('!');
      if (negated) this.next();
      this.next();
      this.expectOp('(');
      const low = this.parseAdditive();
      this.expectOp('..');
      const high = this.parseAdditive();
      this.expectOp(')');
      return { kind: 'between', negated, left, low, high, pos: t.pos };
    }
    return left;
  }

  private isInOp(t: Token): boolean {
    return (t.kind === 'op' || t.kind === 'ident') && IN_OPS.has(t.text);
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'arith', op: t.text as '+' | '-', left, right: this.parseMultiplicative(), pos: t.pos };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'arith', op: t.text as '*' | '/' | '%', left, right: this.parseUnary(), pos: t.pos };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      const operand = this.parseUnary();
      if (operand.kind === 'literal' && typeof operand.value === 'number') {
        return { ...operand, value: t.text === '-' ? -operand.value : operand.value, pos: t.pos };
      }
      return { kind: 'unary', op: t.text as '-' | '+', operand, pos: t.pos };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let e = this.parsePrimary();
    for (;;) {
      if (this.isOp('.')) {
        const dot = this.next();
        const name = this.tok;
        if (name.kind !== 'ident') this.fail(`Expected a property name after '.' but found '${name.text}'`, name);
        this.next();
        e = { kind: 'member', target: e, name: name.text, pos: dot.pos };
        continue;
      }
      if (this.isOp('[')) {
        const open = this.next();
        const inner = this.parseExpr();
        this.expectOp(']');
        e =
          inner.kind === 'literal' && typeof inner.value === 'string'
            ? { kind: 'member', target: e, name: inner.value, pos: open.pos }
            : { kind: 'index', target: e, index: inner, pos: open.pos };
        continue;
      }
      return e;
    }
  }

  private parsePrimary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'literal', value: t.value, type: t.isReal ? 'real' : 'long', pos: t.pos };
      case 'string':
        this.next();
        return { kind: 'literal', value: t.value, type: 'string', pos: t.pos };
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { kind: 'literal', value: t.text === 'true', type: 'bool', pos: t.pos };
        }
        if (this.isOp('(', this.peek(1))) {
          const typed = this.parseTypedLiteral();
          if (typed) return typed;
          this.next();
          this.next();
          const args: Expr[] = [];
          if (!this.isOp(')')) {
            args.push(this.parseExpr());
            while (this.isOp(',')) {
              this.next();
              args.push(this.parseExpr());
            }
          }
          this.expectOp(')');
          return { kind: 'call', name: t.text, args, pos: t.pos, namePos: t.pos };
        }
        if (RESERVED.has(t.text)) this.fail(`Unexpected keyword '${t.text}'`, t);
        this.next();
        return { kind: 'column', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          this.next();
          const inner = this.parseExpr();
          this.expectOp(')');
          return inner;
        }
        return this.fail(`Unexpected '${t.text}'`, t);
      case 'eof':
        return this.fail('The query ends too early', t);
    }
  }

  /** `dynamic(json)`, `int(5)`, `long(null)`, `real(1.5)`, `bool(true)`, `string('x')`. */
  private parseTypedLiteral(): Expr | undefined {
    const t = this.tok;
    const type = TYPE_NAMES[t.text];
    if (!type) return undefined;
    this.next();
    this.expectOp('(');
    let value: unknown;
    if (type === 'dynamic') {
      value = this.parseJson();
    } else if (this.isWord('null')) {
      this.next();
      value = null;
    } else {
      const v = this.tok;
      const negative = this.isOp('-');
      if (negative) this.next();
      const lit = this.tok;
      this.next();
      if ((type === 'int' || type === 'long' || type === 'real') && lit.kind === 'number') {
        value = (negative ? -1 : 1) * (lit.value as number);
        if (type !== 'real' && !Number.isInteger(value)) this.fail(`Invalid ${type} literal`, v);
      } else if (type === 'bool' && !negative && (lit.text === 'true' || lit.text === 'false')) {
        value = lit.text === 'true';
      } else if (type === 'string' && !negative && lit.kind === 'string') {
        value = lit.value;
      } else {
        this.fail(`Invalid ${type} literal '${lit.text}'`, lit);
      }
    }
    this.expectOp(')');
    return { kind: 'literal', value, type, pos: t.pos };
  }

  private parseJson(): unknown {
    const t = this.tok;
    if (this.isOp('[')) {
      this.next();
      const arr: unknown[] = [];
      if (!this.isOp(']')) {
        arr.push(this.parseJson());
        while (this.isOp(',')) {
          this.next();
          arr.push(this.parseJson());
        }
      }
      this.expectOp(']');
      return arr;
    }
    if (this.isOp('{')) {
      this.next();
      const obj: Record<string, unknown> = {};
      if (!this.isOp('}')) {
        do {
          const k = this.tok;
          if (k.kind !== 'string' && k.kind !== 'ident') this.fail(`Expected a property name but found '${k.text}'`, k);
          this.next();
          this.expectOp(':');
          obj[k.kind === 'string' ? (k.value as string) : k.text] = this.parseJson();
        } while (this.isOp(',') && this.next());
      }
      this.expectOp('}');
      return obj;
    }
    if (this.isOp('-') && this.peek(1).kind === 'number') {
      this.next();
      return -(this.next().value as number);
    }
    if (t.kind === 'number' || t.kind === 'string') {
      this.next();
      return t.value;
    }
    if (this.isWord('true') || this.isWord('false') || this.isWord('null')) {
      this.next();
      return t.text === 'null' ? null : t.text === 'true';
    }
    return this.fail(`Invalid dynamic literal at '${t.text}'`, t);
  }
}
