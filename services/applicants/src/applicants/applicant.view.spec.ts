import { create, toJson } from '@bufbuild/protobuf';
import { ApplicantCreatedSchema, ApplicantSnapshotSchema } from '@pace/contracts';
import { ApplicantEntity } from './applicant.entity';
import { snapshot, snapshotJson } from './applicant.view';

const applicant = (over: Partial<ApplicantEntity>): ApplicantEntity =>
  Object.assign(new ApplicantEntity(), {
    id: '01939a4e-7c1a-7000-8000-0000000000aa',
    firstName: '',
    lastName: '',
    phones: [],
    emails: [],
    ownerId: null,
    teamId: null,
    status: '',
    lostReason: null,
    source: '',
    tags: [],
    preferredLanguage: null,
    nationality: null,
    whatsappOptIn: false,
    emailOptIn: false,
    intent: null,
    propertyTypes: [],
    bedroomsMin: null,
    bedroomsMax: null,
    budgetMinFils: null,
    budgetMaxFils: null,
    communities: [],
    furnishing: null,
    moveInDate: null,
    mergedInto: null,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    updatedAt: new Date('2026-03-31T10:00:00.123Z'),
    version: 1,
    salesforceId: null,
    importBatchId: null,
    importHash: null,
    ...over,
  });

describe('snapshotJson', () => {
  it('is the reflective proto3 JSON of snapshot(), for full and for empty applicants', () => {
    const cases = [
      applicant({}),
      applicant({ bedroomsMin: 0, bedroomsMax: 0, budgetMinFils: '0', budgetMaxFils: null, version: 0 }),
      applicant({
        firstName: 'Khalid "K" Al\\Suwaidi',
        lastName: 'السويدي',
        phones: ['+971501234567', '+971521234567'],
        emails: ['k@example.ae'],
        ownerId: '01939a4e-7c1a-7000-8000-0000000000bb',
        teamId: '01939a4e-7c1a-7000-8000-0000000000cc',
        status: 'lost',
        lostReason: 'Salesforce: Closed Lost',
        source: 'import',
        tags: ['vip', 'line\nbreak'],
        preferredLanguage: 'ar',
        nationality: 'AE',
        whatsappOptIn: true,
        emailOptIn: true,
        intent: 'buy',
        propertyTypes: ['villa', 'penthouse'],
        bedroomsMin: 2,
        bedroomsMax: 20,
        budgetMinFils: '390000000',
        budgetMaxFils: '9007199254740993',
        communities: ['Palm Jumeirah', 'Dubai Marina'],
        furnishing: 'unfurnished',
        moveInDate: '2026-03-15',
        mergedInto: '01939a4e-7c1a-7000-8000-0000000000dd',
        version: 12,
        createdAt: new Date('2026-12-06T15:39:31.901Z'),
        updatedAt: new Date('2026-12-06T15:39:32.000Z'),
      }),
    ];
    for (const a of cases) {
      expect(snapshotJson(a)).toBe(JSON.stringify(toJson(ApplicantSnapshotSchema, snapshot(a))));
      expect(`{"applicant":${snapshotJson(a)}}`).toBe(JSON.stringify(toJson(ApplicantCreatedSchema, create(ApplicantCreatedSchema, { applicant: snapshot(a) }))));
    }
  });
});
