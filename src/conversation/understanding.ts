import { containerBootstrap } from '@nlpjs/core';
import { NluManager, NluNeural } from '@nlpjs/nlu';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangDe } from '@nlpjs/lang-de';
import { LangFr } from '@nlpjs/lang-fr';
import { editDistance } from '../licensing/names';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { RuleId } from '../licensing/rules';
import type { Question, QuestionKind } from './question';
import { DOMAIN_WORDS, fold, TenantNames, tokens, type NamedThing } from './tenantNames';
import { namesSomething, PLACEHOLDER, readSentence, type SentenceRead } from './sentence';
import { withContext, type LastAnswer } from './followUp';
import { CONFIDENT, kindAsked, NAME_TYPES, namesAsked, namesFor, POINTING_BACK, SENTENCES, WORTH_OFFERING, type Classified, type TrainedKind } from './questionKind';
import { TrainedIntents } from './trainedIntents';
import { questionOfKind } from './questionOfKind';
import TRAINING from './corpus/training.json';
// Each language's everyday words ("she", "her", "keine", "looking"): no typo of a question word (stopwords-iso, MIT).
import STOPWORDS from 'stopwords-iso/stopwords-iso.json';
import { isCourtesy } from './courtesy';
import { plainText } from './plainText';
import { ruleAsked } from './ruleCard';
import { ageAsked } from './dataAge';
import { CONVERSATION_KINDS, instead } from './wordsSayOtherwise';
import { ruleQuestion, termAsked, termsCompared } from './glossary';
import { changeAsked } from './changeAsked';
import { OF_THE_MONTH } from './questionSources';
import { environmentNotKnown, withNameNotKnown } from './unknownName';
import { monthMeant } from '../licensing/months';

export { phrase } from './phrase';
export { plainText } from './plainText';
export type { ButtonData } from './buttonQuestion';

/**
 * What a person typed, as a Question, names first: the tenant's own names, addresses,
 * months and figures are found in the sentence (sentence.ts, tenantNames.ts) and
 * replaced by their type; then NLP.js classifies the kind of question (a small neural
 * network trained at start-up on corpus/training.json, English, German and French, where
 * names are written as their type too). NLP.js stays the classifier: it trains on the
 * whole corpus in well under a second and reads a sentence in a fraction of a
 * millisecond, and with names taken out first what it classifies is the question's
 * words alone, which its bag of stems handles; the names are matched by tenantNames.ts,
 * which knows the tenant's lists, something no classifier trained at start-up can.
 */

const LOCALES = ['en', 'de', 'fr'] as const;
export type TrainingCorpus = Record<(typeof LOCALES)[number], Partial<Record<TrainedKind, string[]>>>;

export interface ReadOptions {
  /** The asker's IANA time zone, where Teams tells it: the default zone of a schedule. */
  timezone?: string;
  /** The tenant's names (namesOf): without them no word of the sentence is a name. */
  names?: TenantNames;
  /** The last answer in this conversation to this person: what "and HR?" or "why?" continue. */
  context?: LastAnswer;
  /** "last month" is counted from here. */
  now?: Date;
}

