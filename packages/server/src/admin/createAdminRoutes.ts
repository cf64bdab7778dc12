import { type Context, Hono } from 'hono';
import type { Config } from '../config/loadConfig.js';
import { defaultConsoleDir } from '../http/builtAssets.js';
import type { RateLimit } from '../http/createRateLimiter.js';
import { HttpError } from '../http/HttpError.js';
import { limitBody, requireJson, securityHeaders } from '../http/plumbing.js';
import type { Services } from '../services.js';
import { auditRoutes } from './auditRoutes.js';
import { BODY_LIMIT, type ConsoleSession } from './consoleApi.js';
import { consoleFiles } from './consoleFiles.js';
import { deliveryRoutes } from './deliveryRoutes.js';
import { exportRoutes } from './exportRoutes.js';
import { adminOnly, type ConsoleEnv, sameOrigin, signedIn } from './guards.js';
import { inboxRoutes } from './inboxRoutes.js';
import { insightRoutes } from './insightRoutes.js';
import { linkRoutes } from './linkRoutes.js';
import { meRoutes } from './meRoutes.js';
import { sessionCookie } from './sessionCookie.js';
import { sessionBody, sessionRoutes } from './sessionRoutes.js';
import { createSignInPolicy } from './signInPolicy.js';
import { teamRoutes } from './teamRoutes.js';

export interface AdminOptions {
  /** Secure cookies (named `__Host-…`): everywhere but local development over plain http. */
  readonly secureCookies: boolean;
  readonly consoleDir?: string;
  /** Take the host from X-Forwarded-Host for the same-origin check. */
  readonly trustProxy?: boolean;
  /** Sign-in attempts per address; the defaults slow a guesser down without bothering a person. */
  readonly loginLimit?: RateLimit;
}

/** The staff console (`/admin`) and its API (`/admin/api`, packages/console/API.md): one router per feature. */
export function createAdminRoutes(
  options: AdminOptions & {
    readonly config: Config;
    readonly services: Services;
    readonly now: () => Date;
    readonly clientAddress: (c: Context) => string;
  },
) {
  const { config, services, now } = options;
  const { leads, outbox, audit, staff } = services;
  const cookie = sessionCookie(options.secureCookies);

  const admin = new Hono();
  admin.use(securityHeaders({ frameable: false }));
  admin.route('/', consoleFiles(options.consoleDir ?? defaultConsoleDir));

  const api = new Hono<ConsoleEnv>();
  api.use(async (c, next) => {
    // Hono answers HEAD with the GET handler: that would write "viewed" for a lead no one saw.
    if (c.req.method === 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', 'Use GET.', undefined, { Allow: 'GET' });
    }
    if (c.req.method === 'POST' && !c.req.path.endsWith('/logout')) {
      requireJson(c, 'Send the request as JSON with Content-Type: application/json.');
    }
    await next();
  });
  api.use(limitBody(BODY_LIMIT, `The request is larger than ${BODY_LIMIT / 1024} KB; shorten the note.`));
  api.post('/*', sameOrigin({ trustProxy: options.trustProxy ?? false }));

  api.route(
    '/',
    sessionRoutes({
      policy: createSignInPolicy({ staff, audit, centers: config.centers }),
      staff,
      audit,
      cookie,
      now,
      clientAddress: options.clientAddress,
      loginLimit: options.loginLimit,
    }),
  );
  // One-time links need no session: the person signs in with one.
  api.route('/', linkRoutes({ staff, audit, centers: config.centers, cookie }));
  api.use('/*', signedIn({ staff, centers: config.centers, cookie }));
  api.get('/session', (c) => c.json<ConsoleSession>(sessionBody(c.get('session'), c.get('center'))));
  api.route('/', inboxRoutes({ leads, outbox, audit, staff, now }));
  api.route('/', deliveryRoutes({ outbox, audit }));
  api.use('/audit', adminOnly());
  api.use('/export.*', adminOnly());
  api.use('/insight', adminOnly());
  api.use('/insight.*', adminOnly());
  // The team list is for everyone (to assign a lead to a colleague); changing the team is for admins.
  api.on('POST', ['/team', '/team/*'], adminOnly());
  api.route('/', auditRoutes({ audit }));
  api.route('/', exportRoutes({ leads, audit }));
  api.route('/', insightRoutes({ insight: services.insight, leads, audit, now }));
  api.route('/', teamRoutes({ staff, leads, audit }));
  api.route('/', meRoutes({ staff, audit }));

  admin.route('/api', api);
  return admin;
}
