import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';

/**
 * A local stand-in for Google's OpenID provider (oauth2-mock-server: discovery, JWKS, authorize
 * with PKCE, token endpoint issuing RS256 ID tokens). The account that signs in is chosen by
 * the `login_hint` of the authorization request — as Google pre-selects it — and its claims can
 * be bent per account to test refusals: another `hd`, no `hd` (a consumer account), an
 * unverified email, another audience, an expired token.
 */
export interface FakeGoogleAccount {
  email: string;
  /** Default: derived from the email, stable. */
  sub?: string;
  name?: string;
  /** Workspace domain; default: the email's domain (none for gmail.com). null: no `hd` claim. */
  hd?: string | null;
  emailVerified?: boolean;
  /** Issue the ID token for another client id. */
  aud?: string;
  /** Seconds until the ID token expires; negative: already expired. */
  expiresIn?: number;
}

export interface FakeGoogle {
  issuer: string;
  /** Registers (or changes) how an account's ID token looks. */
  account: (account: FakeGoogleAccount) => void;
  /** Query strings of every authorization request (PKCE, `hd` hint, `login_hint`). */
  authorizeRequests: URLSearchParams[];
  close: () => Promise<void>;
}

interface MutableToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function fakeSub(email: string): string {
  // Google subjects are long decimal strings.
  return BigInt('0x' + createHash('sha256').update(email).digest('hex').slice(0, 16)).toString().padStart(21, '1');
}

export async function startFakeGoogle(
  options: {
    port?: number;
    host?: string;
    defaultEmail?: string;
    /** The issuer as clients reach it, when not where it listens (docker compose: http://localhost:4010). */
    publicUrl?: string;
  } = {},
): Promise<FakeGoogle> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  const accounts = new Map<string, FakeGoogleAccount>();
  const codes = new Map<string, string>();
  const authorizeRequests: URLSearchParams[] = [];

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: IncomingMessage) => {
    const query = new URL(req.url ?? '/', 'http://fake').searchParams;
    authorizeRequests.push(query);
    const code = redirect.url.searchParams.get('code');
    if (code) codes.set(code, (query.get('login_hint') ?? options.defaultEmail ?? 'admin@pace.test').toLowerCase());
  });

  server.service.on('beforeTokenSigning', (token: MutableToken, req: IncomingMessage & { body?: Record<string, string> }) => {
    // Both tokens of a response pass here; the ID token is the one issued to the client (`aud`).
    if (token.payload.aud === undefined || token.payload.scope !== undefined) return;
    const email = codes.get(req.body?.code ?? '') ?? options.defaultEmail ?? 'admin@pace.test';
    const account = accounts.get(email) ?? { email };
    const domain = email.split('@')[1];
    const hd = account.hd === undefined ? (domain === 'gmail.com' ? undefined : domain) : (account.hd ?? undefined);
    const now = Math.floor(Date.now() / 1000);
    Object.assign(token.payload, {
      sub: account.sub ?? fakeSub(email),
      email,
      email_verified: account.emailVerified ?? true,
      name: account.name ?? email.split('@')[0],
      ...(hd ? { hd } : {}),
      ...(account.aud ? { aud: account.aud } : {}),
    });
    if (account.expiresIn !== undefined) {
      token.payload.exp = now + account.expiresIn;
      token.payload.iat = Math.min(now, now + account.expiresIn - 3600);
      token.payload.nbf = token.payload.iat;
    }
  });

  const host = options.host ?? '127.0.0.1';
  await server.start(options.port ?? 0, host);
  // The library names the issuer `localhost`; keep the address it listens on.
  server.issuer.url = options.publicUrl ?? `http://${host}:${server.address().port}`;
  return {
    issuer: server.issuer.url!,
    account: (account) => accounts.set(account.email.toLowerCase(), account),
    authorizeRequests,
    close: () => server.stop(),
  };
}
