import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// zod-to-openapi's `.openapi(name)` exists once zod is extended; this module is imported by every
// schema module that names a component, so the extension always runs before the first name.
extendZodWithOpenApi(z);

/**
 * Names a schema as an OpenAPI component: the document defines it once under
 * `components.schemas.<name>` and refers to it with `$ref` wherever it is used, and SDK generators
 * make a named type of it. Name a schema in its final form, where it is exported: refinements and
 * `.optional()` carry the name along, while `.partial()`, `.pick()` or `.omit()` make an unnamed
 * schema (inlined), and `.extend()` one that is `allOf` the named base and its new fields.
 */
export function component<T extends z.ZodType>(name: string, schema: T): T {
  if (named.has(name)) throw new Error(`component ${name} is named twice`);
  const result = schema.openapi(name);
  // zod-to-openapi reads a nullable's name through to the component, and documents the nullable
  // use as the component itself (null lost: a nullable Amount) or as `allOf` of it and null (null
  // refused: nullable totals). The same values as a union it documents as `anyOf: [$ref, null]`.
  // (a union of a union is flattened into one: the description is said again on it)
  const { description } = schema;
  const orNull = () => z.union([result, z.null()]);
  Object.assign(result, {
    nullable: () => (description ? orNull().describe(description) : orNull()),
  });
  named.set(name, result);
  names.set(result, name);
  return result;
}

const named = new Map<string, z.ZodType>();
const names = new WeakMap<z.ZodType, string>();

/** The component name `component` gave this very schema, if any. */
export function componentName(schema: z.ZodType): string | undefined {
  return names.get(schema);
}

/**
 * Every named schema, for the document to register before its paths: a component is then
 * generated from its own form, and a use such as `invoiceTotals.nullable()` becomes
 * `anyOf: [$ref, null]` instead of lending the component its null.
 */
export function namedComponents(): ReadonlyMap<string, z.ZodType> {
  return named;
}
