import { type AnswerValue, answerLabels, type Flow, promptFor } from '@intake-chat/engine';
import {
  type HistoryEntry,
  isUnreadable,
  type ListedLead,
  type StoredLead,
  type UnreadableLead,
} from './createLeadStore.js';

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** One question of a lead, labelled in the reader's language; `value` is what the widget sent. */
export interface ExportedAnswer {
  readonly stepId: string;
  readonly question: string;
  readonly answer: readonly string[];
  readonly value: AnswerValue;
}

/** A lead as it leaves the server (packages/console/API.md, the export): one record for CSV and JSON. */
export interface ExportedLead {
  readonly id: string;
  readonly createdAt: string;
  readonly route: string;
  readonly urgency: string;
  readonly status: string;
  readonly name: string;
  readonly phone: string;
  readonly bestTime: string;
  readonly voicemailOk: boolean;
  readonly textOk: boolean;
  readonly state: string;
  readonly forWhom: string;
  readonly locale: string;
  readonly flow: { readonly id: string; readonly version: number };
  readonly consent: {
    readonly call: boolean;
    readonly text: boolean;
    readonly textVersion: string;
    readonly at: string;
  };
  /** The flow's questions in its order, then any step this flow no longer has, by its id. */
  readonly answers: readonly ExportedAnswer[];
  readonly assignee: string | null;
  readonly notes: readonly { readonly at: string; readonly by: string; readonly note: string }[];
  readonly history: readonly {
    readonly at: string;
    readonly by: string;
    readonly from: string | null;
    readonly to: string;
  }[];
}

export interface ExportOptions {
  /** The center's flow, for the questions' words and the CSV's columns. */
  readonly flow: Flow;
  /** The language of the labels: the reader's, not the visitor's. */
  readonly locale: string;
  /** A lead's status changes and notes, oldest first (`LeadStore.history`, bound to the center). */
  readonly history: (leadId: string) => Promise<readonly HistoryEntry[]>;
  /**
   * Told of each lead the data keys cannot open. It is still exported, by its clear columns (id,
   * times, route, urgency, status, consent) and a note that says why the rest is missing.
   */
  readonly onUnreadable?: (lead: UnreadableLead) => void;
}

/** The leads as CSV (RFC 4180, CRLF) or as `{"leads":[…]}`, streamed a lead at a time. */
export function exportLeads(
  leads: AsyncIterable<ListedLead>,
  format: ExportFormat,
  options: ExportOptions,
): AsyncGenerator<string> {
  const records = exportedLeads(leads, options);
  return format === 'csv' ? toCsv(records, options.flow) : toJson(records);
}

/** Each lead with its answers labelled, its notes, its status history and its assignee. */
export async function* exportedLeads(
  leads: AsyncIterable<ListedLead>,
  options: ExportOptions,
): AsyncGenerator<ExportedLead> {
  for await (const lead of leads) {
    let history: readonly HistoryEntry[] | null = null;
    if (!isUnreadable(lead)) {
      try {
        history = await options.history(lead.id);
      } catch {
        // A note sealed under a key this server lacks: the lead is reported like an unreadable one.
        history = null;
      }
    }
    if (isUnreadable(lead) || history === null) {
      const unreadable = isUnreadable(lead) ? lead : { ...lead, unreadable: { keyId: null } };
      options.onUnreadable?.(unreadable);
      yield unreadableExport(unreadable);
    } else {
      yield exportedLead(lead, history, options);
    }
  }
}

/** A lead the keys cannot open, as a record: its clear columns, and a note that says what is missing. */
function unreadableExport(lead: UnreadableLead): ExportedLead {
  const key = lead.unreadable.keyId === null ? '' : ` (sealed with data key ${lead.unreadable.keyId})`;
  return {
    id: lead.id,
    createdAt: lead.createdAt,
    route: lead.route,
    urgency: lead.urgency,
    status: lead.status,
    name: '',
    phone: '',
    bestTime: '',
    voicemailOk: false,
    textOk: false,
    state: '',
    forWhom: '',
    locale: lead.locale,
    flow: lead.flow,
    consent: {
      call: lead.consent.call,
      text: lead.consent.text,
      textVersion: lead.consent.textVersion,
      at: lead.consent.at,
    },
    answers: [],
    assignee: lead.assignedTo,
    notes: [{ at: lead.createdAt, by: 'intake-chat', note: `${UNREADABLE_NOTE}${key}.` }],
    history: [],
  };
}

/** The note an unreadable lead is exported with; the export's reader learns why its details are empty. */
export const UNREADABLE_NOTE =
  'This lead cannot be read with the current data keys; its contact details, answers and notes are left out';

