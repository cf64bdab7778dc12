import { type LeadInput, leadProblems, leadSchema, normalizeUsPhone, usStates } from '@intake-chat/engine/schema';
import { describe, expect, it } from 'vitest';

const PHONE_HELP = 'Enter a US phone number with area code, like (312) 555-0142';

function validLead(): LeadInput {
  return {
    idempotencyKey: '3f0c2a4e-9a0b-4a5e-8a57-1f2d3c4b5a69',
    center: 'riverbend',
    flow: { id: 'iop-intake', version: 1 },
    locale: 'en',
    answers: { 'for-whom': 'self', 'safety-now': 'no', substances: ['alcohol', 'cannabis'], 'home-safe': 'yes' },
    contact: {
      name: '  Sam ',
      phone: '(312) 555-0142',
      bestTime: 'evening',
      voicemailOk: true,
      textOk: false,
      state: 'il',
      adult: true,
      forWhom: 'self',
    },
    consent: { call: true, text: false, textVersion: '2025-01', at: '2025-01-31T22:15:00-06:00', page: '/admissions' },
    utm: { source: 'google', campaign: 'iop-spring' },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests send malformed bodies on purpose, as a careless client might.
type LooseLead = Record<string, any>;

/** A valid lead with one part changed. */
function leadWith(change: (lead: LooseLead) => void): unknown {
  const lead: LooseLead = validLead();
  change(lead);
  return lead;
}

function issuesOf(body: unknown) {
  const result = leadProblems(body);
  if (result.ok) throw new Error('expected the lead to be rejected');
  return result.issues;
}

describe('leadSchema', () => {
  it('accepts a valid lead, storing the phone as E.164, the state upper-cased and the name trimmed', () => {
    const result = leadProblems(validLead());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lead.contact).toMatchObject({ name: 'Sam', phone: '+13125550142', state: 'IL' });
    expect(result.lead.answers.substances).toEqual(['alcohol', 'cannabis']);
  });

  it.each([
    '(312) 555-0142',
    '312.555.0142',
    '+1 312 555 0142',
    '1-312-555-0142',
    '3125550142',
    '312-555-0142',
    '+1 (312) 555-0142',
  ])('understands the phone number %s', (phone) => {
    expect(normalizeUsPhone(phone)).toBe('+13125550142');
    const result = leadSchema.safeParse(leadWith((lead) => (lead.contact.phone = phone)));
    expect(result.success && result.data.contact.phone).toBe('+13125550142');
  });

  it.each([
    ['a number that is too short', '555-0142'],
    ['11 digits that do not start with 1', '2312-555-0142'],
    ['an area code starting with 0', '(012) 555-0142'],
    ['an area code starting with 1', '(112) 555-0142'],
    ['the 911 area code', '(911) 555-0142'],
    ['an exchange starting with 1', '(312) 155-0142'],
    ['letters', '312-555-HELP'],
    ['a UK number', '+44 20 7946 0958'],
    ['a + number whose country code is not 1', '+3 312 555 0142'],
  ])('rejects %s with a phone hint at contact.phone', (_, phone) => {
    expect(normalizeUsPhone(phone)).toBeNull();
    expect(issuesOf(leadWith((lead) => (lead.contact.phone = phone)))).toEqual([
      { path: 'contact.phone', message: PHONE_HELP },
    ]);
  });

  it('asks for a phone number when none is given', () => {
    expect(issuesOf(leadWith((lead) => delete lead.contact.phone))).toEqual([
      { path: 'contact.phone', message: PHONE_HELP },
    ]);
  });

  it('asks an under-18 visitor to call the center or 988 instead', () => {
    const [issue, ...rest] = issuesOf(leadWith((lead) => (lead.contact.adult = false)));
    expect(rest).toEqual([]);
    expect(issue?.path).toBe('contact.adult');
    expect(issue?.message).toMatch(/confirm you are 18 or older/);
    expect(issue?.message).toMatch(/call the center, or call or text 988 any time/);
  });

  it('rejects a lead whose call-consent box is not ticked', () => {
    const [issue] = issuesOf(leadWith((lead) => (lead.consent.call = false)));
    expect(issue?.path).toBe('consent.call');
    expect(issue?.message).toMatch(/Tick the box/);
  });

  it('rejects a consent page with a query string or fragment, which could hold health details', () => {
    for (const page of ['/admissions?drug=opioids', '/admissions#form', 'https://riverbend.example/admissions']) {
      expect(issuesOf(leadWith((lead) => (lead.consent.page = page)))).toEqual([
        { path: 'consent.page', message: expect.stringMatching(/without a query string/) },
      ]);
    }
  });

  it('accepts consent without a page', () => {
    expect(leadProblems(leadWith((lead) => delete lead.consent.page)).ok).toBe(true);
  });

  it('rejects a consent time without a time zone', () => {
    const [issue] = issuesOf(leadWith((lead) => (lead.consent.at = '2025-01-31T22:15:00')));
    expect(issue?.path).toBe('consent.at');
  });

  it('keeps allow-listed utm tags and drops the rest', () => {
    const result = leadSchema.parse(
      leadWith((lead) => (lead.utm = { source: 'google', gclid: 'abc', fbclid: 'def', medium: 'cpc' })),
    );
    expect(result.utm).toEqual({ source: 'google', medium: 'cpc' });
  });

  it('drops unknown top-level fields instead of storing them', () => {
    const result = leadSchema.parse(leadWith((lead) => Object.assign(lead, { website: 'spam', urgency: 'normal' })));
    expect(result).not.toHaveProperty('website');
    expect(result).not.toHaveProperty('urgency');
  });

  it('rejects more than 40 answers', () => {
    const answers = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`step-${i}`, 'yes']));
    expect(issuesOf(leadWith((lead) => (lead.answers = answers)))).toEqual([
      { path: 'answers', message: 'Send at most 40 answers' },
    ]);
  });

  it('points at the answer that is too long or has too many choices', () => {
    const issues = issuesOf(
      leadWith((lead) => {
        lead.answers.story = 'x'.repeat(501);
        lead.answers.substances = Array.from({ length: 21 }, () => 'other');
      }),
    );
    expect(issues).toHaveLength(2);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'answers.story', message: 'Shorten this answer to 500 characters or fewer' },
        { path: 'answers.substances', message: 'Pick at most 20 choices' },
      ]),
    );
  });

  it('rejects names with angle brackets or control characters', () => {
    for (const name of ['<script>', 'Sam\u0000', '   ']) {
      const [issue] = issuesOf(leadWith((lead) => (lead.contact.name = name)));
      expect(issue?.path).toBe('contact.name');
    }
  });

  it('rejects names staff could not read aloud: invisible, symbols only, or broken text', () => {
    for (const name of ['\u200B', '\u00AD', '!!!', 'Sam\uD800']) {
      const [issue] = issuesOf(leadWith((lead) => (lead.contact.name = name)));
      expect(issue?.path, JSON.stringify(name)).toBe('contact.name');
    }
  });

  it('accepts names in any script, with accents or emoji', () => {
    for (const name of ['José', 'Zoë', '李', 'Ngọc', 'Sam 🌻', "D'Arcy"]) {
      expect(leadProblems(leadWith((lead) => (lead.contact.name = name))).ok, name).toBe(true);
    }
  });

  it('accepts any state code case-insensitively, and no other', () => {
    expect(usStates).toHaveLength(56);
    expect(leadProblems(leadWith((lead) => (lead.contact.state = 'pr'))).ok).toBe(true);
    expect(issuesOf(leadWith((lead) => (lead.contact.state = 'ZZ')))).toEqual([
      { path: 'contact.state', message: 'Choose your US state, like IL or TX' },
    ]);
  });

  it('gives every issue a dotted path and a message a person can act on', () => {
    const issues = issuesOf(
      leadWith((lead) => {
        lead.idempotencyKey = 'short';
        lead.flow.version = 0;
        lead.answers = { 'Not A Slug': 'x', substances: ['alcohol', 3] };
        lead.contact = { name: '', phone: '911', bestTime: 'noon', state: 'XX', adult: 'yes' };
        lead.consent.textVersion = '';
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'idempotencyKey',
      'flow.version',
      'answers.Not A Slug',
      'answers.substances',
      'contact.name',
      'contact.phone',
      'contact.bestTime',
      'contact.voicemailOk',
      'contact.textOk',
      'contact.state',
      'contact.adult',
      'contact.forWhom',
      'consent.textVersion',
    ]);
    for (const issue of issues) {
      expect(issue.message).not.toMatch(/^Invalid/);
      expect(issue.message.length).toBeGreaterThan(15);
    }
  });

  it('reports a body that is not an object at the empty path', () => {
    expect(issuesOf('hello')).toEqual([{ path: '', message: 'Send the lead as a JSON object' }]);
  });
});
