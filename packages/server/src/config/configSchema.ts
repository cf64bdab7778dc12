import { normalizeUsPhone, type Urgency, urgencies } from '@intake-chat/engine/schema';
import { z } from 'zod';

/**
 * The config file's shape: one entry per center. Checks that need the disk or the environment
 * (flow files, webhook secrets, locales against the flow) are made by `loadConfig`.
 */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Hosts where plain http cannot leave the machine, so a local receiver needs no certificate.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof days)[number];

/** The languages the widget's own copy (buttons, form, consent) is written in. */
export const widgetLocales = ['en', 'es'] as const;

const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, { error: `${what} must not be empty` });

const phoneSchema = z.string({ error: 'the phone must be text such as "(555) 201-0100"' }).transform((raw, ctx) => {
  const e164 = normalizeUsPhone(raw);
  if (e164 === null) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(raw)} is not a US phone number; write the 10-digit number with its area code, such as "(555) 201-0100"`,
    });
    return z.NEVER;
  }
  return { display: raw.trim(), e164 };
});

const timeZoneSchema = z
  .string({ error: 'the time zone must be an IANA name such as "America/Chicago"' })
  .refine(isTimeZone, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a time zone; use an IANA name such as "America/Chicago"`,
  });

/** `"24/7"`, or the staffed hours of each day: `{ "mon-fri": "08:00-20:00", "sat": "09:00-13:00" }`. */
const staffedHoursSchema = z
  .union([z.literal('24/7'), z.record(z.string(), z.string())], {
    error: 'staffedHours must be "24/7" or hours by day, such as { "mon-fri": "08:00-20:00", "sat": "09:00-13:00" }',
  })
  .superRefine((hours, ctx) => {
    if (hours === '24/7') return;
    for (const problem of readStaffedHours(hours).problems) {
      ctx.addIssue({ code: 'custom', path: problem.key === undefined ? [] : [problem.key], message: problem.message });
    }
  });

