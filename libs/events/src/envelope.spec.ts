import { type DescMessage, type JsonObject, type MessageShape, create, toJson, toJsonString } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ApplicantCreatedSchema, ApplicantDeletedSchema, ApplicantSnapshotSchema, EventEnvelopeSchema, LeadAcceptedSchema } from '@pace/contracts';
import { type DomainEvent, decodeEnvelope, encodeEnvelope } from './envelope';

/** The reflective encoding the fast one must match byte for byte (what consumers have always read). */
function reference<S extends DescMessage>(schema: S, payload: MessageShape<S>, fields: Omit<DomainEvent, 'payload'>): string {
  return toJsonString(
    EventEnvelopeSchema,
    create(EventEnvelopeSchema, {
      eventId: fields.eventId,
      type: fields.type,
      aggregateId: fields.aggregateId,
      aggregateVersion: BigInt(fields.aggregateVersion),
      occurredAt: timestampFromDate(fields.occurredAt),
      producer: fields.producer,
      traceparent: fields.traceparent,
      payload: toJson(schema, payload) as JsonObject,
    }),
  );
}

const fields = (over: Partial<Omit<DomainEvent, 'payload'>> = {}): Omit<DomainEvent, 'payload'> => ({
  eventId: '01939a4e-7c1a-7000-8000-000000000001',
  type: 'applicants.applicant-created.v1',
  aggregateId: '01939a4e-7c1a-7000-8000-0000000000aa',
  aggregateVersion: 1,
  occurredAt: new Date('2026-12-06T15:39:31.901Z'),
  producer: 'applicants',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ...over,
});

describe('encodeEnvelope', () => {
  it('writes the same proto3 JSON as the reflective encoder, defaults left out, for any payload', () => {
    const full = create(ApplicantCreatedSchema, {
      applicant: create(ApplicantSnapshotSchema, {
        id: '01939a4e-7c1a-7000-8000-0000000000aa',
        firstName: 'Khalid "K" Al\\Suwaidi',
        lastName: 'السويدي',
        phones: ['+971501234567', '+971521234567'],
        emails: ['k@example.ae'],
        version: 3n,
        createdAt: timestampFromDate(new Date('2026-01-01T00:00:00.000Z')),
        updatedAt: timestampFromDate(new Date('2026-03-31T10:00:00.123Z')),
        status: 'lost',
        source: 'import',
        tags: ['vip', 'line\nbreak'],
        whatsappOptIn: true,
        lostReason: 'Salesforce: Closed Lost',
        requirements: { intent: 'buy', propertyTypes: ['villa'], bedroomsMin: 0, bedroomsMax: -1, budgetMinFils: 9_007_199_254_740_993n, communities: ['Dubai Marina'] },
      }),
    });
    const cases: [DescMessage, MessageShape<DescMessage>, Omit<DomainEvent, 'payload'>][] = [
      [ApplicantCreatedSchema, full, fields()],
      [ApplicantCreatedSchema, create(ApplicantCreatedSchema, {}), fields({ traceparent: '', aggregateVersion: 0, occurredAt: new Date('2026-12-06T15:39:31.000Z') })],
      [ApplicantDeletedSchema, create(ApplicantDeletedSchema, { applicantId: 'x', version: 2n, reason: 'import-rollback' }), fields({ type: 'applicants.applicant-deleted.v1', aggregateVersion: 12345678901 })],
      [LeadAcceptedSchema, create(LeadAcceptedSchema, { applicantId: 'a', matched: false }), fields({ eventId: '', aggregateId: '', producer: '' })],
    ];
    for (const [schema, payload, f] of cases) {
      const fast = encodeEnvelope(schema, payload, f);
      expect(fast).toBe(reference(schema, payload, f));
      // What consumers decode (for envelopes valid enough to decode).
      if (f.eventId && f.aggregateVersion >= 1) expect(decodeEnvelope(fast).payload).toEqual(payload);
    }
  });

  it('refuses what the reflective encoder refuses', () => {
    expect(() => encodeEnvelope(ApplicantDeletedSchema, create(ApplicantDeletedSchema, {}), fields({ occurredAt: new Date('0000-06-01T00:00:00Z') }))).toThrow();
    expect(() => encodeEnvelope(ApplicantDeletedSchema, create(ApplicantDeletedSchema, {}), fields({ aggregateVersion: 1.5 }))).toThrow();
  });
});
