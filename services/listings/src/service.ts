import path from 'node:path';
import { Module } from '@nestjs/common';
import { SyncTombstoneEntity } from '@pace/database';
import { eventEntities } from '@pace/events';
import { importEntities } from '@pace/import';
import { type ServiceDefinition, platformImports } from '@pace/platform';
import { AuditEntity } from './audit/audit.entity';
import { listingsEnv } from './config';
import { JobRunEntity, NoticeEntity } from './expiry/notice.entity';
import { ApprovalEntity } from './lifecycle/approval.entity';
import { ListingEntity, ListingPriceEntity } from './listings/listing.entity';
import { ListingsModule } from './listings.module';
import { MediaEntity } from './media/media.entity';
import { ListingPublicationEntity } from './portals/publication.entity';

@Module({})
class ListingsApp {}

export const listingsService: ServiceDefinition<typeof listingsEnv> = {
  name: 'listings',
  defaultPort: 3102,
  namespace: 'pace-web',
  env: listingsEnv,
  // Portal status from syndication (syndication.publication-changed.v1), shown beside each listing.
  consumes: ['syndication'],
  db: {
    service: 'listings',
    database: 'pace',
    entities: [ListingEntity, ListingPriceEntity, ApprovalEntity, MediaEntity, AuditEntity, NoticeEntity, JobRunEntity, ListingPublicationEntity, SyncTombstoneEntity, ...eventEntities, ...importEntities],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: ListingsApp,
    imports: [...platformImports(listingsService, config), ListingsModule.register(config)],
  }),
};
