import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ValidationError, ZodPipe } from '@pace/http';
import { z } from 'zod';
import { type Caller, CurrentCaller } from '../common/caller';
import { listingId, versionFromIfMatch, type ListingView } from '@pace/listings-api';
import { type CaptionBody, type OrderBody, type UploadQuery, captionBody, orderBody, uploadQuery } from '@pace/listings-api';
import { uploadProblem } from './media.dto';
import { MediaService } from './media.service';

const mediaId = z.uuid('must be a media id (UUID)');

/** Writes are for people; machines with `listings:read` may list and fetch media. */
@Controller('listings/:id/media')
@Allow({ roles: ANY_ROLE })
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /** The file is the request body (content-type image/jpeg, image/png, image/webp; PDF for floor plans). */
  @Post()
  @HttpCode(201)
  upload(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Query(new ZodPipe(uploadQuery)) q: UploadQuery,
    @Headers('if-match') ifMatchHeader: string | undefined,
    @Req() req: Request,
  ): Promise<ListingView> {
    const contentType = req.headers['content-type'] ?? '';
    const problem = uploadProblem(q.kind, contentType, req.body);
    if (problem) throw new ValidationError([{ field: '(body)', message: problem }]);
    return this.media.upload(caller, id, { ...q, version: versionFromIfMatch(ifMatchHeader) ?? q.version }, contentType, req.body as Buffer);
  }

  @Get()
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  list(@CurrentCaller() caller: Caller, @Param('id', new ZodPipe(listingId)) id: string) {
    return this.media.list(caller, id);
  }

  @Put('order')
  reorder(@CurrentCaller() caller: Caller, @Param('id', new ZodPipe(listingId)) id: string, @Body(new ZodPipe(orderBody)) body: OrderBody): Promise<ListingView> {
    return this.media.reorder(caller, id, body);
  }

  @Patch(':mediaId')
  caption(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Param('mediaId', new ZodPipe(mediaId)) item: string,
    @Body(new ZodPipe(captionBody)) body: CaptionBody,
  ): Promise<ListingView> {
    return this.media.caption(caller, id, item, body);
  }

  @Delete(':mediaId')
  remove(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Param('mediaId', new ZodPipe(mediaId)) item: string,
    @Headers('if-match') ifMatchHeader: string | undefined,
  ): Promise<ListingView> {
    return this.media.remove(caller, id, item, versionFromIfMatch(ifMatchHeader));
  }

  @Get(':mediaId/content')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  async content(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Param('mediaId', new ZodPipe(mediaId)) item: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { body, contentType } = await this.media.content(caller, id, item);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(body, { type: contentType, length: body.length });
  }
}
