import { type Bucket, Storage } from '@google-cloud/storage';
import { StoragePort } from './storage.port';

/**
 * Production store: a Google Cloud Storage bucket through the official client (7.x, the last line
 * that runs on Node 20). Credentials come from the environment (workload identity on GKE);
 * `apiEndpoint` points it at a local fake in tests. Portals fetch images over HTTPS from a
 * CDN in front of the bucket (`publicBaseUrl`), never from this service (specs/portals.md §2.8).
 */
export class GcsStorageAdapter extends StoragePort {
  private readonly bucket: Bucket;

  constructor(
    bucketName: string,
    private readonly publicBaseUrl?: string,
    options: { apiEndpoint?: string; projectId?: string } = {},
  ) {
    super();
    const storage = new Storage({
      ...(options.projectId ? { projectId: options.projectId } : {}),
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint, useAuthWithCustomEndpoint: false } : {}),
    });
    this.bucket = storage.bucket(bucketName);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    // One request (multipart upload): media files are small, a resumable session is not worth it.
    await this.bucket.file(key).save(body, { resumable: false, contentType, metadata: { cacheControl: 'public, max-age=604800' } });
  }

  async get(key: string): Promise<{ body: Buffer; contentType: string } | null> {
    const file = this.bucket.file(key);
    try {
      const [[body], [metadata]] = await Promise.all([file.download(), file.getMetadata()]);
      return { body, contentType: metadata.contentType ?? 'application/octet-stream' };
    } catch (error) {
      if ((error as { code?: number }).code === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.bucket.file(key).delete({ ignoreNotFound: true });
  }

  publicUrl(key: string): string | null {
    return this.publicBaseUrl ? `${this.publicBaseUrl.replace(/\/$/, '')}/${key}` : null;
  }
}
