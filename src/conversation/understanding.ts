import { containerBootstrap } from '@nlpjs/core';
import { NluManager, NluNeural } from '@nlpjs/nlu';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangDe } from '@nlpjs/lang-de';
import { LangFr } from '@nlpjs/lang-fr';
import { editDistance, normalizeName } from '../licensing/names';
import { parseSchedule, ScheduleError } from '../digest/schedule';
import type { Asked, EnvironmentRef, NameSaid, Question, QuestionKind } from './question';
import TRAINING from './corpus/training.json';

/**
 * What a person typed, as a Question. NLP.js classifies the kind of question (a small
 * neural network trained at start-up on corpus/training.json, English, German and
 * French); the parameters are read beside it: an address is a user, chrono-node reads a
 * schedule (schedule.ts), and a name is what is left once the words the corpus knows are
 * taken away (typos of them too), so any tenant's names work without training on them.
 */

const LOCALES = ['en', 'de', 'fr'] as const;
export type TrainingCorpus = Record<(typeof LOCALES)[number], Partial<Record<QuestionKind, string[]>>>;

/** What a card's button sends back (the templates in src/cards/ write these fields). */
export interface ButtonData {
  verb?: string;
  environmentId?: string;
  appId?: string;
  upn?: string;
  page?: number | string;
  filter?: string;
  text?: string;
  upload?: string;
}

export interface ReadOptions {
  /** The asker's IANA time zone, where Teams tells it: the default zone of a schedule. */
  timezone?: string;
}

