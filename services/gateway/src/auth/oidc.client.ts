import { Inject, Injectable, Logger } from '@nestjs/common';
import { type JWTPayload, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { DomainError, type DomainErrorKind } from '@pace/http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** Why a sign-in was refused: a stable code and a sentence the person can act on. */
export class SignInRefusedError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** What PACE keeps of a verified Google identity. */
export interface VerifiedIdentity {
  sub: string;
  email: string;
  name: string | null;
  hostedDomain: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Google sign-in as an OpenID Connect client: authorization code with PKCE (S256) and a nonce;
 * the ID token is verified here — signature against the issuer's JWKS (rotation handled by
 * refetching on an unknown key), `iss`, `aud`, `exp`, `nonce`, `email_verified`, and `hd`
 * against the allowed Workspace domains (the `hd` request parameter is only a hint). Endpoints
 * come from the issuer's discovery document, so a local provider stands in for Google in tests.
 */
@Injectable()
export class OidcClient {
  private readonly logger = new Logger('oidc');
  private discovery?: Promise<Discovery>;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  private discover(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${trimSlash(this.config.OIDC_ISSUER)}/.well-known/openid-configuration`;
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`OIDC discovery at ${url} answered ${res.status}`);
      const document = (await res.json()) as Discovery;
      if (trimSlash(document.issuer) !== trimSlash(this.config.OIDC_ISSUER)) {
        throw new Error(`OIDC discovery names issuer ${document.issuer}, not ${this.config.OIDC_ISSUER}`);
      }
      this.jwks = createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      return document;
    })().catch((error: unknown) => {
      this.discovery = undefined;
      this.logger.error({ err: error }, 'OIDC discovery failed');
      throw new SignInRefusedError('unavailable', 'identity-provider-unavailable', 'Google sign-in is not reachable right now; try again shortly.');
    });
    return this.discovery;
  }

  async authorizationUrl(params: { state: string; nonce: string; codeChallenge: string; loginHint?: string }): Promise<string> {
    const discovery = await this.discover();
    const url = new URL(discovery.authorization_endpoint);
    const query: Record<string, string> = {
      response_type: 'code',
      client_id: this.config.OIDC_CLIENT_ID,
      redirect_uri: this.config.OIDC_REDIRECT_URL,
      scope: 'openid email profile',
      state: params.state,
      nonce: params.nonce,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
      prompt: 'select_account',
    };
    // A hint for Google's account chooser only; the token's `hd` is what is enforced.
    if (this.config.ALLOWED_DOMAINS.length === 1) query.hd = this.config.ALLOWED_DOMAINS[0];
    if (params.loginHint) query.login_hint = params.loginHint;
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  /** Redeems the authorization code (with the PKCE verifier) for an ID token. */
  async exchange(code: string, codeVerifier: string): Promise<string> {
    const discovery = await this.discover();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.config.OIDC_REDIRECT_URL,
      client_id: this.config.OIDC_CLIENT_ID,
      code_verifier: codeVerifier,
    });
    if (this.config.OIDC_CLIENT_SECRET) body.set('client_secret', this.config.OIDC_CLIENT_SECRET);
    let res: Response;
    try {
      res = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      this.logger.error({ err: error }, 'token endpoint unreachable');
      throw new SignInRefusedError('unavailable', 'identity-provider-unavailable', 'Google sign-in is not reachable right now; try again shortly.');
    }
    const json = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
    if (!res.ok || typeof json.id_token !== 'string') {
      this.logger.warn(`token endpoint answered ${res.status} ${typeof json.error === 'string' ? json.error : ''}`);
      throw new SignInRefusedError('unauthorized', 'authorization-code-rejected', 'Google did not accept the sign-in (the code may have expired); start again.');
    }
    return json.id_token;
  }

  async verifyIdToken(idToken: string, expectedNonce: string): Promise<VerifiedIdentity> {
    const discovery = await this.discover();
    const issuers = [discovery.issuer];
    // Google documents both forms of its issuer.
    if (trimSlash(discovery.issuer) === 'https://accounts.google.com') issuers.push('accounts.google.com');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks!, {
        issuer: issuers,
        audience: this.config.OIDC_CLIENT_ID,
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    if (payload.nonce !== expectedNonce) {
      throw new SignInRefusedError('unauthorized', 'id-token-nonce-mismatch', 'The sign-in response does not belong to this sign-in attempt; start again.');
    }
    const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : undefined;
    if (!email || !(payload.email_verified === true || payload.email_verified === 'true')) {
      throw new SignInRefusedError('forbidden', 'email-not-verified', 'Google has not verified the email address of this account.');
    }
    const hd = typeof payload.hd === 'string' ? payload.hd.toLowerCase() : undefined;
    if (!hd || !this.config.ALLOWED_DOMAINS.includes(hd)) {
      throw new SignInRefusedError(
        'forbidden',
        'domain-not-allowed',
        hd ? `Accounts of ${hd} cannot sign in to PACE; use your company Google account.` : 'Personal Google accounts cannot sign in to PACE; use your company Google account.',
      );
    }
    return { sub: payload.sub!, email, name: typeof payload.name === 'string' ? payload.name : null, hostedDomain: hd };
  }

  private refusal(error: unknown): SignInRefusedError {
    if (error instanceof joseErrors.JWTExpired) {
      return new SignInRefusedError('unauthorized', 'id-token-expired', 'The Google sign-in token has expired; sign in again.');
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') return new SignInRefusedError('unauthorized', 'id-token-wrong-audience', 'The Google sign-in token was issued for another application.');
      if (error.claim === 'iss') return new SignInRefusedError('unauthorized', 'id-token-wrong-issuer', 'The sign-in token was not issued by the configured identity provider.');
      return new SignInRefusedError('unauthorized', 'id-token-invalid', `The Google sign-in token is not valid (${error.claim}).`);
    }
    this.logger.warn({ err: error }, 'ID token rejected');
    return new SignInRefusedError('unauthorized', 'id-token-invalid', 'The Google sign-in token is not valid (signature or format).');
  }
}
