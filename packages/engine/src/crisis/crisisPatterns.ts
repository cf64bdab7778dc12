import type { CrisisKind } from './detectCrisis.js';

/*
 * Phrase lists for detectCrisis. Each entry is a regular expression over the normalised text:
 * lower-case a-z and 0-9 only, no accents, words joined by single spaces, contractions expanded
 * ("do not", "will not", "can not", "i am", "he is"). Write words in their plain spelling:
 * doubled letters are collapsed in both the text and these patterns ("kill" and "kil" both match).
 * ` ~ ` stands for up to three extra words, ` ~1 ` and ` ~2 ` for up to one or two.
 * docs/conversation.md: a false alarm costs the visitor one tap, a miss can cost a life, so lean wide.
 */

type PhraseBook = Readonly<Record<CrisisKind, readonly string[]>>;

const MYSELF = '(?:my ?self|myslef|meself)';
// Either spelling the keyboard produced: "breathing", "breating", "brething", "breathe", "breath".
const BREATHE = 'bre?a?th?(?:e|ing|in|ng)?';
const PILLS =
  '(?:pills?|tablets?|meds|medications?|medicines?|capsules|xanax|xans|bars|percs|percocets?|oxys?|oxycodone|vicodin|norcos?|benzos|klonopin|valium|ativan|tylenol|advil|sleeping pills|painkillers|pain pills|fentanyl|fent|heroin|insulin|prescriptions?)';
// "wake up" that is about a morning routine, not a person who cannot be roused.
const WAKE = 'wake(?! up (?:early|in|on time|for|before|by|at [0-9]))(?: up)?';
const PERSON =
  '(?:he|she|they|someone|somebody|friend|boyfriend|girlfriend|son|daughter|husband|wife|brother|sister|mom|dad|partner|kid|roommate|cousin)';

// "Dying of hunger / of laughter": idioms a visitor would type in passing.
const ES_NOT_LITERALLY = '(?! de (?:cancer|hambre|risa|sueno|frio|calor|ganas|verguenza|aburrimiento))';
const ES_PILLS =
  '(?:pastillas|pastiyas|pildoras|tabletas|capsulas|medicinas|medicamentos|pastis|xanax|clonazepam|rivotril|fentanilo|heroina|percocet|tylenol|paracetamol|somniferos|calmantes)';

