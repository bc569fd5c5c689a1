import { InvalidCursorError, decodeCursor, encodeCursor } from '@pace/database';
import type { Caller } from '../common/caller';
import type { SearchQuery, Sort } from '@pace/listings-api';

/**
 * The search as one SQL statement, built from the filters and the caller's visibility. Kept pure
 * so the benchmark runs exactly the statement the endpoint runs.
 */
export interface SearchSql {
  sql: string;
  params: unknown[];
}

const TS_QUERY = (p: string) => `(websearch_to_tsquery('english', ${p}) || websearch_to_tsquery('simple', ${p}))`;

/** Sort key expression, its SQL type for the cursor comparison, and direction. */
const ORDER: Record<Sort, { key: string; cast: string; dir: 'ASC' | 'DESC' }> = {
  newest: { key: 'l.created_at', cast: 'timestamptz', dir: 'DESC' },
  updated: { key: 'l.updated_at', cast: 'timestamptz', dir: 'DESC' },
  price_asc: { key: 'l.price_fils', cast: 'bigint', dir: 'ASC' },
  price_desc: { key: 'l.price_fils', cast: 'bigint', dir: 'DESC' },
  relevance: { key: 'rank', cast: 'float8', dir: 'DESC' },
};

/** The sort value as the cursor carries it: exact (microsecond timestamps as text). */
const CURSOR_VALUE: Record<Sort, string> = {
  newest: `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  updated: `to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  price_asc: 'l.price_fils::text',
  price_desc: 'l.price_fils::text',
  relevance: 'rank::text',
};

export function searchCursor(sort: Sort, value: string, id: string): string {
  return encodeCursor({ after: `${sort}~${value}`, id });
}

function readCursor(sort: Sort, cursor: string): { value: string; id: string } {
  const { after, id } = decodeCursor(cursor);
  const [kind, value] = String(after).split('~', 2);
  if (kind !== sort || value === undefined || !/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCursorError();
  return { value, id };
}

/** Timestamps leave the database as ISO-8601 text: no Date round trip per row. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const SEARCH_COLUMNS = `l.id, l.reference, l.status, l.purpose, l.rent_frequency, l.category, l.property_type, l.price_fils, l.currency,
  l.bedrooms, l.bathrooms, l.size, l.plot_size, l.emirate, l.community, l.sub_community, l.building, l.title_en, l.title_ar,
  l.amenities, l.furnishing, l.completion_status, l.permit_number, l.permit_type, l.permit_issue_date::text AS permit_issue_date,
  l.permit_expiry_date::text AS permit_expiry_date, l.landlord_name, l.landlord_phone, l.landlord_email, l.agent_id, l.team_id,
  l.portals, ${iso('l.created_at')} AS created_at, ${iso('l.updated_at')} AS updated_at, ${iso('l.published_at')} AS published_at, l.version`;

export function buildSearchSql(caller: Caller, q: SearchQuery): SearchSql {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];

  // Visibility first: nothing below can widen it.
  let full: string | null = null;
  if (caller.role === 'manager' && caller.teamIds.length) full = `(l.team_id = ANY(${p(caller.teamIds)}::uuid[]) OR l.agent_id = ${p(caller.userId)})`;
  else if (caller.role !== 'admin' && caller.role !== 'service') full = `l.agent_id = ${p(caller.userId)}`;
  if (full) where.push(q.scope === 'stock' ? `(${full} OR l.status = 'published')` : full);

  if (q.purpose) where.push(`l.purpose = ${p(q.purpose)}`);
  if (q.category) where.push(`l.category = ${p(q.category)}`);
  if (q.propertyType) where.push(q.propertyType.length === 1 ? `l.property_type = ${p(q.propertyType[0])}` : `l.property_type = ANY(${p(q.propertyType)}::text[])`);
  if (q.status) where.push(q.status.length === 1 ? `l.status = ${p(q.status[0])}` : `l.status = ANY(${p(q.status)}::text[])`);
  if (q.emirate) where.push(`l.emirate = ${p(q.emirate)}`);
  if (q.community) where.push(`l.community = ${p(q.community)}`);
  if (q.minPrice !== undefined) where.push(`l.price_fils >= ${p(q.minPrice)}`);
  if (q.maxPrice !== undefined) where.push(`l.price_fils <= ${p(q.maxPrice)}`);
  if (q.minBeds !== undefined) where.push(`l.bedrooms >= ${p(q.minBeds)}`);
  if (q.maxBeds !== undefined) where.push(`l.bedrooms <= ${p(q.maxBeds)}`);
  if (q.agentId) where.push(`l.agent_id = ${p(q.agentId)}`);
  if (q.teamId) where.push(`l.team_id = ${p(q.teamId)}`);
  if (q.portal) where.push(`${p(q.portal)} = ANY(l.portals)`);
  // Listings without a price are left out of price-sorted results (they have no place in the order).
  if (q.sort === 'price_asc' || q.sort === 'price_desc') where.push('l.price_fils IS NOT NULL');

  let rankExpr: string | null = null;
  if (q.q) {
    const tsq = TS_QUERY(p(q.q));
    where.push(`l.search_vector @@ ${tsq}`);
    rankExpr = `ts_rank(l.search_vector, ${tsq})::float8`;
  }
  if (q.sort === 'relevance' && !rankExpr) throw new Error('relevance needs q');

  const order = ORDER[q.sort];
  const keyExpr = q.sort === 'relevance' ? (rankExpr as string) : order.key;
  const cursorValue = q.sort === 'relevance' ? `(${rankExpr})::text` : CURSOR_VALUE[q.sort];
  if (q.cursor) {
    const after = readCursor(q.sort, q.cursor);
    where.push(`(${keyExpr}, l.id) ${order.dir === 'ASC' ? '>' : '<'} (${p(after.value)}::${order.cast}, ${p(after.id)}::uuid)`);
  }
  const inner = `SELECT ${SEARCH_COLUMNS}, ${keyExpr} AS sort_key, ${cursorValue} AS cursor_value
    FROM listings.listing l${where.length ? `\n    WHERE ${where.join('\n      AND ')}` : ''}
    ORDER BY ${keyExpr} ${order.dir}, l.id ${order.dir}
    LIMIT ${p(q.limit + 1)}`;
  // The cover image (first image) is looked up only for the rows returned, after the limit.
  const sql = `SELECT s.*,
    (SELECT m.id::text || ' ' || m.object_key FROM listings.listing_media m WHERE m.listing_id = s.id AND m.kind = 'image' ORDER BY m.position LIMIT 1) AS cover
  FROM (${inner}) s
  ORDER BY s.sort_key ${order.dir}, s.id ${order.dir}`;
  return { sql, params };
}
