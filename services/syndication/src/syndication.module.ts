import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CALLER_GUARD_OPTIONS, SignedCallerGuard } from '@pace/auth';
import { FeedController } from './bayut/feed.controller';
import { FeedRepository } from './bayut/feed.repository';
import { SYNDICATION_CONFIG, type SyndicationConfig } from './config';
import { ProjectionHandler } from './projection/projection.handler';
import { ProjectionRepository } from './projection/projection.repository';
import { ProjectionService } from './projection/projection.service';
import { JobsRepository } from './propertyfinder/jobs.repository';
import { PfAccounts } from './propertyfinder/pf.accounts';
import { PfWorker } from './propertyfinder/pf.worker';
import { WebhookController } from './propertyfinder/webhook.controller';
import { WebhookService } from './propertyfinder/webhook.service';
import { PublicationsController } from './publications/publications.controller';
import { PublicationsRepository } from './publications/publications.repository';
import { PublicationsService } from './publications/publications.service';
import { SettingsService } from './settings/settings.service';
import { WebsiteController, WebsiteRepository } from './website/website.controller';
import { PortalValidator } from './validation/validator';

export const SYNDICATION_AUDIENCE = 'syndication';

@Module({})
export class SyndicationModule {
  static register(config: SyndicationConfig): DynamicModule {
    return {
      module: SyndicationModule,
      controllers: [ProjectionHandler, FeedController, WebhookController, WebsiteController, PublicationsController],
      providers: [
        { provide: SYNDICATION_CONFIG, useValue: config },
        { provide: CALLER_GUARD_OPTIONS, useValue: { secret: config.CALLER_SIGNING_SECRET, audience: SYNDICATION_AUDIENCE } },
        { provide: APP_GUARD, useClass: SignedCallerGuard },
        ProjectionRepository,
        ProjectionService,
        PublicationsRepository,
        PublicationsService,
        JobsRepository,
        PfAccounts,
        PfWorker,
        WebhookService,
        SettingsService,
        FeedRepository,
        WebsiteRepository,
        PortalValidator,
      ],
    };
  }
}
