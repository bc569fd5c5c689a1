import path from 'node:path';
import { Module } from '@nestjs/common';
import { type ServiceDefinition, platformImports } from '@pace/platform';
import { APPLICANTS_CONTRACT, connectGrpcServer } from '@pace/rpc';
import { SyncTombstoneEntity } from '@pace/database';
import { eventEntities } from '@pace/events';
import { importEntities } from '@pace/import';
import { ApplicantEntity } from './applicants/applicant.entity';
import { ApplicantsModule } from './applicants/applicants.module';
import { AuditEntity } from './audit/audit.entity';
import { DEFAULT_GRPC_PORT, applicantsEnv } from './config';
import { SalesforceLinkEntity } from './import/salesforce-link.entity';
import { LeadEntity, LeadRouteEntity, RosterAgentEntity } from './intake/lead.entity';
import { ListingProjectionEntity } from './matching/listing-projection.entity';
import { ApplicantMatchEntity } from './matching/match.entity';
import { ListingShareEntity } from './shares/listing-share.entity';
import { TimelineEntryEntity } from './timeline/timeline.entity';

@Module({})
class ApplicantsApp {}

export const applicantsService: ServiceDefinition<typeof applicantsEnv> = {
  name: 'applicants',
  defaultPort: 3101,
  namespace: 'pace-web',
  env: applicantsEnv,
  // Portal leads (Property Finder's webhooks, received by syndication) arrive as syndication.lead-received.v1;
  // listing snapshots feed the projection that matching reads.
  consumes: ['syndication', 'listings'],
  db: {
    service: 'applicants',
    database: 'pace',
    entities: [ApplicantEntity, TimelineEntryEntity, AuditEntity, LeadEntity, RosterAgentEntity, LeadRouteEntity, ListingProjectionEntity, ApplicantMatchEntity, SyncTombstoneEntity, SalesforceLinkEntity, ListingShareEntity, ...eventEntities, ...importEntities],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: ApplicantsApp,
    imports: [...platformImports(applicantsService, config), ApplicantsModule.register(config)],
  }),
  defaultGrpcPort: DEFAULT_GRPC_PORT,
  setup: (app, config) =>
    connectGrpcServer(app, {
      contract: APPLICANTS_CONTRACT,
      service: 'applicants',
      host: config.HOST,
      port: config.GRPC_PORT,
      secret: config.CALLER_SIGNING_SECRET,
    }),
};
