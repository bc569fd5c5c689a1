import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Personal data and credentials must never reach log storage. Values under sensitive keys are
 * replaced whole; free text is scanned for emails, phone numbers and bearer tokens.
 */
const SENSITIVE_KEY =
  /^(authorization|cookie|set-cookie|x-api-key|password|passphrase|secret|client_?secret|token|access_?token|refresh_?token|id_?token|api_?key|email|emails|phone|phones|mobile|msisdn|landline)$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Runs of 7+ digits, optionally with a leading + and common separators: +971 50 123 4567, 050-1234567.
const PHONE = /(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const UUID_OR_TIMESTAMP = /^[0-9a-f-]{36}$|^\d{4}-\d{2}-\d{2}/i;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text
    .replace(BEARER, '$1 [redacted]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, (match) => (UUID_OR_TIMESTAMP.test(match) || match.replace(/\D/g, '').length < 7 ? match : '[phone]'));
}

/**
 * A request URL fit for a log: percent-decoded first (`?q=sara%40example.ae` is an email too),
 * then scanned like free text. A malformed escape leaves the URL as it came.
 */
export function redactUrl(url: string): string {
  let decoded = url;
  if (url.includes('%')) {
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // not valid percent-encoding: scan it as it is
    }
  }
  return redactText(decoded);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  // pino runs this before its serializers, which reduce a request or response to method, url and
  // status. Walked here instead, a finished response (its socket's parser, server, timers…) cost
  // 0.2–0.6 ms per access line — more than the gateway's whole request — and the copy was
  // thrown away by the serializer.
  if (value instanceof ServerResponse || value instanceof IncomingMessage) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}
