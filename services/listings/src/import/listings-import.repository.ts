import { In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { ListingEntity, ListingPriceEntity } from '../listings/listing.entity';
import type { ImportedListing } from './listing.mapping';

export interface ImportRow extends ImportedListing {
  id: string;
  reference: string;
  salesforceId: string;
  importHash: string;
  createdBy: string;
}

const COLUMNS: [string, keyof ImportRow, string][] = [
  ['id', 'id', 'uuid'],
  ['reference', 'reference', 'text'],
  ['salesforce_id', 'salesforceId', 'text'],
  ['import_hash', 'importHash', 'text'],
  ['created_by', 'createdBy', 'uuid'],
  ['status', 'status', 'text'],
  ['purpose', 'purpose', 'text'],
  ['rent_frequency', 'rentFrequency', 'text'],
  ['category', 'category', 'text'],
  ['property_type', 'propertyType', 'text'],
  ['price_fils', 'priceFils', 'bigint'],
  ['bedrooms', 'bedrooms', 'smallint'],
  ['bathrooms', 'bathrooms', 'smallint'],
  ['size', 'size', 'numeric'],
  ['plot_size', 'plotSize', 'numeric'],
  ['emirate', 'emirate', 'text'],
  ['community', 'community', 'text'],
  ['sub_community', 'subCommunity', 'text'],
  ['building', 'building', 'text'],
  ['title_en', 'titleEn', 'text'],
  ['title_ar', 'titleAr', 'text'],
  ['description_en', 'descriptionEn', 'text'],
  ['description_ar', 'descriptionAr', 'text'],
  ['furnishing', 'furnishing', 'text'],
  ['completion_status', 'completionStatus', 'text'],
  ['permit_number', 'permitNumber', 'text'],
  ['permit_type', 'permitType', 'text'],
  ['permit_expiry_date', 'permitExpiryDate', 'date'],
  ['landlord_name', 'landlordName', 'text'],
  ['landlord_phone', 'landlordPhone', 'text'],
  ['landlord_email', 'landlordEmail', 'text'],
  ['agent_id', 'agentId', 'uuid'],
];
const KEEP = new Set(['id', 'reference', 'salesforce_id', 'created_by']);
const UPSERT_SQL = `
  INSERT INTO listings.listing (${COLUMNS.map(([c]) => c).join(', ')}, import_batch_id, version)
  SELECT ${COLUMNS.map(([c]) => `r.${c}`).join(', ')}, $2::uuid, 1
  FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([c, , t]) => `${c} ${t}`).join(', ')})
  ON CONFLICT (salesforce_id) DO UPDATE SET
    ${COLUMNS.filter(([c]) => !KEEP.has(c))
      .map(([c]) => `${c} = EXCLUDED.${c}`)
      .join(',\n    ')},
    status_changed_at = CASE WHEN listing.status IS DISTINCT FROM EXCLUDED.status THEN now() ELSE listing.status_changed_at END,
    version = listing.version + 1,
    updated_at = now()
  WHERE listing.import_hash IS DISTINCT FROM EXCLUDED.import_hash
  RETURNING id, (xmax = 0) AS inserted`;

/** The import's bulk path into the listings schema. */
export class ListingsImportRepository {
  constructor(private readonly db: Db) {}

  bySalesforceIds(ids: string[]): Promise<ListingEntity[]> {
    return this.db.repository(ListingEntity).findBy({ salesforceId: In(ids) });
  }

  byIds(ids: string[]): Promise<ListingEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.repository(ListingEntity).findBy({ id: In(ids) });
  }

  /** `count` numbers of the reference sequence, only for listings really new (no gaps on re-runs). */
  async referenceNumbers(count: number): Promise<number[]> {
    if (!count) return [];
    const rows: { n: string }[] = await this.db.manager.query(`SELECT nextval('listings.listing_reference_seq') AS n FROM generate_series(1, $1)`, [count]);
    return rows.map((r) => Number(r.n));
  }

  async upsert(rows: ImportRow[], batchId: string): Promise<{ id: string; inserted: boolean }[]> {
    if (!rows.length) return [];
    const json = JSON.stringify(rows.map((r) => Object.fromEntries(COLUMNS.map(([c, k]) => [c, r[k]]))));
    return this.db.manager.query(UPSERT_SQL, [json, batchId]);
  }

  /** A price history row for each listing whose price is new (as a hand-made create or edit writes). */
  async recordPrices(listings: ListingEntity[], changedBy: string): Promise<void> {
    const rows = listings.filter((l) => l.priceFils !== null);
    if (!rows.length) return;
    const at = new Date();
    await this.db.repository(ListingPriceEntity).insert(
      rows.map((l) => ({ id: uuidv7(), listingId: l.id, priceFils: l.priceFils!, currency: l.currency, purpose: l.purpose, rentFrequency: l.rentFrequency, changedAt: at, changedBy })),
    );
  }

  /** Fresh statistics while an import fills the table. */
  async analyze(): Promise<void> {
    await this.db.manager.query(`ANALYZE listings.listing`);
  }

  createdBy(batchId: string, limit: number): Promise<ListingEntity[]> {
    return this.db.repository(ListingEntity).createQueryBuilder('l').where('l.import_batch_id = :batchId', { batchId }).orderBy('l.id').limit(limit).getMany();
  }

  /** Deletes the listings and every row that hangs off them (prices, media rows, approvals, notices, portal status). */
  async deleteListings(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    for (const table of ['listing_price', 'listing_media', 'listing_approval', 'agent_notice', 'listing_publication']) {
      await this.db.manager.query(`DELETE FROM listings.${table} WHERE listing_id = ANY($1::uuid[])`, [ids]);
    }
    const [, affected] = (await this.db.manager.query(`DELETE FROM listings.listing WHERE id = ANY($1::uuid[])`, [ids])) as [unknown, number];
    return affected;
  }
}
