/**
 * Who is calling, as every service sees it. People sign in with Google and have one role;
 * machines (Salesforce adapter, AI backend, MCP servers) present an API token with scopes.
 */
export const ROLES = ['agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every role a signed-in person can have. */
export const ANY_ROLE: readonly Role[] = ROLES;

/** The scopes an API token can carry, with what each allows (shown in the admin API and the docs). */
export const SCOPES = {
  'applicants:read': 'Read applicants (all records: machine principals are not limited to a team).',
  'leads:write': 'Post portal and website leads (lead intake: create or match an applicant and assign it).',
  'listings:read': 'Read listings.',
  'schema:read': 'Read the API schema (entities, fields, relations) at /api/v1/schema.',
} as const;
export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export interface UserCaller {
  kind: 'user';
  /** Gateway user id (UUID). */
  id: string;
  role: Role;
  /** Teams the user belongs to (agents) or leads (managers). */
  teamIds: string[];
}

export interface ServiceCaller {
  kind: 'service';
  /** API token id (UUID): the principal a machine acts as. */
  id: string;
  /** The machine's name, e.g. `salesforce-adapter`. */
  name: string;
  scopes: Scope[];
}

export type Caller = UserCaller | ServiceCaller;

/**
 * Which records a caller may see. Agent: own records. Manager: own records and their teams'.
 * Admin and machine principals (whose scopes were already checked): all.
 */
export type Visibility = { all: true } | { all: false; ownerId: string; teamIds: string[] };

export function visibilityOf(caller: Caller): Visibility {
  if (caller.kind === 'service' || caller.role === 'admin') return { all: true };
  if (caller.role === 'manager') return { all: false, ownerId: caller.id, teamIds: [...caller.teamIds] };
  return { all: false, ownerId: caller.id, teamIds: [] };
}

/** A short label for logs: never personal data. */
export function describeCaller(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.id}(${caller.role})` : `service:${caller.id}(${caller.name})`;
}
