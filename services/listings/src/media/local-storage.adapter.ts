import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoragePort } from './storage.port';

/** Development store: a folder, one file per key plus a sidecar with its content type. */
export class LocalStorageAdapter extends StoragePort {
  constructor(
    private readonly root: string,
    private readonly publicBaseUrl?: string,
  ) {
    super();
  }

  private file(key: string): string {
    const resolved = path.resolve(this.root, key);
    // Keys are made by the service, but never let one escape the folder.
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`object key outside the media folder: ${key}`);
    return resolved;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
    await writeFile(`${file}.type`, contentType);
  }

  async get(key: string): Promise<{ body: Buffer; contentType: string } | null> {
    const file = this.file(key);
    try {
      const [body, contentType] = await Promise.all([readFile(file), readFile(`${file}.type`, 'utf8')]);
      return { body, contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await rm(file, { force: true });
    await rm(`${file}.type`, { force: true });
  }

  publicUrl(key: string): string | null {
    return this.publicBaseUrl ? `${this.publicBaseUrl.replace(/\/$/, '')}/${key}` : null;
  }
}
