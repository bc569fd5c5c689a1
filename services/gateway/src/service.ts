import path from 'node:path';
import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { type ServiceDefinition, platformImports } from '@pace/platform';
import { ApiModule } from './api/api.module';
import { serveApiDocs } from './api/docs';
import { ApplicantsModule } from './applicants/applicants.module';
import { ListingsModule } from './listings/listings.module';
import { SyncModule } from './sync/sync.module';
import { ApiTokenEntity, ServicePrincipalEntity } from './tokens/api-token.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import type { AuthedRequest } from './auth/request';
import { CSRF_HEADER } from './auth/cookies';
import { LoginStateEntity, SessionEntity } from './auth/session.entity';
import { GATEWAY_CONFIG, type GatewayConfig, gatewayEnv } from './config';
import { SlidingWindowStorage } from './hardening/window.storage';
import { IdentityModule } from './identity/identity.module';
import { TeamEntity, TeamMembershipEntity } from './identity/team.entity';
import { UserEntity } from './identity/user.entity';
import { SyndicationModule } from './syndication/syndication.module';

@Module({})
class GatewayApp {}

/** The modules whose routes make up the public API (and its OpenAPI document). */
export const PUBLIC_API = [ApiModule, IdentityModule, ApplicantsModule, ListingsModule, SyndicationModule, SyncModule];

@Global()
@Module({})
class GatewayConfigModule {}

/** Per user, per token, per client address (see PrincipalThrottlerGuard); one budget per minute. */
function rateLimits(config: GatewayConfig) {
  return ThrottlerModule.forRoot({
    storage: new SlidingWindowStorage(),
    errorMessage: 'Too many requests; wait for the number of seconds in Retry-After.',
    throttlers: [
      {
        name: 'default',
        ttl: 60_000,
        limit: (context) => {
          const key = context.switchToHttp().getRequest<AuthedRequest>().auth?.rateKey ?? '';
          if (key.startsWith('token:')) return config.RATE_LIMIT_TOKEN_PER_MINUTE;
          if (key.startsWith('user:')) return config.RATE_LIMIT_USER_PER_MINUTE;
          return config.RATE_LIMIT_ANONYMOUS_PER_MINUTE;
        },
      },
    ],
  });
}

export const gatewayService: ServiceDefinition<typeof gatewayEnv> = {
  name: 'gateway',
  defaultPort: 3000,
  namespace: 'pace-web',
  env: gatewayEnv,
  db: {
    service: 'gateway',
    database: 'pace',
    entities: [UserEntity, TeamEntity, TeamMembershipEntity, SessionEntity, LoginStateEntity, ServicePrincipalEntity, ApiTokenEntity, AuditEntryEntity],
    migrations: [path.join(__dirname, 'migrations', '*.{js,ts}')],
  },
  module: (config) => ({
    module: GatewayApp,
    imports: [
      ...platformImports(gatewayService, config),
      { module: GatewayConfigModule, global: true, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] },
      rateLimits(config),
      ApiModule,
      IdentityModule,
      ApplicantsModule,
      ListingsModule,
      SyndicationModule,
      SyncModule,
    ],
  }),
  setup: (app, config) => {
    app.getHttpAdapter().getInstance().set('trust proxy', config.TRUST_PROXY_HOPS);
    // Swagger UI loads its own script and styles from this origin; inline styles are its only need.
    app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } }));
    app.use(cookieParser());
    if (config.FRONTEND_ORIGIN) {
      app.enableCors({
        // A list, so a request from any other origin gets no CORS headers at all.
        origin: [config.FRONTEND_ORIGIN],
        credentials: true,
        allowedHeaders: ['content-type', 'authorization', CSRF_HEADER, 'x-request-id', 'traceparent'],
        exposedHeaders: ['x-request-id', 'retry-after'],
        maxAge: 600,
      });
    }
    serveApiDocs(app, PUBLIC_API);
  },
};
