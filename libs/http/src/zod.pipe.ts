import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationError } from './errors';

/** Converts zod issues to per-field problems, as clients see them in `errors`. */
export function fieldProblems(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Validates (and normalises) a body or query with a zod schema; 400 with every problem otherwise. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new ValidationError(fieldProblems(result.error));
    return result.data;
  }
}
