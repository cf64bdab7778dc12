import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

/** The encodings the server sends, best first; `identity` is the body as it is. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** The file suffix of a precompressed copy (`widget.js.br`, `widget.js.gz`). */
export const SUFFIX: Readonly<Record<Exclude<Encoding, 'identity'>, string>> = { br: '.br', gzip: '.gz' };

/**
 * The best encoding an Accept-Encoding header allows (RFC 9110 §12.5.3): brotli, then gzip, then the
 * body as it is. A coding with q=0 is refused, `*` stands for any coding not named, and no header at
 * all means identity (a client that says nothing may not understand a compressed body).
 */
export function chooseEncoding(header: string | undefined, available: readonly Encoding[] = ['br', 'gzip']): Encoding {
  if (!header) return 'identity';
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  let best: Encoding = 'identity';
  let bestWeight = 0;
  for (const coding of available) {
    const w = weight(coding === 'gzip' && !weights.has('gzip') && weights.has('x-gzip') ? 'x-gzip' : coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}

/** The body in `encoding`: brotli at `quality` (11 for files built once, 4 for answers made per request). */
export function compress(body: Uint8Array, encoding: Exclude<Encoding, 'identity'>, quality = 11): Uint8Array {
  return encoding === 'br'
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: quality >= 9 ? 9 : 6 });
}

/** Answers smaller than this go as they are: a compressed kilobyte saves less than it costs. */
export const COMPRESS_OVER = 1024;

/**
 * Compresses JSON answers over 1 KB for clients that accept it (brotli at quality 4, else gzip),
 * with `Vary: Accept-Encoding`. Streams (an export, which says Content-Disposition) go as they are.
 */
export function compressJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json') || c.res.headers.has('content-encoding')) return;
    if (c.res.headers.has('content-disposition') || c.req.method === 'HEAD') return;
    c.res.headers.append('Vary', 'Accept-Encoding');
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (encoding === 'identity') return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const headers = new Headers(c.res.headers);
    if (body.length < COMPRESS_OVER) {
      c.res = new Response(body, { status: c.res.status, headers });
      return;
    }
    headers.set('Content-Encoding', encoding);
    headers.delete('Content-Length');
    c.res = new Response(compress(body, encoding, 4) as Uint8Array<ArrayBuffer>, { status: c.res.status, headers });
  };
}

/** Sends `body` in the best encoding of `variants` the request accepts, saying so, with Vary. */
export function sendEncoded(c: Context, variants: { readonly [encoding in Encoding]?: Uint8Array }): Response {
  const available = (['br', 'gzip'] as const).filter((encoding) => variants[encoding] !== undefined);
  const encoding = chooseEncoding(c.req.header('accept-encoding'), available);
  c.header('Vary', 'Accept-Encoding');
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  return c.body((variants[encoding] ?? variants.identity) as Uint8Array<ArrayBuffer>);
}
