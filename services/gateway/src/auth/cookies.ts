import type { CookieOptions, Response } from 'express';

/*
 * `__Host-` cookies: Secure, Path=/, no Domain, so no other host (or plain-HTTP page) can set or
 * read them. Browsers treat http://localhost and 127.0.0.1 as secure contexts, so `npm start`
 * works over plain HTTP without relaxing anything.
 */
export const SESSION_COOKIE = '__Host-pace_session';
/** Readable by the frontend, which echoes it in `x-csrf-token` (double submit, checked server-side). */
export const CSRF_COOKIE = '__Host-pace_csrf';
/** Binds a sign-in in progress to the browser that started it (login CSRF). */
export const LOGIN_COOKIE = '__Host-pace_login';
export const CSRF_HEADER = 'x-csrf-token';

const base: CookieOptions = { secure: true, sameSite: 'lax', path: '/' };

export function setSessionCookies(res: Response, token: string, csrfToken: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true, maxAge: maxAgeMs });
  res.cookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false, maxAge: maxAgeMs });
}

export function clearSessionCookies(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base });
}

export function setLoginCookie(res: Response, state: string, maxAgeMs: number): void {
  res.cookie(LOGIN_COOKIE, state, { ...base, httpOnly: true, maxAge: maxAgeMs });
}

export function clearLoginCookie(res: Response): void {
  res.clearCookie(LOGIN_COOKIE, { ...base, httpOnly: true });
}
