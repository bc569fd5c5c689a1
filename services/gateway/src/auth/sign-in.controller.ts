import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANY_ROLE, Allow, Public, SCOPE_NAMES } from '@pace/auth';
import { Endpoint } from '../api/endpoint';
import { ZodQuery } from '../api/params';
import { UsersService } from '../identity/users.service';
import { LOGIN_COOKIE, SESSION_COOKIE, clearLoginCookie, clearSessionCookies, setLoginCookie, setSessionCookies } from './cookies';
import { CurrentAuth, CurrentCaller, type RequestAuth } from './request';
import { type CallbackQuery, type LoginQuery, type MeView, callbackQuery, loginQuery, meView } from './sign-in.dto';
import { LOGIN_TTL_MS, SignInService } from './sign-in.service';
import { SessionsService } from './sessions.service';
import type { Caller } from '@pace/auth';

const cookie = (req: Request, name: string) => (req.cookies as Record<string, string | undefined> | undefined)?.[name];

@Controller('api/v1')
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Get('auth/login')
  @Public()
  @Endpoint({ tag: 'auth', summary: 'Start Google sign-in', description: 'Redirects to Google (authorization code with PKCE). Open it in the browser.', status: 302, responseDescription: 'Redirect to Google.', errors: [400, 503] })
  async login(@ZodQuery(loginQuery) query: LoginQuery, @Res() res: Response): Promise<void> {
    const { url, state } = await this.signIn.start({ returnTo: query.returnTo, loginHint: query.login_hint });
    setLoginCookie(res, state, LOGIN_TTL_MS);
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, url);
  }

  @Get('auth/callback')
  @Public()
  @Endpoint({
    tag: 'auth',
    summary: 'Finish Google sign-in',
    description: 'Google redirects here. Verifies the ID token, opens a session (new id at every sign-in) and redirects to `returnTo`. Refusals say why: `id-token-expired`, `id-token-wrong-audience`, `email-not-verified`, `domain-not-allowed`, `account-pending-approval`, `account-deactivated`, …',
    status: 303,
    responseDescription: 'Signed in: session cookies set, redirect to the frontend.',
    errors: [400, 401, 403, 503],
  })
  async callback(@ZodQuery(callbackQuery) query: CallbackQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { session, redirectTo } = await this.signIn.finish({
      ...query,
      stateCookie: cookie(req, LOGIN_COOKIE),
      previousSessionToken: cookie(req, SESSION_COOKIE),
      userAgent: req.headers['user-agent'],
    });
    clearLoginCookie(res);
    setSessionCookies(res, session.token, session.csrfToken, session.maxAgeMs);
    res.setHeader('cache-control', 'no-store');
    res.redirect(303, redirectTo);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'auth', summary: 'Sign out', description: 'Ends this session (send `x-csrf-token`).', status: 204, responseDescription: 'Signed out.', errors: [401, 403] })
  async logout(@CurrentAuth() auth: RequestAuth | undefined, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (auth?.sessionId) await this.sessions.revoke(auth.sessionId, 'logout');
    clearSessionCookies(res);
  }

  @Get('me')
  @Allow({ roles: ANY_ROLE, scopes: SCOPE_NAMES })
  @Endpoint({ tag: 'auth', summary: 'Who am I', response: meView, errors: [401] })
  async me(@CurrentCaller() caller: Caller, @CurrentAuth() auth: RequestAuth | undefined): Promise<MeView> {
    if (caller.kind === 'service') return { kind: 'service', id: caller.id, name: caller.name, scopes: caller.scopes };
    return { kind: 'user', user: await this.users.get(caller.id), csrfToken: auth?.via === 'session' ? (auth.csrfToken ?? null) : null };
  }
}
