import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationError } from './errors';

/** Converts zod issues to per-field problems, as clients see them in `errors`. */
export function fieldProblems(error: z.ZodError, whole = '(body)'): { field: string; message: string }[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || whole, message: issue.message }));
}

/** Validates (and normalises) a body or query with a zod schema; 400 with every problem otherwise. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  /** `name`: what a problem with the whole value is called (a path parameter's name); `(body)` otherwise. */
  constructor(
    private readonly schema: S,
    private readonly name?: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new ValidationError(fieldProblems(result.error, this.name));
    return result.data;
  }
}
