/**
 * KQL lexer: turns the query text into tokens with positions. Handles `//` comments, single- and
 * double-quoted strings with backslash escapes, verbatim strings (`@'...'`, `@"..."`), integers and reals,
 * identifiers, and the multi-character operators of the supported subset (`==`, `!=`, `=~`, `!~`, `<=`,
 * `>=`, `..`, `in~`, `!in`, `!in~`, `!has`, `!contains`, `!startswith`, `!endswith` and their `_cs` forms).
 */
import { KqlError, type KqlPosition } from './errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** For strings: the decoded value; for numbers: the numeric value. */
  value?: string | number;
  /** For numbers: whether the literal is a real (has a dot or exponent). */
  isReal?: boolean;
  pos: KqlPosition;
  /** Offset just past the token. */
  end: number;
}

/** Words that, prefixed by `!`, form one negated operator token. */
const NEGATABLE = new Set([
  'in', 'has', 'contains', 'startswith', 'endswith', 'has_cs', 'contains_cs', 'startswith_cs', 'endswith_cs',
  'hasprefix', 'hassuffix',
]);

const PUNCT2 = ['==', '!=', '=~', '!~', '<=', '>=', '..', '<>'];
const PUNCT1 = '|()[]{},.=<>+-*/%:;!';

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const posAt = (offset: number): KqlPosition => ({ offset, line, column: offset - lineStart });
  const fail = (offset: number, token: string, message: string): never => {
    throw new KqlError('ParserFailure', message, posAt(offset), token);
  };

  while (i < text.length) {
    const c = text[i];
    // whitespace
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    // comments
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const pos = posAt(start);

    // verbatim strings @'...' / @"..." (a doubled quote stands for one quote)
    if (c === '@' && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const q = text[i + 1];
      i += 2;
      let value = '';
      for (;;) {
        if (i >= text.length || text[i] === '\n') fail(start, text.slice(start, i), 'Unterminated string literal');
        if (text[i] === q) {
          if (text[i + 1] === q) {
            value += q;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), value, pos, end: i });
      continue;
    }

    // quoted strings with escapes
    if (c === "'" || c === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length || text[i] === '\n') fail(start, text.slice(start, i), 'Unterminated string literal');
        const ch = text[i];
        if (ch === c) {
          i++;
          break;
        }
        if (ch === '\\') {
          const e = text[i + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
          if (e !== undefined && simple[e] !== undefined) {
            value += simple[e];
            i += 2;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          fail(i, text.slice(i, i + 2), 'Invalid escape sequence in string literal');
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), value, pos, end: i });
      continue;
    }

    // numbers: 12, 1.5, .5 is not supported (KQL requires a leading digit), 1e3
    if (isDigit(c)) {
      while (i < text.length && isDigit(text[i])) i++;
      let isReal = false;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        isReal = true;
        i++;
        while (i < text.length && isDigit(text[i])) i++;
      }
      if ((text[i] === 'e' || text[i] === 'E') && /[0-9+-]/.test(text[i + 1] ?? '')) {
        isReal = true;
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!isDigit(text[i] ?? '')) fail(start, text.slice(start, i), 'Malformed number');
        while (i < text.length && isDigit(text[i])) i++;
      }
      if (isIdentPart(text[i] ?? '')) {
        while (i < text.length && isIdentPart(text[i])) i++;
        fail(start, text.slice(start, i), 'Malformed number');
      }
      const raw = text.slice(start, i);
      tokens.push({ kind: 'number', text: raw, value: Number(raw), isReal, pos, end: i });
      continue;
    }

    // identifiers (and `in~`)
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i])) i++;
      let word = text.slice(start, i);
      if (word === 'in' && text[i] === '~') {
        i++;
        word = 'in~';
        tokens.push({ kind: 'op', text: word, pos, end: i });
        continue;
      }
      tokens.push({ kind: 'ident', text: word, pos, end: i });
      continue;
    }

    // negated word operators: !in, !in~, !has, !contains, ...
    if (c === '!' && isIdentStart(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      const word = text.slice(i + 1, j);
      if (NEGATABLE.has(word)) {
        if (word === 'in' && text[j] === '~') j++;
        i = j;
        tokens.push({ kind: 'op', text: text.slice(start, i), pos, end: i });
        continue;
      }
    }

    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      i += 2;
      tokens.push({ kind: 'op', text: two, pos, end: i });
      continue;
    }
    if (PUNCT1.includes(c)) {
      i++;
      tokens.push({ kind: 'op', text: c, pos, end: i });
      continue;
    }
    fail(start, c, `Unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: posAt(i), end: i });
  return tokens;
}
