import path from 'node:path';
import { Module } from '@nestjs/common';
import { MIN_SECRET_LENGTH } from '@pace/auth';
import { secret, z } from '@pace/config';
import { type ServiceDefinition, baseEnv, platformImports } from '@pace/platform';
import { APPLICANTS_CONTRACT, connectGrpcServer } from '@pace/rpc';
import { eventEntities } from '@pace/events';
import { ApplicantEntity } from './applicants/applicant.entity';
import { ApplicantsModule } from './applicants/applicants.module';

const DEFAULT_GRPC_PORT = 4101;

const env = baseEnv.extend({
  /** Port of the gRPC server the gateway calls. */
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_GRPC_PORT),
  /** Shared with the gateway: verifies the signed caller context on every call. */
  CALLER_SIGNING_SECRET: secret(z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)),
});

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
