import { hash } from 'node:crypto';

// The sorted key order of the last record shape seen: an import hashes thousands of records of
// one shape, and sorting their keys and building [key, value] pairs was most of the hash's cost.
let lastKeys: string[] = [];
let sortedKeys: string[] = [];
let keyPrefixes: string[] = [];

/**
 * A stable hash of a normalised record: keys sorted, so the same content always hashes the same.
 * The canonical text is `JSON.stringify(sortedKeys.map((k) => [k, record[k]]))` (what stored
 * hashes were made from: changing it would make every re-imported row look updated), written
 * without the intermediate pairs.
 */
export function contentHash(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  let same = keys.length === lastKeys.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === lastKeys[i];
  if (!same) {
    lastKeys = keys;
    sortedKeys = [...keys].sort();
    keyPrefixes = sortedKeys.map((k) => `[${JSON.stringify(k)},`);
  }
  let canonical = '[';
  for (let i = 0; i < sortedKeys.length; i++) {
    const value = record[sortedKeys[i]];
    canonical += (i ? ',' : '') + keyPrefixes[i] + (value === undefined ? 'null' : JSON.stringify(value)) + ']';
  }
  // One-shot: a Hash object per row (a stream underneath) was the import's largest allocation.
  return hash('sha256', canonical + ']', 'base64url').slice(0, 32);
}
