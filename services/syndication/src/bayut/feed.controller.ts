import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Controller, Get, Inject, Logger, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '@pace/auth';
import { NotFoundError } from '@pace/http';
import { SYNDICATION_CONFIG, type SyndicationConfig } from '../config';
import { SettingsService } from '../settings/settings.service';
import { CopyBinaryValues } from './copy-binary';
import { FEED_HEAD, FEED_TAIL, pullTags } from './feed.writer';
import { FeedRepository } from './feed.repository';

/** Whether the client's validators match (If-None-Match first, then If-Modified-Since). */
export function notModified(req: Request, etag: string, lastModified: Date | null): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims && lastModified) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** `GET /feeds/bayut/{token}.xml`: the Bayut/dubizzle combined feed, pulled by the portal. */
@Controller('feeds/bayut')
export class FeedController {
  private readonly logger = new Logger('bayut-feed');

  constructor(
    private readonly feed: FeedRepository,
    private readonly settings: SettingsService,
    @Inject(SYNDICATION_CONFIG) private readonly config: SyndicationConfig,
  ) {}

  @Get(':file')
  @Public()
  async serve(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const token = file.endsWith('.xml') ? file.slice(0, -4) : '';
    const setting = token && token.length <= 200 ? await this.settings.byAccessToken('bayut', token) : undefined;
    // One answer for a wrong token and a disabled feed: nothing to learn by guessing.
    if (!setting) throw new NotFoundError('Feed', file.slice(0, 8) + '…');
    const retention = this.config.SYNDICATION_BAYUT_DELETED_RETENTION_HOURS;
    const portals = (setting.options.portals ?? 'Bayut,dubizzle').split(',').map((p) => p.trim()).filter(Boolean);
    const agent = { name: setting.options.agentName, phone: setting.options.agentPhone, email: setting.options.agentEmail };
    const started = Date.now();
    try {
    await this.feed.withSnapshot(async (reader) => {
      const meta = await reader.meta(retention);
      const etag = `"${createHash('sha256')
        .update(`${meta.count}|${meta.lastModified?.toISOString() ?? ''}|${setting.updatedAt.toISOString()}|${retention}`)
        .digest('base64url')
        .slice(0, 27)}"`;
      res.setHeader('ETag', etag);
      if (meta.lastModified) res.setHeader('Last-Modified', meta.lastModified.toUTCString());
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Vary', 'Accept-Encoding');
      if (notModified(req, etag, meta.lastModified)) {
        res.status(304).end();
        return;
      }
      res.status(200).type('application/xml; charset=utf-8');
      const gzip = req.acceptsEncodings('gzip') === 'gzip';
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      const values = new CopyBinaryValues();
      // Every <Property> as it streams from PostgreSQL, between head and tail, with backpressure
      // end to end; a client that goes away stops the COPY (the connection is then discarded).
      const wrap = async function* (source: AsyncIterable<Buffer>) {
        yield Buffer.from(FEED_HEAD);
        for await (const chunk of source) yield chunk;
        yield Buffer.from(FEED_TAIL);
      };
      const copy = reader.properties(retention, pullTags(portals, agent));
      try {
        if (gzip) await pipeline(copy, values, wrap, createGzip({ level: 1 }), res);
        else await pipeline(copy, values, wrap, res);
      } catch (error) {
        this.logger.warn(`feed pull ended early after ${values.rows} listings: ${(error as Error).message}`);
        throw error;
      }
      this.logger.log(`feed served: ${values.rows} listings in ${Date.now() - started} ms`);
    });
    } catch (error) {
      // Once the body has started, the response is already torn down: nothing more to send.
      if (!res.headersSent) throw error;
    }
  }
}
