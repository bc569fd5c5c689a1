import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type Caller, ROLES, SCOPE_NAMES } from './principal';

/**
 * The caller's identity travels from the gateway to a domain service in call metadata, signed
 * with HMAC-SHA256 under a secret both share (CALLER_SIGNING_SECRET). The signed value names the
 * receiving service (`aud`) and lives for seconds (`exp`), so it cannot be replayed elsewhere or
 * later. HMAC rather than a JWT: one hash per call, no key distribution, and the only issuer is
 * the gateway.
 */
export const CALLER_HEADER = 'x-pace-caller';
export const CALLER_SIGNATURE_HEADER = 'x-pace-caller-sig';

/** Seconds a signed caller context stays valid (one call, plus clock skew between pods). */
const DEFAULT_TTL_SECONDS = 30;
const CLOCK_SKEW_SECONDS = 5;

export const MIN_SECRET_LENGTH = 32;

const callerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.uuid(), role: z.enum(ROLES), teamIds: z.array(z.uuid()).max(100) }),
  z.object({ kind: z.literal('service'), id: z.uuid(), name: z.string().min(1).max(100), scopes: z.array(z.enum(SCOPE_NAMES as [string, ...string[]])).max(50) }),
]);

const envelopeSchema = z.object({ v: z.literal(1), aud: z.string(), iat: z.number(), exp: z.number(), c: callerSchema });

export interface SignedCaller {
  value: string;
  signature: string;
}

export class CallerSignatureError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'wrong-audience') {
    super(`caller context rejected: ${reason}`);
    this.name = 'CallerSignatureError';
  }
}

function mac(secret: string, value: string): Buffer {
  return createHmac('sha256', secret).update(value).digest();
}

export function signCaller(caller: Caller, options: { secret: string; audience: string; ttlSeconds?: number; now?: number }): SignedCaller {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const envelope = { v: 1, aud: options.audience, iat, exp: iat + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS), c: caller };
  const value = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return { value, signature: mac(options.secret, value).toString('base64url') };
}

export function verifyCaller(
  signed: Partial<SignedCaller>,
  options: { secret: string; audience: string; now?: number },
): Caller {
  if (!signed.value || !signed.signature) throw new CallerSignatureError('missing');
  const expected = mac(options.secret, signed.value);
  const given = Buffer.from(signed.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CallerSignatureError('bad-signature');
  let parsed: z.infer<typeof envelopeSchema>;
  try {
    parsed = envelopeSchema.parse(JSON.parse(Buffer.from(signed.value, 'base64url').toString('utf8')));
  } catch {
    throw new CallerSignatureError('malformed');
  }
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (parsed.exp < now || parsed.iat > now + CLOCK_SKEW_SECONDS) throw new CallerSignatureError('expired');
  if (parsed.aud !== options.audience) throw new CallerSignatureError('wrong-audience');
  return parsed.c as Caller;
}
