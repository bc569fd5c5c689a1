import type { NextFunction, Request, Response } from 'express';

export interface RawBodyOptions {
  /** Largest body accepted; a larger one (declared or streamed) gets 413 before it is read whole. */
  limit: number;
  /** What the 413 says, e.g. "Files may be at most 15728640 bytes." */
  tooLarge: string;
  /** Which requests to read; the others pass untouched (default: all). */
  when?: (req: Request) => boolean;
}

/**
 * Express middleware reading a request body as raw bytes into `req.body` (and `req.rawBody`):
 * uploads, and webhooks whose signature covers the exact bytes. Registered before Nest's body
 * parsers, which then leave the consumed request alone.
 */
export function rawBody(options: RawBodyOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (Buffer.isBuffer(req.body) || (options.when && !options.when(req))) return next();
    const refuse = () => {
      res
        .status(413)
        .type('application/problem+json')
        .send(JSON.stringify({ type: 'about:blank', title: 'Payload too large', status: 413, detail: options.tooLarge, instance: req.originalUrl }));
    };
    if (Number(req.headers['content-length'] ?? 0) > options.limit) {
      refuse();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > options.limit) {
        failed = true;
        refuse();
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
