/**
 * Where media bytes live. The listing keeps only object keys; the adapter is chosen by
 * LISTINGS_MEDIA_STORE (`local` folder in development, `gcs` bucket in production).
 */
export abstract class StoragePort {
  abstract put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when no object has this key. */
  abstract get(key: string): Promise<{ body: Buffer; contentType: string } | null>;
  /** Removes the object; a missing key is not an error. */
  abstract delete(key: string): Promise<void>;
  /** A URL the outside world can fetch, or null when the bytes are served by this service. */
  abstract publicUrl(key: string): string | null;
}

/** Object keys are ours, never the uploader's file name: `listings/<listing id>/<media id>.<ext>`. */
export function objectKeyFor(listingId: string, mediaId: string, contentType: string): string {
  const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }[contentType] ?? 'bin';
  return `listings/${listingId}/${mediaId}.${ext}`;
}
