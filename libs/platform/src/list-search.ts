import type { ListQuery } from '@ledgerline/contracts';

/** What a list's free-text search reads from the query (`search`/`q`, and `q_f`). */
export type SearchQuery = Pick<ListQuery, 'search' | 'searchFields'>;

/**
 * The fields a list searches, by the name clients give in `q_f`: a list when that name is also the
 * stored field, or a record of public name -> stored field when they differ (`id` -> `_id`).
 */
export type SearchFields = readonly string[] | Readonly<Record<string, string>>;

/** Conditions for searchable names that are not a stored text field (a customer's name, say). */
export type SearchExtras = Readonly<Record<string, Record<string, unknown>>>;

/** The text as a regular expression matching itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function storedFieldsOf(fields: SearchFields): Record<string, string> {
  if (!Array.isArray(fields)) return { ...(fields as Record<string, string>) };
  return Object.fromEntries((fields as readonly string[]).map((f) => [f, f]));
}

/**
 * The searchable names a query's search covers: those `q_f` names, or all of them when it names
 * none of them (a misspelt field still searches rather than answering nothing); none without a
 * search.
 */
export function searchedNames(query: SearchQuery, names: readonly string[]): string[] {
  if (!query.search) return [];
  const chosen = query.searchFields?.filter((f) => names.includes(f)) ?? [];
  return chosen.length > 0 ? chosen : [...names];
}

/**
 * A case-insensitive "contains" search over `fields` and `extras` (the subset `q_f` names, if
 * any), as one `$or` filter; null when there is nothing to search. The text is matched literally.
 */
export function searchClause(
  query: SearchQuery,
  fields: SearchFields,
  extras: SearchExtras = {},
): { $or: Record<string, unknown>[] } | null {
  if (!query.search) return null;
  const stored = storedFieldsOf(fields);
  const names = searchedNames(query, [...Object.keys(stored), ...Object.keys(extras)]);
  const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
  return {
    $or: names.map((name) => extras[name] ?? { [stored[name] as string]: pattern }),
  };
}

/**
 * The same search for a list built in memory: whether any searched value (by q_f name) contains
 * the text, case-insensitively; true without a search.
 */
export function matchesSearch(
  query: SearchQuery,
  values: Readonly<Record<string, string | null | undefined>>,
): boolean {
  if (!query.search) return true;
  const text = query.search.toLowerCase();
  return searchedNames(query, Object.keys(values)).some((name) =>
    (values[name] ?? '').toLowerCase().includes(text),
  );
}
