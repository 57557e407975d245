import { PUBLIC_ROUTES, type RouteSpec } from '@ledgerline/contracts';

interface PathMethods {
  /** The documented template, `/api/bills/invoices/{id}`. */
  path: string;
  match: RegExp;
  methods: Set<string>;
  /** How many `{param}`s the path has: a literal segment is more specific than a parameter. */
  params: number;
  /** The answer when this template alone matches, made on first use. */
  allowed?: string[];
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
      path: r.path,
      match: templateRegex(r.path),
      methods: new Set<string>(),
      params: (r.path.match(/\{\w+\}/g) ?? []).length,
    };
    entry.methods.add(r.method.toUpperCase());
    byPath.set(r.path, entry);
  }
  return [...byPath.values()];
}

/**
 * The documented paths grouped by segment count and first two segments (`*` where a template has
 * a parameter there), so that a request tests the few templates that could match instead of every
 * one of them: this runs on every proxied request. The regex still decides.
 */
export interface PathIndex {
  byKey: Map<string, PathMethods[]>;
}

function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

export function indexPaths(paths: PathMethods[]): PathIndex {
  const byKey = new Map<string, PathMethods[]>();
  for (const entry of paths) {
    const segments = segmentsOf(entry.path);
    const [a = '', b = ''] = segments.map((s) => (/\{\w+\}/.test(s) ? '*' : s));
    const key = `${segments.length} ${a} ${b}`;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  return { byKey };
}

function candidates(index: PathIndex, path: string): PathMethods[] {
  const segments = segmentsOf(path);
  const [a = '', b = ''] = segments;
  const n = segments.length;
  const found: PathMethods[] = [];
  for (const key of [`${n} ${a} ${b}`, `${n} ${a} *`, `${n} * ${b}`, `${n} * *`]) {
    const list = index.byKey.get(key);
    if (list) found.push(...list);
  }
  return found;
}

const DOCUMENTED = indexPaths(documentedMethods(PUBLIC_ROUTES));

/**
 * The methods the public API documents for a path, or null when the path is not documented at
 * all (the owning service answers it). A documented path asked with another method gets 405 and
 * an Allow header, as HTTP says, instead of a misleading 404.
 */
export function allowedMethods(
  path: string,
  paths: PathMethods[] | PathIndex = DOCUMENTED,
): string[] | null {
  const matching = (Array.isArray(paths) ? paths : candidates(paths, path)).filter((p) =>
    p.match.test(path),
  );
  if (matching.length === 0) return null;
  // the usual case, one template: its answer is made once
  if (matching.length === 1) return (matching[0]!.allowed ??= withImplied(matching[0]!.methods));
  // `/api/bills/invoices/history` is that route, not an invoice id: the most specific paths win
  const fewest = Math.min(...matching.map((p) => p.params));
  return withImplied(
    new Set(matching.filter((p) => p.params === fewest).flatMap((p) => [...p.methods])),
  );
}

function withImplied(documented: Set<string>): string[] {
  const methods = new Set(documented);
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}
