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
  const named = schema.openapi(name);
  names.set(named, name);
  return named;
}

const names = new WeakMap<z.ZodType, string>();

/** The component name `component` gave this very schema, if any. */
export function componentName(schema: z.ZodType): string | undefined {
  return names.get(schema);
}
