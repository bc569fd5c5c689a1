import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { Public, routeInventory } from '@pace/auth';
import { ProblemDetailsFilter } from '@pace/http';
import { PolicyGuard } from '../src/auth/guards';
import { type Stack, startStack } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(() => stack.close());

describe('default deny', () => {
  it('every route of the gateway declares its access policy', () => {
    const routes = routeInventory(stack.gateway.app);
    // The walk really sees the router: a sample of known routes is there.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /api/v1/applicants/:id', 'POST /api/v1/admin/users', 'GET /api/v1/schema', 'GET /health/ready', 'GET /api/v1/auth/login']),
    );
    expect(routes.length).toBeGreaterThan(25);
    const undeclared = routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('public routes are only sign-in, probes and metrics', () => {
    const open = routeInventory(stack.gateway.app)
      .filter((r) => r.policy?.public)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(open).toEqual(['GET /api/v1/auth/callback', 'GET /api/v1/auth/login', 'GET /health/live', 'GET /health/ready', 'GET /metrics']);
  });

  describe('on a route someone forgot to declare', () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      leak(): string {
        return 'secret';
      }

      @Get('open')
      @Public()
      open(): string {
        return 'fine';
      }
    }

    @Module({ controllers: [ForgottenController], providers: [{ provide: APP_GUARD, useClass: PolicyGuard }] })
    class ForgetfulApp {}

    let app: INestApplication;

    beforeAll(async () => {
      app = await NestFactory.create(ForgetfulApp, { logger: false });
      app.useGlobalFilters(new ProblemDetailsFilter());
      await app.listen(0, '127.0.0.1');
    });

    afterAll(() => app.close());

    it('the inventory names it (so the test above would fail)', () => {
      expect(routeInventory(app).filter((r) => !r.policy)).toEqual([expect.objectContaining({ method: 'GET', path: '/forgotten', handler: 'leak' })]);
    });

    it('the guard refuses it at run time', async () => {
      const { port } = app.getHttpServer().address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/forgotten`);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'route-without-policy' });
      expect((await fetch(`http://127.0.0.1:${port}/forgotten/open`)).status).toBe(200);
    });
  });
});
