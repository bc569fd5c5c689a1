import { createHash } from 'node:crypto';

/** A stable hash of a normalised record: keys sorted, so the same content always hashes the same. */
export function contentHash(record: Record<string, unknown>): string {
  const keys = Object.keys(record).sort();
  const canonical = JSON.stringify(keys.map((k) => [k, record[k]]));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 32);
}
