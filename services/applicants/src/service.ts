import path from 'node:path';
import { Module } from '@nestjs/common';
import { type ServiceDefinition, baseEnv, platformImports } from '@pace/platform';
import { eventEntities } from '@pace/events';
import { ApplicantEntity } from './applicants/applicant.entity';
import { ApplicantsModule } from './applicants/applicants.module';

const env = baseEnv.extend({});

@Module({})
class ApplicantsApp {}

export const applicantsService: ServiceDefinition<typeof env> = {
  name: 'applicants',
  defaultPort: 3101,
  namespace: 'pace-web',
  env,
  db: {
    service: 'applicants',
    database: 'pace',
    entities: [ApplicantEntity, ...eventEntities],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: ApplicantsApp,
    imports: [...platformImports(applicantsService, config), ApplicantsModule],
  }),
};
