import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import { ListingPublicationEntity } from './publication.entity';

@Injectable()
export class PublicationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores the report unless a newer one (higher version) is already there; returns the state it
   * replaced (null for a first report), or undefined when the report was stale and nothing changed.
   */
  async apply(row: ListingPublicationEntity): Promise<{ previousState: string | null } | undefined> {
    const rows = (await this.db.manager.query(
      `WITH old AS (SELECT state FROM listings.listing_publication WHERE listing_id = $1 AND portal = $2 FOR UPDATE)
       INSERT INTO listings.listing_publication (listing_id, portal, desired_state, state, message, portal_listing_id, version, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (listing_id, portal) DO UPDATE SET
         desired_state = EXCLUDED.desired_state, state = EXCLUDED.state, message = EXCLUDED.message,
         portal_listing_id = EXCLUDED.portal_listing_id, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
       WHERE listing_publication.version < EXCLUDED.version
       RETURNING (SELECT state FROM old) AS previous_state`,
      [row.listingId, row.portal, row.desiredState, row.state, row.message, row.portalListingId, row.version, row.changedAt],
    )) as { previous_state: string | null }[];
    return rows.length ? { previousState: rows[0].previous_state } : undefined;
  }

  /** Every reported publication of these listings, by listing id. */
  async forListings(ids: string[]): Promise<Map<string, ListingPublicationEntity[]>> {
    const out = new Map<string, ListingPublicationEntity[]>();
    if (!ids.length) return out;
    const rows = await this.db.repository(ListingPublicationEntity).createQueryBuilder('p').where('p.listing_id = ANY(:ids)', { ids }).orderBy('p.portal').getMany();
    for (const row of rows) out.set(row.listingId, [...(out.get(row.listingId) ?? []), row]);
    return out;
  }
}
