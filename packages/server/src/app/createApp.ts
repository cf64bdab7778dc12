import { type Context, Hono } from 'hono';
import { type AdminOptions, createAdminRoutes } from '../admin/createAdminRoutes.js';
import type { CenterConfig, Config } from '../config/loadConfig.js';
import { createWidgetAssets, defaultWidgetDir, type WidgetFile } from '../http/builtAssets.js';
import { chooseEncoding, compress, compressJson, sendEncoded } from '../http/compression.js';
import { addressBlock, createRateLimiter, type RateLimit } from '../http/createRateLimiter.js';
import { createSharedRateLimiter } from '../http/createSharedRateLimiter.js';
import { HttpError } from '../http/HttpError.js';
import { parseJson, readSmallBody, requireJson, setSecurityHeaders } from '../http/plumbing.js';
import { readBeacon } from '../insight/readBeacon.js';
import { acceptLead } from '../leads/acceptLead.js';
import { callbackWindow } from '../leads/callbackWindow.js';
import type { Services } from '../services.js';
import { frameCsp, framePage } from './framePage.js';
import { openApiDocument } from './openApiDocument.js';

export interface AppOptions {
  readonly config: Config;
  readonly services: Services;
  readonly version?: string;
  readonly now?: () => Date;
  /** One JSON line per request; never names, phones or answers. */
  readonly log?: (line: Record<string, unknown>) => void;
  /** The client's address, for rate limits; `startServer` reads it from the socket. */
  readonly clientAddress?: (c: Context) => string;
  readonly rateLimits?: {
    perAddress: RateLimit;
    perCenter: RateLimit;
    eventsPerAddress?: RateLimit;
    eventsPerCenter?: RateLimit;
  };
  readonly widgetDir?: string;
  /** The staff console at /admin; without it the server takes leads only (as in most tests). */
  readonly admin?: AdminOptions;
  /** Called after a new lead is stored: the delivery worker starts on its jobs at once. */
  readonly onLeadStored?: () => void;
}

const MAX_BODY = 16 * 1024;
/** A beacon is one event: a center, an event name and at most a few short ids. */
const MAX_BEACON = 1024;

/** Defaults: a person submits a handful of leads; a center sees at most a few per second. */
export const defaultRateLimits = {
  perAddress: { limit: 20, windowMs: 10 * 60_000 },
  perCenter: { limit: 600, windowMs: 60_000 },
  /** A whole conversation sends about twenty; a person rarely has more than a few in ten minutes. */
  eventsPerAddress: { limit: 300, windowMs: 10 * 60_000 },
  /** Some 25,000 conversations an hour; past it, counts could only be someone inflating them. */
  eventsPerCenter: { limit: 30_000, windowMs: 60_000 },
};

