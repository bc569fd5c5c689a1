import { Injectable } from '@nestjs/common';
import { Db, type Keyset } from '@pace/database';
import { ApplicantEntity } from '../applicants/applicant.entity';
import { visible } from '../applicants/applicants.repository';
import { ApplicantMatchEntity } from './match.entity';
import { ListingProjectionEntity } from './listing-projection.entity';
import { CLOSED_STATUSES, type Match, PURPOSE_OF_INTENT, TOLERANCE_TENTHS } from './matching.rules';

/**
 * Recomputing a listing's matches reads every seeking applicant; recomputing an applicant's reads
 * every advertised listing. Run concurrently, each could miss the other's uncommitted change and
 * leave a stale match. So listing recomputes take this lock exclusively and applicant recomputes
 * share it: applicant edits run side by side, a listing event waits for them (and they for it),
 * and each then reads the other's committed state (READ COMMITTED sees it per statement).
 */
const MATCHING_LOCK = 'pace-applicants:matching';

/** When the match's listing was last sent to its applicant (one index probe per row of the page). */
const LAST_SHARED = '(SELECT max(s.shared_at) FROM applicants.listing_share s WHERE s.applicant_id = m.applicant_id AND s.listing_id = m.listing_id)';

export interface ListingMatchRow {
  listingId: string;
  reference: string;
  title: string;
  purpose: string;
  priceFils: string | null;
  currency: string;
  rentFrequency: string;
  propertyType: string;
  bedrooms: number | null;
  community: string;
  subCommunity: string;
  score: number;
  reasons: string[];
  computedAt: Date;
  lastSharedAt: Date | null;
}

export interface ApplicantMatchRow {
  applicantId: string;
  firstName: string;
  lastName: string;
  ownerId: string | null;
  teamId: string | null;
  status: string;
  score: number;
  reasons: string[];
  computedAt: Date;
  lastSharedAt: Date | null;
}

export interface TopMatch {
  applicantId: string;
  listingId: string;
  reference: string;
  score: number;
  reasons: string[];
}

const norm = (s: string) => s.trim().toLowerCase();

const ANY_ADVERTISED = `EXISTS (SELECT 1 FROM applicants.listing_projection WHERE status = 'published')`;

@Injectable()
export class MatchingRepository {
  constructor(private readonly db: Db) {}

  private get manager() {
    return this.db.manager;
  }

  /** Whether any listing is advertised at all (an import into a CRM without listings has nothing to match). */
  async anyAdvertised(): Promise<boolean> {
    const rows = (await this.manager.query(`SELECT ${ANY_ADVERTISED} AS any`)) as { any: boolean }[];
    return rows[0]?.any === true;
  }

  /** The same question as an SQL condition that holds when none is: a guard for a statement that writes no matches. */
  readonly noneAdvertisedSql = `NOT ${ANY_ADVERTISED}`;

