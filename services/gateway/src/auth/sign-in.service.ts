import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { UsersService } from '../identity/users.service';
import { OidcClient } from './oidc.client';
import { type NewSession, SessionsService } from './sessions.service';
import { SessionsRepository } from './sessions.repository';
import { hashToken, randomToken } from './tokens';

/** A sign-in must come back within this long. */
export const LOGIN_TTL_MS = 10 * 60_000;

/**
 * The sign-in flow. `start` stores the PKCE verifier and nonce under the hash of a random
 * `state` (also set as a cookie, binding the flow to this browser) and sends the person to
 * Google. `finish` checks state and cookie agree, redeems the code, verifies the ID token,
 * resolves the user and opens a fresh session — revoking the one the browser had, if any.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly oidc: OidcClient,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly states: SessionsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async start(input: { returnTo?: string; loginHint?: string }): Promise<{ url: string; state: string }> {
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken(48);
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    await this.states.insertLoginState({
      stateHash: hashToken(state),
      codeVerifier,
      nonce,
      returnTo: input.returnTo ?? (this.config.FRONTEND_ORIGIN ? '/' : '/api/v1/me'),
      expiresAt: new Date(Date.now() + LOGIN_TTL_MS),
    });
    // Abandoned sign-ins leave rows behind; sweeping on each start keeps the table small.
    await this.states.purgeExpiredLoginStates();
    return { url: await this.oidc.authorizationUrl({ state, nonce, codeChallenge, loginHint: input.loginHint }), state };
  }

  async finish(input: {
    code?: string;
    state?: string;
    error?: string;
    stateCookie?: string;
    previousSessionToken?: string;
    userAgent?: string;
  }): Promise<{ session: NewSession; redirectTo: string }> {
    if (input.error) throw new ApiError('unauthorized', 'sign-in-cancelled', `Google sign-in did not complete (${input.error}).`);
    if (!input.code || !input.state) throw new ApiError('invalid', 'sign-in-response-incomplete', 'The sign-in response lacks `code` or `state`; start again.');
    if (!input.stateCookie || input.stateCookie !== input.state) {
      throw new ApiError('unauthorized', 'sign-in-state-mismatch', 'This sign-in was not started in this browser (or took too long); start again.');
    }
    const login = await this.states.takeLoginState(hashToken(input.state));
    if (!login || login.expiresAt.getTime() < Date.now()) {
      throw new ApiError('unauthorized', 'sign-in-expired', 'This sign-in took too long or was already used; start again.');
    }
    const idToken = await this.oidc.exchange(input.code, login.codeVerifier);
    const identity = await this.oidc.verifyIdToken(idToken, login.nonce);
    const user = await this.users.resolveSignIn(identity);
    if (input.previousSessionToken) {
      const previous = await this.sessions.authenticate(input.previousSessionToken).catch(() => undefined);
      if (previous) await this.sessions.revoke(previous.sessionId, 'rotated');
    }
    const session = await this.sessions.create(user.id, input.userAgent);
    return { session, redirectTo: (this.config.FRONTEND_ORIGIN ?? '') + login.returnTo };
  }
}
