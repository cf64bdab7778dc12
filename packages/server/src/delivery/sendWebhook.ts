import type { StoredLead } from '../leads/createLeadStore.js';
import { signWebhook } from './signWebhook.js';

/** The JSON body of every webhook (WEBHOOKS.md). */
export interface WebhookPayload {
  type: 'lead.created';
  /** When this attempt was made; each retry carries its own. */
  timestamp: string;
  data: {
    id: string;
    center: string;
    createdAt: string;
    flow: { id: string; version: number };
    locale: string;
    route: string;
    urgency: StoredLead['urgency'];
    /** Reason keys: which answers led to the route. */
    reasons: readonly string[];
    /** By step id, as stored: a choice's value, typed text, or a list of choices. */
    answers: StoredLead['answers'];
    contact: StoredLead['contact'];
    consent: StoredLead['consent'];
    callbackWindow: string;
    utm: StoredLead['utm'];
  };
}

export interface WebhookRequest {
  readonly url: string;
  /** "whsec_" and the base64 key. */
  readonly secret: string;
  /** The delivery id: the same on every retry, so the receiver can drop duplicates. */
  readonly id: string;
  readonly lead: StoredLead;
  /** The time of this attempt. */
  readonly at: Date;
  /** For the User-Agent header. */
  readonly version: string;
  readonly timeoutMs: number;
}

export type SendResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Posts one signed webhook. A 2xx answer is a delivery; anything else is a failure described for
 * staff. Errors name the status or the network problem and the URL without its query (which may
 * hold a token), never the response body or the lead's data: they are stored and logged.
 */
export async function sendWebhook(request: WebhookRequest): Promise<SendResult> {
  const body = JSON.stringify(webhookPayload(request.lead, request.at));
  const timestamp = Math.floor(request.at.getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `intake-chat/${request.version}`,
        'webhook-id': request.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(request.secret, request.id, timestamp, body),
      },
      body,
      // A redirect would resend health information to wherever it points: the URL must be the final one.
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    return { ok: false, error: networkProblem(error, request) };
  }
  // The body is not needed and never read into errors; dropping it frees the connection.
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { ok: true };
  if (response.status >= 300 && response.status < 400) {
    const to = redirectTarget(response.headers.get('location'), request.url);
    return {
      ok: false,
      error: `the receiver redirected to ${to} (HTTP ${response.status}); configure the final URL in the config`,
    };
  }
  return { ok: false, error: `HTTP ${response.status} from ${withoutQuery(request.url)}` };
}

/** The payload of WEBHOOKS.md, from the stored lead. */
export function webhookPayload(lead: StoredLead, at: Date): WebhookPayload {
  return {
    type: 'lead.created',
    timestamp: at.toISOString(),
    data: {
      id: lead.id,
      center: lead.center,
      createdAt: lead.createdAt,
      flow: lead.flow,
      locale: lead.locale,
      route: lead.route,
      urgency: lead.urgency,
      reasons: lead.reasons,
      answers: lead.answers,
      contact: lead.contact,
      consent: lead.consent,
      callbackWindow: lead.callbackWindow,
      utm: lead.utm,
    },
  };
}

/** Node's fetch fails with "fetch failed" and the real reason in `cause`; staff need the reason. */
function networkProblem(error: unknown, request: WebhookRequest): string {
  const url = withoutQuery(request.url);
  const host = new URL(request.url).host;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${url} within ${formatSeconds(request.timeoutMs)}`;
  }
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}; is the receiver running at ${url}?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${host} was not found (DNS); check the webhook URL`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `${host} closed the connection before answering ${url}`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${host} (timed out)`;
    default:
      if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        return `the TLS certificate of ${host} is not valid (${code}); the receiver must serve a trusted certificate`;
      }
      return `could not reach ${url} (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** The error code of a fetch failure: on its cause, or on the first of several tried addresses. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

function redirectTarget(location: string | null, base: string): string {
  if (location === null) return 'another address';
  try {
    return withoutQuery(new URL(location, base).href);
  } catch {
    return 'an address that is not a valid URL';
  }
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
