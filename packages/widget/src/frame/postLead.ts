import type { LeadReceipt } from '@intake-chat/engine';
import type { Lead } from '@intake-chat/engine/schema';

/**
 * The machine's `submitLead` effect: POST the lead to the frame's own origin. Throws what the
 * machine reads as a SubmitError: `retryable: false` only when the server refused this body (400),
 * so the visitor fixes the form; network faults, 5xx and 429 are retried with backoff.
 */
export async function postLead(lead: Lead, fetcher: typeof fetch = fetch): Promise<LeadReceipt> {
  let response: Response;
  try {
    response = await fetcher('/v1/leads', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(lead),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw { message: 'network', retryable: true, issues: [] };
  }
  const body = (await response.json().catch(() => null)) as {
    id?: string;
    callbackWindow?: string;
    error?: { message?: string; issues?: unknown };
  } | null;
  if (response.ok && typeof body?.id === 'string') {
    return { id: body.id, callbackWindow: body.callbackWindow ?? '' };
  }
  throw {
    message: body?.error?.message ?? `HTTP ${response.status}`,
    retryable: response.status !== 400,
    issues: Array.isArray(body?.error?.issues) ? body.error.issues : [],
  };
}
