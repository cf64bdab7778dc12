import type { Config } from '../config/loadConfig.js';
import type { LeadStore, StoredLead } from '../leads/createLeadStore.js';
import { type AlertTransport, alertEmail, DEFAULT_FROM, NO_SMTP_REASON } from './alertEmail.js';
import type { ClaimedJob } from './createOutbox.js';
import { sendWebhook } from './sendWebhook.js';

/**
 * What one attempt came to. 'failed' is retried (or becomes dead once the retry budget is spent);
 * 'dead' and 'skipped' are final because trying again cannot help until someone changes something.
 */
export type Attempt =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'failed' | 'dead' | 'skipped'; readonly error: string };

/** What an attempt needs besides the job. */
export interface DeliveryContext {
  readonly store: LeadStore;
  readonly config: Config;
  /** Undefined when SMTP_URL is not set: e-mail jobs are skipped. */
  readonly transport: AlertTransport | undefined;
  readonly from: string | undefined;
  readonly publicUrl: string;
  readonly version: string;
  readonly webhookTimeoutMs: number;
  readonly now: () => Date;
}

export const WEBHOOK_GONE = 'this webhook is no longer in the config';
export const LEAD_GONE = 'the lead no longer exists (purged after its retention period, or deleted); nothing to send';

/** Makes one attempt at a claimed job. Never throws: every problem is an outcome with a reason. */
export async function attemptDelivery(job: ClaimedJob, context: DeliveryContext): Promise<Attempt> {
  try {
    if (job.kind === 'webhook') return await attemptWebhook(job, context);
    if (job.kind === 'email') return await attemptEmail(job, context);
    return { outcome: 'dead', error: `"${String(job.kind)}" is not a kind of delivery this server knows` };
  } catch (error) {
    return { outcome: 'failed', error: `unexpected error: ${messageOf(error)}` };
  }
}

async function attemptWebhook(job: ClaimedJob, context: DeliveryContext): Promise<Attempt> {
  // The secret is looked up now, not stored with the job: a rotated secret applies to retries too.
  const secret = context.config.centers.get(job.center)?.webhooks.find((webhook) => webhook.url === job.target)?.secret;
  if (secret === undefined) return { outcome: 'dead', error: WEBHOOK_GONE };
  const lead = await loadLead(job, context.store);
  if ('outcome' in lead) return lead;
  const sent = await sendWebhook({
    url: job.target,
    secret,
    id: job.id,
    lead,
    at: context.now(),
    version: context.version,
    timeoutMs: context.webhookTimeoutMs,
  });
  return sent.ok ? { outcome: 'delivered' } : { outcome: 'failed', error: sent.error };
}

async function attemptEmail(job: ClaimedJob, context: DeliveryContext): Promise<Attempt> {
  // Skipped rather than left pending: staff see that alerts are off, and replay them once they are on.
  if (context.transport === undefined) return { outcome: 'skipped', error: NO_SMTP_REASON };
  const lead = await loadLead(job, context.store);
  if ('outcome' in lead) return lead;
  const center = context.config.centers.get(job.center);
  const message = alertEmail({
    id: job.id,
    to: job.target,
    from: context.from ?? DEFAULT_FROM,
    leadId: lead.id,
    urgency: lead.urgency,
    // The target of this lead's urgency: an emergency's is not a normal lead's.
    center: center && { name: center.name, callbackTargetMinutes: center.callbackTargets[lead.urgency] },
    publicUrl: context.publicUrl,
  });
  try {
    await context.transport.sendMail(message);
    return { outcome: 'delivered' };
  } catch (error) {
    return { outcome: 'failed', error: smtpProblem(error) };
  }
}

/** The job's lead, decrypted, or the outcome when it cannot be had. */
async function loadLead(job: ClaimedJob, store: LeadStore): Promise<StoredLead | Attempt> {
  let lead: StoredLead | null;
  try {
    // Looked up under the job's own center: a lead never goes to another center (docs/conversation.md).
    lead = await store.find(job.center, job.leadId);
  } catch (error) {
    return { outcome: 'failed', error: `the lead could not be read from the database (${messageOf(error)})` };
  }
  return lead ?? { outcome: 'dead', error: LEAD_GONE };
}

/** nodemailer's errors carry the server's reply or the connection problem; neither holds lead data. */
function smtpProblem(error: unknown): string {
  const { code, response } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    response?: unknown;
  };
  if (code === 'EAUTH') return 'the mail server refused the user name or password in SMTP_URL';
  if (typeof response === 'string' && response !== '') return `the mail server answered: ${response}`;
  return `could not send through the mail server in SMTP_URL (${messageOf(error)})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