export function exportedLead(
  lead: StoredLead,
  history: readonly HistoryEntry[],
  { flow, locale }: Pick<ExportOptions, 'flow' | 'locale'>,
): ExportedLead {
  const { contact, consent } = lead;
  const known = new Set(flow.steps.map((step) => step.id));
  const answers: ExportedAnswer[] = [
    ...flow.steps.flatMap((step) => {
      const value = lead.answers[step.id];
      if (value === undefined) return [];
      const question = promptFor(flow, step, lead.answers, locale);
      return [{ stepId: step.id, question, answer: answerLabels(flow, step, value, locale), value }];
    }),
    // A step an older version of the flow had: kept by its id, never dropped.
    ...Object.entries(lead.answers)
      .filter(([stepId]) => !known.has(stepId))
      .map(([stepId, value]) => ({ stepId, question: stepId, answer: rawValues(value), value })),
  ];
  return {
    id: lead.id,
    createdAt: lead.createdAt,
    route: lead.route,
    urgency: lead.urgency,
    status: lead.status,
    name: contact.name,
    phone: contact.phone,
    bestTime: contact.bestTime,
    voicemailOk: contact.voicemailOk,
    textOk: contact.textOk,
    state: contact.state,
    forWhom: contact.forWhom,
    locale: lead.locale,
    flow: { id: lead.flow.id, version: lead.flow.version },
    consent: { call: consent.call, text: consent.text, textVersion: consent.textVersion, at: consent.at },
    answers,
    assignee: lead.assignedTo,
    // A status change may carry a note: it is listed with the notes too, so no note is missed.
    notes: history.flatMap(({ at, by, note }) => (note === null ? [] : [{ at, by, note }])),
    history: history.flatMap(({ at, by, from, to }) => (to === null ? [] : [{ at, by, from, to }])),
  };
}

const LEAD_COLUMNS = [
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
  'consent_call',
  'consent_text',
  'consent_version',
  'consent_at',
] as const;
const TRAILING_COLUMNS = ['other_answers', 'assignee', 'notes', 'status_history'] as const;
const NAMED = new Set<string>([...LEAD_COLUMNS, ...TRAILING_COLUMNS]);

/**
 * The lead's fields, two columns per question of the flow (the labels, then the raw values), the
 * answers to steps the flow no longer has, then who has the lead, its notes and its status history.
 */
async function* toCsv(records: AsyncIterable<ExportedLead>, flow: Flow): AsyncGenerator<string> {
  const steps = flow.steps.map((step) => step.id);
  // Step ids are slugs, so only a step named like a lead field (`state`) needs telling apart.
  const stepColumns = steps.flatMap((id) => [NAMED.has(id) ? `${id} (answer)` : id, `${id} (value)`]);
  yield csvRow([...LEAD_COLUMNS, ...stepColumns, ...TRAILING_COLUMNS]);
  const known = new Set(steps);
  for await (const lead of records) {
    const byStep = new Map(lead.answers.map((answer) => [answer.stepId, answer]));
    yield csvRow([
      lead.id,
      lead.createdAt,
      lead.route,
      lead.urgency,
      lead.status,
      lead.name,
      lead.phone,
      lead.bestTime,
      lead.voicemailOk,
      lead.textOk,
      lead.state,
      lead.forWhom,
      lead.locale,
      `${lead.flow.id}@${lead.flow.version}`,
      lead.consent.call,
      lead.consent.text,
      lead.consent.textVersion,
      lead.consent.at,
      ...steps.flatMap((id) => {
        const answer = byStep.get(id);
        return answer === undefined ? ['', ''] : [answer.answer.join('; '), rawValues(answer.value).join('; ')];
      }),
      lines(
        lead.answers
          .filter((answer) => !known.has(answer.stepId))
          .map((answer) => `${answer.stepId}: ${rawValues(answer.value).join('; ')}`),
      ),
      lead.assignee ?? '',
      lines(lead.notes.map(({ at, by, note }) => `${at} ${by}: ${note}`)),
      lines(lead.history.map(({ at, by, from, to }) => `${at} ${by}: ${from ?? ''} -> ${to}`)),
    ]);
  }
}

/** `{"leads":[…]}`, a lead a line; valid JSON for no leads as for a million. */
async function* toJson(records: AsyncIterable<ExportedLead>): AsyncGenerator<string> {
  yield '{"leads":[';
  let first = true;
  for await (const lead of records) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(lead)}`;
    first = false;
  }
  yield first ? ']}\n' : '\n]}\n';
}

function rawValues(value: AnswerValue): string[] {
  return [value].flat().map(String);
}

/**
 * Entries one per line inside a cell; a line break inside an entry (a note of two paragraphs) is
 * indented, so that every line that does not start with a space starts an entry.
 */
function lines(entries: readonly string[]): string {
  return entries.map((entry) => entry.replace(/\r\n|\r|\n/g, '\n  ')).join('\n');
}

/** One CSV line, each cell quoted as needed and made safe from spreadsheet formulas. */
export function csvRow(cells: readonly (string | boolean)[]): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

/** What a spreadsheet may run: = + - @ after any white space (line breaks too), or a leading tab or CR. */
const FORMULA = /^(?:[\t\r]|\s*[=+\-@])/;

function cell(value: string | boolean): string {
  const text = String(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula (OWASP "CSV injection"), and so
  // does one behind white space or a line break, which spreadsheets skip; so does a leading tab or CR.
  // A plain number such as an E.164 phone is harmless and stays readable.
  const safe = FORMULA.test(text) && !/^\+?\d+$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
