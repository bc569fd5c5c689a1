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
  return verifiedEnvelope(signed, options).c as Caller;
}

type Envelope = z.infer<typeof envelopeSchema>;

function verifiedEnvelope(signed: Partial<SignedCaller>, options: { secret: string; audience: string; now?: number }): Envelope {
  if (!signed.value || !signed.signature) throw new CallerSignatureError('missing');
  const expected = mac(options.secret, signed.value);
  const given = Buffer.from(signed.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CallerSignatureError('bad-signature');
  let parsed: Envelope;
  try {
    parsed = envelopeSchema.parse(JSON.parse(Buffer.from(signed.value, 'base64url').toString('utf8')));
  } catch {
    throw new CallerSignatureError('malformed');
  }
  checkTimes(parsed, options.now);
  if (parsed.aud !== options.audience) throw new CallerSignatureError('wrong-audience');
  return parsed;
}

function checkTimes(envelope: Envelope, nowMs = Date.now()): void {
  const now = Math.floor(nowMs / 1000);
  if (envelope.exp < now || envelope.iat > now + CLOCK_SKEW_SECONDS) throw new CallerSignatureError('expired');
}

function deepFreeze(value: object): void {
  for (const item of Object.values(value)) if (item && typeof item === 'object') deepFreeze(item as object);
  Object.freeze(value);
}

/** A signed context is reused for this long (of its DEFAULT_TTL_SECONDS): it arrives with ≥ 25 s to live. */
const REUSE_SECONDS = 5;
const MAX_CACHED = 10_000;

/**
 * signCaller for one audience, reusing the signed value for the same caller for a few seconds:
 * a busy caller's requests then cost one Map look-up instead of a JSON encoding and an HMAC each.
 */
export class CallerSigner {
  private readonly cache = new Map<string, { signed: SignedCaller; iat: number }>();

  constructor(private readonly options: { secret: string; audience: string }) {}

  sign(caller: Caller, now = Date.now()): SignedCaller {
    // Every field of the caller: a changed role, team or scope is a different context.
    const key = JSON.stringify(caller);
    const second = Math.floor(now / 1000);
    const hit = this.cache.get(key);
    if (hit && second - hit.iat < REUSE_SECONDS && hit.iat <= second) return hit.signed;
    const signed = signCaller(caller, { ...this.options, now });
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { signed, iat: second });
    return signed;
  }
}

/**
 * verifyCaller for one audience, remembering contexts whose signature it has already checked: the
 * same bytes (value and signature) need no second HMAC or parse. Expiry is checked on every use.
 */
export class CallerVerifier {
  private readonly cache = new Map<string, { value: string; envelope: Envelope }>();

  constructor(private readonly options: { secret: string; audience: string }) {}

  verify(signed: Partial<SignedCaller>, now = Date.now()): Caller {
    const hit = signed.signature ? this.cache.get(signed.signature) : undefined;
    if (hit && hit.value === signed.value) {
      checkTimes(hit.envelope, now);
      return hit.envelope.c as Caller;
    }
    const envelope = verifiedEnvelope(signed, { ...this.options, now });
    // Shared by every call that presents the same bytes: frozen, so no handler can change it for the next.
    deepFreeze(envelope.c);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(signed.signature!, { value: signed.value!, envelope });
    return envelope.c as Caller;
  }
}
