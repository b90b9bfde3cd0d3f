import assert from 'node:assert/strict';
import { demoReading, type DemoReading } from './corpus/demoReading';
import TRAINING from '../../src/conversation/corpus/training.json';
import DEV from './corpus/blind-dev.json';
import BEFORE_DEV from './corpus/trainingBeforeDev.json';
import type { TrainingCorpus } from '../../src/conversation/understanding';
import { trainedSince } from './corpus/similarity';
import { scoreBlindSet, type BlindEntry } from './corpus/blindScoring';

/**
 * The development blind set (corpus/blind-dev.json): 428 phrasings written by a third
 * separate session that never saw the training corpus, given only the list of questions
 * PassLens answers and the demo tenant's names; it arrived on 4 December 2026 at 19:55 UTC.
 * It is a DEVELOPMENT set: the engineer working on the understanding reads its misses entry
 * by entry and fixes the mechanism behind each kind of miss (never one entry: none of its
 * phrases goes into the training corpus, no rule names one entry's words), so its figure
 * says how that work went, not what a new admin meets; sealedBlindSet.test.ts says that.
 * Its first figure, before any change made for it (on 4a78e2a): 381/428 = 89.0%. The test
 * prints the figure and the misses; it fails below 85%, a floor against regressions.
 */
describe('development blind set (looked at entry by entry)', function () {
  this.timeout(120_000);
  let reading: DemoReading;

  before(async () => (reading = await demoReading()));

  /** Not trained on: every training line written since the set arrived stays below 0.6 word-set similarity to each of its phrasings. */
  it('has no training line written after it within 0.6 similarity of one of its phrasings', () => {
    const close = trainedSince(TRAINING as unknown as TrainingCorpus, BEFORE_DEV as unknown as TrainingCorpus, (DEV as BlindEntry[]).map((e) => e.text), reading.names);
    assert.deepEqual(close, []);
  });

  it('reads at least 85% of it right, intent and names both, and prints the figure and the misses', async () => {
    const entries = DEV as BlindEntry[];
    assert.ok(entries.length >= 300, `${entries.length} development phrasings`);
    const right = await scoreBlindSet('development blind set', entries, reading);
    assert.ok(right >= 0.85, `development blind set ${(right * 100).toFixed(1)}%, below the 85% floor`);
  });
});
