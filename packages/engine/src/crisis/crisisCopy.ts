import type { LocalizedText, Route } from '../flow/flowSchema.js';

/**
 * The crisis route's copy and the reason for crisis words, in English and Spanish: used by the
 * default flow, and by triage for a center's flow that lacks them. A small module of its own, so
 * the frame does not carry the whole default flow to have it.
 */
export const crisisRouteCopy: Route = {
  urgency: 'emergency',
  title: { en: 'Please get help right now', es: 'Por favor, busque ayuda ahora' },
  message: {
    en: 'You deserve support right now. Call or text 988 any time. If someone is not breathing, will not wake up, or has a seizure, call 911.',
    es: 'Usted merece apoyo ahora mismo. Llame o envíe un mensaje al 988 a cualquier hora. Si alguien no respira, no despierta o tiene una convulsión, llame al 911.',
  },
};

export const crisisWordsCopy: LocalizedText = {
  en: 'Something you wrote sounded like someone may be in danger.',
  es: 'Algo que escribió sonaba a que alguien podría estar en peligro.',
};
