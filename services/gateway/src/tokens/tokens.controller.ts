import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { AdminOnly, type UserCaller } from '@pace/auth';
import { z } from 'zod';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam } from '../api/params';
import { CurrentUser } from '../auth/request';
import {
  type ApiTokenView,
  type CreateApiToken,
  type CreateServicePrincipal,
  type CreatedApiTokenView,
  type ServicePrincipalView,
  apiTokenList,
  createApiTokenBody,
  createServicePrincipalBody,
  createdApiTokenView,
  servicePrincipalList,
  servicePrincipalView,
} from './tokens.dto';
import { TokensService } from './tokens.service';

const principalId = z.uuid('must be a service principal id (UUID)');

/** Machines (INTF-SF-01, INTF-AI-02/03): principals and their scoped, expiring API tokens. */
@Controller('api/v1/admin')
@AdminOnly()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get('service-principals')
  @Endpoint({ tag: 'admin', summary: 'List service principals', response: servicePrincipalList, errors: [401, 403] })
  async list(): Promise<{ items: ServicePrincipalView[] }> {
    return { items: await this.tokens.listPrincipals() };
  }

  @Post('service-principals')
  @HttpCode(201)
  @Endpoint({ tag: 'admin', summary: 'Create a service principal', status: 201, response: servicePrincipalView, errors: [400, 401, 403, 409] })
  create(@CurrentUser() admin: UserCaller, @ZodBody(createServicePrincipalBody) body: CreateServicePrincipal): Promise<ServicePrincipalView> {
    return this.tokens.createPrincipal(admin, body);
  }

  @Post('service-principals/:id/deactivate')
  @HttpCode(200)
  @Endpoint({ tag: 'admin', summary: 'Deactivate a service principal', description: 'Every token of it stops working at once.', response: servicePrincipalView, errors: [400, 401, 403, 404] })
  deactivate(@CurrentUser() admin: UserCaller, @ZodParam('id', principalId) id: string): Promise<ServicePrincipalView> {
    return this.tokens.deactivatePrincipal(admin, id);
  }

  @Post('service-principals/:id/tokens')
  @HttpCode(201)
  @Endpoint({ tag: 'admin', summary: 'Create an API token', description: 'The token is in this response only; PACE stores its hash.', status: 201, response: createdApiTokenView, errors: [400, 401, 403, 404, 409] })
  createToken(@CurrentUser() admin: UserCaller, @ZodParam('id', principalId) id: string, @ZodBody(createApiTokenBody) body: CreateApiToken): Promise<CreatedApiTokenView> {
    return this.tokens.createToken(admin, id, body);
  }

  @Get('service-principals/:id/tokens')
  @Endpoint({ tag: 'admin', summary: 'List the tokens of a service principal', response: apiTokenList, errors: [400, 401, 403, 404] })
  async listTokens(@ZodParam('id', principalId) id: string): Promise<{ items: ApiTokenView[] }> {
    return { items: await this.tokens.listTokens(id) };
  }

  @Delete('api-tokens/:id')
  @HttpCode(204)
  @Endpoint({ tag: 'admin', summary: 'Revoke an API token', description: 'It fails on its next use.', status: 204, responseDescription: 'Revoked.', errors: [400, 401, 403, 404] })
  revoke(@CurrentUser() admin: UserCaller, @ZodParam('id', z.uuid('must be an API token id (UUID)')) id: string): Promise<void> {
    return this.tokens.revokeToken(admin, id);
  }
}
