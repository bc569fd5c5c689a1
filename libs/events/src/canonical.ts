import { type JsonObject, type JsonValue, fromJson } from '@bufbuild/protobuf';
import { eventSchemas } from '@pace/contracts';
import type { DomainEvent } from './envelope';

// google.protobuf.Timestamp's JSON range (the bounds @bufbuild/protobuf enforces).
const TIMESTAMP_MS_MIN = Date.parse('0001-01-01T00:00:00Z');
const TIMESTAMP_MS_MAX = Date.parse('9999-12-31T23:59:59Z');
const UUID = /^[0-9a-f-]{36}$/i;
/** int64 as toJson writes it, small enough to be a safe integer (≥ 1, as a version must be). */
const CANONICAL_VERSION = /^[1-9][0-9]{0,14}$/;
/** A Timestamp as toJson writes it for a millisecond-precision time. */
const CANONICAL_TIMESTAMP = /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{3}))?Z$/;
/** Deeper than any contract nests; the general path also limits nesting (Struct levels count). */
const MAX_DEPTH = 32;

/**
 * The fast path: one JSON.parse, the envelope's fields read straight off the parsed object, the
 * payload read once by the payload's compiled proto3 JSON reader (the general path reads it twice,
 * first into a google.protobuf.Struct). Returns undefined — never throws — for anything it is not
 * sure about, so every rejection and its reason come from the general path.
 */
export function decodeCanonical(data: string): DomainEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  // fromJsonString rejects duplicate keys, which JSON.parse silently collapses: the parsed tree
  // must hold as many keys as the text names.
  const keys = countKeys(json as JsonObject, 0);
  if (keys < 0 || keys !== countMemberNames(data)) return undefined;
  let eventId = '';
  let type = '';
  let aggregateId = '';
  let version = 0;
  let occurredAt: Date | undefined;
  let producer = '';
  let traceparent = '';
  let payloadJson: JsonObject | undefined;
  const envelope = json as Record<string, JsonValue>;
  for (const key in envelope) {
    const value = envelope[key];
    switch (key) {
      case 'eventId':
        if (typeof value !== 'string') return undefined;
        eventId = value;
        break;
      case 'type':
        if (typeof value !== 'string') return undefined;
        type = value;
        break;
      case 'aggregateId':
        if (typeof value !== 'string') return undefined;
        aggregateId = value;
        break;
      case 'aggregateVersion':
        if (typeof value !== 'string' || !CANONICAL_VERSION.test(value)) return undefined;
        version = Number(value);
        break;
      case 'occurredAt': {
        const ms = typeof value === 'string' ? timestampMs(value) : undefined;
        if (ms === undefined) return undefined;
        occurredAt = new Date(ms);
        break;
      }
      case 'producer':
        if (typeof value !== 'string') return undefined;
        producer = value;
        break;
      case 'traceparent':
        if (typeof value !== 'string') return undefined;
        traceparent = value;
        break;
      case 'payload':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
        payloadJson = value;
        break;
      default:
        return undefined; // a proto field name, an unknown key: the general path decides
    }
  }
  const schema = eventSchemas.get(type);
  if (!schema || !UUID.test(eventId) || !aggregateId || !version || !occurredAt) return undefined;
  let payload: unknown;
  try {
    payload = fromJson(schema, payloadJson ?? {});
  } catch {
    return undefined;
  }
  return { eventId, type, aggregateId, aggregateVersion: version, occurredAt, producer, traceparent, payload };
}

// The events of one outbox batch share their occurredAt: the last one read is kept.
let lastTimestamp = { text: '', ms: 0 };

/** Milliseconds of a canonical Timestamp within google.protobuf.Timestamp's range; undefined otherwise. */
function timestampMs(text: string): number | undefined {
  if (text === lastTimestamp.text) return lastTimestamp.ms;
  const match = CANONICAL_TIMESTAMP.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}Z`);
  if (!(seconds >= TIMESTAMP_MS_MIN && seconds <= TIMESTAMP_MS_MAX)) return undefined;
  const ms = seconds + (match[2] ? Number(match[2]) : 0);
  lastTimestamp = { text, ms };
  return ms;
}

/** Own keys of every object in a parsed JSON tree; -1 when it nests deeper than MAX_DEPTH. */
function countKeys(value: JsonObject | JsonValue[], depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null) {
        const inner = countKeys(item, depth + 1);
        if (inner < 0) return -1;
        count += inner;
      }
    }
    return count;
  }
  for (const key in value) {
    count++;
    const item = value[key];
    if (typeof item === 'object' && item !== null) {
      const inner = countKeys(item, depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
  }
  return count;
}

const BACKSLASH = 92; // \
const COLON = 58; // :

/**
 * How many object member names a JSON text has: strings whose next non-blank character is a
 * colon. Only for text JSON.parse accepted. A duplicate name shows as more names here than keys in
 * the parsed tree; escapes (`"\u0061"` for `"a"`) cannot hide one, since names are counted, not compared.
 */
function countMemberNames(text: string): number {
  let names = 0;
  let at = text.indexOf('"');
  while (at >= 0) {
    // find the closing quote: one not preceded by an odd run of backslashes
    let end = text.indexOf('"', at + 1);
    for (;;) {
      if (end < 0) return -1; // not JSON.parse's text after all
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    let next = end + 1;
    let code = text.charCodeAt(next);
    while (code === 32 || code === 9 || code === 10 || code === 13) code = text.charCodeAt(++next);
    if (code === COLON) names++;
    at = text.indexOf('"', next);
  }
  return names;
}
