import type { NextFunction, Request, Response } from 'express';

/**
 * Reads an upload's body as raw bytes (the JSON parser leaves non-JSON bodies alone), refusing
 * more than `limit` bytes with 413 before reading them all.
 */
export function rawBody(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (Buffer.isBuffer(req.body) || !(type.startsWith('image/') || type.startsWith('application/pdf'))) return next();
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = () => {
      res
        .status(413)
        .type('application/problem+json')
        .send(JSON.stringify({ type: 'about:blank', title: 'Payload too large', status: 413, detail: `Files may be at most ${limit} bytes.`, instance: req.originalUrl }));
    };
    if (declared > limit) {
      tooLarge();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      req.body = Buffer.concat(chunks);
      next();
    });
    req.on('error', (error) => next(error));
  };
}
