import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '@pace/auth';
import { PfAccounts } from './pf.accounts';
import { WebhookInvalidError, WebhookService } from './webhook.service';

/** Property Finder's webhook receiver (public: PF signs what it sends). */
@Controller('webhooks/propertyfinder')
export class WebhookController {
  constructor(
    private readonly webhooks: WebhookService,
    private readonly accounts: PfAccounts,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  async receive(@Req() req: Request, @Headers('x-signature') signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    if (!Buffer.isBuffer(raw)) throw new WebhookInvalidError('The body is missing.');
    this.webhooks.verify(raw, signature, await this.accounts.webhookSecret());
    const applied = await this.webhooks.handle(this.webhooks.parse(raw));
    return { received: true, duplicate: !applied };
  }
}
