import { crisisRouteCopy, crisisWordsCopy } from './crisis/crisisCopy.js';
import type { Condition, Flow, LocalizedText } from './flow/flowSchema.js';

/**
 * The intensive outpatient (IOP) intake of docs/conversation.md. Step ids, option values and route ids are a
 * contract (docs/architecture.md): tests, webhooks and the console refer to them. The copy is free to change,
 * but keep it plain (about grade 6), warm, and free of any promise of diagnosis or coverage.
 */

const forLovedOne: Condition = { answer: 'for-whom', equals: 'loved-one' };
const inDanger: Condition = { answer: 'safety-now', equals: 'yes' };

const t = (en: string, es: string): LocalizedText => ({ en, es });

/** A choice option. `value` is the contract; the labels are copy. */
const option = (value: string, en: string, es: string) => ({ value, label: t(en, es) });

export const defaultFlow: Flow = {
  id: 'iop-intake',
  // 2: the optional last question `anything-else`, and reasons that repeat what the visitor chose.
  version: 2,
  locales: ['en', 'es'],
  messages: {
    greeting: t(
      "Hi. We're glad you reached out. A few short questions will help us see if our outpatient program may fit, and what to talk about. It takes about 2 minutes. You can skip any question.",
      'Hola. Nos alegra que nos escriba. Unas pocas preguntas cortas nos ayudan a ver si nuestro programa ambulatorio puede ser una opción y de qué hablar. Toma unos 2 minutos. Puede saltar cualquier pregunta.',
    ),
    disclaimer: t(
      'This is not a diagnosis or medical advice. A clinician will talk it through with you.',
      'Esto no es un diagnóstico ni un consejo médico. Un profesional clínico lo hablará con usted.',
    ),
  },
  crisis: { any: [{ answer: 'safety-now', equals: 'yes' }, { signal: 'crisis-language' }] },
  steps: [
    {
      id: 'for-whom',
      topic: 'intro',
      kind: 'choice',
      prompt: t('Who are you asking for?', '¿Para quién pregunta?'),
      options: [
        option('self', 'For myself', 'Para mí'),
        option('loved-one', 'For someone I care about', 'Para un ser querido'),
      ],
    },
    {
      id: 'safety-now',
      topic: 'safety',
      kind: 'choice',
      prompt: t(
        'Are you in danger right now: thinking about suicide, or maybe overdosing?',
        '¿Está en peligro ahora mismo: pensando en el suicidio, o quizás con una sobredosis?',
      ),
      variants: [
        {
          when: forLovedOne,
          prompt: t(
            'Are you or the person you are asking for in danger right now: thinking about suicide, or maybe overdosing?',
            '¿Usted o la persona por quien pregunta está en peligro ahora mismo: pensando en el suicidio, o quizás con una sobredosis?',
          ),
        },
      ],
      options: [option('yes', 'Yes', 'Sí'), option('no', 'No', 'No')],
    },
    {
      id: 'substances',
      topic: 'severity',
      kind: 'multi',
      optional: true,
      prompt: t('What do you use? Choose all that apply.', '¿Qué consume? Elija todo lo que aplique.'),
      variants: [
        {
          when: forLovedOne,
          prompt: t('What do they use? Choose all that apply.', '¿Qué consume esa persona? Elija todo lo que aplique.'),
        },
      ],
      options: [
        option('alcohol', 'Alcohol', 'Alcohol'),
        option(
          'opioids',
          'Opioids (like fentanyl, heroin, pain pills)',
          'Opioides (como fentanilo, heroína, pastillas para el dolor)',
        ),
        option(
          'benzodiazepines',
          'Sedatives (like Xanax, Valium, Klonopin)',
          'Sedantes (como Xanax, Valium, Klonopin)',
        ),
        option(
          'stimulants',
          'Stimulants (like meth, cocaine, Adderall)',
          'Estimulantes (como metanfetamina, cocaína, Adderall)',
        ),
        option('cannabis', 'Cannabis', 'Cannabis o marihuana'),
        option('other', 'Something else', 'Otra cosa'),
      ],
    },
    {
      id: 'use-frequency',
      topic: 'severity',
      kind: 'choice',
      optional: true,
      prompt: t('How often do you use or drink?', '¿Con qué frecuencia consume o bebe?'),
      variants: [
        {
          when: forLovedOne,
          prompt: t('How often do they use or drink?', '¿Con qué frecuencia consume o bebe esa persona?'),
        },
      ],
      options: [
        option('daily', 'Every day or almost', 'Todos los días o casi'),
        option('weekly', 'A few times a week', 'Unas veces por semana'),
        option('less-often', 'Less often', 'Con menos frecuencia'),
      ],
    },
    {
      id: 'withdrawal-signs',
      topic: 'severity',
      kind: 'choice',
      optional: true,
      prompt: t(
        'When you cut down or stop, do you get shakes, sweats, or see or hear things? Or have you ever had a seizure from stopping?',
        'Cuando reduce o deja de consumir, ¿tiene temblores, sudores, o ve u oye cosas? ¿O alguna vez tuvo una convulsión al dejarlo?',
      ),
      variants: [
        {
          when: forLovedOne,
          prompt: t(
            'When they cut down or stop, do they get shakes, sweats, or see or hear things? Or have they ever had a seizure from stopping?',
            'Cuando esa persona reduce o deja de consumir, ¿tiene temblores, sudores, o ve u oye cosas? ¿O alguna vez tuvo una convulsión al dejarlo?',
          ),
        },
      ],
      options: [
        option('yes', 'Yes', 'Sí'),
        option('no', 'No', 'No'),
        option('not-sure', 'Not sure', 'No estoy seguro/a'),
      ],
    },
    {
      id: 'mental-health',
      topic: 'severity',
      kind: 'choice',
      optional: true,
      prompt: t(
        'How are you doing with mood, anxiety or other mental health right now?',
        '¿Cómo está su estado de ánimo, su ansiedad o su salud mental ahora?',
      ),
      variants: [
        {
          when: forLovedOne,
          prompt: t(
            'How are they doing with mood, anxiety or other mental health right now?',
            '¿Cómo está el estado de ánimo, la ansiedad o la salud mental de esa persona ahora?',
          ),
        },
      ],
      options: [
        option('none', 'Doing okay', 'Bien'),
        option('some', 'Some struggles', 'Con algunas dificultades'),
        option('severe', 'Very hard, or a recent hospital stay', 'Muy mal, o estuvo hace poco en el hospital'),
      ],
    },
    {
      id: 'recent-treatment',
      topic: 'severity',
      kind: 'choice',
      optional: true,
      prompt: t(
        'Any treatment for substance use in the past few months?',
        '¿Algún tratamiento por consumo de sustancias en los últimos meses?',
      ),
      options: [
        option('none', 'No', 'No'),
        option('detox', 'Just finished detox', 'Acaba de terminar una desintoxicación'),
        option('residential', 'Just finished a residential program', 'Acaba de terminar un programa residencial'),
        option('outpatient-before', 'Tried outpatient before', 'Probó un programa ambulatorio antes'),
      ],
    },
    {
      id: 'home-safe',
      topic: 'support',
      kind: 'choice',
      optional: true,
      prompt: t(
        'Is home a safe place, free of drugs and alcohol?',
        '¿El hogar es un lugar seguro y libre de drogas y alcohol?',
      ),
      options: [
        option('yes', 'Yes', 'Sí'),
        option('no', 'No', 'No'),
        option('unsure', 'Not sure', 'No estoy seguro/a'),
      ],
    },
    {
      id: 'support',
      topic: 'support',
      kind: 'choice',
      optional: true,
      prompt: t(
        'Do you have people who back your recovery, like family, friends or a sponsor?',
        '¿Tiene personas que apoyen su recuperación, como familia, amistades o un padrino?',
      ),
      variants: [
        {
          when: forLovedOne,
          prompt: t(
            'Do they have people who back their recovery, like family, friends or a sponsor?',
            '¿Esa persona tiene quien apoye su recuperación, como familia, amistades o un padrino?',
          ),
        },
      ],
      options: [
        option('yes', 'Yes', 'Sí'),
        option('some', 'A little', 'Un poco'),
        option('no', 'Not really', 'No mucho'),
      ],
    },
    {
      id: 'duties',
      topic: 'flexibility',
      kind: 'multi',
      optional: true,
      prompt: t('What do you need to fit treatment around?', '¿Con qué tiene que combinar el tratamiento?'),
      variants: [
        {
          when: forLovedOne,
          prompt: t(
            'What do they need to fit treatment around?',
            '¿Con qué tiene que combinar el tratamiento esa persona?',
          ),
        },
      ],
      options: [
        option('work', 'Work', 'Trabajo'),
        option('school', 'School', 'Estudios'),
        option('caregiving', 'Caring for family', 'Cuidar a la familia'),
        { ...option('none', 'None of these', 'Nada de esto'), exclusive: true },
      ],
    },
    {
      id: 'hours-possible',
      topic: 'flexibility',
      kind: 'choice',
      optional: true,
      prompt: t(
        'Our program takes about 9 hours a week, like 3 evenings of 3 hours, in person or online. Could that work?',
        'Nuestro programa toma unas 9 horas por semana, por ejemplo 3 tardes de 3 horas, en persona o en línea. ¿Podría funcionar?',
      ),
      options: [option('yes', 'Yes', 'Sí'), option('maybe', 'Maybe', 'Tal vez'), option('no', 'No', 'No')],
      // A schedule preference means little to someone who cannot attend; go straight to cost.
      next: [{ when: { answer: 'hours-possible', equals: 'no' }, goto: 'coverage' }],
    },
    {
      id: 'schedule-pref',
      topic: 'flexibility',
      kind: 'choice',
      optional: true,
      prompt: t('What time works best?', '¿Qué horario le queda mejor?'),
      options: [
        option('daytime', 'Daytime', 'De día'),
        option('evening', 'Evenings', 'Por la tarde o noche'),
        option('virtual', 'Online', 'En línea'),
        option('no-preference', 'No preference', 'Me da igual'),
      ],
    },
    {
      id: 'coverage',
      topic: 'cost',
      kind: 'choice',
      optional: true,
      prompt: t(
        'How would you pay for care? Our team checks benefits for free.',
        '¿Cómo pagaría el tratamiento? Nuestro equipo revisa su cobertura sin costo.',
      ),
      options: [
        option('private', 'Private insurance', 'Seguro privado'),
        option('medicaid', 'Medicaid', 'Medicaid'),
        option('medicare', 'Medicare', 'Medicare'),
        option('military', 'TRICARE or military', 'TRICARE o militar'),
        option('none', 'No insurance or self-pay', 'Sin seguro o pago propio'),
        option('not-sure', 'Not sure', 'No estoy seguro/a'),
      ],
    },
    {
      // docs/conversation.md, data rules: one optional, capped question, never a story field; what is typed here
      // is scanned for crisis words like every typed field.
      id: 'anything-else',
      topic: 'notes',
      kind: 'text',
      optional: true,
      maxLength: 200,
      prompt: t(
        'Is there anything you want the team to know before they call?',
        '¿Hay algo que quiera que el equipo sepa antes de llamar?',
      ),
      help: t(
        'For example, a good time to reach you, or a question you have. You can skip this.',
        'Por ejemplo, una buena hora para hablar, o una pregunta que tenga. Puede saltar esta pregunta.',
      ),
    },
  ],
  // docs/architecture.md "Triage of the default flow": first match wins, safety first.
  triage: [
    {
      route: 'crisis',
      when: {
        any: [
          // The reason says who the visitor said may be in danger: themselves, or "you or them".
          { all: [inDanger, { not: forLovedOne }], reason: 'in-danger' },
          { all: [inDanger, forLovedOne], reason: 'in-danger-loved-one' },
          { signal: 'crisis-language', reason: 'crisis-words' },
        ],
      },
    },
    {
      route: 'withdrawal-first',
      when: {
        any: [
          { answer: 'withdrawal-signs', equals: 'yes', reason: 'withdrawal-signs' },
          {
            all: [
              { answer: 'use-frequency', equals: 'daily' },
              { answer: 'substances', in: ['alcohol', 'benzodiazepines'] },
            ],
            reason: 'daily-alcohol-or-sedatives',
          },
        ],
      },
    },
    {
      route: 'higher-care',
      when: {
        any: [
          { answer: 'home-safe', equals: 'no', reason: 'home-unsafe' },
          { answer: 'mental-health', equals: 'severe', reason: 'mental-health-severe' },
          {
            all: [
              { answer: 'recent-treatment', equals: 'outpatient-before' },
              { answer: 'use-frequency', equals: 'daily' },
            ],
            reason: 'use-after-outpatient',
          },
          {
            all: [
              { answer: 'support', equals: 'no' },
              { answer: 'home-safe', equals: 'unsure' },
            ],
            reason: 'little-support',
          },
        ],
      },
    },
    {
      route: 'step-down',
      when: { answer: 'recent-treatment', in: ['detox', 'residential'], reason: 'recent-higher-care' },
    },
    {
      route: 'lower-intensity',
      when: {
        all: [
          { answer: 'hours-possible', equals: 'no', reason: 'hours-hard' },
          { answer: 'use-frequency', equals: 'less-often', reason: 'use-less-often' },
        ],
      },
    },
    {
      route: 'iop-fit',
      when: {
        all: [
          { answer: 'home-safe', equals: 'yes', reason: 'home-stable' },
          // Each reason repeats what the visitor chose: "A little" is not "Yes", "Maybe" is not "Yes".
          {
            any: [
              { answer: 'support', equals: 'yes', reason: 'has-support' },
              { answer: 'support', equals: 'some', reason: 'some-support' },
            ],
          },
          {
            any: [
              { answer: 'hours-possible', equals: 'yes', reason: 'can-attend' },
              { answer: 'hours-possible', equals: 'maybe', reason: 'might-attend' },
            ],
          },
        ],
      },
    },
    { route: 'talk-first', reasons: ['talk-first'] },
  ],
  routes: {
    crisis: crisisRouteCopy,
    'withdrawal-first': {
      urgency: 'urgent',
      title: t('Safe withdrawal comes first', 'Primero, dejarlo con seguridad'),
      message: t(
        "Please don't stop suddenly on your own; withdrawal can be dangerous. A medical team can help you stop safely. Our admissions team can talk about next steps today.",
        'Por favor, no lo deje de golpe por su cuenta; la abstinencia puede ser peligrosa. Un equipo médico puede ayudarle a dejarlo con seguridad. Nuestro equipo de admisiones puede hablar hoy de los próximos pasos.',
      ),
    },
    'higher-care': {
      urgency: 'high',
      title: t('More support may help', 'Más apoyo podría ayudar'),
      message: t(
        'A program with more structure or support may be worth discussing. Our admissions team can help you look at the options.',
        'Podría valer la pena hablar de un programa con más estructura o apoyo. Nuestro equipo de admisiones puede ayudarle a ver las opciones.',
      ),
    },
    'step-down': {
      urgency: 'high',
      title: t('A common next step', 'Un paso siguiente común'),
      message: t(
        'After detox or a residential stay, an outpatient program is a common next step. Based on what you shared, our IOP may be a fit. A clinician will confirm.',
        'Después de una desintoxicación o un programa residencial, un programa ambulatorio es un paso común. Según lo que nos contó, nuestro IOP podría ser una opción. Un profesional clínico lo confirmará.',
      ),
    },
    'iop-fit': {
      urgency: 'normal',
      title: t('Our IOP may be a fit', 'Nuestro IOP podría ser una opción'),
      message: t(
        'Based on what you shared, our intensive outpatient program (IOP) may be a fit. A clinician will confirm.',
        'Según lo que nos contó, nuestro programa intensivo ambulatorio (IOP) podría ser una opción. Un profesional clínico lo confirmará.',
      ),
    },
    'lower-intensity': {
      urgency: 'normal',
      title: t('There are lighter options too', 'También hay opciones más ligeras'),
      message: t(
        'There are less intensive options too, with fewer hours a week. Our admissions team can tell you about them.',
        'También hay opciones menos intensivas, con menos horas por semana. Nuestro equipo de admisiones puede contarle más.',
      ),
    },
    'talk-first': {
      urgency: 'normal',
      title: t("Let's talk it through", 'Hablemos con calma'),
      message: t(
        "Let's have someone talk it through with you. Our admissions team can answer your questions and help you find the right care.",
        'Que alguien lo hable con usted. Nuestro equipo de admisiones puede responder sus preguntas y ayudarle a encontrar la atención adecuada.',
      ),
    },
  },
  reasons: {
    'in-danger': t('You told us you may be in danger right now.', 'Nos dijo que podría estar en peligro ahora mismo.'),
    'in-danger-loved-one': t(
      'You told us you or the person you are asking for may be in danger right now.',
      'Nos dijo que usted o la persona por quien pregunta podría estar en peligro ahora mismo.',
    ),
    'crisis-words': crisisWordsCopy,
    'withdrawal-signs': t(
      'You mentioned shakes, sweats, seeing or hearing things, or a seizure when cutting down.',
      'Mencionó temblores, sudores, ver u oír cosas, o una convulsión al reducir el consumo.',
    ),
    'daily-alcohol-or-sedatives': t(
      'Stopping daily drinking or daily sedative use all at once can be risky.',
      'Dejar de golpe el alcohol o los sedantes que se toman a diario puede ser riesgoso.',
    ),
    'home-unsafe': t(
      'Home may not be safe or free of drugs and alcohol right now.',
      'El hogar podría no ser seguro o libre de drogas y alcohol ahora.',
    ),
    'mental-health-severe': t('Mental health feels very hard right now.', 'La salud mental está muy difícil ahora.'),
    'use-after-outpatient': t(
      'Daily use has kept going after outpatient care before.',
      'El consumo diario siguió después de un tratamiento ambulatorio anterior.',
    ),
    'little-support': t(
      'There is little support, and home may not be steady.',
      'Hay poco apoyo, y el hogar podría no ser estable.',
    ),
    'recent-higher-care': t(
      'You just finished detox or a residential program.',
      'Acaba de terminar una desintoxicación o un programa residencial.',
    ),
    'hours-hard': t('About 9 hours a week is hard to fit in.', 'Unas 9 horas por semana son difíciles de acomodar.'),
    'use-less-often': t('Use is less than weekly.', 'El consumo es menos de una vez por semana.'),
    'home-stable': t('Home is safe and free of drugs and alcohol.', 'El hogar es seguro y libre de drogas y alcohol.'),
    'has-support': t('There are people who back recovery.', 'Hay personas que apoyan la recuperación.'),
    'some-support': t('There is a little support for recovery.', 'Hay un poco de apoyo para la recuperación.'),
    'can-attend': t('About 9 hours a week could work.', 'Unas 9 horas por semana podrían funcionar.'),
    'might-attend': t(
      'About 9 hours a week might work. The team can talk through the schedule.',
      'Unas 9 horas por semana tal vez podrían funcionar. El equipo puede hablar del horario.',
    ),
    'talk-first': t(
      "Some questions were skipped or didn't quite fit, and that's okay.",
      'Algunas preguntas se saltaron o no encajaban del todo, y está bien.',
    ),
  },
};
