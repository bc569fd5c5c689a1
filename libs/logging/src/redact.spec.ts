import { REDACTED, parseTraceparent, redactText, redactValue } from '@pace/logging';

describe('log redaction', () => {
  it('hides emails, phone numbers and bearer tokens in free text', () => {
    const line = redactText('lead from jane.doe@example.ae, phone +971 50 123 4567 or 050-1234567, Authorization: Bearer abc.def-ghi');
    expect(line).not.toMatch(/jane\.doe|123 4567|1234567|abc\.def/);
    expect(line).toContain('[email]');
    expect(line).toContain('[phone]');
    expect(line).toContain('Bearer [redacted]');
  });

  it('keeps ids, timestamps and small numbers readable', () => {
    const text = 'applicant 0190a6b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b at 2026-11-28T10:00:00Z page 2 of 10';
    expect(redactText(text)).toBe(text);
  });

  it('replaces sensitive keys at any depth', () => {
    const out = redactValue({ req: { headers: { cookie: 'sid=1', authorization: 'x' } }, applicant: { phones: ['+971501234567'], name: 'A' } });
    expect(out).toEqual({ req: { headers: { cookie: REDACTED, authorization: REDACTED } }, applicant: { phones: REDACTED, name: 'A' } });
  });

  it('parses W3C traceparent and rejects malformed ones', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
    expect(parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
  });
});

describe('log redaction of HTTP objects', () => {
  it('hands requests and responses to the serializers as they are, without walking them', async () => {
    const { IncomingMessage, ServerResponse } = await import('node:http');
    const { Socket } = await import('node:net');
    const req = new IncomingMessage(new Socket());
    const res = new ServerResponse(req);
    let walked = false;
    Object.defineProperty(res, 'walked', { enumerable: true, get: () => (walked = true) });
    const out = redactValue({ res, responseTime: 3 }) as { res: unknown; responseTime: number };
    expect(out.res).toBe(res);
    expect(out.responseTime).toBe(3);
    expect(walked).toBe(false);
  });
});
