import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { httpLogOptions } from '@pace/logging';

describe('access log lines', () => {
  const options = httpLogOptions({ service: 'test', level: 'info', pretty: false });
  const req = { method: 'GET', url: '/applicants?q=x', originalUrl: '/api/v1/applicants?q=sara%40example.ae&phone=%2B971%2050%20123%204567&page=2' } as unknown as IncomingMessage;
  const res = { statusCode: 200 } as unknown as ServerResponse;

  it('carry no email or phone from the query string, even percent-encoded', () => {
    const message = (options.customSuccessMessage as (req: IncomingMessage, res: ServerResponse, time: number) => string)(req, res, 12);
    const serialized = (options.serializers as { req: (req: unknown) => { url: string } }).req(req);
    for (const line of [message, serialized.url]) {
      expect(line).not.toMatch(/sara|example\.ae|123|4567/);
      expect(line).toContain('[email]');
      expect(line).toContain('[phone]');
      expect(line).toContain('page=2');
    }
    expect(message).toBe('GET /api/v1/applicants?q=[email]&phone=[phone]&page=2 200 12ms');
  });

  it('keep a URL with a malformed escape, still scanned', () => {
    const bad = { ...req, originalUrl: '/api/v1/applicants?q=100%zz&email=sara@example.ae' } as unknown as IncomingMessage;
    expect((options.serializers as { req: (req: unknown) => { url: string } }).req(bad).url).toBe('/api/v1/applicants?q=100%zz&email=[email]');
  });
});

describe('access log levels', () => {
  /** A real server logging through pino-http with our options at `level`; the lines it writes, parsed. */
  async function linesFor(level: string, status: number): Promise<{ level: string; message: string }[]> {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const log = pinoHttp(httpLogOptions({ service: 'test', level: level as 'info', pretty: false }), stream);
    const server = createServer((req, res) => (log(req, res), res.writeHead(status).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/listings?q=sara%40example.ae`);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      server.close();
    }
    return lines.map((l) => JSON.parse(l) as { level: string; message: string });
  }

  it('write server errors at error, refusals at warn and the rest at info', async () => {
    expect((await linesFor('info', 200)).map((l) => l.level)).toEqual(['info']);
    expect((await linesFor('info', 404)).map((l) => l.level)).toEqual(['warn']);
    const [error] = await linesFor('info', 503);
    expect(error.level).toBe('error');
    expect(error.message).toBe('GET /api/v1/listings?q=[email] 503 failed with status code 503');
  });

  it('write no line the level drops, and keep the ones it does not', async () => {
    expect(await linesFor('warn', 200)).toEqual([]);
    expect((await linesFor('warn', 404)).map((l) => l.level)).toEqual(['warn']);
    expect((await linesFor('error', 404))).toEqual([]);
    expect((await linesFor('error', 500)).map((l) => l.level)).toEqual(['error']);
  });
});
