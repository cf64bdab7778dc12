/** One error type for everything a client can cause; `createApp` maps it to `{ error: { code, message, issues? } }`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 423 | 429 | 503,
    readonly code: string,
    message: string,
    readonly issues?: readonly { path: string; message: string }[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}
