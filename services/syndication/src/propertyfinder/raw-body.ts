import type { NextFunction, Request, Response } from 'express';

/**
 * Keeps the exact bytes of a webhook body (`req.rawBody`): the signature covers them, and a
 * re-serialised JSON body would not match. Registered before Nest's body parsers, which then
 * skip the consumed request. Bodies over `limit` bytes get 413.
 */
export function keepRawBody(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        res.status(413).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: 'Payload too large', status: 413, detail: `Webhook bodies may be at most ${limit} bytes.` }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      const raw = Buffer.concat(chunks);
      (req as Request & { rawBody?: Buffer }).rawBody = raw;
      req.body = raw;
      next();
    });
    req.on('error', (error) => next(error));
  };
}
