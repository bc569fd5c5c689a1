import { Controller, Get } from '@nestjs/common';
import { ANY_ROLE, Allow, type Caller, type Role } from '@pace/auth';
import { z } from 'zod';
import { CurrentCaller } from '../auth/request';
import { Endpoint } from './endpoint';
import { ApiDocument } from './openapi';
import { type EntityMeta, responseSchema } from './registry';

type Json = Record<string, unknown>;

const fieldView = z.object({
  name: z.string(),
  type: z.string().describe('JSON type: string, integer, number, boolean, array, object.'),
  format: z.string().nullable().describe('e.g. uuid, date-time, email.'),
  description: z.string().nullable(),
  enum: z.array(z.string()).nullable(),
  required: z.boolean(),
  nullable: z.boolean(),
  references: z.string().nullable().describe('The entity this field holds the id of.'),
});

const schemaView = responseSchema(
  'ApiSchema',
  'The entities a caller may query: fields (type, format, description, enum), relations and the operations that read them. Derived from the same zod schemas as the OpenAPI document.',
  z.object({
    entities: z.array(
      z.object({
        name: z.string(),
        description: z.string().nullable(),
        requiredScope: z.string().nullable().describe('API-token scope needed to read it; null: people only.'),
        fields: z.array(fieldView),
        relations: z.array(z.object({ field: z.string(), entity: z.string(), kind: z.literal('many-to-one') })),
        operations: z.array(z.object({ method: z.string(), path: z.string(), summary: z.string(), parameters: z.array(z.string()) })),
      }),
    ),
    conventions: z.object({ pagination: z.string(), errors: z.string(), openapi: z.string() }),
  }),
);
type SchemaView = z.infer<typeof schemaView>;

interface Access {
  roles: Role[];
  scopes: string[];
}

function mayCall(caller: Caller, access: Access | undefined): boolean {
  if (!access) return true;
  return caller.kind === 'user' ? access.roles.includes(caller.role) : caller.scopes.some((s) => access.scopes.includes(s));
}

function describeField(name: string, property: Json, required: boolean): z.infer<typeof fieldView> {
  let schema = property;
  let nullable = false;
  const variants = (property.anyOf ?? property.oneOf) as Json[] | undefined;
  if (variants) {
    nullable = variants.some((v) => v.type === 'null');
    schema = { ...property, ...(variants.find((v) => v.type !== 'null') ?? {}) };
  }
  let type = schema.type as string | string[] | undefined;
  if (Array.isArray(type)) {
    nullable ||= type.includes('null');
    type = type.find((t) => t !== 'null');
  }
  return {
    name,
    type: type ?? 'any',
    format: typeof schema.format === 'string' ? schema.format : null,
    description: typeof property.description === 'string' ? property.description : typeof schema.description === 'string' ? schema.description : null,
    enum: Array.isArray(schema.enum) ? (schema.enum as unknown[]).map(String) : null,
    required,
    nullable,
    references: typeof property['x-pace-references'] === 'string' ? property['x-pace-references'] : null,
  };
}

/**
 * INTF-AI-02: `GET /api/v1/schema`. Read off the OpenAPI document (whose schemas are generated
 * from the zod DTOs), never written by hand: entity schemas are the components marked as
 * entities, and operations are the documented routes of their tag the caller may call.
 */
@Controller('api/v1/schema')
export class SchemaController {
  constructor(private readonly docs: ApiDocument) {}

  @Get()
  @Allow({ roles: ANY_ROLE, scopes: ['schema:read'] })
  @Endpoint({ tag: 'schema', summary: 'Entities, fields and relations a caller may query', response: schemaView, errors: [401, 403] })
  get(@CurrentCaller() caller: Caller): SchemaView {
    const document = this.docs.document;
    const schemas = (document?.components?.schemas ?? {}) as Record<string, Json>;
    const entities: SchemaView['entities'] = [];
    for (const schema of Object.values(schemas)) {
      const entity = schema['x-pace-entity'] as EntityMeta | undefined;
      if (!entity) continue;
      if (caller.kind === 'service' && !(entity.scope && caller.scopes.includes(entity.scope as never))) continue;
      if (caller.kind === 'user' && !entity.scope && caller.role !== 'admin') continue;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const fields = Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([name, property]) => describeField(name, property, required.has(name)));
      const operations: SchemaView['entities'][number]['operations'] = [];
      for (const [path, item] of Object.entries(document?.paths ?? {})) {
        for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
          if (!Array.isArray(operation.tags) || !operation.tags.includes(entity.tag)) continue;
          if (!mayCall(caller, operation['x-pace-access'] as Access | undefined)) continue;
          const parameters = ((operation.parameters as Json[] | undefined) ?? []).map((p) => `${String(p.name)} (${String(p.in)})`);
          operations.push({ method: method.toUpperCase(), path, summary: String(operation.summary ?? ''), parameters });
        }
      }
      entities.push({
        name: entity.name,
        description: typeof schema.description === 'string' ? schema.description : null,
        requiredScope: entity.scope ?? null,
        fields,
        relations: fields.filter((f) => f.references).map((f) => ({ field: f.name, entity: f.references!, kind: 'many-to-one' as const })),
        operations,
      });
    }
    return {
      entities,
      conventions: {
        pagination: 'Lists take ?limit= (1–200, default 50) and an opaque ?cursor=; they answer { items, nextCursor } (null on the last page).',
        errors: 'RFC 9457 application/problem+json with a stable `code`; invalid input lists `errors: [{ field, message }]`.',
        openapi: '/api/openapi.json',
      },
    };
  }
}
