import type { IncomingMessage, ServerResponse } from 'node:http';
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
