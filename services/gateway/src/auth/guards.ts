import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError, decide, describePolicy, policyOf } from '@pace/auth';
import { TokensService } from '../tokens/tokens.service';
import { CSRF_HEADER, SESSION_COOKIE } from './cookies';
import type { AuthedRequest, RequestAuth } from './request';
import { SessionsService, sameSecret } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function policyFor(context: ExecutionContext) {
  return policyOf(context.getHandler(), context.getClass());
}

/**
 * First of three global guards (identify → rate limit → authorise). Learns who is calling from
 * an API token (`Authorization: Bearer pace_…`) or the session cookie, without refusing anyone
 * yet: the rate limiter then counts the request against that principal (or the client address).
 */
@Injectable()
export class IdentifyGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const auth: RequestAuth = { rateKey: `ip:${req.ip ?? 'unknown'}` };
    req.auth = auth;
    if (policyFor(context)?.public !== false) return true;
    const header = req.headers.authorization;
    const cookie = (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    try {
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthenticatedError('authorization-malformed', 'Send API tokens as `Authorization: Bearer <token>`.');
        const { caller, tokenId } = await this.tokens.authenticate(match[1]);
        Object.assign(auth, { caller, via: 'token', rateKey: `token:${tokenId}` });
      } else if (cookie) {
        const session = await this.sessions.authenticate(cookie);
        Object.assign(auth, { caller: session.caller, via: 'session', sessionId: session.sessionId, csrfToken: session.csrfToken, rateKey: `user:${session.caller.id}` });
      }
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      auth.refused = error;
    }
    return true;
  }
}

/**
 * Last global guard: default deny. A route without a policy is refused (and the route inventory
 * test keeps such routes from being merged); otherwise the caller must match the policy, and a
 * cookie-authenticated unsafe request must echo the session's CSRF token.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly logger = new Logger('policy');

  canActivate(context: ExecutionContext): boolean {
    const policy = policyFor(context);
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (!policy) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no policy: denied`);
      throw new ForbiddenError('route-without-policy', 'This route declares no access policy, so it is closed.');
    }
    if (policy.public) return true;
    const auth = req.auth;
    if (!auth?.caller) throw auth?.refused ?? new UnauthenticatedError();
    const decision = decide(policy, auth.caller);
    if (decision !== 'allow') {
      if (auth.caller.kind === 'user' && !policy.roles.length) {
        // Routes for integrations only (the sync feeds): say so, rather than name a missing role.
        throw new ForbiddenError('api-token-required', `This is for integrations: it needs an API token with ${policy.scopes.join(' or ')}; a signed-in person cannot call it.`);
      }
      throw new ForbiddenError(
        auth.caller.kind === 'service' ? 'scope-missing' : 'role-not-allowed',
        `This needs ${describePolicy(policy)}; you are ${auth.caller.kind === 'service' ? `a token with ${auth.caller.scopes.join(', ') || 'no scopes'}` : `signed in as ${auth.caller.role}`}.`,
      );
    }
    if (auth.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !auth.csrfToken || !sameSecret(given, auth.csrfToken)) {
        throw new ForbiddenError('csrf-token-invalid', `Send the ${CSRF_HEADER} header with the value of the __Host-pace_csrf cookie.`);
      }
    }
    return true;
  }
}
