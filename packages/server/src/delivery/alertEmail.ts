import nodemailer from 'nodemailer';

/** An alert as handed to the transport: nodemailer's message fields, only those used here. */
export interface AlertEmail {
  from: string;
  to: string;
  subject: string;
  /** `<job id@intake-chat>`: a resent alert keeps its id, so mail clients can tell a duplicate. */
  messageId: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

/** What sends alerts: a nodemailer transport, or anything with its `sendMail` (tests). */
export interface AlertTransport {
  sendMail(message: AlertEmail): Promise<unknown>;
  close?(): void;
}

export interface AlertFacts {
  /** The delivery job's id. */
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly leadId: string;
  readonly urgency: string;
  /** The center's name and its callback target for this lead's urgency, when the center is still configured. */
  readonly center?: { readonly name: string; readonly callbackTargetMinutes: number } | undefined;
  /** The server's public address, where the console is. */
  readonly publicUrl: string;
}

export const DEFAULT_FROM = 'intake-chat <alerts@localhost>';
export const NO_SMTP_REASON = 'e-mail alerts are off: SMTP_URL is not set';

/**
 * The staff alert for a new lead. It carries the urgency and a link, never health information nor
 * contact details (docs/conversation.md, "Staff alerts carry no health information"): e-mail is stored and
 * forwarded in clear, so the details stay behind the console's sign-in.
 */
export function alertEmail(facts: AlertFacts): AlertEmail {
  const link = `${facts.publicUrl.replace(/\/+$/, '')}/admin#/leads/${encodeURIComponent(facts.leadId)}`;
  const lines = [
    facts.center === undefined
      ? 'A new callback request is waiting.'
      : `A new callback request is waiting for ${facts.center.name}.`,
    '',
    `Urgency: ${facts.urgency}`,
    ...(facts.center === undefined ? [] : [`Callback target: within ${facts.center.callbackTargetMinutes} minutes`]),
    '',
    'Open it in the console (sign-in required):',
    link,
    '',
    "This alert leaves out the person's details on purpose; they are in the console.",
  ];
  return {
    from: facts.from,
    to: facts.to,
    subject: `New callback request (${facts.urgency})`,
    messageId: `<${facts.id}@intake-chat>`,
    // RFC 3834: out-of-office replies are not sent back to an automatic message.
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: `${lines.join('\n')}\n`,
    html: toHtml(lines, link),
  };
}

/**
 * A transport for SMTP_URL (`smtp://user:pass@host:587`, or `smtps://` for TLS from the start), or
 * undefined when it is not set. Timeouts are short so that a stalled mail server gives the job back
 * well within its lease, instead of holding it for nodemailer's default ten minutes.
 */
export function createAlertTransport(env: Record<string, string | undefined>): AlertTransport | undefined {
  const url = env.SMTP_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^smtps?:\/\/[^/]/.test(url)) {
    // Never echo the value: it holds the mail password.
    throw new Error(
      'SMTP_URL is not an SMTP address; set it like smtp://user:password@mail.example:587 (or smtps:// for port 465)',
    );
  }
  // Pooled: a burst of leads reuses two open connections instead of a handshake (and the server's
  // greeting delay) per alert, which otherwise holds up the webhooks queued behind the e-mails.
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

function toHtml(lines: readonly string[], link: string): string {
  const paragraphs = lines
    .filter((line) => line !== '')
    .map((line) =>
      line === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(line)}</p>`,
    );
  return `<!doctype html><html><body>${paragraphs.join('')}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
