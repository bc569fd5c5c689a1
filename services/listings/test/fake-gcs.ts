import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';

/** CRC32C (Castagnoli), big-endian, base64: what GCS reports and the client checks after upload. */
function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

/**
 * A small stand-in for the Cloud Storage JSON API (the calls the official client makes for
 * simple uploads, downloads, metadata and deletes), so the real GCS adapter runs in tests.
 */
export interface FakeGcs {
  url: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  requests: string[];
  close: () => Promise<void>;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Splits a multipart/related body into its parts (JSON metadata, then the media). */
function parts(body: Buffer, boundary: string): { headers: string; body: Buffer }[] {
  const out: { headers: string; body: Buffer }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    out.push({ headers: part.subarray(0, split).toString('latin1'), body: part.subarray(split + 4) });
    start = next;
  }
  return out;
}

export async function startFakeGcs(bucket: string): Promise<FakeGcs> {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: string[] = [];
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const resource = (name: string) => {
    const stored = objects.get(name);
    const body = stored?.body ?? Buffer.alloc(0);
    return {
      kind: 'storage#object',
      bucket,
      name,
      contentType: stored?.contentType,
      size: String(body.length),
      md5Hash: createHash('md5').update(body).digest('base64'),
      crc32c: crc32c(body),
    };
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push(`${req.method} ${url.pathname}`);
      const body = await read(req);
      const upload = url.pathname === `/upload/storage/v1/b/${bucket}/o`;
      const object = new RegExp(`^/(?:download/)?storage/v1/b/${bucket}/o/(.+)$`).exec(url.pathname);
      if (req.method === 'POST' && upload && url.searchParams.get('uploadType') === 'multipart') {
        const boundary = /boundary=("?)([^";]+)\1/.exec(req.headers['content-type'] ?? '')?.[2] ?? '';
        const [meta, media] = parts(body, boundary);
        const metadata = JSON.parse(meta.body.toString('utf8')) as { name?: string; contentType?: string };
        const name = metadata.name ?? url.searchParams.get('name') ?? '';
        const contentType = metadata.contentType ?? /content-type:\s*(\S+)/i.exec(media.headers)?.[1] ?? 'application/octet-stream';
        objects.set(name, { body: Buffer.from(media.body), contentType });
        return json(res, 200, resource(name));
      }
      if (object) {
        const name = decodeURIComponent(object[1]);
        const stored = objects.get(name);
        if (!stored) return json(res, 404, { error: { code: 404, message: 'No such object' } });
        if (req.method === 'DELETE') {
          objects.delete(name);
          res.writeHead(204).end();
          return;
        }
        if (url.searchParams.get('alt') === 'media') {
          res.writeHead(200, { 'content-type': stored.contentType, 'content-length': stored.body.length });
          res.end(stored.body);
          return;
        }
        return json(res, 200, resource(name));
      }
      json(res, 404, { error: { code: 404, message: `fake GCS does not serve ${req.method} ${url.pathname}` } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
