import type { LineAbove } from '../cards/render';
import { matchName } from '../licensing/names';
import type { EnvironmentReport } from '../licensing/report';
import type { Question, QuestionKind } from './question';
import type { Mention, Token } from './tenantNames';
import type { SentenceRead } from './sentence';
import { ENVIRONMENT_WORDS, inNamePlace } from './namePlace';

/**
 * A name typed where a sentence puts an environment's ("is Marketing over?", "how many
 * passes does Marketing use", "what about Finance EU?", "the Marketing environment") that
 * the tenant has no environment for. The question is answered at the level it allows, all
 * environments, and a line above the answer says there is no environment of that name,
 * with the closest real ones as buttons: the admin must not take the tenant's answer for
 * Marketing's. Evidence of a name, not a leftover word: a capital inside the sentence
 * (never its first word, nor any noun of a German sentence), a word no question and no
 * language of the reader's knows, and the place of a name. A word that is no name is never
 * said to be one ("I don't know an environment called 'only'", issue 21).
 */

/** Products and services an admin names beside the tenant's ("do we need a pass for SharePoint?"): never an environment's name said wrong. */
const PRODUCTS = new Set('sharepoint dataverse outlook onedrive azure copilot sql salesforce office exchange intune entra fabric ppac bi powerbi forms lists planner viva windows'.split(' '));
/** At most this many words: a longer run of capitals is a title, not a name. */
const LONGEST = 3;

export interface NameNotKnown {
  /** The name as typed ("Marketing", "Finance EU"). */
  said: string;
  /** The environment found inside it ("Finance" of "Finance EU"), which the question is then not about. */
  within?: Mention;
}

/**
 * The environment name a sentence says that the tenant does not have, or null.
 * `isWord`: a word of the corpus, the domain or everyday language; `vocabulary`: of the corpus or the domain.
 */
export function environmentNotKnown(said: string, sentence: Pick<SentenceRead, 'words' | 'replaced' | 'mentions'>, isWord: (w: string) => boolean, vocabulary: (w: string) => boolean, nounsHaveCapitals: () => boolean): NameNotKnown | null {
  const { words, replaced, mentions } = sentence;
  // Replaced by a type: a name of the tenant's, a month, a figure.
  const typed = (i: number) => replaced.some((r) => words[i].from >= r.from && words[i].from < r.to);
  // An acronym typed in capitals ("EU", "APAC") is a name, though French says "eu".
  const acronym = (t: Token) => t.to - t.from > 1 && said.slice(t.from, t.to) === said.slice(t.from, t.to).toUpperCase();
  const unknown = (i: number) => words[i].capital && !typed(i) && !(isWord(words[i].word) && !(acronym(words[i]) && !vocabulary(words[i].word))) && !PRODUCTS.has(words[i].word) && !/\d/.test(words[i].word);
  // "Are we over?", "Power Apps", a name of the tenant: most sentences have no such word, and end here.
  const first = words.findIndex((_, i) => unknown(i) && !startsSentence(said, words, i));
  if (first < 0 || nounsHaveCapitals()) return null;
  const lower = words.map((t) => t.word);
  for (let i = first; i < words.length; i++) {
    if (!unknown(i) || startsSentence(said, words, i)) continue;
    let end = i + 1;
    while (end < words.length && end - i < LONGEST && unknown(end) && adjacent(said, words, end)) end++;
    // "Finance EU": a name of the tenant with more typed to it is another name.
    const within = mentions.find((m) => m.kind === 'environment' && ((m.end === i && adjacent(said, words, i)) || (m.start === end && adjacent(said, words, end))));
    const start = within ? Math.min(within.start, i) : i;
    const stop = within ? Math.max(within.end, end) : end;
    if (inNamePlace(lower, start, stop) || environmentWordBefore(lower, start)) return { said: said.slice(words[start].from, words[stop - 1].to), ...(within ? { within } : {}) };
    i = end - 1;
  }
  return null;
}

/** "the environment called Marketing", "environment Marketing". */
function environmentWordBefore(words: readonly string[], start: number): boolean {
  const before = words[start - 1] === 'called' || words[start - 1] === 'named' ? start - 2 : start - 1;
  return before >= 0 && ENVIRONMENT_WORDS.has(words[before]);
}

/** The first word of the text or of one of its sentences: a capital there says nothing. */
function startsSentence(said: string, words: readonly Token[], i: number): boolean {
  return i === 0 || /[.?!:;]/.test(said.slice(words[i - 1].to, words[i].from));
}

/** Typed right after the word before, as one name is: a space or a hyphen, no comma or "and". */
function adjacent(said: string, words: readonly Token[], i: number): boolean {
  return /^[\s-]+$/.test(said.slice(words[i - 1].to, words[i].from));
}

/** Kinds that are about a person, an app, one environment or the conversation: a name missing there is theirs to say. */
const NOT_OF_THE_TENANT = new Set<QuestionKind>(['user', 'app', 'environment', 'help', 'thanks', 'rule', 'uploadHelp', 'clearUploads', 'subscribe', 'unsubscribe', 'digestNow', 'digestStatus', 'checkSetup', 'dataAge', 'unclear']);

/** The question, carrying the name said when it is answered for all environments. */
export function withNameNotKnown(question: Question, notKnown: NameNotKnown): Question {
  if (NOT_OF_THE_TENANT.has(question.kind) || ('environment' in question && question.environment)) return question;
  if (question.kind === 'ranking' && question.subject === 'users') return question;
  const near = notKnown.within?.candidates.map((c) => c.id);
  return { ...question, nameNotKnown: { said: notKnown.said, ...(near ? { near } : {}) } };
}

/**
 * The line above the answer: no environment of that name here, this is all of them; the
 * environments close to it as buttons (the one inside it, "Finance" of "Finance EU"; else
 * those a word of it begins or misspells), else the list of environments, unless the
 * answer is that list.
 */
export function noSuchEnvironmentLine(notKnown: { said: string; near?: readonly string[] }, environments: readonly EnvironmentReport[], answerIsTheList: boolean): LineAbove {
  const { said } = notKnown;
  const close = new Map<string, EnvironmentReport>();
  for (const e of environments) if (notKnown.near?.includes(e.id)) close.set(e.id, e);
  for (const word of close.size ? [] : said.split(/[\s-]+/).filter((w) => w.length >= 4)) {
    const m = matchName(word, environments, (e) => [e.name]);
    for (const e of m.kind === 'match' ? [m.item] : m.kind === 'ambiguous' ? m.candidates : []) close.set(e.id, e);
  }
  const buttons = [...close.values()].slice(0, 3).map((e) => ({ title: e.name, data: { verb: 'environment', environmentId: e.id } }));
  const text = `There is no environment called "${said}" in this tenant: this is the answer for all environments.`;
  if (buttons.length) return { text: `${text} Did you mean ${buttons.length > 1 ? 'one of these' : 'this one'}?`, button: buttons[0], ...(buttons.length > 1 ? { more: buttons.slice(1) } : {}) };
  return answerIsTheList ? { text } : { text, button: { title: 'All environments', data: { verb: 'ask', text: 'overview' } } };
}