  async lockForListing(): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MATCHING_LOCK]);
  }

  async lockForApplicant(): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [MATCHING_LOCK]);
  }

  /** The projected version of a listing, locked until the transaction ends. */
  async lockedListingVersion(id: string): Promise<number | undefined> {
    const row = await this.db.repository(ListingProjectionEntity).findOne({ where: { id }, select: { id: true, version: true }, lock: { mode: 'pessimistic_write' } });
    return row ? Number(row.version) : undefined;
  }

  /** The projected listing, locked until the transaction ends. */
  lockedListing(id: string): Promise<ListingProjectionEntity | null> {
    return this.db.repository(ListingProjectionEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveListing(listing: ListingProjectionEntity): Promise<void> {
    await this.db.repository(ListingProjectionEntity).upsert(listing, ['id']);
  }

  /** Seeking applicants that pass the hard filters for this listing (the rules check again). */
  candidatesFor(l: ListingProjectionEntity): Promise<ApplicantEntity[]> {
    const intent = Object.entries(PURPOSE_OF_INTENT).find(([, purpose]) => purpose === l.purpose)?.[0];
    if (!intent) return Promise.resolve([]);
    const places = [l.community, l.subCommunity].filter(Boolean).map(norm);
    return this.db
      .repository(ApplicantEntity)
      .createQueryBuilder('a')
      .where('a.merged_into IS NULL')
      .andWhere('a.status NOT IN (:...closed)', { closed: CLOSED_STATUSES })
      .andWhere('a.intent = :intent', { intent })
      .andWhere('(cardinality(a.property_types) = 0 OR CAST(:type AS text) = ANY(a.property_types))', { type: l.propertyType })
      // A null listing value makes the comparison null: it fails a bound that was given.
      .andWhere('(a.bedrooms_min IS NULL OR CAST(:bedrooms AS int) >= a.bedrooms_min)', { bedrooms: l.bedrooms })
      .andWhere('(a.bedrooms_max IS NULL OR CAST(:bedrooms AS int) <= a.bedrooms_max)')
      .andWhere(`(a.budget_max_fils IS NULL OR CAST(:price AS bigint) * 10 <= a.budget_max_fils * ${10 + TOLERANCE_TENTHS})`, { price: l.comparablePriceFils })
      .andWhere(`(a.budget_min_fils IS NULL OR CAST(:price AS bigint) * 10 >= a.budget_min_fils * ${10 - TOLERANCE_TENTHS})`)
      .andWhere('(cardinality(a.communities) = 0 OR EXISTS (SELECT 1 FROM unnest(a.communities) AS c WHERE lower(btrim(c)) = ANY(CAST(:places AS text[]))))', { places })
      .getMany();
  }

  /** Advertised listings that pass the hard filters for this applicant (the rules check again). */
  candidatesForApplicant(a: ApplicantEntity): Promise<ListingProjectionEntity[]> {
    const q = this.db
      .repository(ListingProjectionEntity)
      .createQueryBuilder('l')
      .where("l.status = 'published'")
      .andWhere('l.purpose = :purpose', { purpose: PURPOSE_OF_INTENT[a.intent ?? ''] ?? '' });
    if (a.propertyTypes.length) q.andWhere('l.property_type IN (:...types)', { types: a.propertyTypes });
    if (a.bedroomsMin !== null) q.andWhere('l.bedrooms >= :bedroomsMin', { bedroomsMin: a.bedroomsMin });
    if (a.bedroomsMax !== null) q.andWhere('l.bedrooms <= :bedroomsMax', { bedroomsMax: a.bedroomsMax });
    if (a.budgetMaxFils !== null) q.andWhere(`l.comparable_price_fils * 10 <= CAST(:budgetMax AS bigint) * ${10 + TOLERANCE_TENTHS}`, { budgetMax: a.budgetMaxFils });
    if (a.budgetMinFils !== null) q.andWhere(`l.comparable_price_fils * 10 >= CAST(:budgetMin AS bigint) * ${10 - TOLERANCE_TENTHS}`, { budgetMin: a.budgetMinFils });
    if (a.communities.length) q.andWhere('(lower(btrim(l.community)) IN (:...places) OR lower(btrim(l.sub_community)) IN (:...places))', { places: a.communities.map(norm) });
    return q.getMany();
  }

  /** Current scores of a listing's matches, by applicant id. */
  async scoresOfListing(listingId: string): Promise<Map<string, number>> {
    const rows = await this.db.repository(ApplicantMatchEntity).find({ where: { listingId }, select: { applicantId: true, score: true } });
    return new Map(rows.map((r) => [r.applicantId, r.score]));
  }

  /** Current scores of an applicant's matches, by listing id. */
  async scoresOfApplicant(applicantId: string): Promise<Map<string, number>> {
    const rows = await this.db.repository(ApplicantMatchEntity).find({ where: { applicantId }, select: { listingId: true, score: true } });
    return new Map(rows.map((r) => [r.listingId, r.score]));
  }

  /** Makes `matches` (by applicant id) the listing's whole set. */
  async replaceForListing(listingId: string, matches: Map<string, Match>): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(ApplicantMatchEntity)
      .where('listing_id = :listingId', { listingId })
      .andWhere('NOT (applicant_id = ANY(CAST(:keep AS uuid[])))', { keep: [...matches.keys()] })
      .execute();
    await this.upsert([...matches].map(([applicantId, m]) => ({ applicantId, listingId, ...m })));
  }

  /** Makes `matches` (by listing id) the applicant's whole set. */
  async replaceForApplicant(applicantId: string, matches: Map<string, Match>): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(ApplicantMatchEntity)
      .where('applicant_id = :applicantId', { applicantId })
      .andWhere('NOT (listing_id = ANY(CAST(:keep AS uuid[])))', { keep: [...matches.keys()] })
      .execute();
    await this.upsert([...matches].map(([listingId, m]) => ({ applicantId, listingId, ...m })));
  }

  private async upsert(rows: { applicantId: string; listingId: string; score: number; reasons: string[] }[]): Promise<void> {
    const now = new Date();
    for (let i = 0; i < rows.length; i += 500) {
      await this.db.repository(ApplicantMatchEntity).upsert(rows.slice(i, i + 500).map((r) => ({ ...r, computedAt: now })), ['applicantId', 'listingId']);
    }
  }

  /** The best `n` matches of each applicant, best first, with the listing's reference. */
  async top(applicantIds: string[], n: number): Promise<Map<string, TopMatch[]>> {
    const result = new Map<string, TopMatch[]>(applicantIds.map((id) => [id, []]));
    if (!applicantIds.length) return result;
    const rows = await this.manager
      .createQueryBuilder()
      .select(['r.applicant_id AS "applicantId"', 'r.listing_id AS "listingId"', 'r.reference AS reference', 'r.score AS score', 'r.reasons AS reasons'])
      .from((sub) =>
        sub
          .select(['m.applicant_id AS applicant_id', 'm.listing_id AS listing_id', 'l.reference AS reference', 'm.score AS score', 'm.reasons AS reasons'])
          .addSelect('row_number() OVER (PARTITION BY m.applicant_id ORDER BY m.score DESC, m.listing_id DESC)', 'rank')
          .from(ApplicantMatchEntity, 'm')
          .innerJoin(ListingProjectionEntity, 'l', 'l.id = m.listing_id')
          .where('m.applicant_id = ANY(CAST(:ids AS uuid[]))', { ids: applicantIds }),
        'r',
      )
      .where('r.rank <= :n', { n })
      .orderBy('r.applicant_id')
      .addOrderBy('r.rank')
      .getRawMany<TopMatch>();
    for (const row of rows) result.get(row.applicantId)?.push({ ...row, score: Number(row.score) });
    return result;
  }

  /** Versions of the applicants (the events' aggregate versions). */
  async versions(applicantIds: string[]): Promise<Map<string, number>> {
    if (!applicantIds.length) return new Map();
    const rows = await this.db.repository(ApplicantEntity).createQueryBuilder('a').select(['a.id', 'a.version']).where('a.id IN (:...ids)', { ids: applicantIds }).getMany();
    return new Map(rows.map((r) => [r.id, r.version]));
  }

  /** An applicant's matching listings, best first; `limit + 1` rows. */
  listingsOf(applicantId: string, limit: number, after?: Keyset): Promise<ListingMatchRow[]> {
    const q = this.manager
      .createQueryBuilder(ApplicantMatchEntity, 'm')
      .innerJoin(ListingProjectionEntity, 'l', 'l.id = m.listing_id')
      .select([
        'm.listing_id AS "listingId"',
        'l.reference AS reference',
        'l.title AS title',
        'l.purpose AS purpose',
        'l.price_fils AS "priceFils"',
        'l.currency AS currency',
        'l.rent_frequency AS "rentFrequency"',
        'l.property_type AS "propertyType"',
        'l.bedrooms AS bedrooms',
        'l.community AS community',
        'l.sub_community AS "subCommunity"',
        'm.score AS score',
        'm.reasons AS reasons',
        'm.computed_at AS "computedAt"',
        `${LAST_SHARED} AS "lastSharedAt"`,
      ])
      .where('m.applicant_id = :applicantId', { applicantId });
    if (after) q.andWhere('(m.score, m.listing_id) < (:score, :id)', { score: Number(after.after), id: after.id });
    return q.orderBy('m.score', 'DESC').addOrderBy('m.listing_id', 'DESC').limit(limit + 1).getRawMany<ListingMatchRow>();
  }

  /** A listing's matching applicants that the caller may see, best first; `limit + 1` rows. */
  applicantsOf(listingId: string, limit: number, after?: Keyset): Promise<ApplicantMatchRow[]> {
    const q = this.manager
      .createQueryBuilder(ApplicantMatchEntity, 'm')
      .innerJoin(ApplicantEntity, 'a', 'a.id = m.applicant_id')
      .select([
        'm.applicant_id AS "applicantId"',
        'a.first_name AS "firstName"',
        'a.last_name AS "lastName"',
        'a.owner_id AS "ownerId"',
        'a.team_id AS "teamId"',
        'a.status AS status',
        'm.score AS score',
        'm.reasons AS reasons',
        'm.computed_at AS "computedAt"',
        `${LAST_SHARED} AS "lastSharedAt"`,
      ])
      .where('m.listing_id = :listingId', { listingId });
    visible(q);
    if (after) q.andWhere('(m.score, m.applicant_id) < (:score, :id)', { score: Number(after.after), id: after.id });
    return q.orderBy('m.score', 'DESC').addOrderBy('m.applicant_id', 'DESC').limit(limit + 1).getRawMany<ApplicantMatchRow>();
  }
}
