import assert from 'node:assert/strict';
import { containerBootstrap } from '@nlpjs/core';
import { NluManager, NluNeural, type NluResult } from '@nlpjs/nlu';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangDe } from '@nlpjs/lang-de';
import { LangFr } from '@nlpjs/lang-fr';
import TRAINING from '../../src/conversation/corpus/training.json';
import { typedTrainingLine } from '../../src/conversation/understanding';
import { TrainedIntents } from '../../src/conversation/trainedIntents';
import BLIND from './corpus/blind.json';
import DEV from './corpus/blind-dev.json';
import OWN from './corpus/own-phrasings.json';
import { HELD_OUT } from './corpus/heldOut';

const LOCALES = ['en', 'de', 'fr'] as const;

/**
 * trainedIntents.ts scores a sentence as NLP.js's NluManager.process(locale, text) does,
 * without its layers. Both are asked every phrasing of the corpora (the training lines as
 * the classifier sees them, the blind and development sets, the own and held-out
 * phrasings) in each language, and must agree to the last bit: the intent, its score,
 * and every intent that scored. A version of NLP.js whose insides moved fails here.
 */
describe("the trained intents, read without NLP.js's pipeline", function () {
  this.timeout(120_000);
  let nlp: NluManager;

  before(async () => {
    // The manager as understanding.ts trains it.
    const container = await containerBootstrap();
    for (const plugin of [LangEn, LangDe, LangFr, NluNeural]) container.use(plugin);
    nlp = new NluManager({ container, locales: [...LOCALES], trainByDomain: false, log: false, useNoneFeature: false });
    for (const locale of LOCALES) for (const [kind, lines] of Object.entries(TRAINING[locale])) for (const line of lines as string[]) nlp.add(locale, typedTrainingLine(line), kind);
    await nlp.train();
  });

  const scored = (r: NluResult) => ({ intent: r.intent, score: r.score, scored: r.classifications.filter((c) => c.score > 0) });

  it('scores every phrasing of the corpora as NluManager.process does, in each language', async () => {
    const texts = new Set<string>();
    for (const locale of LOCALES) for (const lines of Object.values(TRAINING[locale])) for (const line of lines as string[]) texts.add(typedTrainingLine(line));
    for (const entry of [...BLIND, ...DEV, ...OWN] as { text?: string }[]) if (entry.text) texts.add(entry.text);
    for (const [text] of HELD_OUT) texts.add(text);
    // A sentence of no trained word, one of unknown words only, and the empty one: None, or what the network makes of nothing.
    for (const text of ['', 'zzz qqq', 'nonefeature', '?']) texts.add(text);
    const intents = Object.fromEntries(LOCALES.map((l) => [l, TrainedIntents.of(nlp, l)]));
    let compared = 0;
    let exact = 0;
    for (const text of texts) {
      for (const locale of LOCALES) {
        const lean = intents[locale].classify(text, locale);
        const theirs = await nlp.process(locale, text);
        assert.deepStrictEqual(scored(lean), scored(theirs), `${locale}: "${text}"`);
        assert.equal(lean.locale, theirs.locale);
        compared++;
        if (lean.score === 1 && lean.classifications.length === 1) exact++;
      }
      // Without a locale NluManager classifies in the language it guesses: the same as asking that language's classifier (understanding.ts, where the corpus words tie).
      const guessed = nlp.guessLanguage(text);
      const theirs = await nlp.process(text);
      if (guessed && guessed in intents) assert.deepStrictEqual(scored(intents[guessed].classify(text, guessed)), scored(theirs), `guessed ${guessed}: "${text}"`);
      else assert.equal(theirs.locale, undefined, `"${text}": no language guessed, none classified`);
    }
    // Both ways of scoring are exercised: training sentences matched exactly, and the network's sums.
    assert.ok(texts.size > 2_500, `${texts.size} phrasings`);
    assert.ok(exact > 500 && compared - exact > 2_000, `${exact} exact of ${compared}`);
  });

  it('says which language it has no classifier for', () => {
    assert.throws(() => TrainedIntents.of(nlp, 'es'), /no trained classifier for "es"/);
  });
});
