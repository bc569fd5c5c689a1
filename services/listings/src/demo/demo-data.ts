import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Db } from '@pace/database';
import { LISTINGS_CONFIG, type ListingsConfig } from '../config';
import { AuditRepository } from '../audit/audit.repository';
import type { ListingEntity } from '../listings/listing.entity';
import { auditState } from '../listings/listing.view';
import { ListingsRepository, type NewListing } from '../listings/listings.repository';
import { MediaRepository } from '../media/media.repository';
import { StoragePort, objectKeyFor } from '../media/storage.port';
import { ListingEvents } from '../listings/listing.events';
import { solidPng } from './demo-image';

/** The people the demo listings belong to (send them as x-pace-* headers to try the API). */
export const DEMO = {
  team: '01900000-0000-7000-8000-00000000a001',
  otherTeam: '01900000-0000-7000-8000-00000000a002',
  agent: '01900000-0000-7000-8000-000000000011', // Sara, team A
  otherAgent: '01900000-0000-7000-8000-000000000012', // Omar, team B
  manager: '01900000-0000-7000-8000-000000000021', // Layla, manages team A
  admin: '01900000-0000-7000-8000-000000000031',
};

const day = (offset: number) => new Date(Date.now() + 4 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const permit = (n: string) => ({ permitNumber: n, permitType: 'rera' as const, permitIssueDate: day(-30), permitExpiryDate: day(335) });
const noPermit = { permitNumber: null, permitType: null, permitIssueDate: null, permitExpiryDate: null };

type Demo = Omit<NewListing, 'reference' | 'createdBy' | 'currency' | 'sizeUnit'> & { colour: [number, number, number]; kind: 'S' | 'R' };

const LISTINGS: Demo[] = [
  {
    id: '01900000-0000-7000-8000-0000000d0001',
    kind: 'S',
    status: 'published',
    purpose: 'sale',
    rentFrequency: null,
    category: 'residential',
    propertyType: 'apartment',
    priceFils: 320_000_000,
    bedrooms: 2,
    bathrooms: 3,
    size: 1_412,
    plotSize: null,
    emirate: 'dubai',
    community: 'Dubai Marina',
    subCommunity: 'Marina Promenade',
    building: 'Delphine Tower',
    titleEn: 'Full marina view two-bedroom with balcony',
    titleAr: 'شقة غرفتين بإطلالة كاملة على المارينا',
    descriptionEn: 'Bright corner apartment on a high floor, vacant on transfer, walking distance to the tram and the beach.',
    descriptionAr: 'شقة زاوية مشرقة في طابق مرتفع، شاغرة عند النقل، على مسافة قريبة من الترام والشاطئ.',
    amenities: ['balcony', 'central-ac', 'covered-parking', 'shared-gym', 'shared-pool', 'view-of-water'],
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    ...permit('7112345678'),
    landlordName: 'Khalid Al Suwaidi',
    landlordPhone: '+971501234567',
    landlordEmail: 'k.suwaidi@example.ae',
    agentId: DEMO.agent,
    teamId: DEMO.team,
    portals: ['bayut', 'propertyfinder', 'website'],
    colour: [30, 110, 160],
  },
  {
    id: '01900000-0000-7000-8000-0000000d0002',
    kind: 'R',
    status: 'published',
    purpose: 'rent',
    rentFrequency: 'yearly',
    category: 'residential',
    propertyType: 'apartment',
    priceFils: 14_500_000,
    bedrooms: 1,
    bathrooms: 2,
    size: 845,
    plotSize: null,
    emirate: 'dubai',
    community: 'Downtown Dubai',
    subCommunity: 'The Old Town',
    building: 'Yansoon 5',
    titleEn: 'Boulevard-facing one-bedroom near Dubai Mall',
    titleAr: 'شقة غرفة واحدة مطلة على البوليفارد',
    descriptionEn: 'Furnished one-bedroom, four cheques accepted, chiller free, available from the first of the month.',
    descriptionAr: 'شقة مفروشة بغرفة نوم واحدة، تقبل أربعة شيكات، التبريد مجاني.',
    amenities: ['built-in-wardrobes', 'central-ac', 'concierge', 'shared-pool'],
    furnishing: 'furnished',
    completionStatus: 'ready',
    ...permit('7112345679'),
    landlordName: 'Priya Raman',
    landlordPhone: '+971552223344',
    landlordEmail: null,
    agentId: DEMO.otherAgent,
    teamId: DEMO.otherTeam,
    portals: ['bayut', 'propertyfinder'],
    colour: [190, 140, 60],
  },
  {
    id: '01900000-0000-7000-8000-0000000d0003',
    kind: 'S',
    status: 'pending_approval',
    purpose: 'sale',
    rentFrequency: null,
    category: 'residential',
    propertyType: 'villa',
    priceFils: 2_450_000_000,
    bedrooms: 5,
    bathrooms: 6,
    size: 6_120,
    plotSize: 9_000,
    emirate: 'dubai',
    community: 'Palm Jumeirah',
    subCommunity: 'Frond G',
    building: null,
    titleEn: 'Signature five-bedroom villa with private beach',
    titleAr: 'فيلا خمس غرف نوم مع شاطئ خاص',
    descriptionEn: 'Upgraded signature villa on the frond with a private pool, beach access and Burj Al Arab views.',
    descriptionAr: null,
    amenities: ['maids-room', 'private-garden', 'private-pool', 'view-of-landmark', 'view-of-water'],
    furnishing: 'semi-furnished',
    completionStatus: 'ready',
    ...permit('7112345680'),
    landlordName: 'Elena Petrova',
    landlordPhone: null,
    landlordEmail: 'elena.petrova@example.com',
    agentId: DEMO.agent,
    teamId: DEMO.team,
    portals: ['propertyfinder', 'website'],
    colour: [60, 150, 90],
  },
  {
    id: '01900000-0000-7000-8000-0000000d0004',
    kind: 'R',
    status: 'draft',
    purpose: 'rent',
    rentFrequency: 'monthly',
    category: 'residential',
    propertyType: 'apartment',
    priceFils: 550_000,
    bedrooms: 0,
    bathrooms: 1,
    size: 410,
    plotSize: null,
    emirate: 'dubai',
    community: 'Jumeirah Village Circle',
    subCommunity: 'District 12',
    building: 'Bloom Towers',
    titleEn: 'Studio with monthly payments, bills included',
    titleAr: null,
    descriptionEn: 'Compact studio, ready to move in; the permit is being applied for.',
    descriptionAr: null,
    amenities: ['shared-gym'],
    furnishing: 'furnished',
    completionStatus: 'ready',
    ...noPermit,
    landlordName: 'Bloom Holdings',
    landlordPhone: '+97145556666',
    landlordEmail: null,
    agentId: DEMO.agent,
    teamId: DEMO.team,
    portals: ['bayut'],
    colour: [170, 170, 170],
  },
  {
    id: '01900000-0000-7000-8000-0000000d0005',
    kind: 'S',
    status: 'under_offer',
    purpose: 'sale',
    rentFrequency: null,
    category: 'residential',
    propertyType: 'townhouse',
    priceFils: 410_000_000,
    bedrooms: 3,
    bathrooms: 4,
    size: 2_560,
    plotSize: 3_100,
    emirate: 'dubai',
    community: 'Arabian Ranches',
    subCommunity: 'Palmera',
    building: null,
    titleEn: 'Single-row three-bedroom townhouse facing the park',
    titleAr: 'تاون هاوس ثلاث غرف نوم مقابل الحديقة',
    descriptionEn: 'Well kept townhouse with a maid room, landscaped garden and a short walk to the community pool.',
    descriptionAr: null,
    amenities: ['maids-room', 'private-garden', 'shared-pool', 'childrens-play-area'],
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    ...permit('7112345681'),
    landlordName: 'Hassan Qureshi',
    landlordPhone: '+971507778899',
    landlordEmail: null,
    agentId: DEMO.agent,
    teamId: DEMO.team,
    portals: ['bayut', 'propertyfinder', 'website'],
    colour: [200, 90, 70],
  },
  {
    id: '01900000-0000-7000-8000-0000000d0006',
    kind: 'R',
    status: 'published',
    purpose: 'rent',
    rentFrequency: 'yearly',
    category: 'residential',
    propertyType: 'apartment',
    priceFils: 4_200_000,
    bedrooms: 2,
    bathrooms: 2,
    size: 1_150,
    plotSize: null,
    emirate: 'sharjah',
    community: 'Al Majaz',
    subCommunity: 'Al Majaz 3',
    building: 'Corniche Tower',
    titleEn: 'Lagoon view two-bedroom on Al Majaz corniche',
    titleAr: 'شقة غرفتين بإطلالة على البحيرة في المجاز',
    descriptionEn: 'Spacious family apartment with parking, one month free; no permit is needed in Sharjah.',
    descriptionAr: null,
    amenities: ['balcony', 'covered-parking', 'view-of-water'],
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    ...noPermit,
    landlordName: 'Al Qasimi Properties',
    landlordPhone: '+97165551234',
    landlordEmail: null,
    agentId: DEMO.otherAgent,
    teamId: DEMO.otherTeam,
    portals: ['bayut', 'propertyfinder'],
    colour: [90, 80, 160],
  },
];

/**
 * Demo listings for `npm start` (PACE_DEMO_DATA=true): inserted once, by fixed id, so restarts
 * add nothing. They are written in their final status directly (the lifecycle's rules are for
 * people, not for fixtures), each with one generated image and an audit row by `seed`.
 */
@Injectable()
export class DemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo-data');

  constructor(
    private readonly db: Db,
    private readonly listings: ListingsRepository,
    private readonly media: MediaRepository,
    private readonly storage: StoragePort,
    private readonly audit: AuditRepository,
    private readonly events: ListingEvents,
    @Inject(LISTINGS_CONFIG) private readonly config: ListingsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PACE_DEMO_DATA) return;
    const added = await this.seed();
    if (added) this.logger.log(`added ${added} demo listings`);
  }

  async seed(): Promise<number> {
    let added = 0;
    for (const { colour, kind, ...demo } of LISTINGS) {
      const inserted = await this.db.transaction(async () => {
        // The advisory lock makes two replicas seeding at once add each listing once.
        await this.db.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pace-listings:demo:${demo.id}`]);
        if (await this.listings.findById(demo.id)) return false;
        const n = await this.listings.nextReferenceNumber();
        const listing: NewListing = {
          ...demo,
          reference: `${this.config.LISTINGS_REFERENCE_PREFIX}-${kind}-${String(n).padStart(6, '0')}`,
          currency: 'AED',
          sizeUnit: 'sqft',
          createdBy: demo.agentId,
        };
        const created: ListingEntity = await this.listings.insert(listing);
        const advertised = created.status === 'published' || created.status === 'under_offer';
        const withDates = advertised ? await this.listings.update(created.id, { publishedAt: new Date() }) : created;
        await this.listings.recordPrice(withDates, 'seed');
        // Fixed too (…0d0001 → …0e0001), so a re-run finds the same object key.
        const mediaId = demo.id.replace(/d(\d{4})$/, 'e$1');
        const key = objectKeyFor(demo.id, mediaId, 'image/png');
        const png = solidPng(800, 600, colour, 4);
        await this.storage.put(key, png, 'image/png');
        await this.media.insert({
          id: mediaId,
          listingId: demo.id,
          kind: 'image',
          position: 0,
          captionEn: 'Placeholder photo',
          captionAr: null,
          objectKey: key,
          contentType: 'image/png',
          sizeBytes: png.length,
          width: 800,
          height: 600,
        });
        await this.audit.record(demo.id, { userId: 'seed', role: 'system' }, 'create', null, auditState(withDates), 'demo data');
        // Like a listing made by hand: projections (syndication's portals) learn of it from its event.
        await this.events.created(withDates);
        return true;
      });
      if (inserted) added++;
    }
    return added;
  }
}
