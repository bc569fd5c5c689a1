import { searchQuery } from '@pace/listings-api';
import type { Caller } from '../../services/listings/src/common/caller';
import { type SearchSql, buildSearchSql } from '../../services/listings/src/search/search.sql';

/** The statement the listings endpoint runs for this query string: the same zod parse, the same builder. */
export const searchSqlOf = (caller: Caller, qs: string): SearchSql => buildSearchSql(caller, searchQuery.parse(Object.fromEntries(new URLSearchParams(qs))));
