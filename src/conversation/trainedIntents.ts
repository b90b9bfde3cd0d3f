import type { NluManager, NluResult } from '@nlpjs/nlu';

/**
 * The intents NLP.js trained for one language, scored as its NluManager.process(locale,
 * text) scores them (@nlpjs/nlu 4.27: nlu-manager.js innerClassify and checkIfIsNone,
 * domain-manager.js innerClassify and classifyByStemDict, nlu.js defaultPipelineProcess,
 * nlu-neural.js innerProcess), without the layers between: each call there copies its
 * settings three times and builds and sorts the list of every intent in four places,
 * 22 KB of garbage and half of a sentence's reading, which a chat turn paid in
 * collections (docs/performance.md, "Conversations"). The stems are NLP.js's own (its
 * normalizer, tokenizer and stemmer, kept here per text), the weights its trained
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
  neuralNetwork?: Network;
}
/** @nlpjs/neural neural-network.js: a perceptron per intent over the stems its lookup numbers (lookup.js, corpus-lookup.js). */
interface Network {
  numPerceptrons: number;
  perceptrons: { name: string; weights: ArrayLike<number>; bias: number }[];
  settings: { alpha: number };
  lookup: { inputLookup: { dict: Record<string, number | undefined> } };
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

/**
 * A text's stems as NLP.js's prepare gives them (stem -> 1), its key in the stem
 * dictionary, and, in the text's order, the stems the classifier was trained on and the
 * network's numbers for them (nlu.js textToFeatures, lookup.js prepare).
 */
interface Stems {
  key: string;
  features: string[];
  inputs: number[];
}

/** Texts whose stems are kept: a typed sentence's stems are the same each time (NLP.js kept them too, for an hour, without a bound). */
const STEMS_KEPT = 10_000;

export class TrainedIntents {
  /** The intents in the order NLP.js lists them before sorting (nlu.js convertToArray). */
  private readonly order: string[];
  /** For each intent of `order`, its perceptron, or -1 ("None"). */
  private readonly perceptronOf: number[];
  private readonly stemsOf = new Map<string, Stems>();

  private constructor(
    private readonly language: TrainedLanguage,
    private readonly domain: TrainedDomain,
    private readonly network: Network,
  ) {
    this.order = Object.keys(domain.intents);
    if (!domain.intents.None) this.order.push('None');
    this.perceptronOf = this.order.map((intent) => network.perceptrons.findIndex((p) => p.name === intent));
  }

  /** The trained classifier of one language of a trained NluManager. */
  static of(nlp: NluManager, locale: string): TrainedIntents {
    const language = (nlp as unknown as { domainManagers: Record<string, TrainedLanguage | undefined> }).domainManagers[locale];
    const domain = language?.domains.master_domain;
    if (!language || !domain?.neuralNetwork) throw new Error(`NLP.js has no trained classifier for "${locale}"`);
    return new TrainedIntents(language, domain, domain.neuralNetwork);
  }

  /**
   * Synchronous, so a sentence is read in one go: each await of NLP.js's pipeline let the
   * other chats' work in between, and a read that took 20 us alone took 200 us among 20
   * conversations, its memory evicted at each step (docs/performance.md, "Conversations").
   */
  classify(text: string, locale: string): NluResult {
    const { key, features, inputs } = this.stems(text);
    // A training sentence's stems exactly: that intent, sure (domain-manager.js classifyByStemDict); the others at 0 are left out, as a reading drops them.
    const exact = this.language.stemDict[key];
    if (exact) return { locale, intent: exact.intent, score: 1, classifications: [{ intent: exact.intent, score: 1 }] };
    const { network } = this;
    // nlu-neural.js innerProcess, convertToArray (filterZeros) and filterNonActivated: the intents that scored, in the order NLP.js's stable sorts leave them (score down, then the trained order). An intent none of whose training words is in the sentence scores 0: a reading drops it, so it is only counted.
    const classifications: { intent: string; score: number }[] = [];
    let zeros = 0;
    let firstZero = '';
    for (let i = 0; i < this.order.length; i++) {
      const intent = this.order[i];
      // No trained network: NLP.js answers { None: 1 }.
      const score = network.numPerceptrons ? this.output(this.perceptronOf[i], inputs) : intent === 'None' ? 1 : undefined;
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
    // An object of stem -> 1 (arr-to-obj.js), whose key order NLP.js reads the stems in.
    const tokens: Record<string, number> = {};
    for (const stem of input.tokens) tokens[stem] = 1;
    const ordered = Object.keys(tokens);
    // The stems the network knows (no "none" feature: useNoneFeature is off), and the lookup's numbers for them.
    const features = ordered.filter((stem) => stem !== 'nonefeature' && this.domain.features[stem]);
    const { dict } = this.network.lookup.inputLookup;
    const inputs = features.map((stem) => dict[stem]).filter((n): n is number => n !== undefined);
    // The key of the stem dictionary (domain-manager.js generateStemKey): the stems sorted, joined.
    const stems = { key: ordered.sort().join(), features, inputs };
    if (this.stemsOf.size >= STEMS_KEPT) this.stemsOf.clear();
    this.stemsOf.set(text, stems);
    return stems;
  }

  /** A perceptron's output (neural-network.js runInputPerceptron): its bias plus the weight of each stem in turn (each stem's value is 1), then alpha times a positive sum. */
  private output(perceptron: number, inputs: readonly number[]): number | undefined {
    if (perceptron < 0) return undefined;
    const { weights, bias } = this.network.perceptrons[perceptron];
    let sum = bias;
    for (const input of inputs) sum += 1 * weights[input];
    return sum <= 0 ? 0 : this.network.settings.alpha * sum;
  }

  private activated(intent: string, features: readonly string[]): boolean {
    const trained = this.domain.intentFeatures[intent];
    if (!trained) return false;
    for (const stem of features) if (trained[stem]) return true;
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
