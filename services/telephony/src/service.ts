import path from 'node:path';
import { Module } from '@nestjs/common';
import { eventEntities } from '@pace/events';
import { type ServiceDefinition, baseEnv, platformImports } from '@pace/platform';
import { ApplicantProjectionEntity, PhoneDirectoryEntity } from './directory/directory.entity';
import { DirectoryModule } from './directory/directory.module';

const env = baseEnv.extend({});

@Module({})
class TelephonyApp {}

export const telephonyService: ServiceDefinition<typeof env> = {
  name: 'telephony',
  defaultPort: 3106,
  namespace: 'pace-web',
  env,
  consumes: ['applicants'],
  db: {
    service: 'telephony',
    database: 'pace',
    entities: [ApplicantProjectionEntity, PhoneDirectoryEntity, ...eventEntities],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: TelephonyApp,
    imports: [...platformImports(telephonyService, config), DirectoryModule],
  }),
};
