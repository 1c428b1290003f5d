/**
 * HTTP trigger route templates, matched like ASP.NET Core routing in the Functions host:
 * literal segments are case-insensitive; `{name}`, optional `{name?}`, defaults `{name=value}`,
 * catch-all `{*rest}`, and the common constraints `int`, `long`, `double`, `bool`, `guid`, `alpha`,
 * `minlength(n)`, `maxlength(n)`, `length(n)`, `min(n)`, `max(n)`, `regex(...)`.
 * When several routes match, the one with more literal segments wins.
 */

interface Segment {
  literal?: string;
  param?: { name: string; optional: boolean; catchAll: boolean; defaultValue?: string; constraints: string[] };
}

export interface CompiledRoute {
  template: string;
  segments: Segment[];
  literalCount: number;
}

export function compileRoute(template: string): CompiledRoute {
  const segments: Segment[] = [];
  for (const raw of template.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s.length > 0)) {
    const m = /^\{(\*{1,2})?([A-Za-z_][\w]*)((?::[^}=?]+(?:\([^)]*\))?)*)(\?)?(?:=([^}]*))?\}$/.exec(raw);
    if (m) {
      const constraints = (m[3] ?? '')
        .split(':')
        .filter((c) => c.length > 0);
      segments.push({
        param: {
          name: m[2]!,
          catchAll: !!m[1],
          optional: !!m[4] || m[5] !== undefined || !!m[1],
          defaultValue: m[5],
          constraints,
        },
      });
    } else {
      segments.push({ literal: raw });
    }
  }
  return { template, segments, literalCount: segments.filter((s) => s.literal !== undefined).length };
}

function satisfies(value: string, constraint: string): boolean {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(constraint);
  if (!m) return true;
  const [, name, arg] = m;
  switch (name!.toLowerCase()) {
    case 'int':
    case 'long':
      return /^-?\d+$/.test(value);
    case 'double':
    case 'decimal':
    case 'float':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'guid':
      return /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(value);
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'minlength':
      return value.length >= Number(arg);
    case 'maxlength':
      return value.length <= Number(arg);
    case 'length':
      return value.length === Number(arg);
    case 'min':
      return Number(value) >= Number(arg);
    case 'max':
      return Number(value) <= Number(arg);
    case 'regex':
      return new RegExp(arg ?? '').test(value);
    default:
      return true;
  }
}

/** Route parameters when `path` (without the `api/` prefix) matches, else undefined. */
export function matchRoute(route: CompiledRoute, path: string): Record<string, string> | undefined {
  const parts = path.split('/').filter((s) => s.length > 0);
  const params: Record<string, string> = {};
  let i = 0;
  for (const seg of route.segments) {
    if (seg.literal !== undefined) {
      const part = parts[i];
      if (part === undefined || safeDecode(part).toLowerCase() !== seg.literal.toLowerCase()) return undefined;
      i++;
      continue;
    }
    const p = seg.param!;
    if (p.catchAll) {
      const rest = parts.slice(i).map(safeDecode).join('/');
      if (rest.length > 0) params[p.name] = rest;
      else if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
      i = parts.length;
      continue;
    }
    const part = parts[i];
    if (part === undefined) {
      if (!p.optional) return undefined;
      if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
      continue;
    }
    const value = safeDecode(part);
    if (!p.constraints.every((c) => satisfies(value, c))) return undefined;
    params[p.name] = value;
    i++;
  }
  return i === parts.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
