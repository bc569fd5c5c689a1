import { SetMetadata } from '@nestjs/common';
import { type Caller, type Role, type Scope } from './principal';

/**
 * Every route declares who may call it; a route without a policy is denied (and a test walks the
 * router to make sure none exists). Users are admitted by role, machines by scope.
 */
export type Policy = { public: true } | { public: false; roles: readonly Role[]; scopes: readonly Scope[] };

export const POLICY_KEY = 'pace:policy';

/** Anyone, signed in or not (health, sign-in, API docs). */
export const Public = () => SetMetadata(POLICY_KEY, { public: true } satisfies Policy);

/** People with one of `roles`, machines holding one of `scopes`; nobody else. */
export const Allow = (allowed: { roles?: readonly Role[]; scopes?: readonly Scope[] }) =>
  SetMetadata(POLICY_KEY, { public: false, roles: allowed.roles ?? [], scopes: allowed.scopes ?? [] } satisfies Policy);

/** Admins only (no machine may). */
export const AdminOnly = () => Allow({ roles: ['admin'] });

type Target = object | ((...args: never[]) => unknown);

/** The policy of a handler: its own, else its controller's. */
export function policyOf(handler: Target, controller: Target): Policy | undefined {
  return (Reflect.getMetadata(POLICY_KEY, handler) ?? Reflect.getMetadata(POLICY_KEY, controller)) as Policy | undefined;
}

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export function decide(policy: Policy | undefined, caller: Caller | undefined): Decision {
  if (!policy) return 'forbidden';
  if (policy.public) return 'allow';
  if (!caller) return 'unauthenticated';
  if (caller.kind === 'user') return policy.roles.includes(caller.role) ? 'allow' : 'forbidden';
  return caller.scopes.some((scope) => policy.scopes.includes(scope)) ? 'allow' : 'forbidden';
}

/** What the caller would need, for error messages and the API docs. */
export function describePolicy(policy: Policy): string {
  if (policy.public) return 'public';
  const parts: string[] = [];
  if (policy.roles.length) parts.push(`roles: ${policy.roles.join(', ')}`);
  if (policy.scopes.length) parts.push(`API token scopes: ${policy.scopes.join(', ')}`);
  return parts.join('; ') || 'nobody';
}
