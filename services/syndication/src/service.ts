import path from 'node:path';
import { Module } from '@nestjs/common';
import { eventEntities } from '@pace/events';
import { type ServiceDefinition, platformImports } from '@pace/platform';
import { syndicationEnv } from './config';
import { ListingProjectionEntity } from './projection/listing.entity';
import { PfLocationEntity, PublishJobEntity, WebhookEventEntity } from './propertyfinder/job.entity';
import { rawBody } from '@pace/http';
import { PublicationEntity } from './publications/publication.entity';
import { PortalSettingEntity } from './settings/setting.entity';
import { SyndicationModule } from './syndication.module';

@Module({})
class SyndicationApp {}

export const syndicationService: ServiceDefinition<typeof syndicationEnv> = {
  name: 'syndication',
  defaultPort: 3103,
  namespace: 'pace-web',
  env: syndicationEnv,
  consumes: ['listings'],
  db: {
    service: 'syndication',
    database: 'pace',
    entities: [ListingProjectionEntity, PublicationEntity, PublishJobEntity, WebhookEventEntity, PfLocationEntity, PortalSettingEntity, ...eventEntities],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: SyndicationApp,
    imports: [...platformImports(syndicationService, config), SyndicationModule.register(config)],
  }),
  // Webhook signatures cover the exact bytes: keep them before any body parser runs.
  setup: (app) => {
    app.use('/webhooks/propertyfinder', rawBody({ limit: 1024 * 1024, tooLarge: 'Webhook bodies may be at most 1048576 bytes.' }));
  },
};
