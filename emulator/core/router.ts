import type { HttpMethod, RouteDef, RouteParams } from './types';

interface CompiledRoute {
  def: RouteDef;
  /** Lower-cased literal, or null for a `{param}` segment. */
  segments: Array<{ literal: string | null; param?: string }>;
}

export type RouteMatch =
  | { kind: 'match'; route: RouteDef; params: RouteParams }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * Matches decoded request paths against `RouteDef` templates. Literal segments compare case-insensitively,
 * each `{x}` takes one segment. When several templates match, the most specific wins: compared segment by
 * segment from the left, a literal beats a placeholder (so `.../virtualNetworkLinks/{link}` beats
 * `.../{recordType}/{name}`).
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(def: RouteDef): void {
    const segments = splitPath(def.template).map((s) => {
      const m = /^\{([^}]+)\}$/.exec(s);
      return m ? { literal: null, param: m[1] } : { literal: s.toLowerCase() };
    });
    this.routes.push({ def, segments });
  }

  addAll(defs: RouteDef[]): void {
    for (const d of defs) this.add(d);
  }

  get size(): number {
    return this.routes.length;
  }

  match(method: string, path: string): RouteMatch {
    const parts = splitPath(path);
    const lower = parts.map((p) => p.toLowerCase());
    const candidates: Array<{ route: CompiledRoute; params: RouteParams }> = [];
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: RouteParams = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i];
        if (seg.literal === null) params[seg.param as string] = parts[i];
        else if (seg.literal !== lower[i]) {
          ok = false;
          break;
        }
      }
      if (ok) candidates.push({ route, params });
    }
    if (candidates.length === 0) return { kind: 'not-found' };
    const sameMethod = candidates.filter((c) => c.route.def.method === method.toUpperCase());
    if (sameMethod.length === 0) {
      return { kind: 'method-not-allowed', allowed: [...new Set(candidates.map((c) => c.route.def.method))] };
    }
    sameMethod.sort((a, b) => compareSpecificity(a.route, b.route));
    return { kind: 'match', route: sameMethod[0].route.def, params: sameMethod[0].params };
  }
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < a.segments.length; i++) {
    const la = a.segments[i].literal !== null;
    const lb = b.segments[i].literal !== null;
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
}
