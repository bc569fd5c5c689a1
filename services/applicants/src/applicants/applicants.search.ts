import { Injectable } from '@nestjs/common';
import { requireCaller, visibilityOf } from '@pace/auth';
import { Db, InvalidCursorError, type Page, decodeCursor, encodeCursor } from '@pace/database';
import { toE164 } from '@pace/http';
import { ApplicantEntity } from './applicant.entity';
import type { ApplicantView, SearchQuery, Sort } from './applicant.dto';
import { view } from './applicant.view';

const TS_QUERY = `(websearch_to_tsquery('english', :q) || websearch_to_tsquery('simple', :q))`;
const micro = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Sort key (as text, exact, for the cursor), its SQL type for the keyset comparison, and direction. */
const ORDER: Record<Sort, { key: string; text: string; cast: string; dir: 'ASC' | 'DESC' }> = {
  newest: { key: 'a.created_at', text: micro('a.created_at'), cast: 'timestamptz', dir: 'DESC' },
  oldest: { key: 'a.created_at', text: micro('a.created_at'), cast: 'timestamptz', dir: 'ASC' },
  updated: { key: 'a.updated_at', text: micro('a.updated_at'), cast: 'timestamptz', dir: 'DESC' },
  name: { key: `lower(a.last_name || ' ' || a.first_name)`, text: `lower(a.last_name || ' ' || a.first_name)`, cast: 'text', dir: 'ASC' },
  relevance: { key: `ts_rank(a.search_vector, ${TS_QUERY})`, text: `ts_rank(a.search_vector, ${TS_QUERY})::text`, cast: 'real', dir: 'DESC' },
};

function readCursor(sort: Sort, cursor: string): { value: string; id: string } {
  const { after, id } = decodeCursor(cursor);
  const [kind, value] = String(after).split('~', 2);
  if (kind !== sort || value === undefined || !/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCursorError();
  return { value, id };
}

/**
 * Applicant search: filters, full text (names, phones, emails, tags, communities: 'simple' so
 * Arabic names match as written, plus 'english' stemming), a chosen order and keyset cursors —
 * always inside the caller's visibility. Tombstones of merged applicants never appear.
 */
@Injectable()
export class ApplicantsSearch {
  constructor(private readonly db: Db) {}

  async search(query: SearchQuery): Promise<Page<ApplicantView>> {
    const order = ORDER[query.sort];
    const q = this.db.repository(ApplicantEntity).createQueryBuilder('a').where('a.merged_into IS NULL');
    const visibility = visibilityOf(requireCaller());
    if (!visibility.all) {
      if (visibility.teamIds.length === 0) q.andWhere('a.owner_id = :me', { me: visibility.ownerId });
      else q.andWhere('(a.owner_id = :me OR a.team_id IN (:...myTeams))', { me: visibility.ownerId, myTeams: visibility.teamIds });
    }
    if (query.q) {
      q.setParameter('q', query.q);
      // A phone number however written (050 123 4567) matches the stored E.164.
      const phone = /\d{6,}/.test(query.q.replace(/[\s()-]/g, '')) ? toE164(query.q) : undefined;
      if (phone) q.andWhere(`(a.search_vector @@ ${TS_QUERY} OR a.phones @> CAST(ARRAY[:phone] AS text[]))`, { phone });
      else q.andWhere(`a.search_vector @@ ${TS_QUERY}`);
    }
    if (query.statuses.length) q.andWhere('a.status IN (:...statuses)', { statuses: query.statuses });
    if (query.sources.length) q.andWhere('a.source IN (:...sources)', { sources: query.sources });
    if (query.ownerId) q.andWhere('a.owner_id = :ownerId', { ownerId: query.ownerId });
    if (query.teamId) q.andWhere('a.team_id = :teamId', { teamId: query.teamId });
    if (query.tags.length) q.andWhere('a.tags @> CAST(ARRAY[:...tags] AS text[])', { tags: query.tags });
    if (query.budgetFils !== undefined) {
      q.andWhere('(a.budget_min_fils IS NOT NULL OR a.budget_max_fils IS NOT NULL)')
        .andWhere('(a.budget_min_fils IS NULL OR a.budget_min_fils <= :budget)', { budget: query.budgetFils })
        .andWhere('(a.budget_max_fils IS NULL OR a.budget_max_fils >= :budget)');
    }
    if (query.bedrooms !== undefined) {
      q.andWhere('(a.bedrooms_min IS NOT NULL OR a.bedrooms_max IS NOT NULL)')
        .andWhere('(a.bedrooms_min IS NULL OR a.bedrooms_min <= :bedrooms)', { bedrooms: query.bedrooms })
        .andWhere('(a.bedrooms_max IS NULL OR a.bedrooms_max >= :bedrooms)');
    }
    if (query.cursor) {
      const after = readCursor(query.sort, query.cursor);
      const cmp = order.dir === 'DESC' ? '<' : '>';
      q.andWhere(`(${order.key}, a.id) ${cmp} (CAST(:afterValue AS ${order.cast}), CAST(:afterId AS uuid))`, { afterValue: after.value, afterId: after.id });
    }
    q.addSelect(order.text, 'sort_key')
      .orderBy(order.key, order.dir)
      .addOrderBy('a.id', order.dir)
      .limit(query.limit + 1);
    const { entities, raw } = await q.getRawAndEntities<{ sort_key: string; a_id: string }>();
    const keys = new Map(raw.map((r) => [r.a_id, r.sort_key]));
    const items = entities.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      nextCursor: entities.length > query.limit && last ? encodeCursor({ after: `${query.sort}~${keys.get(last.id) ?? ''}`, id: last.id }) : null,
    };
  }
}
