import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ApplicantCreatedSchema } from '@pace/contracts';
import { type DomainEvent, MalformedEventError, decodeEnvelope, decodeEnvelopeStrictly, encodeEnvelope } from './envelope';

const TYPE = 'applicants.applicant-created.v1';
const payload = create(ApplicantCreatedSchema, {
  applicant: {
    id: '01937c5e-0000-7000-8000-000000000001',
    firstName: 'Aisha',
    lastName: 'Al "Q" Nuaimi \\ \u00e9',
    phones: ['+971501234567'],
    version: 3n,
    createdAt: timestampFromDate(new Date('2026-11-01T08:00:00.250Z')),
    requirements: { intent: 'buy', bedroomsMin: 2, budgetMaxFils: 250_000_000n, communities: ['Dubai Marina', 'JLT'] },
  },
});
const fields = {
  eventId: '01937c5e-1111-7000-8000-000000000002',
  type: TYPE,
  aggregateId: '01937c5e-0000-7000-8000-000000000001',
  aggregateVersion: 3,
  occurredAt: new Date('2026-12-01T10:11:12.345Z'),
  producer: 'applicants',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

function outcome(decode: (data: string) => DomainEvent, data: string): unknown {
  try {
    return decode(data);
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('decoding canonical envelopes on the fast path', () => {
  it('decodes what it encodes', () => {
    const event = decodeEnvelope(encodeEnvelope(ApplicantCreatedSchema, payload, fields));
    expect(event).toEqual({ ...fields, payload });
    expect(event).toEqual(decodeEnvelopeStrictly(encodeEnvelope(ApplicantCreatedSchema, payload, fields)));
  });

  // The fast path must accept exactly what the general path accepts, decode it the same, and
  // leave every rejection (and its reason) to the general path.
  const canonical = encodeEnvelope(ApplicantCreatedSchema, payload, fields);
  const inputs: Record<string, string> = {
    canonical,
    'no trace or producer': encodeEnvelope(ApplicantCreatedSchema, payload, { ...fields, traceparent: '', producer: '' }),
    'whitespace everywhere': JSON.stringify(JSON.parse(canonical), null, 2).replace(/":/g, '" :'),
    'proto field names': canonical.replace('"eventId"', '"event_id"').replace('"aggregateVersion"', '"aggregate_version"'),
    'version as a number': canonical.replace('"aggregateVersion":"3"', '"aggregateVersion":3'),
    'time with an offset': canonical.replace('"2026-12-01T10:11:12.345Z"', '"2026-12-01T14:11:12.345+04:00"'),
    'nanosecond time': canonical.replace('"2026-12-01T10:11:12.345Z"', '"2026-12-01T10:11:12.345678901Z"'),
    'null producer': canonical.replace('"producer":"applicants"', '"producer":null'),
    'duplicate envelope key': canonical.replace('"producer":"applicants"', '"producer":"applicants","producer":"other"'),
    'duplicate key hidden by an escape': canonical.replace('"producer":"applicants"', '"producer":"applicants","\\u0070roducer":"other"'),
    'duplicate payload key': canonical.replace('"firstName":"Aisha"', '"firstName":"Aisha","firstName":"Eve"'),
    'payload field by proto and JSON name': canonical.replace('"firstName":"Aisha"', '"firstName":"Aisha","first_name":"Eve"'),
    'key-like text in a value': canonical.replace('"firstName":"Aisha"', '"firstName":"A\\":\\"b\\"\\\\\\\\\\":"'),
    'not JSON': '{ this is not json',
    'an array': '[1,2]',
    'unknown envelope key': canonical.replace('{"eventId"', '{"extra":1,"eventId"'),
    'unknown payload key': canonical.replace('"firstName":"Aisha"', '"firstName":"Aisha","nickname":"A"'),
    'wrong payload type': canonical.replace('"firstName":"Aisha"', '"firstName":42'),
    'payload not an object': canonical.replace(/"payload":\{.*\}\}$/, '"payload":[1]}'),
    'no payload': canonical.replace(/,"payload":\{.*\}\}$/, '}'),
    'unknown type': canonical.replace(TYPE, 'applicants.nothing.v1'),
    'bad event id': canonical.replace(fields.eventId, 'not-a-uuid'),
    'version 0': canonical.replace('"aggregateVersion":"3"', '"aggregateVersion":"0"'),
    'huge version': canonical.replace('"aggregateVersion":"3"', '"aggregateVersion":"9223372036854775807"'),
    'no time': canonical.replace('"occurredAt":"2026-12-01T10:11:12.345Z",', ''),
    'impossible time': canonical.replace('"2026-12-01T10:11:12.345Z"', '"2026-13-41T10:11:12.345Z"'),
    'deep junk': canonical.replace('"firstName":"Aisha"', `"firstName":"Aisha","x":${'['.repeat(60)}${']'.repeat(60)}`),
    '__proto__ key': canonical.replace('{"eventId"', '{"__proto__":{"a":1},"eventId"'),
  };
  it.each(Object.entries(inputs))('decodes %s as the general path does', (_, data) => {
    expect(outcome(decodeEnvelope, data)).toEqual(outcome(decodeEnvelopeStrictly, data));
  });

  it('rejects duplicates and malformed payloads with the reason', () => {
    expect(() => decodeEnvelope(inputs['duplicate key hidden by an escape'])).toThrow(MalformedEventError);
    expect(() => decodeEnvelope(inputs['duplicate payload key'])).toThrow(/duplicate object key "firstName"/);
    expect(() => decodeEnvelope(inputs['wrong payload type'])).toThrow(/^payload is not a valid pace\.events\.v1\.ApplicantCreated/);
  });
});
