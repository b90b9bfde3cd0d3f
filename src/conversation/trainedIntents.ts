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
  /** Stems of a text, as an object of stem -> 1, kept per text (nlu.js defaultPipelinePrepare). */
  prepare(text: string): Promise<Record<string, number>>;
  features: Record<string, number | undefined>;
  intents: Record<string, number>;
  intentFeatures: Record<string, Record<string, number | undefined> | undefined>;
  neuralNetwork?: { run(features: Record<string, number>): Record<string, number> | undefined };
}

export class TrainedIntents {
  /** The intents in the order NLP.js lists them before sorting (nlu.js convertToArray). */
  private readonly order: string[];

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

  async classify(text: string, locale: string): Promise<NluResult> {
    const tokens = await this.domain.prepare(text);
    const stems = Object.keys(tokens);
    // A training sentence's stems exactly: that intent, sure (domain-manager.js classifyByStemDict); the others at 0 are left out, as a reading drops them.
    const exact = this.language.stemDict[[...stems].sort().join()];
    if (exact) return { locale, intent: exact.intent, score: 1, classifications: [{ intent: exact.intent, score: 1 }] };
    // The stems the network knows, in the sentence's order, so its sums add up in NLP.js's order (nlu.js textToFeatures; no "none" feature: useNoneFeature is off).
    const features: Record<string, number> = {};
    for (const stem of stems) if (stem !== 'nonefeature' && this.domain.features[stem]) features[stem] = tokens[stem];
    const outputs = this.domain.neuralNetwork?.run(features) ?? { None: 1 };
    // nlu-neural.js innerProcess, then convertToArray with filterZeros.
    let classifications: { intent: string; score: number }[] = [];
    for (const intent of this.order) {
      const score = outputs[intent];
      if (score !== undefined && score > 0) classifications.push({ intent, score });
    }
    if (!classifications.length) classifications = [{ intent: 'None', score: 1 }];
    classifications.sort(byScore);
    // filterNonActivated: an intent none of whose training words is in the sentence scores 0.
    let modified = false;
    for (const c of classifications) {
      if (c.intent !== 'None' && !this.activated(c.intent, features)) {
        c.score = 0;
        modified = true;
      }
    }
    if (modified) classifications.sort(byScore);
    // normalizeClassifications.
    let total = 0;
    for (const c of classifications) total += c.score **= 2;
    if (total > 0) for (const c of classifications) c.score /= total;
    // nlu-manager.js: sorted again (a stable sort of a sorted list), then None when the top two tie or nothing scored.
    const [first, second] = classifications;
    const none = classifications.length > 1 && (first.score === 0 || first.score === second.score);
    return { locale, intent: none ? 'None' : first.intent, score: none ? 1 : first.score, classifications };
  }

  private activated(intent: string, features: Record<string, number>): boolean {
    const trained = this.domain.intentFeatures[intent];
    if (!trained) return false;
    for (const stem in features) if (trained[stem]) return true;
    return false;
  }
}

const byScore = (a: { score: number }, b: { score: number }) => b.score - a.score;
