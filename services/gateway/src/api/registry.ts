import { z } from 'zod';

/**
 * The public API's named schemas. Zod schemas are the single source of truth: the same object
 * validates a request (ZodPipe), becomes an OpenAPI component (z.toJSONSchema) and feeds the
 * machine-readable schema at /api/v1/schema. Request bodies are rendered as zod *inputs*,
 * responses as *outputs*.
 */
export const requestSchemas = z.registry<{ id: string }>();
export const responseSchemas = z.registry<{ id: string }>();

export interface EntityMeta {
  /** Entity name as machine clients see it. */
  name: string;
  /** OpenAPI tag whose operations read or change it. */
  tag: string;
  /** API-token scope needed to read it; none: people only. */
  scope?: string;
}

/** Registers a request body (or query) schema under `id`, with a description. */
export function requestSchema<T extends z.ZodType>(id: string, description: string, schema: T): T {
  const described = schema.meta({ description }) as T;
  requestSchemas.add(described, { id });
  return described;
}

/** Registers a response schema under `id`; `entity` marks it as a queryable entity for /api/v1/schema. */
export function responseSchema<T extends z.ZodType>(id: string, description: string, schema: T, entity?: EntityMeta): T {
  const described = schema.meta({ description, ...(entity ? { 'x-pace-entity': entity } : {}) }) as T;
  responseSchemas.add(described, { id });
  return described;
}

/** A field holding the id of another entity (a relation, for /api/v1/schema). */
export function reference<T extends z.ZodType>(schema: T, entity: string, description: string): T {
  return schema.meta({ description, 'x-pace-references': entity }) as T;
}

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The list convention, once: `{ items, nextCursor }`. */
export function pageOf<T extends z.ZodType>(id: string, item: T, what: string) {
  return responseSchema(
    id,
    `A page of ${what}, newest first. Pass \`nextCursor\` as \`cursor\` for the next page; null on the last.`,
    z.object({ items: z.array(item), nextCursor: z.string().nullable() }),
  );
}

/** RFC 9457 problem details, as every error is answered. */
export const problemSchema = responseSchema(
  'Problem',
  'RFC 9457 problem details. `code` is stable and machine-readable; `errors` lists each invalid field.',
  z
    .object({
      type: z.string().describe('URI identifying the problem type.'),
      title: z.string(),
      status: z.number().int(),
      detail: z.string().optional().describe('What went wrong and, where possible, how to fix it.'),
      instance: z.string().optional().describe('The request path.'),
      code: z.string().optional().describe('Stable machine-readable code, e.g. `applicant-not-found`.'),
      requestId: z.string().optional().describe('Quote it when reporting a problem.'),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .catchall(z.unknown()),
);
