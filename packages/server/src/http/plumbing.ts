import type { Readable } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './HttpError.js';

/**
 * Request plumbing shared by the lead API and the console's API: written once so that both refuse
 * the same things with the same words.
 */

/** Refuses a body over `maxSize` bytes with 413, saying what to shorten. */
export function limitBody(maxSize: number, message: string): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError(413, 'too_large', message);
    },
  });
}

/**
 * A small body as text, at most `maxSize` bytes, else 413 with `message`. Under Node it reads the
 * socket's stream itself: for a beacon of a hundred bytes, building a web Request around it (signal,
 * stream, headers) costs more than everything else the request does.
 */
export async function readSmallBody(c: Context, maxSize: number, message: string): Promise<string> {
  const incoming = (c.env as { incoming?: Readable } | undefined)?.incoming;
  const tooLarge = () => new HttpError(413, 'too_large', message);
  if (Number(c.req.header('content-length') ?? 0) > maxSize) throw tooLarge();
  if (incoming === undefined || typeof incoming.on !== 'function') {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxSize) throw tooLarge();
    return text;
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxSize) {
        chunks.push(chunk);
        return;
      }
      // Too large: the rest is read and dropped, so the 413 still reaches the client on this connection.
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', reject);
    // The client went away before the body ended: nothing to answer, and nothing may wait for it.
    // (After a whole body, `close` comes too; the error is made only when it is needed.)
    incoming.once('close', () => {
      if (!incoming.readableEnded) reject(new HttpError(400, 'incomplete_body', 'The body ended early.'));
    });
  });
}

/** application/json with optional parameters (charset); not json-patch or other +json types. */
export function isJson(c: Context): boolean {
  return /^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '');
}

/** 415 unless the request is JSON, in the words `message` gives. */
export function requireJson(c: Context, message: string): void {
  if (!isJson(c)) throw new HttpError(415, 'unsupported_media_type', message);
}

/** The body parsed as JSON, whatever it holds; 400 invalid_json if it is not JSON at all. */
export async function readJson(c: Context): Promise<unknown> {
  return parseJson(await c.req.text());
}

/** `text` parsed as JSON; 400 invalid_json, in the words `message` gives, if it is not JSON at all. */
export function parseJson(text: string, message = 'The request body is not valid JSON.'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', message);
  }
}

/** The body as a JSON object; 400 invalid_json for anything else. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_json', 'Send a JSON object.');
  }
  return body as Record<string, unknown>;
}

/**
 * Headers for every answer a person's browser renders or reads: nothing cached, no sniffing, no
 * referrer. `frameable: false` (the console) also forbids framing; the chat frame must be framed.
 */
export function securityHeaders({ frameable }: { frameable: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setSecurityHeaders(c, { frameable });
  };
}

export function setSecurityHeaders(c: Context, { frameable }: { frameable: boolean }): void {
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  if (!frameable) c.header('X-Frame-Options', 'DENY');
}