export const ENGLISH: PhraseBook = {
  'not-breathing': [
    `(?:not|stopped|stops|stop|can not|could not|barely|hardly|trouble|hard to|struggling to|difficulty) ~1 ${BREATHE}`,
    `no (?:breath|breathing|pulse|heart ?beat)`,
    `${BREATHE}(?: is| seems| sounds)? ~1 (?:slow|shallow|weird|strange|funny|wrong|rattling|gurgling)`,
    `(?:slow|shallow|gurgling|rattling|labored) ${BREATHE}`,
    '(?:turning|turned|going|gone) (?:blue|purple|gray|grey)',
    '(?:lips|face|skin|fingers|fingernails|nails) (?:are |is |look |looks |turning |turned |going )?(?:blue|purple|gray|grey)',
    'blue lips',
    'gasping',
    'gurgling',
    '(?:weird|strange|funny|loud|heavy) snoring',
    'snoring (?:weird|strange|funny|and)',
    'choking(?! up)',
    'heart (?:stopped|is not beating)',
    '(?:can not|not) get(?:ting)? air',
  ],
  unresponsive: [
    `(?:will not|would not) ~1 ${WAKE}`,
    `(?:can not|could not|unable to|try to|trying to|tried to|not able to) ~ ${WAKE}`,
    `${PERSON} ~1 (?:can not|could not) wake`,
    '(?<!i am )not waking',
    '(?:is not|was not|are not|not|stopped) responding',
    '(?:will not|would not|does not|did not|can not) respond',
    'not responsive',
    'unrespon[a-z]*',
    'uncon[sc]{1,3}i?[oe]?u?s(?:ly|nes)?',
    '(?<!i am |we are )not moving(?! out| in| to| back| away| house| forward)',
    'stopped moving',
    'out cold',
  ],
  seizure: [
    's[aeiy]{1,3}[sz](?:u|ue|e|o)r(?:e|es|s)?',
    '(?:is|are|was|started|keeps|kept|been|now|still) seizing',
    'convuls(?:e|es|ed|ing|ion|ions|ive|ively)?',
    'epilep[a-z]* (?:fit|attack|episode)',
    'grand mal',
    'having a fit',
    'foaming at the mouth',
  ],
  overdose: [
    'ov[ae]?r ?do[sz][a-z]*',
    'o d(?: d| ed| ing)?',
    // "odd" collapses to "od", so a bare "od" only counts after someone who could have overdosed.
    `(?:${PERSON}|i|we|almost|nearly|who) od(?:s|ed|ing|in)?`,
    '(?:took|taken|swallowed|popped|ate|did|done|used(?! to)|shot|snorted|injected|smoked) ~ (?:too|to|2) (?:many|much)',
    `(?:took|taken|take|taking|swallowed|swallow|popped|ate) (?:a |the |an )?(?:whole |entire |full )?(?:bottle|handful|fistful|bunch|box|pack|lot) of ~1 ${PILLS}`,
    `(?:took|taken|swallowed|popped|ate) ~1 (?:[1-9][0-9]+|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred) ~1 ${PILLS}`,
    `(?:took|taken|swallowed|popped|ate) (?:all|every)(?: of)? (?:the |my |his |her |their )?${PILLS}`,
    '(?:gave|give|giving|need|needs|needed|used|using) ~1 (?:narcan|naloxone)',
    'alcohol poisoning',
    'poison(?:ed|ing)',
    '(?:drank|swallowed) (?:bleach|antifreeze|poison)',
  ],
  suicide: [
    // suicide, suicidal, suicde, sucidal, suiside; "succeed" collapses to "suced" and is not one.
    '(?!suced)su[aeiou]{0,2}[cs][aeiou]{0,2}d(?:e|es|ed|al|ial|el|aly|ally)?',
    `kill(?:ing|ed|s)? ~1 ${MYSELF}`,
    '(?:to|will|just|should|might|gonna) kms',
    `(?:to|going to|will) off ${MYSELF}`,
    'unalive',
    'sewer ?slide',
    '(?:end|ending|ended|take|taking|took) (?:my|my own) life(?! back)',
    'end(?:ing)? (?:it all|everything)',
    '(?:want|going|plan|planning|ready|decided|about|wish|could|just|thinking|thought) ~ end(?:ing)? (?:it(?: all)?|this|things)(?! with| cycle| addiction| habit| pattern| relationship)',
    '(?:want|wanted|wish|wished|ready|deserve|plan|planning|decided|rather|hope|hoping|pray|praying|better) ~ (?:die|dead)',
    'about to die',
    '(?:feel like|want to be|wish i was|rather be) dying',
    '(?:think|thinking|thought|thoughts) (?:about|of) (?:dying|death|killing|ending|not waking|not being alive)',
    '(?:not|no longer|never) ~ want ~ (?:live|be alive|exist|be here|wake up|go on|keep living|be around|continue)',
    'want ~ (?:not exist|stop existing|disappear forever|sleep forever|never wake up)',
    '(?:no|not a|zero) reasons? (?:to live|to keep going|to go on|for living)',
    'nothing (?:left )?to live for',
    'no point (?:in )?(?:living|going on|being alive)',
    'not worth living',
    '(?:tired|sick) of (?:living|being alive)',
    'better off without me',
    '(?:no one|nobody|no body) (?:would|will) (?:even )?miss me',
    `(?:use it|do it) on ${MYSELF}`,
    'can not (?:go on|keep going|do this any ?more|take (?:it|this) any ?more|live like this)',
    `(?:hang|shoot|drown|poison|stab) ${MYSELF}`,
    '(?:slit|slice|slash|cut|cutting) (?:open )?my wrists?',
    'jump(?:ing)? (?:off|from|in front of) ~1 (?:bridge|building|roof|train|car|truck|bus|cliff|balcony)',
    '(?:gun|pistol) to my head',
    'blow my brains out',
    'this is (?:my )?goodbye',
  ],
  'self-harm': [
    `(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|hit|hitting|punch|punching|injure|injuring|mutilate|mutilating|starve|starving|scratch|scratching|carve|carving) ${MYSELF}`,
    'self ?(?:harm|harming|injury|injuring|injure|mutilation|mutilate)',
    'cut(?:ting)? (?:on )?my (?:arms?|legs?|skin|thighs?)',
    'cutting again',
    '(?:been|started|start|keep|kept) cutting(?! back| down| out| off| hours| ties| costs| carbs| class| school| hair| my hair)',
    'urges? to cut',
  ],
  danger: [
    'call(?:ing)? (?:911|9 1 1|an ambulance|ambulance)',
    'need (?:an )?ambulance',
    '(?:this is|it is|having|have) (?:an |a )?(?:medical )?emergency',
    'medical emergency',
    'in danger(?! of)',
    '(?:is|am|are|be) dying(?! to| for| of (?:cancer|old age|boredom|laughter|embarrassment|curiosity))',
    '(?:is|am|are) going to die',
    'heart attack',
    'chest pains?',
    'having a stroke',
    `${PERSON} ~1 (?:has|got|is holding|pulled) a (?:gun|knife|weapon)`,
    'threaten(?:ed|ing|s)? (?:to kill|to hurt|to shoot|me|us)',
    // "My wife is going to kill me if she finds out" is an idiom; without the "if" it is a threat.
    '(?:going to|trying to|about to|wants to|will|gonna) (?:kill|hurt|shoot|stab|beat) (?:me|us)(?! if| when| for| after)',
    '(?:want|going|plan|planning|about) to (?:kill|hurt|shoot|stab|murder) (?:him|her|them|someone|somebody|people|everyone|my)',
  ],
};

