import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultFlow } from '@intake-chat/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/loadConfig.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes files into a fresh temporary folder and returns the folder. */
function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'intake-config-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

const riverbend = {
  id: 'riverbend',
  name: 'Riverbend Recovery',
  phone: '(555) 201-0100',
  timeZone: 'America/Chicago',
  staffedHours: { 'mon-fri': '08:00-20:00', sat: '09:00-13:00' },
  allowedOrigins: ['https://riverbend.example'],
  consent: {
    call: {
      version: '2026-12-riverbend-call-v1',
      text: { en: 'I agree that Riverbend Recovery may call me.', es: 'Acepto que Riverbend Recovery me llame.' },
    },
    callAndText: {
      version: '2026-12-riverbend-text-v1',
      text: {
        en: 'I agree that Riverbend Recovery may call and text me.',
        es: 'Acepto que Riverbend Recovery me llame y me escriba.',
      },
    },
  },
};

/** The ConfigError thrown for a config file holding `config`, with extra files beside it. */
function errorFor(config: unknown, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const file = join(folderWith({ 'intake.json': JSON.stringify(config), ...files }), 'intake.json');
  try {
    loadConfig(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.startsWith(file)).toBe(true);
    return message;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('loads the shipped demo config when given no file', () => {
    const config = loadConfig(undefined, {});
    expect(config.source).toMatch(/packages[\\/]server[\\/]config[\\/]demo\.json$/);
    const center = config.centers.get('riverbend');
    expect(center).toMatchObject({
      name: 'Riverbend Recovery',
      phone: '(555) 201-0100',
      phoneE164: '+15552010100',
      timeZone: 'America/Chicago',
      staffedHours: '24/7',
      locales: ['en', 'es'],
      webhooks: [],
      alertEmails: ['admissions@riverbend.example'],
      callbackTargets: { emergency: 5, urgent: 15, high: 15, normal: 15 },
      retentionDays: 90,
    });
    expect(center?.flow.id).toBe(defaultFlow.id);
  });

  it("words the demo's two consent texts as docs/conversation.md asks, in English and Spanish, each with its version", () => {
    const consent = loadConfig(undefined, {}).centers.get('riverbend')?.consent;
    const call = consent?.call.text;
    const callAndText = consent?.callAndText.text;
    // Calls only: no promise of texts, no text-message terms.
    expect(call?.en).toMatch(/Riverbend Recovery may call me.*automated calls/s);
    expect(call?.en).toMatch(/not a condition of treatment or purchase/);
    expect(call?.en).toMatch(/We will not text you/);
    expect(call?.en).toMatch(/ask us to stop calling/);
    expect(call?.en).not.toMatch(/text me|STOP|data rates/);
    expect(call?.es).toMatch(/Riverbend Recovery me llame.*automatizadas/s);
    expect(call?.es).toMatch(/no es una condición para recibir tratamiento/);
    expect(call?.es).toMatch(/dejemos de llamarle/);
    expect(call?.es).not.toMatch(/STOP|tarifas/);
    // Calls and texts.
    expect(callAndText?.en).toMatch(/Riverbend Recovery may call me and text me.*automated/s);
    expect(callAndText?.en).toMatch(/not a condition of treatment or purchase/);
    expect(callAndText?.en).toMatch(/Reply STOP/);
    expect(callAndText?.en).toMatch(/Msg & data rates may apply/);
    expect(callAndText?.es).toMatch(/Riverbend Recovery.*llame.*mensajes de texto.*automatizad/s);
    expect(callAndText?.es).toMatch(/no es una condición para recibir tratamiento/);
    expect(callAndText?.es).toMatch(/STOP/);
    expect(consent?.call.version).not.toBe(consent?.callAndText.version);
  });

  it('reads JSON and YAML alike, filling in the defaults', () => {
    const yaml = [
      'centers:',
      '  - id: riverbend',
      '    name: Riverbend Recovery',
      '    phone: "(555) 201-0100"',
      '    timeZone: America/Chicago',
      '    staffedHours:',
      '      mon-fri: 08:00-20:00',
      '      sat: 09:00-13:00',
      '    allowedOrigins: [https://riverbend.example]',
      '    consent:',
      '      call:',
      '        version: 2026-12-riverbend-call-v1',
      '        text:',
      '          en: I agree that Riverbend Recovery may call me.',
      '          es: Acepto que Riverbend Recovery me llame.',
      '      callAndText:',
      '        version: 2026-12-riverbend-text-v1',
      '        text:',
      '          en: I agree that Riverbend Recovery may call and text me.',
      '          es: Acepto que Riverbend Recovery me llame y me escriba.',
    ].join('\n');
    const folder = folderWith({ 'intake.json': JSON.stringify({ centers: [riverbend] }), 'intake.yaml': yaml });
    const fromJson = loadConfig(join(folder, 'intake.json'), {}).centers.get('riverbend');
    const fromYaml = loadConfig(join(folder, 'intake.yaml'), {}).centers.get('riverbend');
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson).toMatchObject({
      staffedHours: { 'mon-fri': '08:00-20:00', sat: '09:00-13:00' },
      locales: ['en', 'es'],
      callbackTargets: { emergency: 5, urgent: 15, high: 15, normal: 15 },
      retentionDays: 90,
      alertEmails: [],
      webhooks: [],
    });
  });

  it("reads a center's flow file from beside the config file, not the working folder", () => {
    const flow = { ...defaultFlow, id: 'riverbend-intake' };
    const folder = folderWith({
      'intake.json': JSON.stringify({ centers: [{ ...riverbend, flow: 'flows/riverbend.json' }] }),
      'flows/riverbend.json': JSON.stringify(flow),
    });
    expect(loadConfig(join(folder, 'intake.json'), {}).centers.get('riverbend')?.flow.id).toBe('riverbend-intake');
  });

  it('resolves webhook secrets from the environment', () => {
    const folder = folderWith({
      'intake.json': JSON.stringify({
        centers: [{ ...riverbend, webhooks: [{ url: 'https://crm.example/hooks', secretEnv: 'RIVERBEND_HOOK' }] }],
      }),
    });
    const center = loadConfig(join(folder, 'intake.json'), {
      RIVERBEND_HOOK: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }).centers.get('riverbend');
    expect(center?.webhooks).toEqual([
      { url: 'https://crm.example/hooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    ]);
  });

  it('reads one callback target for every urgency, or one per urgency with the defaults for the rest', () => {
    const targetsOf = (callbackTargetMinutes: unknown) => {
      const folder = folderWith({
        'intake.json': JSON.stringify({ centers: [{ ...riverbend, callbackTargetMinutes }] }),
      });
      return loadConfig(join(folder, 'intake.json'), {}).centers.get('riverbend')?.callbackTargets;
    };
    expect(targetsOf(30)).toEqual({ emergency: 30, urgent: 30, high: 30, normal: 30 });
    expect(targetsOf({ emergency: 5, urgent: 15, high: 30, normal: 60 })).toEqual({
      emergency: 5,
      urgent: 15,
      high: 30,
      normal: 60,
    });
    expect(targetsOf({ normal: 60 })).toEqual({ emergency: 5, urgent: 15, high: 15, normal: 60 });
    expect(targetsOf({ emergency: 2 })).toEqual({ emergency: 2, urgent: 15, high: 15, normal: 15 });
  });

  it('counts conversion insight by default and keeps it 400 days, unless the center says otherwise', () => {
    const insightOf = (insight?: unknown) => {
      const folder = folderWith({
        'intake.json': JSON.stringify({ centers: [{ ...riverbend, ...(insight === undefined ? {} : { insight }) }] }),
      });
      return loadConfig(join(folder, 'intake.json'), {}).centers.get('riverbend')?.insight;
    };
    expect(insightOf()).toEqual({ enabled: true, retentionDays: 400 });
    expect(insightOf({ enabled: false })).toEqual({ enabled: false, retentionDays: 400 });
    expect(insightOf({ retentionDays: 30 })).toEqual({ enabled: true, retentionDays: 30 });
    expect(errorFor({ centers: [{ ...riverbend, insight: { enabled: 'no' } }] })).toContain(
      '- centers[0].insight.enabled: insight.enabled must be true or false',
    );
    expect(errorFor({ centers: [{ ...riverbend, insight: { retentionDays: 0 } }] })).toContain(
      '- centers[0].insight.retentionDays: insight.retentionDays must be at least 1',
    );
    expect(errorFor({ centers: [{ ...riverbend, insight: false }] })).toContain(
      '- centers[0].insight: insight must be { "enabled": true, "retentionDays": 400 }',
    );
  });

  describe('explains what to fix', () => {
    it('in a misspelt time zone', () => {
      expect(errorFor({ centers: [{ ...riverbend, timeZone: 'America/Chicgo' }] })).toContain(
        '- centers[0].timeZone: "America/Chicgo" is not a time zone; use an IANA name such as "America/Chicago"',
      );
    });

    it('in an origin with a path', () => {
      expect(
        errorFor({ centers: [{ ...riverbend, allowedOrigins: ['https://riverbend.example/contact'] }] }),
      ).toContain(
        '- centers[0].allowedOrigins[0]: "https://riverbend.example/contact" is not an origin; use "https://riverbend.example"',
      );
    });

    it('in two centers with the same id', () => {
      expect(errorFor({ centers: [riverbend, { ...riverbend, name: 'Riverbend North' }] })).toContain(
        '- centers[1].id: "riverbend" is already the id of centers[0]; give each center its own id',
      );
    });

    it('in staffed hours it cannot read', () => {
      const message = errorFor({
        centers: [{ ...riverbend, staffedHours: { 'mon-fri': '8am-8pm', weekend: '09:00-13:00' } }],
      });
      expect(message).toContain(
        '- centers[0].staffedHours.mon-fri: "8am-8pm" is not a time range; write opening and closing times as "HH:MM-HH:MM"',
      );
      expect(message).toContain(
        '- centers[0].staffedHours.weekend: "weekend" is not a day or a range of days; use mon, tue',
      );
      expect(errorFor({ centers: [{ ...riverbend, staffedHours: 'always' }] })).toContain(
        '- centers[0].staffedHours: staffedHours must be "24/7" or hours by day',
      );
    });

    it('in a webhook secret missing from the environment, without needing other fixes first', () => {
      const message = errorFor({
        centers: [
          {
            ...riverbend,
            timeZone: 'Central',
            webhooks: [{ url: 'https://crm.example/hooks', secretEnv: 'RIVERBEND_HOOK' }],
          },
        ],
      });
      expect(message).toContain('has 2 problems');
      expect(message).toContain('- centers[0].timeZone: "Central" is not a time zone');
      expect(message).toContain(
        '- centers[0].webhooks[0].secretEnv: the environment variable RIVERBEND_HOOK is not set; set it to this webhook\'s signing secret ("whsec_...")',
      );
    });

    it('in a webhook secret of the wrong form, without printing it', () => {
      const config = {
        centers: [{ ...riverbend, webhooks: [{ url: 'https://crm.example/hooks', secretEnv: 'HOOK' }] }],
      };
      const message = errorFor(config, { HOOK: 'hunter2' });
      expect(message).toContain('the environment variable HOOK does not hold a webhook secret');
      expect(message).not.toContain('hunter2');
    });

    it('in a webhook over plain http to another machine', () => {
      const config = {
        centers: [{ ...riverbend, webhooks: [{ url: 'http://crm.example/hooks', secretEnv: 'HOOK' }] }],
      };
      expect(errorFor(config, { HOOK: 'whsec_c2VjcmV0' })).toContain(
        '- centers[0].webhooks[0].url: "http://crm.example/hooks" must use https',
      );
    });

    it("in a broken flow file, listing the flow's own problems under its path", () => {
      const flow = {
        ...defaultFlow,
        steps: defaultFlow.steps.map((step, i) => (i === 0 ? { ...step, kind: 'choise' } : step)),
      };
      const config = { centers: [{ ...riverbend, flow: 'custom-flow.json' }] };
      const message = errorFor(config, {}, { 'custom-flow.json': JSON.stringify(flow) });
      expect(message).toMatch(/\n- \S*custom-flow\.json: steps\[0\]\.kind: kind must be "choice", "multi" or "text"/);
    });

    it('in a flow file that is not there, saying paths are relative to the config', () => {
      expect(errorFor({ centers: [{ ...riverbend, flow: 'flows/missing.json' }] })).toMatch(
        /- centers\[0\]\.flow: \S*flows[\\/]missing\.json: the file does not exist; check the path \(flow paths are relative to the config file\)/,
      );
    });

    it('in locales the flow has no copy for', () => {
      // The default flow without its Spanish copy.
      const englishOnly = JSON.stringify({ ...defaultFlow, locales: ['en'] }, (key, value) =>
        key === 'es' ? undefined : value,
      );
      const config = { centers: [{ ...riverbend, flow: 'flow.json' }] };
      const message = errorFor(config, {}, { 'flow.json': englishOnly });
      expect(message).toContain(
        '- centers[0].locales: defaults to ["en", "es"], but the flow has no "es" copy; set "locales" to the flow\'s (en)',
      );
    });

    it('in a phone number that is not a US number', () => {
      expect(errorFor({ centers: [{ ...riverbend, phone: '+44 20 7946 0958' }] })).toContain(
        '- centers[0].phone: "+44 20 7946 0958" is not a US phone number; write the 10-digit number with its area code',
      );
    });

    it('in a misspelt or missing setting', () => {
      const { timeZone, ...rest } = riverbend;
      const message = errorFor({ centers: [{ ...rest, timezone: timeZone }] });
      expect(message).toContain('- centers[0].timeZone: missing; add it (the time zone must be an IANA name');
      expect(message).toContain('- centers[0]: unknown key "timezone"; did you mean "timeZone"?');
      expect(errorFor({ centers: [] })).toContain('- centers: list at least one center');
    });

    it('in a callback target by an urgency that does not exist, naming the four', () => {
      const message = errorFor({ centers: [{ ...riverbend, callbackTargetMinutes: { emergncy: 5, normal: 15 } }] });
      expect(message).toContain(
        '- centers[0].callbackTargetMinutes.emergncy: "emergncy" is not an urgency; use emergency, urgent, high or normal',
      );
    });

    it('in callback targets that are not whole minutes from 1 to 1440', () => {
      const message = errorFor({
        centers: [{ ...riverbend, callbackTargetMinutes: { emergency: 0, urgent: 7.5, high: '15', normal: 2000 } }],
      });
      expect(message).toContain('has 4 problems');
      expect(message).toContain(
        '- centers[0].callbackTargetMinutes.emergency: the emergency target must be at least 1',
      );
      expect(message).toContain(
        '- centers[0].callbackTargetMinutes.urgent: the urgent target must be a whole number of minutes',
      );
      expect(message).toContain(
        '- centers[0].callbackTargetMinutes.high: the high target must be a whole number of minutes',
      );
      expect(message).toContain(
        '- centers[0].callbackTargetMinutes.normal: the normal target must be at most 1440 (one day)',
      );
      expect(errorFor({ centers: [{ ...riverbend, callbackTargetMinutes: 0 }] })).toContain(
        '- centers[0].callbackTargetMinutes: callbackTargetMinutes must be at least 1',
      );
      expect(errorFor({ centers: [{ ...riverbend, callbackTargetMinutes: 'soon' }] })).toContain(
        '- centers[0].callbackTargetMinutes: callbackTargetMinutes must be a whole number of minutes for every urgency, such as 15, or minutes by urgency, such as { "emergency": 5, "urgent": 15, "high": 30, "normal": 60 }',
      );
    });

    it('in the single consent text of 0.1, saying what changed and how to write the two texts', () => {
      const old = {
        version: '2026-11-riverbend-v1',
        text: { en: 'I agree that Riverbend Recovery may call and text me.', es: 'Acepto.' },
      };
      const message = errorFor({ centers: [{ ...riverbend, consent: old }] });
      expect(message).toContain('has 1 problem:');
      expect(message).toContain(
        '- centers[0].consent: the single consent { "version", "text" } is no longer read: a visitor who did not allow texts must not agree to "may text me".',
      );
      expect(message).toContain('"call" (calls only) and "callAndText" (calls and texts)');
      expect(message).toContain(
        '{ "call": { "version": "2026-12-call-v1", "text": { "en": "...", "es": "..." } }, "callAndText": { "version": "2026-12-text-v1", "text": { "en": "...", "es": "..." } } }',
      );
      expect(message).toContain('CHANGELOG.md');
    });

    it('in two consent texts with one version, or one text missing', () => {
      const { call, callAndText } = riverbend.consent;
      const same = { call, callAndText: { ...callAndText, version: call.version } };
      expect(errorFor({ centers: [{ ...riverbend, consent: same }] })).toContain(
        '- centers[0].consent.callAndText.version: "2026-12-riverbend-call-v1" is also the version of the call-only text; give each text its own version',
      );
      const message = errorFor({ centers: [{ ...riverbend, consent: { call } }] });
      expect(message).toContain('- centers[0].consent.callAndText: missing; add it (the call-and-text consent must be');
      const { consent, ...withoutConsent } = riverbend;
      expect(consent).toBeDefined();
      expect(errorFor({ centers: [withoutConsent] })).toContain(
        '- centers[0].consent: missing; add it (consent must be two texts, one for calls only and one for calls and texts',
      );
      const noSpanish = { call: { ...call, text: { en: call.text.en } }, callAndText };
      expect(errorFor({ centers: [{ ...riverbend, consent: noSpanish }] })).toContain(
        '- centers[0].consent.call.text.es: missing; add it (the Spanish call-only consent text must be text)',
      );
    });

    it('in invalid JSON, with the line and column', () => {
      const folder = folderWith({
        'intake.json': '{\n  "centers": [\n    { "id": "riverbend" "name": "Riverbend" }\n  ]\n}\n',
      });
      expect(() => loadConfig(join(folder, 'intake.json'), {})).toThrow(
        /- not valid JSON: .*line 3, column 25.*; fix the syntax there/,
      );
    });

    it('in invalid YAML, with the line and column', () => {
      const folder = folderWith({ 'intake.yaml': 'centers:\n  - id: riverbend\n    name: [Riverbend\n' });
      expect(() => loadConfig(join(folder, 'intake.yaml'), {})).toThrow(/- not valid YAML: .*at line \d+, column \d+/);
    });

    it('in a config file that does not exist', () => {
      const file = join(folderWith({}), 'nowhere.json');
      expect(() => loadConfig(file, {})).toThrow(`${file} has 1 problem:\n- the file does not exist; check the path`);
    });
  });
});
