import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export interface SessionCookie {
  read(c: Context): string | undefined;
  set(c: Context, token: string, maxAgeMs: number): void;
  clear(c: Context): void;
}

/**
 * The console's session cookie: HttpOnly, SameSite=Strict, and Secure with the `__Host-` prefix
 * everywhere but local development over plain http.
 */
export function sessionCookie(secure: boolean): SessionCookie {
  const name = secure ? '__Host-intake_session' : 'intake_session';
  const options = { path: '/', httpOnly: true, sameSite: 'Strict' as const, secure };
  return {
    read: (c) => getCookie(c, name),
    set: (c, token, maxAgeMs) => setCookie(c, name, token, { ...options, maxAge: maxAgeMs / 1000 }),
    clear: (c) => deleteCookie(c, name, options),
  };
}