export const SPANISH: PhraseBook = {
  'not-breathing': [
    'no ~2 respir[a-z]*',
    '(?:dejo|deja|dejaron|para) de respirar',
    'respira(?:ndo)? (?:muy )?(?:lento|poco|raro|mal|despacio|feo)',
    'apenas respira',
    'sin respirar',
    'sin pulso',
    'no (?:tiene|le siento|le encuentro|siento|encuentro) (?:el |su )?pulso',
    '(?:se esta poniendo|se puso|esta|labios|boca|cara|unas|piel) (?:bien |muy )?(?:morad[oa]s?|azul(?:es)?|gris(?:es)?)',
    '(?:se|me) (?:esta |estoy )?ahog(?:a|o|ando)',
    'ahogandose',
  ],
  unresponsive: [
    'no ~1 d[ei]sp[iy]?e?rt(?:a|an|e)',
    'no (?:lo|la|los|las|le) ~1 (?:puedo|podemos|pude|pudimos|logro|logramos) despertar',
    'no (?:puedo|podemos|pude|pudimos|logro|logramos) despertarl[oae]s?',
    'no (?:reacciona|reacciono|responde|respondio|se mueve|se movio|abre los ojos)',
    'no (?:esta )?respondiendo',
    'incon[sc]{1,2}ien[a-z]*',
    'perdio (?:el )?(?:conocimiento|sentido|la conciencia)',
    'se desmayo',
    '(?:esta|quedo|se quedo) (?:desmayad[oa]|tirad[oa] y no)',
  ],
  seizure: [
    '[ck]o[nm][bv]ul[sc][a-z]*',
    '(?:ataque|crisis) (?:de )?epilep[a-z]*',
    'le (?:esta dando|dio|dan|da) (?:un )?ataque(?! de (?:ansiedad|panico|risa|celos|tos))',
    'espuma (?:por|en) la boca',
    'echando espuma',
  ],
  overdose: [
    'sobre ?do[scz][ie]s[a-z]*',
    'sobredo[scz][a-z]*',
    `(?:tom|trag|inger|meti)[a-z]* ~1 (?:demasiad[oa]s|tod[oa]s (?:las|los|sus|mis)|un (?:frasco|bote|puno|monton|chingo)(?: de)?|bastantes) ~1 ${ES_PILLS}`,
    // Without accents "tomó" (took) is "tomo" (I take): the present tense is a false alarm we accept.
    `(?:se (?:tom|trag)[a-z]*|tomo|trago) (?:muchas|much[oa]s|un monton de) ${ES_PILLS}`,
    `(?:tom|trag|inger)[a-z]* ~1 (?:[1-9][0-9]+|diez|quince|veinte|treinta|cuarenta|cincuenta|cien) ~1 ${ES_PILLS}`,
    'se (?:tom|trag)[a-z]* (?:un|el|todo el) (?:frasco|bote)',
    'se (?:metio|paso|inyecto) (?:demasiad[oa]|mucha droga)',
    'se (?:paso|pasaron) (?:de|con) (?:la |las |el |los )?(?:dosis|droga|pastillas|heroina|fentanilo)',
    '(?:dar|darle|dimos|di|necesito|necesita|use|usamos) ~1 (?:narcan|naloxona)',
    'intoxicacion',
    '(?:se intoxico|esta intoxicad[oa])',
    'envenen[a-z]*',
  ],
  suicide: [
    // suicidio, suicidarme, suisidio, suisidarme, suicida; "sucede" (it happens) is not one.
    '(?!suced)su[aeiou]{0,2}[cs][aeiou]{0,2}d(?:io|ios|a|as|ar[a-z]*|ad[oa]s?|and[a-z]*|o|e|en)?',
    '(?:quiero|quisiera|deseo|prefiero|ojala|gustaria|ganas de|voy a|pienso|pensando|mejor|necesito|siento) ~ morir(?:me|se)?',
    '(?:quiero|quisiera|ojala|prefiero|mejor|deseo|gustaria) ~ muert[oa]s?',
    'desaparecer para siempre',
    'nadie ~ extran[a-z]*',
    '(?:mi|la) vida no tiene sentido',
    'matarme',
    'me ~1 (?:quiero|voy a|vo a|pienso|puedo|podria|deberia|quisiera|tengo ganas de|dan ganas de) matar',
    '(?:quitarme|quitarse|quitarte) la vida',
    '(?:me|se) (?:voy a |quiero |va a |quiere )?quit(?:o|ar|e|a) la vida',
    '(?:acabar|terminar|acabo|termino) con (?:mi vida|su vida|todo|mi existencia)',
    'no ~ quiero ~1 (?:vivir|seguir viviendo|seguir viv[oa]|existir|estar viv[oa]|despertar(?:me)?|seguir con vida|estar aqui)',
    'no (?:tengo|hay|tiene) (?:razon|razones|motivo|motivos|nada|por que|porque|para que) (?:para |por (?:que |lo que )?)?vivir',
    'no vale la pena (?:vivir|seguir|la vida)',
    'la vida no vale la pena',
    'no tiene sentido (?:vivir|seguir|mi vida|la vida)',
    '(?:estarian|estaria|estarias) mejor sin mi',
    'cansad[oa] de (?:vivir|estar viv[oa])',
    '(?:pienso|pensando|pensamientos|ideas) (?:en|de) (?:la )?muerte',
    'ahorcar(?:me|se)',
    'colgarme',
    'me (?:voy a|quiero) (?:ahorcar|colgar)',
    '(?:tir|avent|lanz)(?:arme|ar|o) (?:de|del|por|desde|al|a|frente a) ~1 (?:puente|edificio|ventana|techo|azotea|tren|metro|carro|camion|balcon|acantilado|vias)',
    '(?:aventarme|lanzarme) (?:de|del|por|desde|al|a)',
    '(?:pegar|dar|meter)(?:me)? un (?:tiro|balazo)',
    'volarme los sesos',
    '(?:cortarme|cortarse|me corto) las venas',
    'ya no (?:puedo|aguanto) mas',
    'no aguanto mas',
    'no puedo seguir (?:asi|viviendo)',
  ],
  'self-harm': [
    '(?:hacerme|hacerse) dano',
    'me (?:hago|voy a hacer|quiero hacer) dano',
    'haciendome dano',
    'lastimarme',
    'me (?:voy a |quiero |estoy )?lastim(?:o|ar|ando)',
    'auto ?lesi[a-z]*',
    // Haircuts and nails are the everyday reading of "cortarme".
    '(?:cortarme|me corto|me corte|me estoy cortando|cortandome|me (?:quiero|voy a) cortar)(?! el (?:pelo|cabello)| las unas| la barba)',
    'me estoy haciendo dano',
    '(?:quemarme|me quemo) con',
  ],
  danger: [
    `(?:se |me |te |nos )?(?:esta|estoy|estan|estamos|estas) muriendo${ES_NOT_LITERALLY}`,
    `muriendo(?:se|me)${ES_NOT_LITERALLY}`,
    'se (?:muere|nos muere)',
    '(?:me|se|te) van? a morir',
    '(?:esta|estoy|estamos|estan) en peligro(?! de)',
    '(?:llamen?|llama|llamar|marcar|marca) (?:al |a )?(?:911|una ambulancia|ambulancia|emergencias)',
    'necesito una ambulancia',
    'es una emergencia',
    'emergencia medica',
    '(?:tiene|trae|saco) (?:un |una )?(?:arma|pistola|cuchillo|navaja)',
    'amenaz(?:a|o|ando) (?:con matar|de muerte|con hacer|con lastimar)',
    'me (?:esta )?amenaz(?:a|ando)',
    '(?:quiero|voy a|va a|vamos a) ~1 (?:matar|lastimar|herir|apunalar|disparar) a',
    '(?:me|nos) (?:va|van|quiere|quieren|esta tratando de) (?:a )?(?:matar|lastimar|pegar)(?! si| cuando| por)',
    'ataque al corazon',
    'infarto',
    'dolor (?:en el|de) pecho',
    'auxilio',
    'socorro',
  ],
};

