import type { StoredLead } from './createLeadStore.js';

const COLUMNS = [
  'id',
  'created_at',
  'route',
  'urgency',
  'status',
  'name',
  'phone',
  'best_time',
  'voicemail_ok',
  'text_ok',
  'state',
  'for_whom',
  'locale',
  'flow',
  'answers',
  'consent_call',
  'consent_text',
  'consent_version',
  'consent_at',
] as const;

/** RFC 4180 CSV, one lead a row, streamed. Answers are one JSON column keyed by step id. */
export async function* leadsToCsv(leads: AsyncIterable<StoredLead>): AsyncGenerator<string> {
  yield `${COLUMNS.join(',')}\r\n`;
  for await (const lead of leads) {
    const row = [
      lead.id,
      lead.createdAt,
      lead.route,
      lead.urgency,
      lead.status,
      lead.contact.name,
      lead.contact.phone,
      lead.contact.bestTime,
      lead.contact.voicemailOk,
      lead.contact.textOk,
      lead.contact.state,
      lead.contact.forWhom,
      lead.locale,
      `${lead.flow.id}@${lead.flow.version}`,
      JSON.stringify(lead.answers),
      lead.consent.call,
      lead.consent.text,
      lead.consent.textVersion,
      lead.consent.at,
    ];
    yield `${row.map(cell).join(',')}\r\n`;
  }
}

function cell(value: string | boolean): string {
  const text = String(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula (OWASP "CSV injection"); a plain
  // number such as an E.164 phone is harmless and stays readable.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^\+?\d+$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
