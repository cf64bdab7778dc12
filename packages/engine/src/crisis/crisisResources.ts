export interface CrisisResource {
  readonly id: '988' | '911' | 'poison' | 'samhsa';
  readonly tel: string;
  readonly sms?: string;
  readonly web?: string;
  readonly label: { readonly en: string; readonly es: string };
  /** When to reach for this one, in plain words (about grade 6). */
  readonly when: { readonly en: string; readonly es: string };
}

/**
 * US crisis resources (docs/conversation.md, "Crisis resources"), in the order the crisis screen shows them.
 * Numbers are E.164 in `tel:` so phones dial them from anywhere in the US without guessing a prefix.
 */
export const crisisResources: readonly CrisisResource[] = [
  {
    id: '988',
    tel: 'tel:988',
    sms: 'sms:988',
    web: 'https://988lifeline.org',
    label: { en: '988 Suicide & Crisis Lifeline', es: '988 Línea de Prevención del Suicidio y Crisis' },
    when: {
      en: 'If you are thinking about suicide or are hurting inside, call or text 988. Someone kind will listen, day or night. Veterans, press 1.',
      // The Lifeline answers calls in Spanish after pressing 2, and texts in Spanish after the word AYUDA.
      // "Usted", as everywhere else in the chat: one register, the same meaning as the English.
      es: 'Si piensa en el suicidio o siente mucho dolor por dentro, llame o escriba al 988. Alguien amable le escuchará, de día o de noche. Para español, marque 2 o escriba AYUDA. Si es veterano o veterana, marque 1.',
    },
  },
  {
    id: '911',
    tel: 'tel:911',
    label: { en: 'Call 911', es: 'Llame al 911' },
    when: {
      en: 'If someone is passed out, not breathing, having a seizure, or in danger right now.',
      es: 'Si alguien está inconsciente, no respira, tiene una convulsión o está en peligro ahora mismo.',
    },
  },
  {
    id: 'poison',
    tel: 'tel:+18002221222',
    label: { en: 'Poison Help 1-800-222-1222', es: 'Ayuda por Envenenamiento 1-800-222-1222' },
    when: {
      en: 'If someone may have taken too much but is awake and breathing. Free, any time.',
      es: 'Si alguien pudo haber tomado demasiado, pero está despierto y respira. Es gratis, a cualquier hora.',
    },
  },
  {
    id: 'samhsa',
    tel: 'tel:+18006624357',
    label: {
      en: 'SAMHSA National Helpline 1-800-662-4357',
      es: 'Línea Nacional de Ayuda de SAMHSA 1-800-662-4357',
    },
    when: {
      en: 'Free help to find treatment, any time. This is not a crisis line.',
      es: 'Ayuda gratis para encontrar tratamiento, a cualquier hora. No es una línea de crisis.',
    },
  },
];
