/**
 * A small reader of Bicep source, enough for the structural checks the Bicep compiler would make and that
 * cannot run here (no bicep binary, no network): declared and used symbols, module parameters, file references,
 * resource api-versions. It is not a parser: it works on two masked copies of the text.
 *
 * - `code`: comments and the literal parts of strings replaced by spaces (quotes and `${...}` kept), so every
 *   identifier left is an expression identifier or a keyword, at its original offset.
 * - `noComments`: only comments replaced by spaces, strings intact (paths, resource types, api-versions).
 */

export interface BicepText {
  source: string;
  code: string;
  noComments: string;
}

type Frame = { kind: 'code'; depth: number } | { kind: 'string' };

export function maskBicep(source: string): BicepText {
  const code = source.split('');
  const noComments = source.split('');
  const blank = (arr: string[], i: number) => {
    if (arr[i] !== '\n' && arr[i] !== '\r') arr[i] = ' ';
  };
  const stack: Frame[] = [{ kind: 'code', depth: 0 }];
  let i = 0;
  while (i < source.length) {
    const frame = stack[stack.length - 1]!;
    const c = source[i]!;
    const next = source[i + 1];
    if (frame.kind === 'code') {
      if (c === '/' && next === '/') {
        while (i < source.length && source[i] !== '\n') {
          blank(code, i);
          blank(noComments, i);
          i++;
        }
        continue;
      }
      if (c === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end < 0 ? source.length : end + 2;
        for (; i < stop; i++) {
          blank(code, i);
          blank(noComments, i);
        }
        continue;
      }
      if (c === "'" && source.startsWith("'''", i)) {
        const end = source.indexOf("'''", i + 3);
        const stop = end < 0 ? source.length : end + 3;
        for (let j = i + 3; j < stop - 3; j++) blank(code, j);
        i = stop;
        continue;
      }
      if (c === "'") {
        stack.push({ kind: 'string' });
        i++;
        continue;
      }
      if (c === '{') frame.depth++;
      if (c === '}') {
        if (frame.depth === 0 && stack.length > 1) {
          stack.pop(); // end of an interpolation: back in the string
          i++;
          continue;
        }
        frame.depth--;
      }
      i++;
      continue;
    }
    // inside a string literal
    if (c === '\\') {
      blank(code, i);
      if (i + 1 < source.length) blank(code, i + 1);
      i += 2;
      continue;
    }
    if (c === '$' && next === '{') {
      stack.push({ kind: 'code', depth: 0 });
      i += 2;
      continue;
    }
    if (c === "'") {
      stack.pop();
      i++;
      continue;
    }
    blank(code, i);
    i++;
  }
  return { source, code: code.join(''), noComments: noComments.join('') };
}

export interface ParamDecl {
  name: string;
  type: string;
  required: boolean;
}

export interface Declarations {
  params: ParamDecl[];
  vars: string[];
  resources: string[];
  modules: string[];
  outputs: string[];
  /** Loop and lambda variables (scoped, but a name used nowhere else). */
  locals: string[];
  targetScope: string | undefined;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';

export function declarations(t: BicepText): Declarations {
  const all = (re: RegExp, text = t.code) => [...text.matchAll(re)];
  const params = all(new RegExp(`^param\\s+(${IDENT})\\s+([^\\n]*)$`, 'gm')).map((m) => {
    const rest = m[2]!.trim();
    const [typePart] = rest.split('=');
    const type = typePart!.trim();
    return { name: m[1]!, type, required: !rest.includes('=') && !type.endsWith('?') };
  });
  const locals = new Set<string>();
  for (const m of all(new RegExp(`\\bfor\\s+(?:\\(\\s*(${IDENT})\\s*,\\s*(${IDENT})\\s*\\)|(${IDENT}))\\s+in\\b`, 'g'))) {
    for (const g of [m[1], m[2], m[3]]) if (g) locals.add(g);
  }
  for (const m of all(new RegExp(`(?:\\(\\s*(${IDENT})\\s*(?:,\\s*(${IDENT})\\s*)?\\)|\\b(${IDENT}))\\s*=>`, 'g'))) {
    for (const g of [m[1], m[2], m[3]]) if (g) locals.add(g);
  }
  const target = /^targetScope\s*=\s*'([^']*)'/m.exec(t.noComments);
  return {
    params,
    vars: all(new RegExp(`^var\\s+(${IDENT})\\s*=`, 'gm')).map((m) => m[1]!),
    resources: all(new RegExp(`^\\s*resource\\s+(${IDENT})\\s+'`, 'gm')).map((m) => m[1]!),
    modules: all(new RegExp(`^module\\s+(${IDENT})\\s+'`, 'gm')).map((m) => m[1]!),
    outputs: all(new RegExp(`^output\\s+(${IDENT})\\s+`, 'gm')).map((m) => m[1]!),
    locals: [...locals],
    targetScope: target?.[1],
  };
}