/** Small words of English, German and French that the corpus need not spell out: never part of a name. */
const ASIDES = (
  'please pls thanks thank you could would can kindly hey hi hello ok okay so just quick question quickly btw me us our we i my the a an if whether that this these those ' +
  'there here it its is are was were be been do does did have has had any some all of in on at for to from by with about into this month week today now and or but not no ' +
  'what which who how when where why tell show give let know like want need see look also still really very much many more most ' +
  'bitte danke mal kurz ob dass bei im in am um der die das den dem des ein eine einen einem und oder wir uns unser unsere ich mir mich es ist sind hat haben gibt was wie wer welche diesen monat ' +
  'merci svp stp vous tu nous notre nos le la les de des du un une et ou est sont ce cette ces ci mois il elle ils elles on que qui quoi comment dans pour par avec sur ' +
  // Small words a typo fix must leave alone: "pas" is no typo of "pass", "nur" none of "nur".
  'pas ne non oui si mais donc alors coup bien tout tous toute aussi encore déjà nicht noch schon doch nur auch gleich jetzt etwas wirklich oder aber not yet only even'
).split(' ');
const PLACEHOLDERS = new Set<string>(Object.values(PLACEHOLDER));
/** "tell me what ...", "kannst du mir sagen, ob ...", "peux-tu me dire si ...": a polite wrapper around a question. */
const EMBEDDED = /\b(tell me|let me know|i'?d like to know|i want to know|i wonder|wondering|sag mir|sagen sie mir|mir sagen|wissen|dis-moi|dites-moi|me dire|savoir)\b[,:]?\s+(?=(what|which|who|how|why|when|where|if|whether|was|welche\w*|wer|wie|warum|wann|wo|ob|qu\w*|comment|pourquoi|quand|où|si)\b)/i;
/** How a definition starts, or a typo of it ("wat is", "waht's", "define", "qu'est-ce"): see QuestionReader.termAskedWithTypos. */
const MAY_DEFINE = /^\W*(?:(?:so|ok|and)\s+)?(?:w\w{1,5}|define\w*|meaning|qu\S*)\b/i;
/** "which ones?", "welche?", "lesquelles ?": the things the last answer listed. */
const ONES = /\b(ones|welche|lesquel\w*|laquelle)\b/i;
/** Words of English, German and French that are words as typed: "she" is no typo of "the", nor "keine" of "eine". */
const EVERYDAY = new Set<string>(LOCALES.flatMap((l) => STOPWORDS[l].map(fold)));

/** A training line as the classifier sees it: {env} as the environment's placeholder, months and figures typed. */
export function typedTrainingLine(line: string): string {
  const typed = line.replace(/\{(env|app|user|month)\}/g, (_, t: 'env' | 'app' | 'user' | 'month') => PLACEHOLDER[t === 'env' ? 'environment' : t]);
  return readSentence(typed, null).typed;
}

export class QuestionReader {
  /** Words already looked up as typos, and what they are a typo of. */
  private readonly typos = new Map<string, string | null>();

  private constructor(
    private readonly nlp: NluManager,
    /** Every word of the training corpus and the domain: question words, never a name. */
    readonly vocabulary: ReadonlySet<string>,
    readonly trainingMs: number,
    /** Each language's own words in the corpus: which language a sentence is in (kept as languagesOf). */
    languages: Record<(typeof LOCALES)[number], ReadonlySet<string>>,
    /** The stems of the vocabulary in each language, and its stemmer: "looking" is a form of "look", no typo of "booking". */
    private readonly stems: { stem: (w: string) => string; known: ReadonlySet<string> }[],
    private readonly frequency: ReadonlyMap<string, number>,
  ) {
    this.intents = { en: TrainedIntents.of(nlp, 'en'), de: TrainedIntents.of(nlp, 'de'), fr: TrainedIntents.of(nlp, 'fr') };
    for (const l of LOCALES) for (const w of languages[l]) if (!PLACEHOLDERS.has(w)) this.languagesOf.set(w, [...(this.languagesOf.get(w) ?? []), l]);
  }

  /** The languages whose corpus has a word: one lookup a word typed. */
  private readonly languagesOf = new Map<string, (typeof LOCALES)[number][]>();

  /** Each language's trained classifier, asked directly when the language is known (trainedIntents.ts). */
  private readonly intents: Record<(typeof LOCALES)[number], TrainedIntents>;

  static async train(corpus: TrainingCorpus = TRAINING as TrainingCorpus): Promise<QuestionReader> {
    const started = performance.now();
    const container = await containerBootstrap();
    for (const plugin of [LangEn, LangDe, LangFr, NluNeural]) container.use(plugin);
    // The NLU layer of NLP.js alone: its Nlp class adds answers, actions and a context per turn, which PassLens does not use and which cost as much as the classification.
    const nlp = new NluManager({
      container,
      locales: [...LOCALES],
      trainByDomain: false,
      log: false,
      useNoneFeature: false,
    });
    const vocabulary = new Set<string>();
    /** How often each word is in the corpus: of two words a typo is as close to, the commoner ("ovr": "over", not "our"). */
    const frequency = new Map<string, number>();
    const languages = {
      en: new Set<string>(),
      de: new Set<string>(),
      fr: new Set<string>(),
    };
    for (const locale of LOCALES) {
      for (const [kind, utterances] of Object.entries(corpus[locale])) {
        for (const utterance of utterances ?? []) {
          const typed = typedTrainingLine(utterance);
          nlp.add(locale, typed, kind);
          for (const w of fold(typed).split(/[^\p{L}\p{N}]+/u)) {
            if (!w || PLACEHOLDERS.has(w)) continue;
            vocabulary.add(w);
            frequency.set(w, (frequency.get(w) ?? 0) + 1);
            languages[locale].add(w);
          }
        }
      }
    }
    for (const w of [...ASIDES, ...DOMAIN_WORDS]) vocabulary.add(fold(w));
    const stems = LOCALES.map((locale) => {
      const stemmer = container.get(`stemmer-${locale}`) as { stemWord(w: string): string };
      const stem = (w: string) => fold(stemmer.stemWord(w));
      return { stem, known: new Set([...vocabulary].map(stem)) };
    });
    await nlp.train();
    return new QuestionReader(nlp, vocabulary, performance.now() - started, languages, stems, frequency);
  }

  /**
   * Whether a sentence holds a word that may be one of the tenant's names: a word neither
   * of the question corpus nor everyday, once days, months, times and figures are typed
   * ("what does Omar use"), so a reading without the names is not to be trusted. Read
   * without them, "what does Omar use" was "help".
   */
  mayName(raw: string): boolean {
    return tokens(readSentence(plainText(raw), null).typed).some((t) => !this.vocabulary.has(t.word) && !EVERYDAY.has(t.word) && !PLACEHOLDERS.has(t.word) && !/^\d/.test(t.word));
  }

  /** A word of the corpus, the domain or everyday language, or a typo of a question word ("Overveiw"): no name. */
  private isWord(w: string): boolean {
    return this.vocabulary.has(w) || EVERYDAY.has(w) || this.questionWord(w) !== null;
  }

  /** A German sentence, whose nouns all have capitals: more of its words are German than English in the corpus. */
  private inGerman(words: readonly { word: string }[]): boolean {
    let balance = 0;
    for (const { word } of words) {
      const of = this.languagesOf.get(word);
      if (of) balance += (of.includes('de') ? 1 : 0) - (of.includes('en') ? 1 : 0);
    }
    return balance > 0;
  }

  /** The tenant's names, as this reader's vocabulary leaves them (built once per snapshot). */
  namesOf(tenant: AnalyzedTenant): TenantNames {
    return TenantNames.of(tenant, this.vocabulary);
  }

  /** The names of a tenant's list sent from another thread (readingThread.ts). */
  namesFrom(things: readonly NamedThing[]): TenantNames {
    return TenantNames.from(things, this.vocabulary);
  }

  /**
   * The question a typed sentence asks. Synchronous, so a sentence is read in one go,
   * its memory warm: see trainedIntents.ts.
   */
  read(raw: string, options: ReadOptions = {}): Question {
    const said = plainText(raw);
    if (!said) return { kind: 'help' };
    if (isCourtesy(said)) return { kind: 'thanks' };
    const rule = ruleAsked(said);
    if (rule) return { kind: 'rule', rule };
    const term = termAsked(said) ?? this.termAskedWithTypos(said);
    if (term) return { kind: 'rule', rule: term };
    if (ageAsked(said)) return { kind: 'dataAge' };
    const sentence = readSentence(said, options.names ?? null, options.now);
    // "do guests need a pass?": a rule's question, when it names nothing of the tenant; "what's the difference between allocated and booked?": the tenant's figures, with what each word means.
    if (!namesSomething(sentence)) {
      const ruleOf = ruleQuestion(said);
      if (ruleOf) return { kind: 'rule', rule: ruleOf };
      const compared = termsCompared(said);
      if (compared) return { kind: 'overview', termsCompared: compared };
    }
    const notKnown = options.names ? environmentNotKnown(said, sentence, (w) => this.isWord(w), (w) => this.vocabulary.has(w), () => this.inGerman(sentence.words)) : null;
    if (!notKnown) return this.readNamed(said, sentence, options);
    // "what about Finance EU?" after an answer about Sales: the same question, of no environment the last answer had.
    const context = options.context && { ...options.context, environmentId: undefined, app: undefined };
    // Classified as names are, the name as its type: "what about Finance EU?" is "what about zenv?", as "what about HR?" is.
    const at = said.indexOf(notKnown.said);
    const { typed } = readSentence(`${said.slice(0, at)}${PLACEHOLDER.environment}${said.slice(at + notKnown.said.length)}`, options.names ?? null, options.now);
    return withNameNotKnown(this.readNamed(said, { ...sentence, typed, mentions: sentence.mentions.filter((m) => m !== notKnown.within) }, { ...options, context }), notKnown);
  }

  /**
   * "wat is overage", "whats a managed enviroment?", "what does apppas mean?": a term asked
   * with a typo in its question word or the term, read with the question words' typos fixed.
   * Tried only on a short sentence that starts like a definition (a w-word, "define",
   * "meaning", "qu'est-ce"), since fixing typos reads every word (a read's hot path).
   */
  private termAskedWithTypos(said: string): RuleId | null {
    return said.length <= 80 && MAY_DEFINE.test(said) ? termAsked(this.corrected(said)) : null;
  }

  /**
   * A sentence none of whose words is a word of the questions PassLens answers (or a typo of
   * one), besides everyday small words, names, days, times and figures: "what's the weather?",
   * "lunch anyone?". Whatever the classifier made of its small words is no question of these.
   */
  private offTopic(sentence: SentenceRead): boolean {
    if (namesSomething(sentence)) return false;
    let unknown = false;
    for (const { word } of tokens(sentence.typed)) {
      if (PLACEHOLDERS.has(word) || EVERYDAY.has(word) || /^\d/.test(word)) continue;
      if (this.questionWord(word) !== null) return false;
      unknown = true;
    }
    return unknown;
  }

  /** The question of a sentence whose names are read. */
  private readNamed(said: string, sentence: SentenceRead, options: ReadOptions): Question {
    const read = this.classifyQuestion(sentence.typed);
    const parts = namesAsked(sentence, said, read.sentence);
    const { ranked } = read;
    const asked = instead(kindAsked(read, sentence, said), said, sentence.mentions.length > 0);
    // "what's the weather?" read as the digest's status: no word of the questions PassLens answers, so none of the chat's own kinds, which act (subscribe, stop, post) or say how things stand; what PassLens answers instead.
    const kind = asked && asked !== 'help' && CONVERSATION_KINDS.has(asked) && this.offTopic(sentence) ? 'help' : asked;
    if (sentence.email && (!kind || !CONVERSATION_KINDS.has(kind))) return { kind: 'user', user: { upn: sentence.email } };
    if (!kind) {
      const closest = ranked.filter((c) => c.score >= WORTH_OFFERING && c.intent !== 'followUp').slice(0, 3);
      const asked = {
        kind: 'unclear' as const,
        said,
        closest: closest.map((c) => this.question(c.intent as QuestionKind, said, sentence, options)),
      };
      // Only a name ("Operations", "and HR"), or only words that point back ("list them", "Lesquelles ?"): what the last answer said, about it.
      const pointsBack = options.context && said.split(/\s+/).length <= 4 && (POINTING_BACK.test(said) || ONES.test(said));
      return sentence.mentions.length || pointsBack ? (withContext('followUp', sentence, options.context, (k) => this.question(k, said, sentence, options)) ?? asked) : asked;
    }
    const about = (k: QuestionKind) => namesFor(k, sentence, parts);
    return (
      withContext(kind, sentence, options.context, (k) => this.question(k, said, about(k), options, parts.asked)) ??
      this.question(kind === 'followUp' ? 'environment' : kind, said, about(kind === 'followUp' ? 'environment' : kind), options, parts.asked)
    );
  }

  /**
   * Several sentences (a forum-style question: the figures, then "Are we over?"): the
   * first question among them that the classifier is sure of; else the whole text.
   */
  private classifyQuestion(typed: string): Classified {
    const sentences = typed.split(SENTENCES);
    if (sentences.length > 1) {
      // The question the classifier is surest of, the last among equals (a forum post ends on what it asks).
      let best: Classified | null = null;
      const named = typed.match(NAME_TYPES) ?? [];
      for (const [i, asked] of sentences.entries()) {
        if (!asked.trim().endsWith('?')) continue;
        // "Which ones?", "Did that reduce the bookings?": a question that leans on the sentence before it is also read with it.
        const leans = i > 0 && (asked.split(/\s+/).length <= 3 || POINTING_BACK.test(asked));
        for (const question of leans ? [asked, `${sentences[i - 1]} ${asked}`] : [asked]) {
          // The names of the other sentences ("Yuki Tanaka joined ... Can you tell me what she uses?") stay with the question, as their types.
          const elsewhere = [...new Set(named)].filter((t) => !question.includes(t) && named.filter((n) => n === t).length === 1);
          const read = this.classify(this.corrected([question, ...elsewhere].join(' ')));
          if (read.kind && (!best || read.ranked[0].score >= best.ranked[0].score)) best = { ...read, sentence: i };
        }
      }
      if (best) return best;
    }
    const whole = this.classify(this.corrected(typed));
    // "could you please tell me what we should buy?": the question inside the polite wrapper is also read alone; the surer reading wins.
    const inner = EMBEDDED.exec(typed);
    if (!inner) return whole;
    const read = this.classify(this.corrected(typed.slice(inner.index + inner[0].length)));
    return read.kind && (!whole.kind || read.ranked[0].score > whole.ranked[0].score) ? read : whole;
  }

  private classify(text: string): Classified {
    // The language whose corpus knows most of the sentence's words ("und was empfiehlst du": German, though "was" is English too); NLP.js's guess among equals.
    const known = { en: 0, de: 0, fr: 0 };
    for (const w of fold(text).split(/[^\p{L}\p{N}]+/u)) {
      const of = this.languagesOf.get(w);
      if (of) for (const l of of) known[l]++;
    }
    const most = Math.max(known.en, known.de, known.fr);
    const likely = LOCALES.filter((l) => known[l] === most);
    // One language knows most words: asked directly (NLP.js's own guess costs as much as the classification); several: its guess among them (NluManager.process without a locale, which classifies in the language it guesses).
    const guessed = likely.length === 1 ? likely[0] : this.nlp.guessLanguage(text);
    const locale = likely.find((l) => l === guessed) ?? likely[0];
    let result = this.intents[locale].classify(text, locale);
    // Still unsure on short mixed sentences ("montre-moi Operations"): each language that knows as many words is asked.
    if (result.score < CONFIDENT) {
      for (const l of likely) {
        const other = this.intents[l].classify(text, l);
        if (other.score > result.score && other.intent !== 'None') result = other;
      }
    }
    // Already by score, down (trainedIntents.ts lists them so).
    const ranked = result.classifications.filter((c) => c.intent !== 'None' && c.score > 0);
    const best = ranked[0];
    return {
      kind: best && best.score >= CONFIDENT ? (best.intent as TrainedKind) : null,
      ranked,
    };
  }

  /**
   * The question of a given kind that a sentence asks, with the names found in it. A
   * kind that needs a name the sentence does not hold is asked at the level it allows
   * (every environment, every user), or of the name of another kind it does hold.
   */
  private question(kind: QuestionKind, said: string, sentence: SentenceRead & { asked?: string }, options: ReadOptions, asked: string = said): Question {
    const question = questionOfKind(kind, said, sentence, options, asked);
    // "are we over in October?": the answer is the data's month; the month said goes with the question, for the card to say so when they differ.
    const ofItsMonth = sentence.month && OF_THE_MONTH.has(question.kind) ? { ...question, monthSaid: monthMeant(sentence.month, sentence.year, options.now ?? new Date()) } : question;
    // "assign 5 more passes to HR": answered, with a line that nothing was changed (never on the digest's or the chat's own kinds).
    const change = CONVERSATION_KINDS.has(question.kind as TrainedKind) ? null : changeAsked(said);
    return change ? { ...ofItsMonth, change } : ofItsMonth;
  }

  /**
   * The sentence with typos of question words fixed ("ovreview", "hlep", "subscrbe"):
   * NLP.js's own spell check works on stems, where a name like "Operations" became "over".
   * Names are no longer in the sentence here: their type's word stands in their place.
   */
  private corrected(typed: string): string {
    // Word by word, apostrophes and hyphens kept: "c'est", "t'utilise", "montre-moi" are two words each.
    return typed.replace(/[\p{L}\p{N}]+/gu, (part) => {
      const w = fold(part);
      if (w.length < 3 || this.vocabulary.has(w) || PLACEHOLDERS.has(w)) return part;
      return this.questionWord(w) ?? part;
    });
  }

  /** The question word `w` is, or is a typo of (one edit), or null. */
  private questionWord(w: string): string | null {
    if (this.vocabulary.has(w)) return w;
    if (w.length < 3 || /\d/.test(w) || EVERYDAY.has(w)) return null;
    const known = this.typos.get(w);
    if (known !== undefined) return known;
    let found: string | null = null;
    // A form of a question word ("looking", "zeigt", "licences") is left to the classifier's stemmer, which reads it as that word.
    const aForm = this.stems.some((s) => s.known.has(s.stem(w)));
    // A typo keeps the first letter: "keine" is no "eine", "looking" no "booking".
    for (const v of aForm ? [] : this.vocabulary) {
      if (v.length >= 3 && v[0] === w[0] && Math.abs(v.length - w.length) <= 1 && editDistance(v, w) <= 1 && (found === null || (this.frequency.get(v) ?? 0) > (this.frequency.get(found) ?? 0))) found = v;
    }
    // Typos recur from question to question; the scan of the whole vocabulary is most of a read's time.
    if (this.typos.size >= 10_000) this.typos.clear();
    this.typos.set(w, found);
    return found;
  }
}
