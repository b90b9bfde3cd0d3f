import assert from 'node:assert/strict';
import type { QuestionReader } from '../../src/conversation/understanding';
import type { TenantNames } from '../../src/conversation/tenantNames';
import type { AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { demoReading } from './corpus/demoReading';
import TRAINING from '../../src/conversation/corpus/training.json';
import BLIND from './corpus/blind.json';
import BEFORE_BLIND from './corpus/trainingBeforeBlind.json';
import type { TrainingCorpus } from '../../src/conversation/understanding';
import { trainedSince } from './corpus/similarity';
import { scoreBlindSet, type BlindEntry } from './corpus/blindScoring';

/**
 * The blind set (corpus/blind.json): phrasings written by a separate session that was
 * given only the list of questions PassLens answers and the demo tenant's names, never
 * the training corpus. Its entries are never edited, trained on or special-cased. Each
 * is scored as corpus/blindScoring.ts says. Below 95% fails. Its author's engineer saw
 * which entries failed while building the understanding, so it is not a clean blind
 * measure any more: sealedBlindSet.test.ts is.
 */

describe('blind set (written without the training corpus)', function () {
  this.timeout(120_000);
  let reader: QuestionReader;
  let view: AnalyzedTenant;
  let names: TenantNames;

  before(async () => ({ reader, view, names } = await demoReading()));

  /**
   * Not trained on: every training line written since the blind set arrived (those not in
   * corpus/trainingBeforeBlind.json, the corpus as it was then) stays below 0.6 word-set
   * similarity to every blind phrasing, names replaced by their type.
   */
  it('has no training line written after it within 0.6 similarity of one of its phrasings', () => {
    const close = trainedSince(TRAINING as unknown as TrainingCorpus, BEFORE_BLIND as unknown as TrainingCorpus, (BLIND as BlindEntry[]).map((e) => e.text), names);
    assert.deepEqual(close, []);
  });

  it('reads at least 95% of it right, intent and names both', async () => {
    const entries = BLIND as BlindEntry[];
    assert.ok(entries.length >= 300, `${entries.length} blind phrasings`);
    const right = await scoreBlindSet('blind set', entries, { reader, view, names });
    assert.ok(right >= 0.95, `blind set ${(right * 100).toFixed(1)}%, below 95%`);
  });
});