const KEYWORDS = new Set([
  'param', 'var', 'resource', 'module', 'output', 'metadata', 'targetScope', 'existing', 'if', 'for', 'in',
  'true', 'false', 'null', 'import', 'type', 'func', 'as', 'with', 'using', 'extends', 'extension',
  // types
  'string', 'int', 'bool', 'object', 'array', 'any',
  // namespaces
  'sys', 'az',
]);

export interface IdentifierUse {
  name: string;
  index: number;
  line: number;
}

/** Identifiers used as values in expressions: not keys, not members, not calls, not declarations. */
export function identifierUses(t: BicepText): IdentifierUse[] {
  const code = t.code;
  const out: IdentifierUse[] = [];
  const re = new RegExp(`\\b${IDENT}\\b`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    const name = m[0];
    const start = m.index;
    const end = start + name.length;
    if (/[0-9]/.test(code[start - 1] ?? '')) continue; // inside a number like 2e10
    if (KEYWORDS.has(name)) continue;
    // previous non-blank characters (same line or not)
    let p = start - 1;
    while (p >= 0 && (code[p] === ' ' || code[p] === '\t')) p--;
    const prev = code[p] ?? '\n';
    const prev2 = code.slice(Math.max(0, p - 1), p + 1);
    if (prev === '.' || prev2 === '::' || prev2 === '.?' || prev === '@') continue; // member, nested resource, decorator
    // declaration names
    const before = code.slice(Math.max(0, p - 10), p + 1);
    if (/(^|[^A-Za-z0-9_])(param|var|resource|module|output|metadata|type|func)$/.test(before)) continue;
    // following non-blank character on the same line
    let n = end;
    while (n < code.length && (code[n] === ' ' || code[n] === '\t')) n++;
    const following = code[n] ?? '\n';
    if (following === '(') continue; // function call
    if (following === ':' && code[n + 1] !== ':' && (prev === '\n' || prev === '\r' || prev === '{' || prev === ',')) continue; // object key
    // lambda parameter declarations: `x =>` and `(x, i) =>`
    const after = code.slice(n, n + 2);
    if (after === '=>') continue;
    if (prev === '(' || prev === ',') {
      const close = code.indexOf(')', end);
      if (close > 0 && /^\)\s*=>/.test(code.slice(close, close + 8)) && !code.slice(end, close).includes('(')) continue;
    }
    // loop variable declarations: `for x in`, `for (x, i) in`
    const lineStart = code.lastIndexOf('\n', start) + 1;
    const lineBefore = code.slice(lineStart, start);
    if (/\bfor\s*\(?\s*([A-Za-z_][A-Za-z0-9_]*\s*,\s*)?$/.test(lineBefore)) continue;
    // types after a param or output name: `param x string`, `output y object`
    if (/^(param|output)\s+[A-Za-z_][A-Za-z0-9_]*\s+$/.test(lineBefore)) continue;
    const line = code.slice(0, start).split('\n').length;
    out.push({ name, index: start, line });
  }
  return out;
}

export interface SymbolReport {
  undeclared: IdentifierUse[];
  unusedParams: string[];
}

export function checkSymbols(t: BicepText): SymbolReport {
  const d = declarations(t);
  const declared = new Set<string>([
    ...d.params.map((p) => p.name),
    ...d.vars,
    ...d.resources,
    ...d.modules,
    ...d.outputs,
    ...d.locals,
  ]);
  const uses = identifierUses(t);
  const used = new Set(uses.map((u) => u.name));
  return {
    undeclared: uses.filter((u) => !declared.has(u.name)),
    unusedParams: d.params.map((p) => p.name).filter((p) => !used.has(p)),
  };
}

