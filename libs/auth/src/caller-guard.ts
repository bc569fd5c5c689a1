import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { decide, policyOf } from './policy';
import { type Caller, describeCaller } from './principal';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, CallerSignatureError, CallerVerifier } from './signing';

/** What a service's caller guard checks: the shared secret, and the audience (its own name). */
export interface CallerGuardOptions {
  secret: string | undefined;
  audience: string;
}

export const CALLER_GUARD_OPTIONS = Symbol('CALLER_GUARD_OPTIONS');

type WithCaller = Request & { paceCaller?: Caller };

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verifies the gateway's signed caller context (`x-pace-caller` / `x-pace-caller-sig`, audience =
 * the service) and the route's policy (`@Allow`, `@AdminOnly`, `@Public`; a route without one is
 * refused). Register it as the app guard of a service with `CALLER_GUARD_OPTIONS` provided.
 */
@Injectable()
export class SignedCallerGuard implements CanActivate {
  private readonly logger = new Logger('caller');
  private readonly verifier?: CallerVerifier;

  constructor(@Inject(CALLER_GUARD_OPTIONS) private readonly options: CallerGuardOptions) {
    if (!options.secret) this.logger.warn('CALLER_SIGNING_SECRET is unset: every internal API call will be refused (401)');
    else this.verifier = new CallerVerifier({ secret: options.secret, audience: options.audience });
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // event handlers have no caller
    const policy = policyOf(context.getHandler(), context.getClass());
    if (policy?.public) return true;
    const req = context.switchToHttp().getRequest<WithCaller>();
    let caller: Caller;
    try {
      if (!this.verifier) throw new CallerSignatureError('bad-signature');
      caller = this.verifier.verify({ value: header(req, CALLER_HEADER), signature: header(req, CALLER_SIGNATURE_HEADER) });
    } catch (error) {
      const reason = error instanceof CallerSignatureError ? error.reason : 'malformed';
      if (reason !== 'missing') this.logger.warn(`${req.method} ${req.path}: caller context rejected (${reason})`);
      throw new UnauthenticatedError(`caller-context-${reason}`, `The request carries no valid caller context (${reason}); call through the gateway.`);
    }
    if (decide(policy, caller) !== 'allow') throw new ForbiddenError('forbidden', `${describeCaller(caller)} may not ${req.method} ${req.path}.`);
    req.paceCaller = caller;
    return true;
  }
}

/** `@SignedInCaller() caller: Caller` in a controller method, after the guard let the request in. */
export const SignedInCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<WithCaller>().paceCaller;
  if (!caller) throw new UnauthenticatedError('caller-context-missing', 'No verified caller accompanies this request.');
  return caller;
});
