import { PUBLIC_ROUTES, type RouteSpec } from '@ledgerline/contracts';

interface PathMethods {
  match: RegExp;
  methods: Set<string>;
  /** How many `{param}`s the path has: a literal segment is more specific than a parameter. */
  params: number;
}

/** `/api/bills/invoices/{id}` matches `/api/bills/invoices/inv_1` and `/api/bills/invoices/inv_1/`. */
function templateRegex(path: string): RegExp {
  const escaped = path
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

export function documentedMethods(routes: RouteSpec[]): PathMethods[] {
  const byPath = new Map<string, PathMethods>();
  for (const r of routes) {
    const entry = byPath.get(r.path) ?? {
      match: templateRegex(r.path),
      methods: new Set<string>(),
      params: (r.path.match(/\{\w+\}/g) ?? []).length,
    };
    entry.methods.add(r.method.toUpperCase());
    byPath.set(r.path, entry);
  }
  return [...byPath.values()];
}

const DOCUMENTED = documentedMethods(PUBLIC_ROUTES);

/**
 * The methods the public API documents for a path, or null when the path is not documented at
 * all (the owning service answers it). A documented path asked with another method gets 405 and
 * an Allow header, as HTTP says, instead of a misleading 404.
 */
export function allowedMethods(path: string, paths: PathMethods[] = DOCUMENTED): string[] | null {
  const matching = paths.filter((p) => p.match.test(path));
  if (matching.length === 0) return null;
  // `/api/bills/invoices/history` is that route, not an invoice id: the most specific paths win
  const fewest = Math.min(...matching.map((p) => p.params));
  const methods = new Set(
    matching.filter((p) => p.params === fewest).flatMap((p) => [...p.methods]),
  );
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}