/** The `{ ... }` block that starts at `open` (an index of `{` in `code`), as [open, close]. */
export function matchBrace(code: string, open: number): [number, number] {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{' || code[i] === '[' || code[i] === '(') depth++;
    if (code[i] === '}' || code[i] === ']' || code[i] === ')') {
      depth--;
      if (depth === 0) return [open, i];
    }
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

/** Keys at the first level of the object literal whose `{` is at `open`. */
export function objectKeys(code: string, open: number): string[] {
  const [, close] = matchBrace(code, open);
  const keys: string[] = [];
  let depth = 0;
  let lineStart = true;
  for (let i = open + 1; i < close; i++) {
    const c = code[i]!;
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    if (c === '\n' || c === ',') {
      lineStart = true;
      continue;
    }
    if (lineStart && depth === 0 && /[A-Za-z_]/.test(c)) {
      const m = new RegExp(`^(${IDENT})\\s*:(?!:)`).exec(code.slice(i));
      if (m) keys.push(m[1]!);
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') lineStart = false;
  }
  return keys;
}

export interface ModuleUse {
  symbol: string;
  path: string;
  /** Keys of its `params: { ... }` object (empty when it has none). */
  params: string[];
  line: number;
}

export function moduleUses(t: BicepText): ModuleUse[] {
  const out: ModuleUse[] = [];
  const re = new RegExp(`^module\\s+(${IDENT})\\s+'([^']+)'\\s*=`, 'gm');
  for (const m of t.noComments.matchAll(re)) {
    const bodyOpen = t.code.indexOf('{', m.index! + m[0].length);
    const [, bodyClose] = matchBrace(t.code, bodyOpen);
    const body = t.code.slice(bodyOpen, bodyClose);
    const pm = /(^|\n)\s*params\s*:\s*\{/.exec(body);
    const params = pm ? objectKeys(t.code, bodyOpen + pm.index + pm[0].length - 1) : [];
    out.push({ symbol: m[1]!, path: m[2]!, params, line: t.code.slice(0, m.index).split('\n').length });
  }
  return out;
}

export interface ResourceTypeUse {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
}

/** Resources declared with a full `Namespace/type@api-version` (nested `'config'`-style children inherit it). */
export function resourceTypes(t: BicepText): ResourceTypeUse[] {
  const re = new RegExp(`^\\s*resource\\s+(${IDENT})\\s+'([^'@]+)@([^']+)'\\s*(existing)?`, 'gm');
  return [...t.noComments.matchAll(re)].map((m) => ({
    symbol: m[1]!,
    type: m[2]!,
    apiVersion: m[3]!,
    existing: Boolean(m[4]),
  }));
}

/** Paths given to loadJsonContent / loadTextContent / loadYamlContent / loadFileAsBase64. */
export function loadedFiles(t: BicepText): Array<{ fn: string; path: string }> {
  const re = /\b(loadJsonContent|loadTextContent|loadYamlContent|loadFileAsBase64)\(\s*'([^']+)'/g;
  return [...t.noComments.matchAll(re)].map((m) => ({ fn: m[1]!, path: m[2]! }));
}

/**
 * Evaluates the Bicep literal (object, array, string, number, bool) that starts at `start`, replacing each
 * other expression by `env[<expression text>]` (throws for an expression `env` does not know).
 */
export function evaluateLiteral(t: BicepText, start: number, env: Record<string, unknown>): unknown {
  const { code, source } = t;
  let i = start;
  const skip = (alsoCommas: boolean) => {
    while (i < code.length && (/\s/.test(code[i]!) || (alsoCommas && code[i] === ','))) i++;
  };
  const value = (): unknown => {
    skip(false);
    const c = code[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      for (;;) {
        skip(true);
        if (code[i] === '}') {
          i++;
          return obj;
        }
        const key = new RegExp(`^(${IDENT})\\s*:`).exec(code.slice(i));
        if (!key) throw new Error(`object key expected at offset ${i}`);
        i += key[0].length;
        obj[key[1]!] = value();
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      for (;;) {
        skip(true);
        if (code[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
      }
    }
    if (c === "'") {
      const end = code.indexOf("'", i + 1);
      const raw = source.slice(i + 1, end);
      if (raw.includes('${')) throw new Error(`interpolated string at offset ${i}`);
      i = end + 1;
      return raw.replace(/\\(.)/g, '$1');
    }
    // any other expression: up to the end of the line, a comma or a closing bracket at depth 0
    let depth = 0;
    const from = i;
    while (i < code.length) {
      const ch = code[i]!;
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((ch === '\n' || ch === ',') && depth === 0) break;
      i++;
    }
    const expr = code.slice(from, i).trim();
    if (/^-?\d+$/.test(expr)) return Number(expr);
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (!(expr in env)) throw new Error(`no value for the expression '${expr}'`);
    return env[expr];
  };
  return value();
}

export interface Block {
  kind: 'resource' | 'module';
  symbol: string;
  /** Resource type (without api-version) or module path. */
  target: string;
  existing: boolean;
  /** Text of the first-level `scope:` and `name:` values (undefined when absent). */
  scope: string | undefined;
  name: string | undefined;
  /** Text between `=` and the body: `[for ... :` or `if (...)`. */
  header: string;
  /** [start, end] offsets of the body in `code`. */
  body: [number, number];
  line: number;
}

/** The text of a first-level `key:` value in the object literal whose `{` is at `open` (up to the next key). */
export function topLevelValue(t: BicepText, open: number, key: string): string | undefined {
  const { code, noComments } = t;
  const [, close] = matchBrace(code, open);
  let depth = 0;
  let lineStart = true;
  let found = -1;
  for (let i = open + 1; i < close; i++) {
    const c = code[i]!;
    if (lineStart && depth === 0 && /[A-Za-z_]/.test(c)) {
      const m = new RegExp(`^(${IDENT})\\s*:(?!:)`).exec(code.slice(i));
      if (m && found >= 0) return noComments.slice(found, i).trim();
      if (m && m[1] === key) found = i + m[0].length;
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    if (c === '\n') {
      lineStart = true;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') lineStart = false;
  }
  return found >= 0 ? noComments.slice(found, close).trim() : undefined;
}

/** Every `resource` and `module` declaration (nested resources included) with its scope, name and header. */
export function blocks(t: BicepText): Block[] {
  const re = new RegExp(`^[ \\t]*(resource|module)\\s+(${IDENT})\\s+'([^']+)'\\s*(existing)?\\s*=`, 'gm');
  return [...t.noComments.matchAll(re)].map((m) => {
    const afterEq = m.index! + m[0].length;
    const open = t.code.indexOf('{', afterEq);
    const [, close] = matchBrace(t.code, open);
    const kind = m[1] as 'resource' | 'module';
    return {
      kind,
      symbol: m[2]!,
      target: kind === 'resource' ? m[3]!.split('@')[0]! : m[3]!,
      existing: Boolean(m[4]),
      scope: topLevelValue(t, open, 'scope'),
      name: topLevelValue(t, open, 'name'),
      header: t.noComments.slice(afterEq, open).trim(),
      body: [open, close],
      line: t.code.slice(0, m.index).split('\n').length,
    };
  });
}

/** Identifiers used in the text range [from, to). */
export function identifiersIn(t: BicepText, from: number, to: number): string[] {
  return [...new Set(identifierUses(t).filter((u) => u.index >= from && u.index < to).map((u) => u.name))];
}

/**
 * The parameters a set of expressions depends on, following variables transitively (a variable's value is the
 * text from `var x =` to the next top-level declaration).
 */
export function parameterDependencies(t: BicepText, identifiers: string[]): string[] {
  const d = declarations(t);
  const params = new Set(d.params.map((p) => p.name));
  const declStarts = [...t.code.matchAll(/^(var|param|resource|module|output|metadata|targetScope|type|func|@)/gm)].map((m) => m.index!);
  const varRange = (name: string): [number, number] | undefined => {
    const m = new RegExp(`^var\\s+${name}\\s*=`, 'm').exec(t.code);
    if (!m) return undefined;
    const end = declStarts.find((s) => s > m.index!) ?? t.code.length;
    return [m.index! + m[0].length, end];
  };
  const seen = new Set<string>();
  const out = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    if (params.has(name)) out.add(name);
    const range = varRange(name);
    if (range) for (const id of identifiersIn(t, range[0], range[1])) visit(id);
  };
  identifiers.forEach(visit);
  return [...out].sort();
}
