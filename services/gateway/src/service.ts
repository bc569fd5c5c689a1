import path from 'node:path';
import { Module } from '@nestjs/common';
import { env as envs } from '@pace/config';
import { type ServiceDefinition, baseEnv, platformImports } from '@pace/platform';
import { ProxyModule } from './proxy/proxy.module';

const env = baseEnv.extend({
  APPLICANTS_URL: envs.url(),
});

@Module({})
class GatewayApp {}

export const gatewayService: ServiceDefinition<typeof env> = {
  name: 'gateway',
  defaultPort: 3000,
  namespace: 'pace-web',
  env,
  db: {
    service: 'gateway',
    database: 'pace',
    entities: [],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: GatewayApp,
    imports: [
      ...platformImports(gatewayService, config),
      ProxyModule.register([{ from: '/api/v1/applicants', to: config.APPLICANTS_URL, rewriteTo: '/applicants' }]),
    ],
  }),
};
