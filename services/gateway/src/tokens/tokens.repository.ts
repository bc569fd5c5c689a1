import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Scope } from '@pace/auth';
import { Db } from '@pace/database';
import { CredentialCache } from '../auth/credential-cache';
import { ApiTokenEntity, ServicePrincipalEntity } from './api-token.entity';

/** A token with its principal, read in one query on every token-authenticated request. */
export interface TokenAuthRow {
  id: string;
  principalId: string;
  principalName: string;
  principalStatus: string;
  scopes: Scope[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

@Injectable()
export class TokensRepository {
  constructor(
    private readonly db: Db,
    private readonly cache: CredentialCache,
  ) {}

  private get principals() {
    return this.db.repository(ServicePrincipalEntity);
  }

  private get tokens() {
    return this.db.repository(ApiTokenEntity);
  }

  async findForAuth(tokenHash: string): Promise<TokenAuthRow | undefined> {
    const rows = (await this.db.manager.query(
      `SELECT t.id, t.principal_id, p.name, p.status, t.scopes, t.expires_at, t.revoked_at, t.last_used_at
         FROM gateway.api_token t JOIN gateway.service_principal p ON p.id = t.principal_id
        WHERE t.token_hash = $1`,
      [tokenHash],
    )) as Record<string, unknown>[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id as string,
      principalId: row.principal_id as string,
      principalName: row.name as string,
      principalStatus: row.status as string,
      scopes: row.scopes as Scope[],
      expiresAt: row.expires_at as Date,
      revokedAt: row.revoked_at as Date | null,
      lastUsedAt: row.last_used_at as Date | null,
    };
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: at });
  }

  async insertPrincipal(principal: Omit<ServicePrincipalEntity, 'createdAt'>): Promise<ServicePrincipalEntity> {
    await this.principals.insert(principal);
    return this.principals.findOneByOrFail({ id: principal.id });
  }

  findPrincipal(id: string): Promise<ServicePrincipalEntity | null> {
    return this.principals.findOneBy({ id });
  }

  findPrincipalByName(name: string): Promise<ServicePrincipalEntity | null> {
    return this.principals.findOneBy({ name });
  }

  listPrincipals(): Promise<ServicePrincipalEntity[]> {
    return this.principals.find({ order: { name: 'ASC' } });
  }

  async savePrincipal(principal: ServicePrincipalEntity): Promise<ServicePrincipalEntity> {
    const saved = await this.principals.save(principal);
    this.cache.invalidateOnCommit();
    return saved;
  }

  async insertToken(token: Omit<ApiTokenEntity, 'createdAt'>): Promise<ApiTokenEntity> {
    await this.tokens.insert(token);
    return this.tokens.findOneByOrFail({ id: token.id });
  }

  findToken(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  listTokens(principalId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { principalId }, order: { createdAt: 'DESC' } });
  }

  async revokeToken(id: string): Promise<boolean> {
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.invalidateOnCommit();
    return (result.affected ?? 0) > 0;
  }

  async revokeAllOf(principalId: string): Promise<number> {
    const result = await this.tokens.update({ principalId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.invalidateOnCommit();
    return result.affected ?? 0;
  }
}
