import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ref } from './registry';

export interface EndpointSpec {
  summary: string;
  description?: string;
  tag: string;
  /** Success status and body schema (omit the schema for an empty body, e.g. 204). */
  status?: number;
  response?: z.ZodType;
  responseDescription?: string;
  /** Problem statuses this route can answer with, besides those of its policy (401, 403, 429). */
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'The request is not valid; `errors` lists each field.',
  401: 'Not signed in (or the session/token expired or was revoked).',
  403: 'Signed in but not allowed (role, scope, or a missing CSRF token).',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflict: the record changed meanwhile, or already exists.',
  429: 'Too many requests; wait for `Retry-After` seconds.',
  502: 'A backing service is not reachable.',
  504: 'A backing service did not answer in time.',
};

const problem = (status: number) =>
  ApiResponse({ status, description: ERROR_TEXT[status] ?? 'Error.', content: { 'application/problem+json': { schema: ref('Problem') } } });

/**
 * Documents a route from its zod schemas: summary, tag, success body and the problems it can
 * answer. The policy decorator (@Allow/@Public) adds security requirements when the document is
 * built, so the two cannot disagree.
 */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  const status = spec.status ?? 200;
  return applyDecorators(
    ApiTags(spec.tag),
    ApiOperation({ summary: spec.summary, description: spec.description }),
    spec.response
      ? ApiResponse({ status, description: spec.responseDescription ?? 'Success.', standardSchema: spec.response })
      : ApiResponse({ status, description: spec.responseDescription ?? 'Success.' }),
    ...[...new Set([...(spec.errors ?? []), 429])].map(problem),
  );
}
