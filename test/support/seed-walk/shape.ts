/**
 * The documented fields of an answer and their types, as a small literal language:
 * - a type name: 'string', 'number', 'int', 'boolean', 'object', 'array', 'money' (a decimal
 *   string with two digits, BRIEF.md's money), 'date' (YYYY-MM-DD), 'datetime' (ISO 8601),
 *   or several joined by '|' ('string|null');
 * - `[spec]`: a non-empty array whose every item matches spec;
 * - `{field: spec}`: an object holding at least these fields (others are allowed).
 */
export type Shape = string | Shape[] | ObjectShape;
export interface ObjectShape {
  [field: string]: Shape;
}

const TYPE_CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  int: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  money: (v) => typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  datetime: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v),
};

/** Every way `value` departs from `shape`, as "path: problem" lines (empty when it matches). */
export function shapeErrors(value: unknown, shape: Shape, at = 'data'): string[] {
  if (typeof shape === 'string') {
    const types = shape.split('|');
    for (const t of types) if (!TYPE_CHECKS[t]) throw new Error(`unknown type ${t} in shape`);
    return types.some((t) => TYPE_CHECKS[t]!(value))
      ? []
      : [`${at}: expected ${shape}, got ${JSON.stringify(value)?.slice(0, 80)}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${at}: expected an array, got ${typeof value}`];
    if (value.length === 0) return [`${at}: expected at least one item`];
    return value.flatMap((item, i) => shapeErrors(item, shape[0]!, `${at}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${at}: expected an object, got ${JSON.stringify(value)?.slice(0, 80)}`];
  }
  const record = value as Record<string, unknown>;
  return Object.entries(shape).flatMap(([field, spec]) =>
    field in record
      ? shapeErrors(record[field], spec, `${at}.${field}`)
      : [`${at}.${field}: missing`],
  );
}
