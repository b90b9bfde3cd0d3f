import type { NluManager, NluResult } from '@nlpjs/nlu';

/**
 * The intents NLP.js trained for one language, scored as its NluManager.process(locale,
 * text) scores them (@nlpjs/nlu 4.27: nlu-manager.js innerClassify and checkIfIsNone,
 * domain-manager.js innerClassify and classifyByStemDict, nlu.js defaultPipelineProcess,
 * nlu-neural.js innerProcess), without the layers between: each call there copies its
 * settings three times and builds and sorts the list of every intent in four places,
 * 22 KB of garbage and half of a sentence's reading, which a chat turn paid in
 * collections (docs/performance.md, "Conversations"). The stems are NLP.js's own (its
 * normalizer, tokenizer and stemmer, kept per text by NLP.js), the weights its trained
 * network's, the arithmetic the same in the same order, so the scores are equal to the
 * last bit: test/unit/trainedIntents.test.ts reads every phrasing of the corpora both
 * ways, and fails on a version of NLP.js whose insides differ.
 */

/** The parts of a trained NLP.js language this reads (nlu.js, nlu-neural.js, domain-manager.js). */
interface TrainedLanguage {
  stemDict: Record<string, { intent: string } | undefined>;
  domains: Record<string, TrainedDomain | undefined>;
}
interface TrainedDomain {
  container: { get(name: string): unknown };
  settings: { locale: string };
  features: Record<string, number | undefined>;
  intents: Record<string, number>;
  intentFeatures: Record<string, Record<string, number | undefined> | undefined>;
  neuralNetwork?: { run(features: Record<string, number>): Record<string, number> | undefined };
}

/** The parts of NLP.js's prepare pipeline, each synchronous for English, German and French (@nlpjs/core normalizer.js, tokenizer.js, stopwords.js, stemmer.js, arr-to-obj.js). */
interface Step {
  run(input: Prepared): Prepared;
}
interface Prepared {
  locale: string;
  text: string;
  settings: object;
  tokens?: string[];
}
interface Tokenizer {
  tokenize(text: string, input: Prepared): string[];
}
interface StemmerOf {
  getStemmer(input: Prepared): { stem(tokens: string[], input: Prepared): string[] };
}

/** A text's stems as NLP.js's prepare gives them (stem -> 1, in the text's order), and its key in the stem dictionary. */
interface Stems {
  tokens: Record<string, number>;
  key: string;
}

/** Texts whose stems are kept: a typed sentence's stems are the same each time (NLP.js kept them too, for an hour, without a bound). */
const STEMS_KEPT = 10_000;

export class TrainedIntents {
  /** The intents in the order NLP.js lists them before sorting (nlu.js convertToArray). */
  private readonly order: string[];
  private readonly stemsOf = new Map<string, Stems>();

  private constructor(
    private readonly language: TrainedLanguage,
    private readonly domain: TrainedDomain,
  ) {
    this.order = Object.keys(domain.intents);
    if (!domain.intents.None) this.order.push('None');
  }

  /** The trained classifier of one language of a trained NluManager. */
  static of(nlp: NluManager, locale: string): TrainedIntents {
    const language = (nlp as unknown as { domainManagers: Record<string, TrainedLanguage | undefined> }).domainManagers[locale];
    const domain = language?.domains.master_domain;
    if (!language || !domain?.neuralNetwork) throw new Error(`NLP.js has no trained classifier for "${locale}"`);
    return new TrainedIntents(language, domain);
  }

