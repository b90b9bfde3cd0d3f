import { namesSomething, PLACEHOLDER, type SentenceRead } from './sentence';

/**
 * How a question stands to the answer before it, read from its structure, never from a
 * list of phrasings: a question that says its own scope (a name, "all environments") or
 * asks which environment ("which environment has idle passes", "welche Umgebung", "quel
 * environnement", "where") starts fresh; one that points back ("there", "in that one",
 * "dort", "là-bas", "is that normal?") or is elliptical, a fragment with no subject and
 * predicate of its own ("why?", "which apps?", "show me the users", "what about last
 * month?"), continues it; any other, a complete question ("who's burning the most
 * passes"), starts fresh.
 */
export type Standing = 'ownScope' | 'acrossEnvironments' | 'pointsBack' | 'elliptical' | 'complete';

/** Word edges that know accented letters ("ça", "là", "où"): \b is ASCII-only. */
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const words = (alternatives: string, flags = 'iu') => new RegExp(`${B}(?:${alternatives})${E}`, flags);

/** The whole tenant said in words: all, every, overall, insgesamt, überall, partout, au total. */
const WHOLE_TENANT = words(
  'all|every|everywhere|overall|whole|entire|tenant[- ]wide|across|in total|alle[nrs]?|jede[nrsm]?|gesamt\\w*|insgesamt|überall|ueberall|ganze[nrsm]?|tous|toutes|chaque|partout|au total|(?:dans )?l[\'’]ensemble|global\\w*',
);
/** "where", "wo", "où": which environment, asked as a place. */
const WHERE = words('where|wo|wohin|où');
/** The word environment, plural (always a set) or singular. */
const ENVIRONMENT_NOUN = /^(environments?|envs?|umgebung(en)?|environnements?)$/iu;
const ENVIRONMENTS = /^(environments|envs|umgebungen|environnements)$/iu;
/** Determiners that make a set of a singular noun: which, any, each, no; welche, jede, keine; quel, chaque, aucun. */
const SET_DETERMINER = /^(which|what|any|each|every|no|welche[rsmn]?|jede[rsmn]?|irgendeine[rsmn]?|keine[rsmn]?|quel(le)?s?|chaque|aucun(e)?|quelque)$/iu;

/**
 * Pointing back at the last answer: its place ("there", "dort", "là-bas", "in that
 * one", "same for"), or the answer itself as subject or object ("is that normal?",
 * "why is that", "ist das normal", "c'est normal", "ça"). "there is/are" and "il y a"
 * point nowhere.
 */
