/**
 * Keyset pagination cursors: opaque to clients (base64url JSON), stable under concurrent
 * inserts, unlike OFFSET paging.
 */
export interface Keyset {
  /** The sort value of the last row returned (ISO timestamp, number or string). */
  after: string | number;
  /** The id of the last row returned; breaks ties between equal sort values. */
  id: string;
}

export class InvalidCursorError extends Error {
  /** `reason`: what is wrong with it, for the client (never echoes the cursor itself). */
  constructor(reason?: string) {
    super(`The cursor is not one this API returned (${reason ?? 'it may be corrupted or from another list'}).`);
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.after, keyset.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number') &&
      typeof value[1] === 'string'
    ) {
      return { after: value[0], id: value[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw new InvalidCursorError();
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Given `limit + 1` rows fetched in order, returns the page and the cursor to the next one. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => Keyset, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
