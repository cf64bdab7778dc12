import { detectCrisis } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';

const englishCrises = [
  'I want to die',
  'I really just want to die',
  'i just want to dieeee',
  'I wish I could die',
  "I'm going to kill myself",
  'im going to kill myself',
  'I am gonna kill my self tonight',
  'gonna kms',
  "I don't want to live anymore",
  'i dont wanna be alive',
  'thinking about ending it all',
  'I want to end my life',
  "I'm suicidal",
  'I keep having suicidal thoughts',
  'thinking about suicde',
  'feeling sucidal',
  'I wish I was dead',
  'Everyone would be better off without me',
  'I have no reason to live',
  "I'd rather be dead",
  "I can't go on",
  "I'm going to hurt myself",
  'cutting myself',
  "I've been cutting myself again",
  'self-harm',
  'he took too many pills',
  'she took to many pills',
  'he took a bunch of pills',
  'she took all her xanax',
  'he swallowed a whole bottle of tylenol',
  "my son OD'd",
  'he is ODing',
  'my friend might OD',
  "she's overdosing",
  "I think I'm overdosing",
  'overdoseing',
  'he overdosed on fentanyl',
  "she won't wake up",
  'she wont wake up',
  "I can't wake him up",
  "he's unresponsive",
  'he is unconcious',
  "he's not breathing",
  'he isnt breathing',
  'she stopped breathing',
  "she's barely breathing",
  'his lips are turning blue',
  'having a seizure',
  "she's having a seizure",
  'he is seizing',
  "he's convulsing",
  "I think he's dying",
  'call 911',
  'he has a gun and he is threatening me',
  "I'm in danger",
];

const spanishCrises = [
  'quiero morir',
  'Quiero morirme',
  'me quiero morir',
  'quiéro morír',
  'QUIERO MORIR!!!',
  'quiero moriiiir',
  'kiero morir',
  'tengo ganas de morirme',
  'me quiero matar',
  'me voy a matar',
  'quiero matarme',
  'voy a suicidarme',
  'me voy a suicidar',
  'estoy pensando en suicidarme',
  'pienso en el suisidio',
  'quiero suisidarme',
  'tengo pensamientos suicidas',
  'no quiero vivir',
  'ya no quiero vivir',
  'no quiero seguir viviendo',
  'no tengo razón para vivir',
  'ojalá estuviera muerto',
  'quiero quitarme la vida',
  'quiero acabar con mi vida',
  'todos estarían mejor sin mí',
  'me voy a tirar de un puente',
  'me quiero ahorcar',
  'voy a hacerme daño',
  'me estoy cortando',
  'tomó demasiadas pastillas',
  'se tomó todas las pastillas',
  'se tomó un frasco de pastillas',
  'sobredosis',
  'creo que es una sobredosis',
  'no despierta',
  'mi hijo no se despierta',
  'no lo puedo despertar',
  'no reacciona',
  'está inconsciente',
  'no respira',
  'no está respirando',
  'dejó de respirar',
  'tiene los labios morados',
  'está convulsionando',
  'le está dando una convulsión',
  'se está muriendo',
  'me estoy muriendo',
  'llamen al 911',
  'es una emergencia',
  'estoy en peligro',
];

const englishIntake = [
  'I work nights',
  'My insurance is Aetna',
  'I have Blue Cross Blue Shield',
  'I drink a few beers on weekends',
  'I want to stop drinking',
  "I'm dying to get help",
  'My dad died last year',
  'I take pills for my blood pressure',
  'We need evening sessions',
  'pills',
  'I wake up early for work',
  "I can't wake up in the morning without a drink",
  'Do you take Medicaid?',
  'How much does the program cost?',
  "I'm worried about my son's drinking",
  'My wife says I drink too much',
  'I smoke weed every day',
  "I've been cutting back on drinking",
  'I want to cut down',
  'I use meth a couple times a week',
  'Can I keep my job while in treatment?',
  "I'm a single mom with two kids",
  'I can only come after 6pm',
  'Is there a virtual option?',
  'I finished detox last week',
  'I was in residential treatment in 2022',
  'My brother is addicted to opioids',
  'I work odd jobs',
  'My boss would kill me if I missed work',
  "I can't take too much time off work",
  'I need help with my drinking',
  'Do you accept TRICARE?',
  "I'm not sure what my insurance covers",
  "I'm on Suboxone",
  'I take Xanax as prescribed',
  'I live with my parents and it is a safe home',
  'My sponsor is really supportive',
  'Can my husband come to family sessions?',
  'What time do groups start?',
  "I'd like a call back tomorrow morning",
  'Texts are fine',
  "I'm 34 and I live in Ohio",
  "I've tried AA before",
  'I get the shakes when I stop drinking',
  'Can you die from alcohol withdrawal?',
  "I'm not moving out of state",
  "I'm ashamed of myself",
  'I succeeded in quitting for a year once',
  'I drink until I pass out sometimes',
];

