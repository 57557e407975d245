import type { z } from 'zod';

/** The topic families of the bus (see TOPICS in events.ts). */
export type EventTopicFamily = 'auth' | 'tenants' | 'customers' | 'billing' | 'payments';

/**
 * One catalogue entry: topic family, schema version, payload schema, and the partition key that
 * keeps one aggregate's events in order.
 */
export function defineEvent<S extends z.ZodObject, T extends EventTopicFamily>(spec: {
  topic: T;
  version: number;
  schema: S;
  key: (data: z.infer<S>) => string;
}) {
  return spec;
}

/**
 * An entry at schema version 1, where every event of the bus still is: its topic family, payload
 * schema and partition key. A later version of an event is written out with defineEvent.
 */
export function eventV1<S extends z.ZodObject, T extends EventTopicFamily>(
  topic: T,
  schema: S,
  key: (data: z.infer<S>) => string,
) {
  return defineEvent({ topic, version: 1, schema, key });
}
