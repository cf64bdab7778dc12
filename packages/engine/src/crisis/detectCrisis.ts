import { ENGLISH, EXACT_REWRITES, SPANISH, WORD_REWRITES } from './crisisPatterns.js';

export type CrisisKind = 'suicide' | 'self-harm' | 'overdose' | 'unresponsive' | 'seizure' | 'not-breathing' | 'danger';

export interface CrisisMatch {
  readonly kind: CrisisKind;
  readonly locale: 'en' | 'es';
  /** the words that matched, as the visitor typed them (trimmed) */
  readonly phrase: string;
}

type Language = CrisisMatch['locale'];

// Most urgent first, because the crisis screen leads with the number for the kind reported:
// someone who is not breathing needs 911 before anyone needs 988.
const KINDS: readonly CrisisKind[] = [
  'not-breathing',
  'unresponsive',
  'seizure',
  'overdose',
  'suicide',
  'self-harm',
  'danger',
];

const PATTERNS: Readonly<Record<Language, Readonly<Record<CrisisKind, RegExp>>>> = {
  en: compileBook(ENGLISH),
  es: compileBook(SPANISH),
};

const WORDS = new Map(Object.entries(WORD_REWRITES).map(([word, meaning]) => [collapseRepeats(word), meaning]));
const EXACT_WORDS = new Map(Object.entries(EXACT_REWRITES));

/**
 * English and Spanish crisis language. `locale` only orders the checks; both languages are always checked.
 *
 * Tolerant of case, accents, punctuation, stretched letters ("dieeee"), missing apostrophes ("wont wake up")
 * and a few words in between ("I really just want to die"). It leans towards false alarms: negations such as
 * "I'm not suicidal" match too, and idioms are only excluded where an intake visitor would plausibly type them
 * ("I'm dying to get help" and "my dad died last year" do not match).
 */
export function detectCrisis(text: string, locale?: string): CrisisMatch | null {
  const normalized = normalize(text);
  if (normalized.text === '') return null;
  const languages: readonly Language[] = locale?.toLowerCase().startsWith('es') ? ['es', 'en'] : ['en', 'es'];
  for (const kind of KINDS) {
    for (const language of languages) {
      const found = PATTERNS[language][kind].exec(normalized.text);
      if (found === null) continue;
      const phrase = normalized.typed(found.index, found.index + found[0].length);
      return { kind, locale: language, phrase };
    }
  }
  return null;
}

interface Token {
  /** Lower-case letters and digits without accents; apostrophes kept for EXACT_REWRITES. */
  readonly raw: string;
  /** Where the token sits in the visitor's text, so a match can quote what they typed. */
  readonly start: number;
  readonly end: number;
}

interface Normalized {
  readonly text: string;
  /** The visitor's own text behind the normalised range [from, to). */
  readonly typed: (from: number, to: number) => string;
}

function normalize(original: string): Normalized {
  const tokens = tokenize(original);
  const words: string[] = [];
  const owners: number[] = [];
  tokens.forEach((token, index) => {
    for (const word of wordsOf(token.raw)) {
      words.push(word);
      owners.push(index);
    }
  });
  const starts: number[] = [];
  let offset = 0;
  for (const word of words) {
    starts.push(offset);
    offset += word.length + 1;
  }
  const tokenAt = (position: number): Token | undefined => {
    let word = 0;
    while (word + 1 < starts.length && (starts[word + 1] ?? Infinity) <= position) word += 1;
    return tokens[owners[word] ?? -1];
  };
  return {
    text: words.join(' '),
    typed: (from, to) => original.slice(tokenAt(from)?.start ?? 0, tokenAt(to - 1)?.end ?? original.length).trim(),
  };
}

function wordsOf(raw: string): string[] {
  const exact = EXACT_WORDS.get(raw);
  if (exact !== undefined) return exact.split(' ');
  const word = collapseRepeats(raw.replaceAll("'", ''));
  return collapseRepeats(WORDS.get(word) ?? word).split(' ');
}

// Phone keyboards and autocorrect produce all of these for one apostrophe ("won’t", "won´t").
const APOSTROPHES = new Set(["'", '\u2019', '\u2018', '\u02bc', '`', '\u00b4']);
const MARK = /\p{M}/u;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let raw = '';
  let start = 0;
  let end = 0;
  let index = 0;
  const flush = () => {
    const trimmed = raw.replace(/'+$/, '');
    if (trimmed !== '') tokens.push({ raw: trimmed, start, end });
    raw = '';
  };
  for (const char of text) {
    const folded = fold(char);
    if (folded === null) {
      // A combining accent typed on its own belongs to the letter before it.
      if (raw !== '') end = index + char.length;
    } else if (folded === "'") {
      if (raw !== '') raw += "'";
    } else if (folded === '') {
      flush();
    } else {
      if (raw === '') start = index;
      raw += folded;
      end = index + char.length;
    }
    index += char.length;
  }
  flush();
  return tokens;
}

/** One character as it counts for matching: letters and digits, `'`, `''` for a word break, or null for an accent. */
function fold(char: string): string | null {
  if (APOSTROPHES.has(char)) return "'";
  const lower = char.toLowerCase();
  if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) return lower;
  if (char.charCodeAt(0) < 0x80) return '';
  if (MARK.test(char)) return null;
  // NFKD splits "é" into "e" plus an accent and turns full-width or ligature letters into plain ones.
  return lower.normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

// Stretched letters ("dieeee", "pleeease") and real doubles ("kill", "pills") reduce to one letter,
// in the text and in the patterns alike, so neither has to predict how far a visitor stretches a word.
function collapseRepeats(text: string): string {
  return text.replace(/([a-z])\1+/g, '$1');
}

function compileBook(book: Readonly<Record<CrisisKind, readonly string[]>>): Record<CrisisKind, RegExp> {
  return {
    suicide: compile(book.suicide),
    'self-harm': compile(book['self-harm']),
    overdose: compile(book.overdose),
    unresponsive: compile(book.unresponsive),
    seizure: compile(book.seizure),
    'not-breathing': compile(book['not-breathing']),
    danger: compile(book.danger),
  };
}

function compile(sources: readonly string[]): RegExp {
  const body = sources.map((source) => {
    const pattern = source
      // A letter after a backslash is an escape (\b), not a word, and must survive.
      .replace(/(?<!\\)([a-z])\1+/g, '$1')
      // Each extra word is a space and a run of letters, which cannot overlap: no catastrophic backtracking.
      .replace(/ ~([1-3]?) /g, (_, count: string) => `(?: [a-z0-9]+){0,${count || 3}} `);
    // A gap without its spaces would silently look for a literal "~" and never match.
    if (pattern.includes('~')) throw new Error(`crisisPatterns: put a space on both sides of "~" in: ${source}`);
    return pattern;
  });
  return new RegExp(`\\b(?:${body.join('|')})\\b`);
}
