import { randomBytes } from 'node:crypto';
import { startFakeGoogle } from '@pace/testing';

export const LOCAL_DOMAIN = 'pace.test';
export const LOCAL_ADMIN = `admin@${LOCAL_DOMAIN}`;

export interface LocalIdentity {
  /** Variables for the services: the signing secret for every one, OIDC settings for the gateway. */
  env: Record<string, string>;
  /** What to print for people: how to sign in. */
  hint: string;
  stop: () => Promise<void>;
}

/**
 * Sign-in that works out of the box for `npm start` and `start:stack`: unless OIDC_ISSUER names a
 * real provider, a local OpenID provider (the same fake Google the tests use) issues ID tokens
 * for any `<name>@pace.test` picked with `login_hint`, and admin@pace.test becomes the first admin.
 * The gateway verifies those tokens exactly as it verifies Google's; nothing is bypassed.
 * A random caller-signing secret is made per run unless CALLER_SIGNING_SECRET is set.
 */
export async function localIdentity(gatewayUrl: string): Promise<LocalIdentity> {
  const env: Record<string, string> = { CALLER_SIGNING_SECRET: process.env.CALLER_SIGNING_SECRET ?? randomBytes(32).toString('base64url') };
  if (process.env.OIDC_ISSUER) return { env, hint: `  sign in      ${gatewayUrl}/api/v1/auth/login (${process.env.OIDC_ISSUER})`, stop: async () => {} };
  const google = await startFakeGoogle({ port: Number(process.env.PACE_OIDC_PORT ?? 0), defaultEmail: LOCAL_ADMIN });
  Object.assign(env, {
    OIDC_ISSUER: google.issuer,
    OIDC_CLIENT_ID: 'pace-local',
    OIDC_REDIRECT_URL: `${gatewayUrl}/api/v1/auth/callback`,
    ALLOWED_DOMAINS: process.env.ALLOWED_DOMAINS ?? LOCAL_DOMAIN,
    BOOTSTRAP_ADMIN_EMAILS: process.env.BOOTSTRAP_ADMIN_EMAILS ?? LOCAL_ADMIN,
  });
  const hint =
    `  sign in      ${gatewayUrl}/api/v1/auth/login?login_hint=${LOCAL_ADMIN}  (in a browser)\n` +
    `               local OpenID provider ${google.issuer}: any <name>@${LOCAL_DOMAIN}; ${LOCAL_ADMIN} is the first admin\n` +
    `  API docs     ${gatewayUrl}/api/docs`;
  return { env, hint, stop: () => google.close() };
}
