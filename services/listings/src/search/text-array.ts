import { types } from 'pg';

/** OID of `text[]`. */
const TEXT_ARRAY = 1009;
/** pg's own type parsers, by any OID (its typings list only the built-in scalar ones). */
const pgParser = types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown;
const pgTextArray = pgParser(TEXT_ARRAY, 'text') as (value: string) => (string | null)[];

/** Quotes, escapes or nested braces: an element PostgreSQL had to quote, or a multi-dimensional array. */
const NEEDS_PARSER = /["\\{}]/;
const NULL = /^null$/i;

/**
 * A `text[]` value as pg would parse it, faster for the arrays a search returns (amenities,
 * portals: lists of slugs). PostgreSQL writes an element unquoted only when it holds no
 * whitespace, comma, quote, backslash or brace and is not NULL, so `{balcony,central-ac}` splits
 * on commas; anything else (quoted elements, NULLs, nested arrays) goes to pg's own parser.
 * (postgres-array reads character by character and was ~8 % of a search's allocations.)
 */
export function parseTextArray(value: string): (string | null)[] {
  if (value === '{}') return [];
  const inner = value.slice(1, -1);
  if (value[0] !== '{' || value[value.length - 1] !== '}' || NEEDS_PARSER.test(inner)) return pgTextArray(value);
  const items = inner.split(',');
  for (const item of items) if (NULL.test(item)) return pgTextArray(value);
  return items;
}

/** pg's type parsers, with `text[]` read by `parseTextArray` (for `pool.query({ types })`). */
export const searchTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === TEXT_ARRAY && format !== 'binary' ? parseTextArray : pgParser(oid, format ?? 'text')),
};
