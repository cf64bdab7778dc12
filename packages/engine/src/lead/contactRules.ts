import type { LeadIssue } from './leadSchema.js';

/**
 * The rules and words for what a visitor types on the callback form, without zod: the lead schema
 * (the server's boundary) is built from these, and the widget checks a form with them before
 * sending, so its bundle carries no schema library. A property test holds the two to the same verdicts.
 */

export const PHONE_MESSAGE = 'Enter a US phone number with area code, like (312) 555-0142';

/** USPS codes of the states, DC and the inhabited territories. */
export const usStates = [
  ...['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY'],
  ...['LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND'],
  ...['OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'],
  ...['DC', 'PR', 'GU', 'VI', 'AS', 'MP'],
] as const;
export type UsState = (typeof usStates)[number];

/** A path only: a query string or fragment may carry health details (docs/conversation.md, consent evidence). */
export const PAGE_PATH = /^\/(?!\/)[^?#\s]*$/;
export const MAX_PAGE_PATH = 512;

/** Whether a host page's path may be kept as consent evidence: a path alone, of at most 512 characters. */
export const isPagePath = (path: string) => path.length <= MAX_PAGE_PATH && PAGE_PATH.test(path);

export const bestTimes = ['morning', 'afternoon', 'evening', 'anytime'] as const;
export const forWhomValues = ['self', 'loved-one'] as const;

/**
 * What to fix on the callback form, in each language the widget speaks, keyed by the same ids: one
 * table, so the two cannot drift apart in meaning. Spanish uses "usted", as the flow does. The lead
 * schema (the API's own answers) speaks English.
 */
export const fieldMessages = {
  en: {
    name: 'Enter a first name or nickname',
    nameTooLong: 'Shorten the name to 60 characters or fewer',
    nameUnsafe: 'Remove < > and special characters from the name',
    nameUnreadable: 'Enter a first name or nickname with at least one letter',
    phone: PHONE_MESSAGE,
    bestTime: 'Choose the best time to call: morning, afternoon, evening or anytime',
    voicemailOk: 'Choose whether we may leave a voicemail',
    textOk: 'Choose whether we may send a text',
    // The form offers a list of states, so "choose one from the list"; the API's own words give codes.
    state: 'Choose the US state you live in from the list',
    stateCode: 'Choose your US state, like IL or TX',
    adult: 'Please confirm you are 18 or older. If you are under 18, call the center, or call or text 988 any time.',
    forWhom: 'Choose whether this is for you or for a loved one',
    consentCall: 'Tick the box that lets us call you back. We cannot call without it.',
    consentText: 'Choose whether we may text you',
  },
  es: {
    name: 'Escriba un nombre o apodo',
    nameTooLong: 'Acorte el nombre a 60 caracteres o menos',
    nameUnsafe: 'Quite < > y los caracteres especiales del nombre',
    nameUnreadable: 'Escriba un nombre o apodo con al menos una letra',
    phone: 'Escriba un número de teléfono de EE. UU. con código de área, como (312) 555-0142',
    bestTime: 'Elija la mejor hora para llamar: mañana, tarde, noche o cualquier hora',
    voicemailOk: 'Elija si podemos dejar un mensaje de voz',
    textOk: 'Elija si podemos enviar un mensaje de texto',
    state: 'Elija de la lista el estado de EE. UU. donde vive',
    stateCode: 'Elija su estado de EE. UU., como IL o TX',
    adult:
      'Confirme que tiene 18 años o más. Si tiene menos de 18, llame al centro, o llame o escriba al 988 a cualquier hora.',
    forWhom: 'Elija si esto es para usted o para un ser querido',
    consentCall: 'Marque la casilla que nos permite llamarle. No podemos llamar sin ella.',
    consentText: 'Elija si podemos enviarle mensajes de texto',
  },
} as const;

export type FieldMessages = (typeof fieldMessages)['en'] | (typeof fieldMessages)['es'];

/** The English messages, which the lead schema (the API) answers with. */
export const contactMessages: FieldMessages = fieldMessages.en;

/** The messages in a visitor's language: Spanish for "es" and its regions, else English. */
export const fieldMessagesFor = (locale: string | undefined): FieldMessages =>
  locale?.toLowerCase().startsWith('es') ? fieldMessages.es : fieldMessages.en;

/** C0/C1 controls and bidi overrides, which could break or disguise a name in the staff console. */
const UNSAFE_NAME = /[\p{Cc}\u202A-\u202E\u2066-\u2069<>]/u;
/** Half of a surrogate pair on its own: not text at all, and it breaks e-mails and CSV exports. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A name staff can read aloud has at least one letter or digit (not only zero-width or symbols). */
const READABLE = /[\p{L}\p{N}]/u;

export const isSafeName = (name: string) => !UNSAFE_NAME.test(name) && !LONE_SURROGATE.test(name);
export const isReadableName = (name: string) => name === '' || READABLE.test(name);

/**
 * A US (NANP) number in any common written form as E.164 (`+13125550142`), or null.
 * Accepts digits with spaces, dots, hyphens and parentheses, after an optional `1` or `+1`.
 * Area code and exchange start with 2-9 (NANP numbering plan); N11 area codes (211-911) are service
 * codes, never area codes. Letters (vanity numbers, "ext.") are rejected so nothing is guessed.
 */
export function normalizeUsPhone(input: string): string | null {
  const text = input.trim();
  if (text.length > 30 || !/^\+?[\d\s().-]+$/.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+') && !digits.startsWith('1')) return null; // another country's code
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  if (digits.slice(1, 3) === '11') return null;
  return `+1${digits}`;
}

/** The callback form's fields as typed, before any checking. */
export interface ContactInput {
  readonly name: unknown;
  readonly phone: unknown;
  readonly bestTime: unknown;
  readonly voicemailOk: unknown;
  readonly textOk: unknown;
  readonly state: unknown;
  readonly adult: unknown;
  readonly forWhom: unknown;
}

/**
 * What is wrong with the visitor's own fields and consent boxes, in the lead schema's order
 * (paths `contact.name`, `consent.call`...) and in the visitor's language; empty when the form can
 * be sent. The lead schema applies the same rules, in English.
 */
export function contactProblems(
  contact: ContactInput,
  consent: { call: unknown; text: unknown },
  locale?: string,
): LeadIssue[] {
  const say = fieldMessagesFor(locale);
  const issues: LeadIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (typeof contact.name !== 'string') add('contact.name', say.name);
  else {
    const name = contact.name.trim();
    if (name.length < 1) add('contact.name', say.name);
    if (name.length > 60) add('contact.name', say.nameTooLong);
    if (!isSafeName(name)) add('contact.name', say.nameUnsafe);
    if (!isReadableName(name)) add('contact.name', say.nameUnreadable);
  }
  if (typeof contact.phone !== 'string' || normalizeUsPhone(contact.phone) === null) add('contact.phone', say.phone);
  if (!(bestTimes as readonly unknown[]).includes(contact.bestTime)) add('contact.bestTime', say.bestTime);
  if (typeof contact.voicemailOk !== 'boolean') add('contact.voicemailOk', say.voicemailOk);
  if (typeof contact.textOk !== 'boolean') add('contact.textOk', say.textOk);
  if (typeof contact.state !== 'string' || contact.state.trim() === '') add('contact.state', say.state);
  else if (!(usStates as readonly string[]).includes(contact.state.trim().toUpperCase()))
    add('contact.state', say.stateCode);
  if (contact.adult !== true) add('contact.adult', say.adult);
  if (!(forWhomValues as readonly unknown[]).includes(contact.forWhom)) add('contact.forWhom', say.forWhom);
  if (consent.call !== true) add('consent.call', say.consentCall);
  if (typeof consent.text !== 'boolean') add('consent.text', say.consentText);
  return issues;
}
