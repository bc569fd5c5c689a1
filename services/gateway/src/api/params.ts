import { Body, type ExecutionContext, Param, Query, createParamDecorator } from '@nestjs/common';
import type { z } from 'zod';
import { ZodPipe } from '@pace/http';

/*
 * Request inputs validated by a zod schema (400 problem+json listing every field otherwise). The
 * schema is also handed to Nest as the parameter's Standard Schema, which is how @nestjs/swagger
 * documents it: one object, two uses.
 */
export const ZodBody = (schema: z.ZodType) => Body({ schema, pipes: [new ZodPipe(schema)] });
/** `documentAs`: the plain object of parameters, when `schema` adds refinements OpenAPI cannot show. */
export const ZodQuery = (schema: z.ZodType, documentAs: z.ZodType = schema) => Query({ schema: documentAs, pipes: [new ZodPipe(schema)] });
export const ZodParam = (name: string, schema: z.ZodType) => Param(name, { schema, pipes: [new ZodPipe(schema, name)] });

const header = createParamDecorator((name: string, context: ExecutionContext) => context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[name.toLowerCase()]);
/** A request header, validated like the rest (document it with `@ApiHeader`). */
export const ZodHeader = (name: string, schema: z.ZodType) => header(name, new ZodPipe(schema, name));