/** Routing and middleware, testable through `app.request()` without a socket. */
export function createApp(options: AppOptions) {
  const { config, services } = options;
  const store = services.leads;
  const now = options.now ?? (() => new Date());
  const version = options.version ?? '0.0.0';
  const limits = options.rateLimits ?? defaultRateLimits;
  const perAddress = createRateLimiter(
    limits.perAddress,
    'Too many requests from this address. Please wait a moment and try again, or call us.',
  );
  const busy = 'We are receiving many requests right now. Please try again in a minute, or call us.';
  // A center's budget holds across every server of one PostgreSQL database; a lone SQLite server
  // counts in memory, exactly and without a write per request.
  const perCenter: { hit(key: string): void | Promise<void> } =
    services.database.dialect === 'postgres'
      ? createSharedRateLimiter(services.database.db, limits.perCenter, busy)
      : createRateLimiter(limits.perCenter, busy);
  const eventsPerAddress = createRateLimiter(
    limits.eventsPerAddress ?? defaultRateLimits.eventsPerAddress,
    'Too many events from this address.',
  );
  const eventsPerCenter = createRateLimiter(
    limits.eventsPerCenter ?? defaultRateLimits.eventsPerCenter,
    'Too many events for this center.',
  );
  /** Who is asking, for a limit: an IPv6 client by its /64. */
  const requester = (c: Context) => addressBlock(options.clientAddress?.(c) ?? 'unknown');
  const asset = createWidgetAssets(options.widgetDir ?? defaultWidgetDir);
  const framePages = new Map<string, { identity: Uint8Array; br: Uint8Array; gzip: Uint8Array }>();
  const app = new Hono();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // A counted beacon is not worth a line: thousands a minute would bury what the log is for.
    if (c.res.status === 204 && (c.req.path === '/v1/events' || c.req.path === '/v1/shown')) return;
    // The path only: a query string may carry what a page was about.
    options.log?.({
      at: now().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  // Where JSON answers grow past 1 KB (an inbox, a lead, the OpenAPI document) they go compressed to
  // clients that accept it. Not on /v1: a lead's receipt is a hundred bytes, and rebuilding every
  // answer to find that out would cost each lead on the hot path.
  app.use('/admin/api/*', compressJson());
  app.use('/openapi.json', compressJson());

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      const issues = error.issues ? { issues: error.issues } : {};
      return c.json({ error: { code: error.code, message: error.message, ...issues } }, error.status);
    }
    options.log?.({
      at: now().toISOString(),
      level: 'error',
      error: error instanceof Error ? error.message : String(error),
    });
    return c.json(
      {
        error: {
          code: 'internal',
          message: 'Something went wrong on our side. Nothing you typed was lost; please try again, or call us.',
        },
      },
      500,
    );
  });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `Nothing here: ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok', version }));

  app.get('/readyz', async (c) => {
    let keyProblem: string | null;
    try {
      keyProblem = await options.services.dataKeys.problem();
    } catch {
      throw new HttpError(503, 'not_ready', 'The database does not answer yet.');
    }
    // A server that cannot open what is stored takes no traffic: its inbox would fail.
    if (keyProblem !== null) throw new HttpError(503, 'data_key_missing', keyProblem);
    return c.json({ status: 'ready' });
  });

  app.get('/openapi.json', (c) => c.json(openApiDocument(version)));

  app.post('/v1/leads', async (c) => {
    requireJson(c, 'Send the lead as JSON with the header Content-Type: application/json.');
    perAddress.hit(requester(c));
    const body = parseJson(
      await readSmallBody(
        c,
        MAX_BODY,
        `The request is larger than ${MAX_BODY / 1024} KB; send only the lead's fields.`,
      ),
    );
    // A field no person sees: bots fill it in. They are told "stored" and nothing is kept.
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (typeof fields.website === 'string' && fields.website.trim() !== '') {
      // Answered like a real lead, so the bot learns nothing.
      const locale = typeof fields.locale === 'string' ? fields.locale : 'en';
      const center = typeof fields.center === 'string' ? config.centers.get(fields.center) : undefined;
      const window = center ? callbackWindow(center, now(), locale) : '';
      return c.json({ id: crypto.randomUUID(), callbackWindow: window }, 201);
    }
    // The center's budget is spent only on what could be a lead: a flood of bad bodies, from however
    // many addresses, cannot crowd out a real visitor (each address is still held to its own limit).
    const accepted = await acceptLead(body, config.centers, store, now(), (admitted) =>
      perCenter.hit(`center:${admitted.id}`),
    );
    if (!accepted.ok) {
      throw new HttpError(
        accepted.code === 'unknown_center' ? 403 : accepted.code === 'idempotency_key_reused' ? 409 : 400,
        accepted.code,
        accepted.message,
        accepted.issues,
      );
    }
    if (accepted.created) options.onLeadStored?.();
    else c.header('Idempotent-Replayed', 'true');
    return c.json({ id: accepted.id, callbackWindow: accepted.callbackWindow }, 201);
  });
  app.all('/v1/leads', () => {
    // RFC 9110, 15.5.6: a 405 must list the allowed methods in Allow.
    throw new HttpError(405, 'method_not_allowed', 'Submit leads with POST /v1/leads.', undefined, { Allow: 'POST' });
  });

  // Conversion insight (docs/insight.md): one anonymous count per beacon. sendBeacon sends text/plain
  // from the host page (a simple request: no preflight, no cookie of ours) and the frame alike.
  app.post('/v1/events', async (c) => {
    eventsPerAddress.hit(requester(c));
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'text/plain' && type !== 'application/json') {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send the event as JSON, with Content-Type text/plain or application/json.',
      );
    }
    const body = parseJson(
      await readSmallBody(c, MAX_BEACON, 'An event is a few short ids; this one is too large.'),
      'The event is not JSON, such as { "center": "riverbend", "event": "opened" }.',
    );
    const read = readBeacon(body, config.centers, now());
    if (!read.ok)
      throw new HttpError(read.status, read.status === 404 ? 'unknown_center' : 'invalid_event', read.message);
    eventsPerCenter.hit(read.center.id);
    // A center that turned counting off is answered the same, and nothing is kept.
    if (read.center.insight.enabled) for (const key of read.keys) services.insight.add(key);
    return c.body(null, 204);
  });
  // Both limits are the in-memory kind, which throw at once: over either, nothing is counted.
  const countShown = (c: Context, center: CenterConfig) => {
    try {
      eventsPerAddress.hit(requester(c));
      eventsPerCenter.hit(center.id);
    } catch (error) {
      if (error instanceof HttpError) return;
      throw error;
    }
    const read = readBeacon({ center: center.id, event: 'shown' }, config.centers, now());
    if (read.ok && read.center.insight.enabled) for (const key of read.keys) services.insight.add(key);
  };
  /**
   * A browser's GET of a frame's page, or of an image (`as`): not a HEAD, a link checker, a prefetch or
   * a tag of another kind pointed at the address, which could count a launcher no one saw. A request
   * that does not say what it fetches (no Sec-Fetch-Dest: an old browser, or a proxy) is believed only
   * when `silentToo`.
   */
  const fetchedAs = (c: Context, as: 'iframe' | 'image', silentToo: boolean) => {
    const destination = c.req.header('sec-fetch-dest');
    const purpose = `${c.req.header('sec-purpose') ?? ''} ${c.req.header('purpose') ?? ''}`.toLowerCase();
    return (
      c.req.method === 'GET' &&
      (destination === as || (silentToo && destination === undefined)) &&
      !purpose.includes('prefetch')
    );
  };
  const originOf = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return '';
    }
  };
  /** The center a launcher's request names in `?center=`, as data-center gave it. */
  const askedCenter = (c: Context) => {
    const center = config.centers.get(c.req.query('center') ?? '');
    if (center === undefined)
      throw new HttpError(
        404,
        'unknown_center',
        'No chat is set up for that center. Check data-center in the script tag.',
      );
    return center;
  };
  // The launcher's count when no frame was made by the time the page was idle: the shell loads this
  // address as an image, with no referrer (docs/insight.md, how it travels). Nothing to draw, and never
  // cached: each page view asks once. Only a browser's image load counts, one that says so: not a HEAD
  // from a link checker, nor a proxy or old browser that sends no Sec-Fetch-Dest; nor, when a referrer
  // is sent after all, an image on a site that is not one of the center's.
  app.get('/v1/shown', (c) => {
    const center = askedCenter(c);
    const referrer = c.req.header('referer');
    if (fetchedAs(c, 'image', false) && (!referrer || center.allowedOrigins.includes(originOf(referrer))))
      countShown(c, center);
    c.header('Cache-Control', 'no-store');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(null, 204);
  });
  app.all('/v1/shown', () => {
    throw new HttpError(405, 'method_not_allowed', 'The launcher is counted with GET /v1/shown.', undefined, {
      Allow: 'GET, HEAD',
    });
  });
  app.all('/v1/events', () => {
    throw new HttpError(405, 'method_not_allowed', 'Send events with POST /v1/events.', undefined, { Allow: 'POST' });
  });

  app.get('/frame', (c) => {
    const center = askedCenter(c);
    // The launcher's one count rides on its frame (`count=shown`) when the frame came before the page
    // was idle, or is the waiting frame made then (docs/insight.md, how it travels). Within the same
    // limits as a beacon; over them the page is served all the same, uncounted.
    if (c.req.query('count') === 'shown' && fetchedAs(c, 'iframe', true)) countShown(c, center);
    const script = asset('frame.js');
    const style = asset('frame.css');
    c.header('Content-Security-Policy', frameCsp(center));
    c.header('Content-Type', 'text/html; charset=UTF-8');
    setSecurityHeaders(c, { frameable: true });
    // The page depends on the center, its language and the files' versions alone: made and compressed
    // once per combination, not per visitor (it holds the whole flow, some 20 KB before compression).
    const requested = c.req.query('locale') ?? '';
    const locale = center.locales.includes(requested as never) ? requested : (center.locales[0] ?? 'en');
    const waiting = c.req.query('start') === 'intent';
    // A browser asking to save data gets a waiting frame that fetches nothing more until the visitor reaches for the chat.
    const saveData = waiting && c.req.header('save-data')?.trim().toLowerCase() === 'on';
    const key = `${center.id}\u0000${locale}\u0000${script?.hash}\u0000${style?.hash}\u0000${waiting}\u0000${saveData}`;
    let page = framePages.get(key);
    if (page === undefined) {
      const html = new TextEncoder().encode(
        framePage(
          center,
          locale,
          {
            script: `/frame.js?v=${script?.hash ?? 'missing'}`,
            style: `/frame.css?v=${style?.hash ?? 'missing'}`,
          },
          waiting,
          saveData,
        ),
      );
      page = { identity: html, br: compress(html, 'br'), gzip: compress(html, 'gzip') };
      framePages.set(key, page);
    }
    return sendEncoded(c, page);
  });

  const serveAsset = (file: WidgetFile, cache: (versioned: boolean) => string) =>
    app.get(`/${file}`, (c) => {
      const found = asset(file);
      if (found === null) {
        throw new HttpError(
          503,
          'widget_not_built',
          `${file} is not built yet. Run "npm run build" in the repository, then restart.`,
        );
      }
      // One tag per representation (RFC 9110 §8.8.3): a cache keeps the brotli and plain copies apart.
      const encoding = chooseEncoding(c.req.header('accept-encoding'));
      const tag = encoding === 'identity' ? found.hash : `${found.hash}-${encoding}`;
      c.header('ETag', `"${tag}"`);
      c.header('Vary', 'Accept-Encoding');
      c.header('Cache-Control', cache(c.req.query('v') === found.hash));
      if (matchesEtag(c.req.header('if-none-match'), tag)) return c.body(null, 304);
      c.header('Content-Type', found.type);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      return sendEncoded(c, { identity: found.body, ...found.encoded });
    });
  // The snippet's URL never changes, so a plain /widget.js is cached for an hour and revalidated;
  // a URL naming the content hash (?v=, as the frame asks for its files) is cached for good.
  serveAsset('widget.js', (versioned) =>
    versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, stale-while-revalidate=86400',
  );
  serveAsset('frame.js', (versioned) => (versioned ? 'public, max-age=31536000, immutable' : 'no-cache'));
  serveAsset('frame.css', (versioned) => (versioned ? 'public, max-age=31536000, immutable' : 'no-cache'));

  if (options.admin !== undefined) {
    // Typed or linked with a trailing slash, the console is still the console (the hash route is kept).
    app.get('/admin/', (c) => c.redirect('/admin', 308));
    app.route(
      '/admin',
      createAdminRoutes({
        ...options.admin,
        config,
        services,
        now,
        clientAddress: options.clientAddress ?? (() => 'unknown'),
      }),
    );
  }

  return app;
}

/** RFC 9110 §13.1.2: If-None-Match is a list of tags, weak or strong, or "*"; weak comparison applies. */
function matchesEtag(header: string | undefined, hash: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === `"${hash}"`;
  });
}
