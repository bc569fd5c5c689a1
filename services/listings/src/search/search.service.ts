import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Db, type Page } from '@pace/database';
import type { Caller } from '../common/caller';
import { LISTINGS_CONFIG, type ListingsConfig } from '../config';
import { allowedActions } from '../lifecycle/lifecycle';
import type { Category, CompletionStatus, Furnishing, ListingStatus, Portal, PropertyType, Purpose, RentFrequency } from '@pace/listings-api';
import { seesFully } from '../listings/visibility';
import { StoragePort } from '../media/storage.port';
import type { ListingSummary, SearchQuery } from '@pace/listings-api';
import { buildSearchSql, searchCursor } from './search.sql';

/** A search hit: the listing without its long texts and media list, with its cover image. */

interface Row {
  [column: string]: unknown;
  id: string;
  agent_id: string;
  team_id: string | null;
  status: ListingStatus;
  purpose: Purpose;
  landlord_name: string | null;
  cursor_value: string;
  cover: string | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

@Injectable()
export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly storage: StoragePort,
    @Inject(LISTINGS_CONFIG) private readonly config: ListingsConfig,
  ) {}

  async search(caller: Caller, q: SearchQuery): Promise<Page<ListingSummary>> {
    const { sql, params } = buildSearchSql(caller, q);
    const rows = await this.query(sql, params);
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => this.summary(caller, r)),
      nextCursor: rows.length > q.limit && last ? searchCursor(q.sort, last.cursor_value, last.id) : null,
    };
  }

  /**
   * Search is the hot read path and never part of a transaction: it runs its one statement on
   * the data source's pg pool directly, skipping TypeORM's query-runner bookkeeping (bench/search
   * measures the difference against the same SQL run by hand).
   */
  private async query(sql: string, params: unknown[]): Promise<Row[]> {
    if (this.db.inTransaction) return this.db.manager.query(sql, params);
    const pool = (this.db.dataSource.driver as unknown as { master: Pool }).master;
    return (await pool.query<Row>(sql, params)).rows;
  }

  private summary(caller: Caller, r: Row): ListingSummary {
    const owner = { agentId: r.agent_id, teamId: r.team_id };
    const full = seesFully(caller, owner);
    const [coverId, coverKey] = r.cover ? r.cover.split(' ', 2) : [null, null];
    return {
      id: r.id,
      reference: String(r.reference),
      status: r.status,
      purpose: r.purpose,
      rentFrequency: str(r.rent_frequency) as RentFrequency | null,
      category: r.category as Category,
      propertyType: r.property_type as PropertyType,
      price: r.price_fils === null ? null : { amountFils: Number(r.price_fils), currency: 'AED' },
      bedrooms: num(r.bedrooms),
      bathrooms: num(r.bathrooms),
      size: r.size === null ? null : { value: Number(r.size), unit: 'sqft' },
      location: { emirate: String(r.emirate), community: String(r.community), subCommunity: str(r.sub_community), building: str(r.building) },
      title: { en: str(r.title_en), ar: str(r.title_ar) },
      amenities: r.amenities as string[],
      furnishing: str(r.furnishing) as Furnishing | null,
      completionStatus: r.completion_status as CompletionStatus,
      permit: r.permit_number === null ? null : { number: String(r.permit_number), type: str(r.permit_type), expiryDate: str(r.permit_expiry_date) },
      landlord: full && r.landlord_name !== null ? { name: r.landlord_name, phone: str(r.landlord_phone), email: str(r.landlord_email) } : null,
      landlordHidden: !full && r.landlord_name !== null,
      agentId: r.agent_id,
      teamId: r.team_id,
      portals: r.portals as Portal[],
      coverImageUrl: coverKey
        ? (this.storage.publicUrl(coverKey) ?? `${this.config.LISTINGS_MEDIA_ROUTE_BASE}/listings/${r.id}/media/${coverId}/content`)
        : null,
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
      publishedAt: str(r.published_at),
      version: Number(r.version),
      allowedActions: allowedActions({ status: r.status, purpose: r.purpose, ...owner }, caller),
    };
  }
}
