import { AppError } from '@ledgerline/contracts';

/**
 * How deeply a request body may nest objects and arrays. The deepest body the API documents is
 * about five levels (an invoice's lines, an entitlement's priced rows); 32 leaves room for any
 * client while keeping every walk over input short. `{}` is depth 1, `{"a":[{}]}` depth 3.
 */
export const MAX_JSON_DEPTH = 32;

export function tooDeepError(limit = MAX_JSON_DEPTH): AppError {
  return AppError.validation('Request body is nested too deeply', [
    { field: 'body', message: `objects and arrays must not nest more than ${limit} levels` },
  ]);
}

/**
 * Whether a parsed JSON value nests deeper than `limit`. Iterative (an explicit stack, no
 * recursion), so a hostile depth cannot overflow the call stack; it stops at the first container
 * past the limit.
 */
export function exceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const current = next.value;
    if (current === null || typeof current !== 'object') continue;
    if (next.depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}