/** Below this the classifier is guessing: the answer is "did you mean ...". */
const CONFIDENT = 0.6;
/** A kind scored below this is not worth offering. */
const WORTH_OFFERING = 0.1;
const EMAIL = /[\w.+'-]+@[\w-]+(\.[\w-]+)+/;
/** Kinds that are about the conversation, not a person: an address in them is not the question. */
const CONVERSATION_KINDS = new Set<QuestionKind>(['subscribe', 'unsubscribe', 'digestNow', 'digestStatus', 'checkSetup', 'help', 'uploadHelp', 'clearUploads']);
/** Small words of English, German and French that the corpus need not spell out: never part of a name. */
const ASIDES = (
  'please pls thanks thank you could would can kindly hey hi hello ok okay so just quick question quickly btw me us our we i my the a an if whether that this these those ' +
  'there here it its is are was were be been do does did have has had any some all of in on at for to from by with about into this month week today now and or but not no ' +
  'what which who how when where why tell show give let know like want need see look also still really very much many more most ' +
  'bitte danke mal kurz ob dass bei im in am um der die das den dem des ein eine einen einem und oder wir uns unser unsere ich mir mich es ist sind hat haben gibt was wie wer welche diesen monat ' +
  'merci svp stp vous tu nous notre nos le la les de des du un une et ou est sont ce cette ces ci mois il elle ils elles on que qui quoi comment dans pour par avec sur'
).split(' ');

/** The sentence without Teams' markup: the mention of the bot, HTML tags, entities. */
export function plainText(raw: string): string {
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (text: string): string[] => normalizeName(text.replace(/['’]/g, ' ')).split(' ').filter(Boolean);

export class QuestionReader {
  /** Words already looked up as typos, and what they are a typo of. */
  private readonly typos = new Map<string, string | null>();

  private constructor(
    private readonly nlp: NluManager,
    /** Every word of the training corpus outside the braces: question words, never a name. */
    private readonly vocabulary: Set<string>,
    readonly trainingMs: number,
  ) {}

  static async train(corpus: TrainingCorpus = TRAINING as TrainingCorpus): Promise<QuestionReader> {
    const started = performance.now();
    const container = await containerBootstrap();
    for (const plugin of [LangEn, LangDe, LangFr, NluNeural]) container.use(plugin);
    // The NLU layer of NLP.js alone: its Nlp class adds answers, actions and a context per turn, which PassLens does not use and which cost as much as the classification.
    const nlp = new NluManager({ container, locales: [...LOCALES], trainByDomain: false, log: false });
    const vocabulary = new Set<string>();
    for (const locale of LOCALES) {
      for (const [kind, utterances] of Object.entries(corpus[locale])) {
        for (const utterance of utterances ?? []) {
          const withoutNames = utterance.replace(/\{[^}]*\}/g, ' ');
          nlp.add(locale, withoutNames, kind);
          for (const w of words(withoutNames)) vocabulary.add(w);
        }
      }
    }
    // After the corpus's words, so that a typo as close to one of them as to an aside ("ovr": "over", "our") reads as the question word.
    for (const w of ASIDES) vocabulary.add(w);
    await nlp.train();
    return new QuestionReader(nlp, vocabulary, performance.now() - started);
  }

  /** The question a typed sentence asks. */
  async read(raw: string, options: ReadOptions = {}): Promise<Question> {
    const said = plainText(raw);
    if (!said) return { kind: 'help' };
    const email = EMAIL.exec(said)?.[0];
    const text = this.corrected(email ? said.replace(email, ' ') : said);
    let result = await this.nlp.process(text);
    // The language guess is unsure on short mixed sentences ("montre-moi Operations"): then each language is asked.
    if (result.score < CONFIDENT) {
      for (const locale of LOCALES) {
        const other = await this.nlp.process(locale, text);
        if (other.score > result.score && other.intent !== 'None') result = other;
      }
    }
    const ranked = result.classifications.filter((c) => c.intent !== 'None' && c.score > 0).sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (email && (!best || !CONVERSATION_KINDS.has(best.intent as QuestionKind))) return { kind: 'user', user: { upn: email.toLowerCase() } };
    if (!best || best.score < CONFIDENT) {
      const closest = ranked.filter((c) => c.score >= WORTH_OFFERING).slice(0, 3);
      return { kind: 'unclear', said, closest: closest.map((c) => this.question(c.intent as QuestionKind, said, options)) };
    }
    return this.question(best.intent as QuestionKind, said, options);
  }

  /** The question a card's button asks; a button that carries words ("did you mean") is read like typed text. */
  async fromButton(data: ButtonData, options: ReadOptions = {}): Promise<Asked> {
    const upload = data.upload || undefined;
    if (data.verb === 'ask') return { question: await this.read(data.text ?? '', options), upload };
    // No page (or '', the "Back to the summary" button): the answer with the top findings; a number: that page of all of them.
    const page = data.page === undefined || data.page === '' ? undefined : Number(data.page) || 0;
    const environment: EnvironmentRef | undefined = data.environmentId ? { id: data.environmentId } : undefined;
    const question = ((): Question => {
      switch (data.verb) {
        case 'refresh':
          return { kind: 'refresh', environment };
        case 'environment':
          return { kind: 'environment', environment: environment ?? { id: '' }, page };
        case 'app':
          return { kind: 'app', app: { environmentId: data.environmentId ?? '', appId: data.appId ?? '' } };
        case 'user':
          return { kind: 'user', user: { upn: data.upn ?? '' } };
        case 'findings':
        case 'over':
        case 'misclassified':
          return { kind: (data.verb === 'findings' ? data.filter : data.verb) === 'over' ? 'over' : 'misclassified', environment, page };
        case 'trend':
          return { kind: 'trend', environment };
        case 'exportFindings':
          return { kind: 'exportFindings', environment };
        case 'overview':
        case 'advice':
        case 'uploadHelp':
        case 'clearUploads':
        case 'unsubscribe':
        case 'digestNow':
        case 'digestStatus':
        case 'checkSetup':
          return { kind: data.verb };
        default:
          return { kind: 'help' };
      }
    })();
    return { question, upload };
  }

  /** The question of a given kind that a sentence asks, with its parameters. */
  private question(kind: QuestionKind, said: string, options: ReadOptions): Question {
    const named = (): NameSaid | undefined => {
      const name = this.nameIn(said);
      return name ? { name, said } : undefined;
    };
    switch (kind) {
      case 'over':
      case 'why':
      case 'misclassified': {
        const environment = named();
        return environment ? { kind, environment } : { kind };
      }
      case 'environment': {
        const environment = named();
        return environment ? { kind, environment } : { kind: 'overview' };
      }
      case 'trend': {
        const environment = named();
        const since = monthSaid(said);
        return { kind, ...(environment ? { environment } : {}), ...(since ? { since } : {}), ...(AUTO_ASSIGN.test(said) ? { focus: 'autoAssign' as const } : {}) };
      }
      case 'app':
        return { kind, app: named() ?? { name: '', said } };
      case 'user': {
        const email = EMAIL.exec(said)?.[0];
        return { kind, user: email ? { upn: email.toLowerCase() } : (named() ?? { name: '', said }) };
      }
      case 'subscribe':
        try {
          return { kind, schedule: parseSchedule(said, options) };
        } catch (e) {
          if (e instanceof ScheduleError) return { kind, problem: e.message };
          throw e;
        }
      case 'unclear':
        return { kind, said, closest: [] };
      default:
        return { kind };
    }
  }

  /**
   * The sentence with typos of question words fixed ("ovreview", "hlep", "subscrbe"):
   * NLP.js's own spell check works on stems, where a name like "Operations" became "over".
   */
  private corrected(said: string): string {
    return said
      .split(/\s+/)
      .map((token, i) => {
        const [w] = words(token);
        // A capital inside a sentence starts a name ("Deal Desk", "New York"): never "corrected".
        if (!w || this.vocabulary.has(w) || (i > 0 && /^\p{Lu}/u.test(token))) return token;
        return this.questionWord(w) ?? token;
      })
      .join(' ');
  }

  /** The question word `w` is, or is a typo of (one edit: two would take names, "opertions" for "options"), or null. */
  private questionWord(w: string): string | null {
    if (this.vocabulary.has(w)) return w;
    if (w.length < 3 || /\d/.test(w)) return null;
    const known = this.typos.get(w);
    if (known !== undefined) return known;
    let found: string | null = null;
    for (const v of this.vocabulary) {
      if (v.length >= 3 && Math.abs(v.length - w.length) <= 1 && editDistance(v, w) <= 1) {
        found = v;
        break;
      }
    }
    // Names and typos recur from question to question; the scan of the whole vocabulary is most of a read's time.
    if (this.typos.size >= 10_000) this.typos.clear();
    this.typos.set(w, found);
    return found;
  }

  /**
   * The words of a sentence that name something: those the corpus does not use for
   * asking, nor a typo of one.
   */
  nameIn(said: string): string {
    return said
      .replace(EMAIL, ' ')
      .split(/\s+/)
      .flatMap((token, i) => {
        const capitalised = i > 0 && /^\p{Lu}/u.test(token);
        // A capital inside a sentence starts a name ("Deal Desk"), unless a long word is one edit from a question word (German "Pässen").
        return words(token).filter((w) => !/^\d+$/.test(w) && (capitalised && w.length < 6 ? !this.vocabulary.has(w) : this.questionWord(w) === null));
      })
      .join(' ');
  }
}

/** "auto-assign", "auto assign", "autoassign", German "automatische Zuweisung", French "attribution automatique". */
const AUTO_ASSIGN = /auto.?assign|automatische\s+zuweisung|attribution\s+automatique/i;

const MONTHS: [RegExp, number][] = [
  [/\b(january|januar|janvier|jan)\b/i, 1],
  [/\b(february|februar|février|fevrier|feb)\b/i, 2],
  [/\b(march|märz|maerz|mars|mar)\b/i, 3],
  [/\b(april|avril|apr)\b/i, 4],
  [/\b(may|mai)\b/i, 5],
  [/\b(june|juni|juin|jun)\b/i, 6],
  [/\b(july|juli|juillet|jul)\b/i, 7],
  [/\b(august|août|aout|aug)\b/i, 8],
  [/\b(september|septembre|sept|sep)\b/i, 9],
  [/\b(october|oktober|octobre|oct|okt)\b/i, 10],
  [/\b(november|novembre|nov)\b/i, 11],
  [/\b(december|dezember|décembre|decembre|dec|dez)\b/i, 12],
];

/** The month a sentence names ("since September"), as 1-12; "may" only after "since"/"seit"/"depuis", where it is not the verb. */
export function monthSaid(said: string): number | undefined {
  for (const [pattern, month] of MONTHS) {
    const m = pattern.exec(said);
    if (!m) continue;
    if (month === 5 && m[1].toLowerCase() === 'may' && !/\b(since|seit|depuis|in|from)\s+may\b/i.test(said)) continue;
    return month;
  }
  return undefined;
}

/** The question said back in words: what a "did you mean" button asks. */
export function phrase(question: Question): string {
  const env = (ref: EnvironmentRef | undefined) => (ref && 'name' in ref ? ref.name : '');
  const inEnv = (ref: EnvironmentRef | undefined) => (env(ref) ? ` in ${env(ref)}` : '');
  switch (question.kind) {
    case 'help':
      return 'Help';
    case 'uploadHelp':
      return 'How do I upload the Active users CSV?';
    case 'clearUploads':
      return 'New upload';
    case 'overview':
      return 'Overview';
    case 'refresh':
      return 'Refresh the data';
    case 'over':
      return `Are we over${inEnv(question.environment)}?`;
    case 'environment':
      return env(question.environment) ? `How many passes does ${env(question.environment)} use?` : 'Overview';
    case 'why':
      return `Why are standard apps booked as AppPass${inEnv(question.environment)}?`;
    case 'misclassified':
      return `Which apps are misclassified${inEnv(question.environment)}?`;
    case 'app':
      return 'name' in question.app && question.app.name ? `Explain app ${question.app.name}` : 'Which apps are misclassified?';
    case 'user':
      return 'upn' in question.user ? `What does ${question.user.upn} consume?` : `What does ${question.user.name} consume?`;
    case 'advice':
      return 'What should we buy?';
    case 'exportFindings':
      return 'Download the findings';
    case 'trend':
      return question.focus === 'autoAssign' ? 'Did the auto-assign fix work?' : env(question.environment) ? `How has ${env(question.environment)} changed?` : 'Trend';
    case 'subscribe':
      return 'schedule' in question ? `Subscribe ${question.schedule.description}` : 'Subscribe';
    case 'unsubscribe':
      return 'Unsubscribe';
    case 'digestNow':
      return 'Digest now';
    case 'digestStatus':
      return 'Digest status';
    case 'checkSetup':
      return 'Check setup';
    case 'unclear':
      return question.said;
  }
}

let shared: Promise<QuestionReader> | null = null;

/** One reader per process, trained on first use. */
export function trainedReader(): Promise<QuestionReader> {
  return (shared ??= QuestionReader.train());
}
