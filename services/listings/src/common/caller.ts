import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { UnauthenticatedError } from './errors';

/**
 * Who is calling. The ONE place that reads the gateway's identity headers: when `@pace/auth`
 * (a signed caller context) lands, only this file changes.
 */
export type Role = 'agent' | 'manager' | 'admin';

export interface Caller {
  userId: string;
  role: Role;
  /** Teams the caller belongs to (a Manager may lead several). */
  teamIds: string[];
}

const teamId = z.uuid();

const headers = z.object({
  'x-pace-user-id': z.uuid(),
  'x-pace-role': z.enum(['agent', 'manager', 'admin']),
  'x-pace-team-id': z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const id of ids) {
        if (!teamId.safeParse(id).success) {
          ctx.addIssue({ code: 'custom', message: 'must be team ids (UUIDs), comma-separated' });
          return z.NEVER;
        }
      }
      return [...new Set(ids)];
    }),
});

export function callerFromHeaders(raw: Record<string, string | string[] | undefined>): Caller {
  const pick = (name: string) => {
    const v = raw[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const parsed = headers.safeParse({
    'x-pace-user-id': pick('x-pace-user-id'),
    'x-pace-role': pick('x-pace-role'),
    'x-pace-team-id': pick('x-pace-team-id'),
  });
  if (!parsed.success) throw new UnauthenticatedError();
  return { userId: parsed.data['x-pace-user-id'], role: parsed.data['x-pace-role'], teamIds: parsed.data['x-pace-team-id'] };
}

/** `@CurrentCaller() caller: Caller` in a controller method; 401 problem when absent or malformed. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return callerFromHeaders(ctx.switchToHttp().getRequest<Request>().headers);
});

/** The actor recorded in audit rows for work nobody asked for (the permit sweep). */
export const SYSTEM_ACTOR = { userId: 'system', role: 'system' } as const;
