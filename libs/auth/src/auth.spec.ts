import { randomUUID } from 'node:crypto';
import { type Caller, CallerSignatureError, CallerSigner, CallerVerifier, type Policy, decide, signCaller, verifyCaller, visibilityOf } from '@pace/auth';

const secret = 'test-secret-0123456789-0123456789-abcdef';
const agent: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [randomUUID()] };
const manager: Caller = { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [randomUUID(), randomUUID()] };
const admin: Caller = { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] };
const machine: Caller = { kind: 'service', id: randomUUID(), name: 'salesforce-adapter', scopes: ['listings:read'] };

/** Why a verification refused (its CallerSignatureError's reason), or 'accepted'. */
function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as CallerSignatureError).reason;
  }
  return 'accepted';
}

describe('signed caller context', () => {
  it('round-trips a caller for the named service', () => {
    const signed = signCaller(manager, { secret, audience: 'applicants' });
    expect(verifyCaller(signed, { secret, audience: 'applicants' })).toEqual(manager);
  });

  it('rejects a tampered value, a foreign secret, another audience, an expired or a missing context', () => {
    const signed = signCaller(agent, { secret, audience: 'applicants' });
    const forged = Buffer.from(Buffer.from(signed.value, 'base64url').toString().replace('"agent"', '"admin"')).toString('base64url');
    expect(reason(() => verifyCaller({ ...signed, value: forged }, { secret, audience: 'applicants' }))).toBe('bad-signature');
    expect(reason(() => verifyCaller(signed, { secret: secret + 'x', audience: 'applicants' }))).toBe('bad-signature');
    expect(reason(() => verifyCaller(signed, { secret, audience: 'listings' }))).toBe('wrong-audience');
    expect(reason(() => verifyCaller(signed, { secret, audience: 'applicants', now: Date.now() + 60_000 }))).toBe('expired');
    expect(reason(() => verifyCaller({ value: signed.value }, { secret, audience: 'applicants' }))).toBe('missing');
  });

  it('is reused by the signer for a few seconds, and a verified one is remembered only for the same bytes and while it lives', () => {
    const signer = new CallerSigner({ secret, audience: 'applicants' });
    const t0 = Date.now();
    const first = signer.sign(machine, t0);
    expect(signer.sign({ ...machine, scopes: [...machine.scopes] }, t0 + 2_000)).toEqual(first);
    expect(signer.sign({ ...machine, scopes: ['applicants:read'] }, t0 + 2_000)).not.toEqual(first);
    expect(signer.sign(machine, t0 + 6_000).value).not.toBe(first.value);

    const verifier = new CallerVerifier({ secret, audience: 'applicants' });
    expect(verifier.verify(first, t0)).toEqual(machine);
    expect(verifier.verify(first, t0 + 1_000)).toEqual(machine);
    const forged = Buffer.from(Buffer.from(first.value, 'base64url').toString().replace('listings:read', 'applicants:read')).toString('base64url');
    expect(reason(() => verifier.verify({ ...first, value: forged }, t0))).toBe('bad-signature');
    expect(reason(() => verifier.verify(first, t0 + 60_000))).toBe('expired');
    expect(reason(() => new CallerVerifier({ secret, audience: 'listings' }).verify(first, t0))).toBe('wrong-audience');
  });
});

describe('policies', () => {
  const readApplicants: Policy = { public: false, roles: ['agent', 'manager', 'admin'], scopes: ['applicants:read'] };
  const adminOnly: Policy = { public: false, roles: ['admin'], scopes: [] };

  it('admits people by role and machines by scope, and denies routes without a policy', () => {
    expect(decide(readApplicants, agent)).toBe('allow');
    expect(decide(readApplicants, machine)).toBe('forbidden');
    expect(decide(readApplicants, { ...machine, scopes: ['applicants:read'] })).toBe('allow');
    expect(decide(readApplicants, undefined)).toBe('unauthenticated');
    expect(decide(adminOnly, manager)).toBe('forbidden');
    expect(decide(adminOnly, admin)).toBe('allow');
    expect(decide({ public: true }, undefined)).toBe('allow');
    expect(decide(undefined, admin)).toBe('forbidden');
  });

  it('limits agents to their own records, managers to their teams, and lets admins and machines see all', () => {
    expect(visibilityOf(agent)).toEqual({ all: false, ownerId: agent.id, teamIds: [] });
    expect(visibilityOf(manager)).toEqual({ all: false, ownerId: manager.id, teamIds: (manager as { teamIds: string[] }).teamIds });
    expect(visibilityOf(admin)).toEqual({ all: true });
    expect(visibilityOf(machine)).toEqual({ all: true });
  });
});
