import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { type ServiceCaller, UnauthenticatedError, type UserCaller } from '@pace/auth';
import { Db } from '@pace/database';
import { NotFoundError } from '@pace/http';
import { AuditService } from '../audit/audit.service';
import { CredentialCache } from '../auth/credential-cache';
import { hashToken, randomToken } from '../auth/tokens';
import { ApiError } from '../common/errors';
import type { ApiTokenEntity, ServicePrincipalEntity } from './api-token.entity';
import type { ApiTokenView, CreateApiToken, CreateServicePrincipal, CreatedApiTokenView, ServicePrincipalView } from './tokens.dto';
import { type TokenAuthRow, TokensRepository } from './tokens.repository';

/** Tokens start with this, so secret scanners and people recognise them. */
export const TOKEN_PREFIX = 'pace_';
const TOUCH_EVERY_MS = 60_000;

function principalView(p: ServicePrincipalEntity): ServicePrincipalView {
  return { id: p.id, name: p.name, description: p.description, status: p.status, createdAt: p.createdAt.toISOString() };
}

function tokenView(t: ApiTokenEntity): ApiTokenView {
  return {
    id: t.id,
    principalId: t.principalId,
    prefix: t.prefix,
    scopes: t.scopes,
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

/**
 * Machine principals and their API tokens. A token is 256 random bits shown once; only its
 * SHA-256 is stored. A valid token's look-up is kept in memory only while every change that
 * could end it is notified to this process (CredentialCache); a revoked or expired token, or one whose
 * principal was deactivated, fails on its very next use.
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger('api-tokens');

  constructor(
    private readonly db: Db,
    private readonly tokens: TokensRepository,
    private readonly audit: AuditService,
    private readonly cache: CredentialCache,
  ) {}

  async authenticate(token: string): Promise<{ caller: ServiceCaller; tokenId: string }> {
    if (!token.startsWith(TOKEN_PREFIX)) throw new UnauthenticatedError('token-unknown', 'This API token is not known.');
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get<TokenAuthRow>('token', hash, now);
    // Only tokens that passed every check are cached; one that has since expired is re-read.
    if (cached && cached.expiresAt.getTime() > now) return this.accepted(cached, now);
    const generation = this.cache.generation;
    const row = await this.tokens.findForAuth(hash);
    if (!row) throw new UnauthenticatedError('token-unknown', 'This API token is not known.');
    if (row.revokedAt) throw new UnauthenticatedError('token-revoked', 'This API token has been revoked.');
    if (row.expiresAt.getTime() <= now) throw new UnauthenticatedError('token-expired', 'This API token has expired; ask an admin for a new one.');
    if (row.principalStatus !== 'active') throw new UnauthenticatedError('principal-deactivated', 'The service principal of this token has been deactivated.');
    this.cache.set('token', hash, row, generation);
    return this.accepted(row, now);
  }

  private accepted(row: TokenAuthRow, now: number): { caller: ServiceCaller; tokenId: string } {
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      // The cached row too, so the next minute of requests does not write again.
      row.lastUsedAt = new Date(now);
      this.tokens.touch(row.id, row.lastUsedAt).catch((error: unknown) => this.logger.warn({ err: error }, 'could not record last use'));
    }
    return { caller: { kind: 'service', id: row.principalId, name: row.principalName, scopes: row.scopes }, tokenId: row.id };
  }

  createPrincipal(admin: UserCaller, input: CreateServicePrincipal): Promise<ServicePrincipalView> {
    return this.db.transaction(async () => {
      if (await this.tokens.findPrincipalByName(input.name)) throw new ApiError('conflict', 'service-principal-exists', `A service principal named ${input.name} exists.`);
      const principal = principalView(
        await this.tokens.insertPrincipal({ id: uuidv7(), name: input.name, description: input.description ?? null, status: 'active', createdBy: admin.id }),
      );
      await this.audit.record({ actorId: admin.id, action: 'service-principal.created', targetType: 'service-principal', targetId: principal.id, after: principal });
      return principal;
    });
  }

  async listPrincipals(): Promise<ServicePrincipalView[]> {
    return (await this.tokens.listPrincipals()).map(principalView);
  }

  deactivatePrincipal(admin: UserCaller, id: string): Promise<ServicePrincipalView> {
    return this.db.transaction(async () => {
      const principal = await this.tokens.findPrincipal(id);
      if (!principal) throw new NotFoundError('ServicePrincipal', id);
      const before = principalView(principal);
      principal.status = 'deactivated';
      const after = principalView(await this.tokens.savePrincipal(principal));
      const revoked = await this.tokens.revokeAllOf(id);

      await this.audit.record({ actorId: admin.id, action: 'service-principal.deactivated', targetType: 'service-principal', targetId: id, before, after: { ...after, tokensRevoked: revoked } });
      return after;
    });
  }

  createToken(admin: UserCaller, principalId: string, input: CreateApiToken): Promise<CreatedApiTokenView> {
    return this.db.transaction(async () => {
      const principal = await this.tokens.findPrincipal(principalId);
      if (!principal) throw new NotFoundError('ServicePrincipal', principalId);
      if (principal.status !== 'active') throw new ApiError('conflict', 'service-principal-deactivated', 'This service principal is deactivated.');
      const token = TOKEN_PREFIX + randomToken();
      const entity = await this.tokens.insertToken({
        id: uuidv7(),
        principalId,
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: [...new Set(input.scopes)] as ApiTokenEntity['scopes'],
        expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        revokedAt: null,
        lastUsedAt: null,
        createdBy: admin.id,
      });
      const apiToken = tokenView(entity);
      await this.audit.record({ actorId: admin.id, action: 'api-token.created', targetType: 'api-token', targetId: entity.id, after: apiToken });
      return { token, apiToken };
    });
  }

  async listTokens(principalId: string): Promise<ApiTokenView[]> {
    if (!(await this.tokens.findPrincipal(principalId))) throw new NotFoundError('ServicePrincipal', principalId);
    return (await this.tokens.listTokens(principalId)).map(tokenView);
  }

  revokeToken(admin: UserCaller, id: string): Promise<void> {
    return this.db.transaction(async () => {
      const token = await this.tokens.findToken(id);
      if (!token) throw new NotFoundError('ApiToken', id);
      const before = tokenView(token);
      await this.tokens.revokeToken(id);
      const after = tokenView((await this.tokens.findToken(id))!);
      await this.audit.record({ actorId: admin.id, action: 'api-token.revoked', targetType: 'api-token', targetId: id, before, after });
    });
  }
}