const POINTING = [
  // English
  words('(?:this|that|the same|same) (?:one|environment|env|tenant|app|place)'),
  words('(?:in|for|of|about|from|with|on|at|behind|to|like) (?:this|that|it|there|them|those)'),
  words('(?:is|was|does|did|has|can|will|would) (?:this|that|it)'),
  /(?<![\p{L}\p{N}])(?:this|that|it)(?:'s|’s| is| was)?\s*[?!.…]*\s*$/iu,
  new RegExp(`(?<!${B}(?:is|are|was|were|be|been|'re) )${B}there${E}(?! ?(?:is|are|was|were|'s|’s|'re|be|been|any|will|might|must)${E})`, 'iu'),
  words('same|those|the same'),
  // German
  words('dort|dorthin|darin|drin|dabei|dafür|davon|daran|dazu|da|dasselbe|derselbe\\w*|dieselbe\\w*|ebenso|genauso|gleiche[nrs]?|selbe[nrs]?|diese[rsmn]? (?:umgebung|app)'),
  words('(?:ist|war|wäre|sind) (?:das|dies)|(?:das|dies) (?:ist|war|sind|heißt|bedeutet)'),
  /(?<![\p{L}\p{N}])(?:das|dies)\s*[?!.…]*\s*$/iu,
  // French
  words('là|la-bas|ça|ca|cela|ceci|celui|celle|ceux|celles|pareil|idem|dedans|(?:le|la|du|au) même|même chose|c[\'’]est|(?:cet|cette|ce) (?:environnement|app\\w*|tenant)'),
  new RegExp(`(?<!${B}il )${B}y${E}(?! ?(?:a|'a|’a)${E})`, 'iu'),
];

/**
 * Function words of English, German and French, the closed classes a fragment is made of
 * besides its one word: conjunctions and the frames of a follow-up ("and", "what about",
 * "und", "et pour"), question words, auxiliaries and copulas, articles, prepositions, the
 * asker and the bot as object ("me", "mir", "moi"), verbs that only ask to show ("show",
 * "zeig", "montre"), and pro-forms ("ones", "those"). "we", "wir", "on" are a subject.
 */
const FUNCTION_WORDS = new Set(
  (
    'and or but so then also too now ok okay well just please pls thanks what which who whom whose why how come when about regarding ' +
    'is are was were be been am do does did has have had can could would should will shall s re me you it its this that these those one ones same there here ' +
    'a an the in on at of for to from by with show list give tell let see display get many much tho though instead again else ' +
    'und oder aber also dann auch noch jetzt nun bitte mal denn ok was wer wen wem wessen wie welche welcher welches welchen welchem warum wieso weshalb wann ' +
    'ist sind war waren hat haben gibt es der die das den dem des ein eine einen einem einer mir uns mich dir du sie ihr in im an am auf für von vom mit bei zu zum zur über ' +
    'zeig zeige zeigen liste gib nenn nenne sag dort da dasselbe gleiche gleichen ' +
    'et ou mais alors donc aussi puis maintenant ok stp svp plait quoi qui quel quelle quels quelles pourquoi comment quand est sont a ont c ce cet cette ces ça ca cela ' +
    'le la les l un une des du de d en dans pour sur avec par moi me nous vous montre montrez montre-moi affiche affichez donne donnez liste là bas même pareil y t il qu'
  ).split(' '),
);
const PLACEHOLDERS = new Set<string>(Object.values(PLACEHOLDER));

/** A sentence's words in lower case, names as their types ("zenv"), as the checks below read them. */
function wordsOf(sentence: SentenceRead): string[] {
  return sentence.typed.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export function standing(sentence: SentenceRead): Standing {
  const said = sentence.typed;
  if (namesSomething(sentence) || WHOLE_TENANT.test(said)) return 'ownScope';
  const tokens = wordsOf(sentence);
  const setOfEnvironments = tokens.some((w, i) => ENVIRONMENTS.test(w) || (ENVIRONMENT_NOUN.test(w) && tokens.slice(Math.max(0, i - 2), i).some((d) => SET_DETERMINER.test(d))));
  if (setOfEnvironments || WHERE.test(said)) return 'acrossEnvironments';
  if (POINTING.some((p) => p.test(said))) return 'pointsBack';
  return ownWords(tokens) <= 1 ? 'elliptical' : 'complete';
}

/** How many words of a sentence are its own: neither function words nor the types of names. */
function ownWords(tokens: readonly string[]): number {
  return tokens.filter((w) => !FUNCTION_WORDS.has(w) && !PLACEHOLDERS.has(w)).length;
}

/**
 * A sentence that asks a whole question of its own about the names it says ("do we need
 * more passes for Operations?": a subject, a verb, what it asks), not a fragment that
 * leans on the last answer ("and HR?", "what about Operations?", "same for Sales", "and
 * what does HR need?"): more than one word of its own.
 */
export function asksOnItsOwn(sentence: SentenceRead): boolean {
  return ownWords(wordsOf(sentence)) > 1;
}

/** The words of a fragment that asks nothing of its own: frames, prepositions, articles and pointers ("and there?", "in that one?", "same for HR", "und dort?", "et là-bas ?"). */
const FRAME_WORDS = new Set(
  'and what how about also too same for in on at the that this one there then now ok so und auch ebenso genauso für im in bei dort da die der das et aussi pareil pour dans sur le la les là bas y même idem'.split(' '),
);
const POINTERS = new Set('that this one there same dort da das ebenso genauso là bas y même pareil idem'.split(' '));

/** A fragment that asks the last question again, of the names it says or of the last answer's scope. */
export function repeatsLast(sentence: SentenceRead): boolean {
  const tokens = wordsOf(sentence).filter((w) => !PLACEHOLDERS.has(w));
  return tokens.every((w) => FRAME_WORDS.has(w)) && (sentence.mentions.length > 0 || tokens.some((w) => POINTERS.has(w)));
}

/** Whether a question continues the last answer's scope: it points back at it, or leans on it as a fragment. */
export function continuesLast(sentence: SentenceRead): boolean {
  const s = standing(sentence);
  return s === 'pointsBack' || s === 'elliptical';
}