  /**
   * Synchronous, so a sentence is read in one go: each await of NLP.js's pipeline let the
   * other chats' work in between, and a read that took 20 us alone took 200 us among 20
   * conversations, its memory evicted at each step (docs/performance.md, "Conversations").
   */
  classify(text: string, locale: string): NluResult {
    const { tokens, key } = this.stems(text);
    // The stems the network knows, in the sentence's order, so its sums add up in NLP.js's order (nlu.js textToFeatures; no "none" feature: useNoneFeature is off).
    const features: Record<string, number> = {};
    for (const stem in tokens) if (stem !== 'nonefeature' && this.domain.features[stem]) features[stem] = tokens[stem];
    // A training sentence's stems exactly: that intent, sure (domain-manager.js classifyByStemDict); the others at 0 are left out, as a reading drops them.
    const exact = this.language.stemDict[key];
    if (exact) return { locale, intent: exact.intent, score: 1, classifications: [{ intent: exact.intent, score: 1 }] };
    const outputs = this.domain.neuralNetwork?.run(features) ?? { None: 1 };
    // nlu-neural.js innerProcess, convertToArray (filterZeros) and filterNonActivated: the intents that scored, in the order NLP.js's stable sorts leave them (score down, then the trained order). An intent none of whose training words is in the sentence scores 0: a reading drops it, so it is only counted.
    const classifications: { intent: string; score: number }[] = [];
    let zeros = 0;
    let firstZero = '';
    for (const intent of this.order) {
      const score = outputs[intent];
      if (score === undefined || score <= 0) continue;
      if (intent !== 'None' && !this.activated(intent, features)) {
        if (!zeros++) firstZero = intent;
        continue;
      }
      insertByScore(classifications, { intent, score });
    }
    // normalizeClassifications: squares over their sum (the zeros add nothing).
    let total = 0;
    for (const c of classifications) total += c.score **= 2;
    if (total > 0) for (const c of classifications) c.score /= total;
    // nlu-manager.js checkIfIsNone: None when the top two tie or the top is 0, unless one intent is listed alone (then it stands, even at 0).
    const listed = classifications.length + zeros;
    if (!listed) return { locale, intent: 'None', score: 1, classifications: [{ intent: 'None', score: 1 }] };
    if (!classifications.length) return listed === 1 ? { locale, intent: firstZero, score: 0, classifications } : { locale, intent: 'None', score: 1, classifications };
    const [first, second] = classifications;
    const none = listed > 1 && first.score === (second?.score ?? 0);
    return { locale, intent: none ? 'None' : first.intent, score: none ? 1 : first.score, classifications };
  }

  /**
   * The stems of a text as NLP.js's Nlu.prepare makes them (nlu.js defaultPipelinePrepare:
   * normalize, tokenize, remove stop words, stem, to an object), through its own parts,
   * called directly because their run() is async where the work is not.
   */
  private stems(text: string): Stems {
    const kept = this.stemsOf.get(text);
    if (kept) return kept;
    const { container, settings } = this.domain;
    const part = <T>(name: string) => container.get(name) as T;
    let input: Prepared = part<Step>('normalize').run({ locale: settings.locale, text, settings });
    const tokenizer = part<Tokenizer | undefined>(`tokenizer-${input.locale}`) ?? part<Tokenizer>('tokenize');
    input.tokens = synchronous(tokenizer.tokenize(input.text, input), 'tokenizer').filter((t) => t);
    input = part<Step>('removeStopwords').run(input);
    input.tokens = synchronous(part<StemmerOf>('stem').getStemmer(input).stem(input.tokens ?? [], input), 'stemmer');
    const tokens: Record<string, number> = {};
    for (const stem of input.tokens) tokens[stem] = 1;
    // The key of the stem dictionary (domain-manager.js generateStemKey): the stems sorted, joined.
    const stems = { tokens, key: Object.keys(tokens).sort().join() };
    if (this.stemsOf.size >= STEMS_KEPT) this.stemsOf.clear();
    this.stemsOf.set(text, stems);
    return stems;
  }

  private activated(intent: string, features: Record<string, number>): boolean {
    const trained = this.domain.intentFeatures[intent];
    if (!trained) return false;
    for (const stem in features) if (trained[stem]) return true;
    return false;
  }
}

/** Into a list sorted by score, down, after the equal ones: what a stable sort of the list in insertion order gives, without its copies. */
function insertByScore(list: { intent: string; score: number }[], item: { intent: string; score: number }): void {
  let at = list.length;
  list.push(item);
  while (at > 0 && list[at - 1].score < item.score) {
    list[at] = list[at - 1];
    at--;
  }
  list[at] = item;
}

function synchronous<T>(value: T | Promise<T>, part: string): T {
  if (value instanceof Promise) throw new Error(`NLP.js's ${part} answered asynchronously: this version is not the one trainedIntents.ts reads`);
  return value;
}
