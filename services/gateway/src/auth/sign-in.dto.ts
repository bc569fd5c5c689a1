import { z } from 'zod';
import { SCOPE_NAMES } from '@pace/auth';
import { responseSchema } from '../api/registry';
import { userView } from '../identity/users.dto';

/** A same-origin path: no scheme, no `//host`, no backslashes (open-redirect proof). */
const returnTo = z
  .string()
  .max(512)
  .regex(/^\/(?![/\\])[^\\\s]*$/, 'must be a path on this site, starting with a single /')
  .describe('Where to go after signing in (a path on the frontend).');

export const loginQuery = z.object({
  returnTo: returnTo.optional(),
  login_hint: z.email().max(254).optional().describe('Pre-selects the Google account.'),
});
export type LoginQuery = z.infer<typeof loginQuery>;

export const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuery>;

export const meView = responseSchema(
  'Me',
  'Who is calling: a signed-in person (with their CSRF token when signed in by cookie) or a machine principal.',
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('user'),
      user: userView,
      csrfToken: z.string().nullable().describe('Echo in `x-csrf-token` on POST/PATCH/DELETE when using the session cookie.'),
    }),
    z.object({ kind: z.literal('service'), id: z.uuid(), name: z.string(), scopes: z.array(z.enum(SCOPE_NAMES as [string, ...string[]])) }),
  ]),
);
export type MeView = z.infer<typeof meView>;
