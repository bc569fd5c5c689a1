import { type DescMessage, type MessageShape, fromJson, toJson, fromJsonString } from '@bufbuild/protobuf';
import { type JsonObject } from '@bufbuild/protobuf';
import { type Timestamp, TimestampSchema, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type EventEnvelope, EventEnvelopeSchema, eventSchemas } from '@pace/contracts';
import { decodeCanonical } from './canonical';

/** A decoded event as handlers receive it: the envelope's fields and the typed payload. */
export interface DomainEvent<T = unknown> {
  eventId: string;
  type: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: Date;
  producer: string;
  traceparent: string;
  payload: T;
}

/** `applicants.applicant-created.v1` → topic `pace.applicants.v1` (one topic per producing domain). */
export function topicOf(type: string, namespace = ''): string {
  const domain = type.split('.')[0];
  if (!domain || !/^[a-z][a-z-]*$/.test(domain)) throw new Error(`"${type}" is not an event type (<domain>.<event>.v<N>)`);
  return `${namespace}pace.${domain}.v1`;
}

/**
 * The envelope in proto3 JSON, exactly as `toJsonString(EventEnvelopeSchema, …)` writes it (fields
 * in number order, defaults left out, int64 as a string, the timestamp in RFC 3339), but built
 * around the payload's own JSON: the reflective path converted the payload to JSON, into a
 * `Struct`, and walked that Struct back to JSON — a third of an import's encoding time.
 * `envelope.spec.ts` holds it to the reflective encoder.
 */
export function encodeEnvelope<S extends DescMessage>(
  schema: S,
  payload: MessageShape<S>,
  fields: Omit<DomainEvent, 'payload'>,
): string {
  return encodeEnvelopeJson(JSON.stringify(toJson(schema, payload)), fields);
}

/**
 * The envelope around a payload already in proto3 JSON (`toJson(schema, payload)` stringified),
 * for a writer that serialises its payloads itself (an import's thousands of snapshots).
 */
export function encodeEnvelopeJson(payloadJson: string, fields: Omit<DomainEvent, 'payload'>): string {
  const version = BigInt(fields.aggregateVersion);
  let json = '{';
  const add = (name: string, value: string) => {
    json += (json.length > 1 ? ',"' : '"') + name + '":' + value;
  };
  if (fields.eventId) add('eventId', JSON.stringify(fields.eventId));
  if (fields.type) add('type', JSON.stringify(fields.type));
  if (fields.aggregateId) add('aggregateId', JSON.stringify(fields.aggregateId));
  if (version !== 0n) add('aggregateVersion', `"${version}"`);
  add('occurredAt', occurredAtJson(fields.occurredAt));
  if (fields.producer) add('producer', JSON.stringify(fields.producer));
  if (fields.traceparent) add('traceparent', JSON.stringify(fields.traceparent));
  add('payload', payloadJson);
  return json + '}';
}

/** What the reflective encoder writes for a google.protobuf.Timestamp (and its range checks). */
function timestampToJson(ts: Timestamp): string {
  return toJson(TimestampSchema, ts) as string;
}

// A batch of events shares its occurredAt: its JSON is written once.
let lastOccurred = { ms: NaN, json: '' };
function occurredAtJson(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastOccurred.ms) lastOccurred = { ms, json: JSON.stringify(timestampToJson(timestampFromDate(at))) };
  return lastOccurred.json;
}

export class MalformedEventError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedEventError';
  }
}

/**
 * Parses and validates what came off the bus. Anything that does not match the contracts is a
 * MalformedEventError (the consumer dead-letters it with the reason instead of crashing).
 *
 * Envelopes as our producers write them (canonical proto3 JSON) are decoded on a fast path that
 * accepts exactly what the general path accepts for them (`canonical.ts`); anything else — and
 * anything invalid — goes the general path, which decides and words the reason.
 */
export function decodeEnvelope(data: string): DomainEvent {
  return decodeCanonical(data) ?? decodeEnvelopeStrictly(data);
}

/**
 * The general path: the envelope and its google.protobuf.Struct payload through @bufbuild/protobuf,
 * every proto3 JSON form accepted. Exported as the reference the fast path is tested against.
 */
export function decodeEnvelopeStrictly(data: string): DomainEvent {
  let envelope: EventEnvelope;
  try {
    envelope = fromJsonString(EventEnvelopeSchema, data);
  } catch (error) {
    throw new MalformedEventError(`not an event envelope: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (!/^[0-9a-f-]{36}$/i.test(envelope.eventId)) problems.push('eventId is not a UUID');
  if (!envelope.aggregateId) problems.push('aggregateId is empty');
  if (envelope.aggregateVersion < 1n) problems.push('aggregateVersion must be ≥ 1');
  if (!envelope.occurredAt) problems.push('occurredAt is missing');
  const schema = eventSchemas.get(envelope.type);
  if (!schema) problems.push(`unknown event type "${envelope.type}"`);
  if (problems.length || !schema) throw new MalformedEventError(problems.join('; '));
  let payload: unknown;
  try {
    payload = fromJson(schema, (envelope.payload ?? {}) as JsonObject);
  } catch (error) {
    throw new MalformedEventError(`payload is not a valid ${schema.typeName}: ${(error as Error).message}`);
  }
  return {
    eventId: envelope.eventId,
    type: envelope.type,
    aggregateId: envelope.aggregateId,
    aggregateVersion: Number(envelope.aggregateVersion),
    occurredAt: timestampDate(envelope.occurredAt!),
    producer: envelope.producer,
    traceparent: envelope.traceparent,
    payload,
  };
}