/*
 * Whole words that stand for others, looked up after accents, apostrophes and doubled letters
 * are gone ("don't", "dont" and "dooont" all become "do not"), so the phrase lists stay short.
 */
export const WORD_REWRITES: Readonly<Record<string, string>> = {
  dont: 'do not',
  doesnt: 'does not',
  didnt: 'did not',
  wont: 'will not',
  cant: 'can not',
  cannot: 'can not',
  couldnt: 'could not',
  wouldnt: 'would not',
  shouldnt: 'should not',
  isnt: 'is not',
  arent: 'are not',
  wasnt: 'was not',
  werent: 'were not',
  hasnt: 'has not',
  havent: 'have not',
  hadnt: 'had not',
  aint: 'is not',
  im: 'i am',
  ive: 'i have',
  hes: 'he is',
  shes: 'she is',
  its: 'it is',
  thats: 'that is',
  whats: 'what is',
  theyre: 'they are',
  youre: 'you are',
  gonna: 'going to',
  finna: 'going to',
  wanna: 'want to',
  gotta: 'got to',
  tryna: 'trying to',
  wnat: 'want',
  whant: 'want',
  // Spanish texting shorthand.
  q: 'que',
  k: 'que',
  ke: 'que',
  xq: 'porque',
  pq: 'porque',
  toy: 'estoy',
  kiero: 'quiero',
  qiero: 'quiero',
  quero: 'quiero',
};

/*
 * Spellings matched before doubled letters collapse: "OD'd" would otherwise become "od", which is
 * also what "odd" becomes ("I work odd jobs").
 */
export const EXACT_REWRITES: Readonly<Record<string, string>> = {
  od: 'overdose',
  ods: 'overdoses',
  "od's": 'overdoses',
  "od'd": 'overdosed',
  "od'ed": 'overdosed',
  oded: 'overdosed',
  oding: 'overdosing',
  "od'ing": 'overdosing',
  odin: 'overdosing',
  "od'in": 'overdosing',
};
