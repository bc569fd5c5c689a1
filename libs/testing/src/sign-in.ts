/**
 * Signs in to a gateway as a browser would: /auth/login → the identity provider's authorize
 * endpoint (which redirects straight back, as Google does for a chosen account) → /auth/callback
 * with the login cookie. Returns the session cookies, or the refusal.
 */
export interface TestSession {
  /** `Cookie` header value with the session and CSRF cookies. */
  cookie: string;
  csrfToken: string;
  /** Headers for an API call: the cookie and `x-csrf-token`. */
  headers: Record<string, string>;
}

export interface SignInResult {
  status: number;
  session?: TestSession;
  /** The problem body of a refusal. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  problem?: any;
  location?: string | null;
}

function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
  }
  return jar;
}

export async function signIn(gatewayUrl: string, email: string, extraCookie?: string): Promise<SignInResult> {
  const login = await fetch(`${gatewayUrl}/api/v1/auth/login?login_hint=${encodeURIComponent(email)}`, { redirect: 'manual' });
  if (login.status !== 302) return { status: login.status, problem: await login.json().catch(() => undefined) };
  const loginCookie = cookiesOf(login).get('__Host-pace_login');
  const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
  const back = authorize.headers.get('location');
  if (!back) return { status: authorize.status, problem: await authorize.text() };
  const cookie = [`__Host-pace_login=${loginCookie}`, ...(extraCookie ? [extraCookie] : [])].join('; ');
  const callback = await fetch(back, { redirect: 'manual', headers: { cookie } });
  if (callback.status !== 303) return { status: callback.status, problem: await callback.json().catch(() => undefined) };
  const jar = cookiesOf(callback);
  const token = jar.get('__Host-pace_session');
  const csrfToken = jar.get('__Host-pace_csrf');
  if (!token || !csrfToken) return { status: callback.status, problem: 'no session cookies' };
  const sessionCookie = `__Host-pace_session=${token}; __Host-pace_csrf=${csrfToken}`;
  return {
    status: callback.status,
    location: callback.headers.get('location'),
    session: { cookie: sessionCookie, csrfToken, headers: { cookie: sessionCookie, 'x-csrf-token': csrfToken } },
  };
}