const originSchema = z
  .string({ error: 'an origin must be text such as "https://riverbend.example"' })
  .superRefine((value, ctx) => {
    const problem = originProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

const webhookSchema = z.strictObject({
  url: z
    .string({ error: 'the webhook url must be text such as "https://crm.example/hooks/intake"' })
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  // The secret itself never sits in the file, which may be committed; only where to find it.
  secretEnv: z
    .string({ error: 'secretEnv must name an environment variable, such as "RIVERBEND_WEBHOOK_SECRET"' })
    .regex(ENV_NAME, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not an environment variable name; use letters, digits and underscores, such as "RIVERBEND_WEBHOOK_SECRET"`,
    }),
});

const consentTextSchema = (which: string) =>
  z.strictObject(
    {
      version: text(`the ${which} consent version`),
      // Versions of this text shown before, still taken from conversations that opened under them.
      previousVersions: z
        .array(text(`a previous ${which} consent version`), {
          error: `previousVersions of the ${which} consent must be a list such as ["2026-11-call-v1"]`,
        })
        .default([]),
      text: z.strictObject(
        { en: text(`the English ${which} consent text`), es: text(`the Spanish ${which} consent text`) },
        { error: `the ${which} consent text must be { "en": "...", "es": "..." }` },
      ),
    },
    { error: `the ${which} consent must be { "version": "...", "text": { "en": "...", "es": "..." } }` },
  );

const CONSENT_EXAMPLE =
  '{ "call": { "version": "2026-12-call-v1", "text": { "en": "...", "es": "..." } }, "callAndText": { "version": "2026-12-text-v1", "text": { "en": "...", "es": "..." } } }';

/**
 * Two texts, because a visitor who did not allow texts must not be shown (and recorded as agreeing
 * to) "may call me and text me": `call` is shown to them, `callAndText` to a visitor who ticks texts.
 */
const consentPairSchema = z
  .strictObject(
    { call: consentTextSchema('call-only'), callAndText: consentTextSchema('call-and-text') },
    { error: `consent must be two texts, one for calls only and one for calls and texts: ${CONSENT_EXAMPLE}` },
  )
  .superRefine(({ call, callAndText }, ctx) => {
    if (call.version !== callAndText.version) return;
    ctx.addIssue({
      code: 'custom',
      path: ['callAndText', 'version'],
      message: `"${callAndText.version}" is also the version of the call-only text; give each text its own version, such as "2026-12-call-v1" and "2026-12-text-v1", so that each lead records which words it agreed to`,
    });
  });

/** `{ version, text }`, the one text of intake-chat 0.1, is refused with how to write the two texts. */
const consentSchema = z
  .unknown()
  // Optional here only so that a missing consent reaches the object's own message.
  .optional()
  .superRefine((raw, ctx) => {
    if (typeof raw !== 'object' || raw === null || !('version' in raw || 'text' in raw)) return;
    ctx.addIssue({
      code: 'custom',
      message: `the single consent { "version", "text" } is no longer read: a visitor who did not allow texts must not agree to "may text me". Write two texts, each with its own version, "call" (calls only) and "callAndText" (calls and texts): ${CONSENT_EXAMPLE} (a change before 1.0; see CHANGELOG.md in @intake-chat/server)`,
    });
  })
  .pipe(consentPairSchema);

/** The callback targets when the config gives none: an emergency is called back first. */
export const DEFAULT_CALLBACK_TARGETS: Readonly<Record<Urgency, number>> = {
  emergency: 5,
  urgent: 15,
  high: 15,
  normal: 15,
};

const TARGETS_EXAMPLE = '{ "emergency": 5, "urgent": 15, "high": 30, "normal": 60 }';

/**
 * `callbackTargetMinutes` as written: absent (the defaults), one number for every urgency, or an
 * object by urgency whose missing keys keep their default. Returns the four targets and any problems.
 */
export function readCallbackTargets(raw: unknown): {
  targets: Record<Urgency, number>;
  problems: { key: string | undefined; message: string }[];
} {
  const targets = { ...DEFAULT_CALLBACK_TARGETS };
  const problems: { key: string | undefined; message: string }[] = [];
  if (raw === undefined) return { targets, problems };
  if (typeof raw === 'number') {
    const problem = minutesProblem(raw, 'callbackTargetMinutes');
    if (problem !== undefined) problems.push({ key: undefined, message: problem });
    for (const urgency of urgencies) targets[urgency] = raw;
    return { targets, problems };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      key: undefined,
      message: `callbackTargetMinutes must be a whole number of minutes for every urgency, such as 15, or minutes by urgency, such as ${TARGETS_EXAMPLE}`,
    });
    return { targets, problems };
  }
  const known: readonly string[] = urgencies;
  for (const [key, value] of Object.entries(raw)) {
    if (!known.includes(key)) {
      problems.push({
        key,
        message: `"${key}" is not an urgency; use emergency, urgent, high or normal, such as ${TARGETS_EXAMPLE}`,
      });
      continue;
    }
    const problem = minutesProblem(value, `the ${key} target`);
    if (problem !== undefined) problems.push({ key, message: problem });
    else targets[key as Urgency] = value as number;
  }
  return { targets, problems };
}

function minutesProblem(value: unknown, name: string): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${name} must be a whole number of minutes`;
  if (value < 1) return `${name} must be at least 1`;
  if (value > 1440) return `${name} must be at most 1440 (one day)`;
  return undefined;
}

/** The fields of a center as written; `centerSchema` adds what is derived from them. */
export const centerFields = z.strictObject({
  id: z.string({ error: 'the id must be text such as "riverbend"' }).regex(SLUG, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a valid id; use lower-case letters, digits and single hyphens, such as "riverbend-north"`,
  }),
  name: text('the name'),
  /** The center's 24/7 admissions line as people should see it. */
  phone: phoneSchema,
  timeZone: timeZoneSchema,
  staffedHours: staffedHoursSchema,
  /** Host pages allowed to embed the widget (the frame's `frame-ancestors`). */
  allowedOrigins: z
    .array(originSchema, { error: 'allowedOrigins must be a list such as ["https://riverbend.example"]' })
    .min(1, { error: 'list at least one origin, such as "https://riverbend.example"' }),
  /** A flow JSON file, relative to the config file's folder; the engine's default flow when absent. */
  flow: text('the flow path').optional(),
  locales: z
    .array(
      z.enum(widgetLocales, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a language the widget speaks; use "en" or "es"`,
      }),
      { error: 'locales must be a list such as ["en", "es"]' },
    )
    .min(1, { error: 'list at least one locale, such as ["en"]' })
    .refine((locales) => new Set(locales).size === locales.length, {
      error: 'each locale may be listed once; remove the repeat',
    })
    .default(['en', 'es']),
  /**
   * The call-consent checkbox (docs/conversation.md, "Consent evidence"): one text for calls only, one for calls
   * and texts, each with its own version, which is stored with every lead.
   */
  consent: consentSchema,
  webhooks: z.array(webhookSchema, { error: 'webhooks must be a list of { "url", "secretEnv" }' }).optional(),
  alertEmails: z
    .array(
      z.email({
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not an e-mail address; write it as "admissions@riverbend.example"`,
      }),
      { error: 'alertEmails must be a list such as ["admissions@riverbend.example"]' },
    )
    .default([]),
  /** Minutes to the callback while staffed: one number for every urgency, or one per urgency. */
  callbackTargetMinutes: z
    .unknown()
    .optional()
    .transform((raw, ctx) => {
      const read = readCallbackTargets(raw);
      for (const problem of read.problems) {
        ctx.addIssue({
          code: 'custom',
          path: problem.key === undefined ? [] : [problem.key],
          message: problem.message,
        });
      }
      return read.targets;
    }),
  retentionDays: z
    .int({ error: 'retentionDays must be a whole number of days' })
    .min(1, { error: 'retentionDays must be at least 1' })
    .max(3650, { error: 'retentionDays must be at most 3650 (ten years)' })
    .default(90),
  /**
   * How long the consent evidence of a purged lead (the consent record and the number it covers) is
   * kept, counted from the lead's submission; 0 keeps none. The default, four years, is the federal
   * catch-all limitation period (28 U.S.C. § 1658(a)) that courts apply to TCPA claims.
   */
  consentEvidenceDays: z
    .int({ error: 'consentEvidenceDays must be a whole number of days' })
    .min(0, { error: 'consentEvidenceDays must be 0 (keep none) or more' })
    .max(3650, { error: 'consentEvidenceDays must be at most 3650 (ten years)' })
    .default(1461),
  /**
   * Conversion insight (docs/insight.md): anonymous day counts of the conversation's steps. On unless
   * a center turns it off; the counts are kept this many days (default 400: this year against last).
   */
  insight: z
    .strictObject(
      {
        enabled: z.boolean({ error: 'insight.enabled must be true or false' }).default(true),
        retentionDays: z
          .int({ error: 'insight.retentionDays must be a whole number of days' })
          .min(1, { error: 'insight.retentionDays must be at least 1' })
          .max(3650, { error: 'insight.retentionDays must be at most 3650 (ten years)' })
          .default(400),
      },
      { error: 'insight must be { "enabled": true, "retentionDays": 400 }' },
    )
    .default({ enabled: true, retentionDays: 400 }),
});

export const centerSchema = centerFields.transform(({ phone, callbackTargetMinutes, ...center }) => ({
  ...center,
  phone: phone.display,
  /** For `tel:` links. */
  phoneE164: phone.e164,
  /** The callback target of each urgency, in minutes, defaults filled in. */
  callbackTargets: callbackTargetMinutes,
}));

export const configSchema = z.strictObject(
  {
    centers: z
      .array(centerSchema, { error: 'centers must be a list of centers' })
      .min(1, { error: 'list at least one center' })
      .superRefine((centers, ctx) => {
        const firstIndex = new Map<string, number>();
        centers.forEach((center, i) => {
          const first = firstIndex.get(center.id);
          if (first === undefined) firstIndex.set(center.id, i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, 'id'],
              message: `"${center.id}" is already the id of centers[${first}]; give each center its own id`,
            });
        });
      }),
  },
  { error: 'the config must be an object with a "centers" list' },
);

export type ConfigFile = z.infer<typeof configSchema>;
export type CenterSettings = z.infer<typeof centerSchema>;
export type StaffedHours = CenterSettings['staffedHours'];
export type Webhook = z.infer<typeof webhookSchema>;

/**
 * One staffed stretch of the week, in the center's wall-clock time: it starts on `day` (0 is Monday)
 * at `open` minutes after midnight and ends at `close`, on the next day when `close` is not after `open`.
 */
export interface Shift {
  day: number;
  open: number;
  close: number;
}

/** Reads `{ "mon-fri": "08:00-20:00" }` into shifts, with a problem per key that cannot be read. */
export function readStaffedHours(hours: Readonly<Record<string, string>>): {
  shifts: Shift[];
  problems: { key: string | undefined; message: string }[];
} {
  const shifts: Shift[] = [];
  const problems: { key: string | undefined; message: string }[] = [];
  const keyOfDay = new Map<number, string>();
  for (const [key, value] of Object.entries(hours)) {
    const dayIndexes = readDays(key);
    if (dayIndexes === undefined) {
      problems.push({
        key,
        message: `"${key}" is not a day or a range of days; use mon, tue, wed, thu, fri, sat or sun, or a range such as "mon-fri"`,
      });
      continue;
    }
    for (const day of dayIndexes) {
      const earlier = keyOfDay.get(day);
      if (earlier !== undefined) {
        problems.push({
          key,
          message: `${days[day]} is already given by "${earlier}"; list each day once`,
        });
      }
      keyOfDay.set(day, key);
    }
    const range = readRange(value);
    if (typeof range === 'string') {
      problems.push({ key, message: range });
      continue;
    }
    for (const day of dayIndexes) shifts.push({ day, ...range });
  }
  if (Object.keys(hours).length === 0) {
    problems.push({
      key: undefined,
      message: 'no staffed day is listed; give hours such as { "mon-fri": "08:00-20:00" }, or "24/7"',
    });
  }
  return { shifts, problems };
}

/** "mon" or "mon-fri" as day indexes; a range may wrap past Sunday ("fri-mon"). */
function readDays(key: string): number[] | undefined {
  const names: readonly string[] = days;
  const [first = '', last = first, ...rest] = key.split('-');
  const from = names.indexOf(first);
  const to = names.indexOf(last);
  if (rest.length > 0 || from < 0 || to < 0) return undefined;
  const count = ((to - from + 7) % 7) + 1;
  return Array.from({ length: count }, (_, i) => (from + i) % 7);
}

/** "08:00-20:00" as minutes, or what is wrong with it. */
function readRange(value: string): { open: number; close: number } | string {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(value.trim());
  const example =
    'write opening and closing times as "HH:MM-HH:MM", such as "08:00-20:00" (or "20:00-02:00" past midnight)';
  if (match === null) return `"${value}" is not a time range; ${example}`;
  const [openHour, openMinute, closeHour, closeMinute] = match.slice(1, 5).map(Number);
  const open = (openHour ?? 0) * 60 + (openMinute ?? 0);
  const close = (closeHour ?? 0) * 60 + (closeMinute ?? 0);
  // 24:00 may end a day ("12:00-24:00") but never start one.
  const valid = open < 1440 && (openMinute ?? 0) < 60 && (closeMinute ?? 0) < 60 && close <= 1440;
  if (!valid) return `"${value}" has a time that does not exist; ${example}`;
  if (open === close) {
    return `"${value}" opens and closes at the same time; for a whole day write "00:00-24:00"`;
  }
  return { open, close };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function originProblem(value: string): string | undefined {
  const fix = 'an origin is scheme, host and optional port only, such as "https://riverbend.example"';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL; ${fix}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${value}" is not a web origin; ${fix}`;
  if (url.origin !== value)
    return `"${value}" is not an origin; use "${url.origin}" (no path, query or trailing slash)`;
  return undefined;
}

function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL; write the full address, such as "https://crm.example/hooks/intake"`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  // Leads are health information: they leave this server only over TLS.
  return `"${value}" must use https (plain http is allowed only for 127.0.0.1 and localhost); use "https://${url.host}${url.pathname}${url.search}"`;
}
