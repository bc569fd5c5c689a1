import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditController } from '../audit/audit.controller';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { CredentialCache } from '../auth/credential-cache';
import { CredentialsRepository } from '../auth/credentials.repository';
import { IdentifyGuard, PolicyGuard } from '../auth/guards';
import { OidcClient } from '../auth/oidc.client';
import { SessionsRepository } from '../auth/sessions.repository';
import { SessionsService } from '../auth/sessions.service';
import { SignInController } from '../auth/sign-in.controller';
import { SignInService } from '../auth/sign-in.service';
import { PrincipalThrottlerGuard } from '../hardening/throttle.guard';
import { TokensController } from '../tokens/tokens.controller';
import { TokensRepository } from '../tokens/tokens.repository';
import { TokensService } from '../tokens/tokens.service';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Who is calling and what they may do: Google sign-in, sessions, people and teams, machine
 * principals and tokens, the audit log — and the three global guards every route passes
 * (in this order): identify, rate-limit, authorise.
 */
@Module({
  controllers: [SignInController, AdminController, TokensController, AuditController],
  providers: [
    OidcClient,
    SignInService,
    SessionsRepository,
    SessionsService,
    UsersRepository,
    UsersService,
    AdminService,
    TokensRepository,
    TokensService,
    CredentialsRepository,
    CredentialCache,
    AuditRepository,
    AuditService,
    { provide: APP_GUARD, useClass: IdentifyGuard },
    { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
    { provide: APP_GUARD, useClass: PolicyGuard },
  ],
  exports: [UsersService],
})
export class IdentityModule {}