const spanishIntake = [
  'trabajo de noche',
  'tengo seguro médico',
  'quiero dejar de beber',
  'mi hijo usa marihuana',
  'tomo demasiado los fines de semana',
  'bebo todos los días',
  'me tomo unas cervezas los viernes',
  'tomo pastillas para la presión',
  'necesito ayuda para dejar de beber',
  '¿aceptan Medicaid?',
  '¿cuánto cuesta el programa?',
  'no tengo seguro',
  'mi esposo bebe mucho',
  'puedo ir después de las 6',
  'prefiero sesiones por la tarde',
  '¿tienen sesiones en línea?',
  'vivo con mis padres',
  'tengo dos hijos pequeños',
  'trabajo de lunes a viernes',
  'me despierto temprano para trabajar',
  '¿qué sucede después de llamar?',
  'eso sucedió hace dos años',
  'mi papá murió el año pasado',
  'mi esposa me va a matar si se entera',
  'me muero de ganas de empezar',
  'terminé la desintoxicación la semana pasada',
  'estuve en un centro residencial',
  'mi hermano usa fentanilo',
  'fumo marihuana todos los días',
  'uso cocaína los fines de semana',
  '¿es confidencial?',
  '¿hacen pruebas de drogas?',
  'mi seguro es Blue Cross',
  'tengo Medicare',
  'soy de Texas',
  'pueden llamarme mañana',
  'los mensajes de texto están bien',
  'tengo ansiedad',
  'me tiemblan las manos cuando dejo de beber',
  'quiero saber si se puede morir por dejar el alcohol',
  'hace dos meses que no bebo',
  'no quiero seguir bebiendo',
  'quiero vivir una vida sana',
  'no puedo ir los martes',
  'llevo sobre dos semanas sin beber',
  'me lastimé la espalda en el trabajo',
  'mi hija toma muchas pastillas para dormir',
  'me corto el pelo los sábados',
];

describe('detectCrisis', () => {
  it.each(englishCrises)('opens the crisis screen for "%s"', (text) => {
    expect(detectCrisis(text, 'en')).not.toBeNull();
  });

  it.each(spanishCrises)('opens the crisis screen for "%s"', (text) => {
    expect(detectCrisis(text, 'es')).not.toBeNull();
  });

  it.each(englishIntake)('lets the intake go on after "%s"', (text) => {
    expect(detectCrisis(text, 'en')).toBeNull();
  });

  it.each(spanishIntake)('lets the intake go on after "%s"', (text) => {
    expect(detectCrisis(text, 'es')).toBeNull();
  });

  it.each([
    ['I want to die', 'suicide'],
    ["I'm going to hurt myself", 'self-harm'],
    ['he took too many pills', 'overdose'],
    ["she won't wake up", 'unresponsive'],
    ['having a seizure', 'seizure'],
    ["he's not breathing", 'not-breathing'],
    ['quiero morir', 'suicide'],
    ['tomó demasiadas pastillas', 'overdose'],
    ['no despierta', 'unresponsive'],
    ['está convulsionando', 'seizure'],
    ['no respira', 'not-breathing'],
    ['se está muriendo', 'danger'],
  ] as const)('reports "%s" as %s', (text, kind) => {
    expect(detectCrisis(text)?.kind).toBe(kind);
  });

  it('reports the most urgent kind when a message holds several', () => {
    expect(detectCrisis('he took too many pills and now he is not breathing')?.kind).toBe('not-breathing');
  });

  it('ignores case, accents, punctuation and stretched letters', () => {
    for (const text of [
      'I WANT TO DIE',
      'I want... to... die!!!',
      'i want to dieeeeee',
      'QUIÉRO MORÍR',
      '¿¿quiero... morir??',
    ]) {
      expect(detectCrisis(text), text).not.toBeNull();
    }
  });

  it('accepts missing or curly apostrophes', () => {
    for (const text of ['she wont wake up', 'she won’t wake up', 'im going to kill myself', 'he isnt breathing']) {
      expect(detectCrisis(text), text).not.toBeNull();
    }
  });

  it('accepts accents typed as separate combining marks', () => {
    expect(detectCrisis('no esta\u0301 respirando')?.phrase).toBe('no esta\u0301 respirando');
  });

  it('quotes the words the visitor typed', () => {
    expect(detectCrisis('Hi. Honestly I REALLY just want to die... please help')?.phrase).toBe('want to die');
    expect(detectCrisis("My son OD'd last night")?.phrase).toBe("OD'd");
    expect(detectCrisis("  she won't wake up!!  ")?.phrase).toBe("won't wake up");
    expect(detectCrisis('Creo que mi hermano NO ESTÁ RESPIRANDO')?.phrase).toBe('NO ESTÁ RESPIRANDO');
  });

  it('checks both languages whatever the locale', () => {
    expect(detectCrisis('quiero morir', 'en')).toMatchObject({ kind: 'suicide', locale: 'es' });
    expect(detectCrisis("he's not breathing", 'es')).toMatchObject({ kind: 'not-breathing', locale: 'en' });
    expect(detectCrisis('no respira', 'es-MX')).toMatchObject({ locale: 'es' });
    expect(detectCrisis('I want to die')).toMatchObject({ locale: 'en' });
  });

  it('treats a negation as a crisis, because a false alarm costs one tap', () => {
    expect(detectCrisis("I'm not suicidal")?.kind).toBe('suicide');
  });

  it('finds nothing in empty or symbol-only text', () => {
    expect(detectCrisis('')).toBeNull();
    expect(detectCrisis('   ?!… 🙂')).toBeNull();
  });

  it('returns for long adversarial text without backtracking', () => {
    expect(detectCrisis('a '.repeat(1000))).toBeNull();
    expect(detectCrisis('want to '.repeat(250))).toBeNull();
    expect(detectCrisis('no quiero '.repeat(200))).toBeNull();
    expect(detectCrisis('e'.repeat(2000))).toBeNull();
    expect(detectCrisis(`${'want to '.repeat(250)}die`)?.kind).toBe('suicide');
  });
});
