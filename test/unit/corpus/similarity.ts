import { fold } from '../../../src/conversation/tenantNames';
import { readSentence } from '../../../src/conversation/sentence';
import { plainText, typedTrainingLine, type QuestionReader, type TrainingCorpus } from '../../../src/conversation/understanding';
import type { TenantNames } from '../../../src/conversation/tenantNames';

/**
 * How close a test phrasing is to the training corpus: the word-set (Jaccard)
 * similarity to its nearest training line, names replaced by their type on both sides
 * (the demo tenant's names in the phrasing, {env}/{app}/{user} in the corpus). A
 * held-out phrasing must stay below CEILING: one closer is a training line in disguise.
 */
export const CEILING = 0.6;

const wordSet = (typed: string): Set<string> => new Set(fold(typed).split(/[^\p{L}\p{N}]+/u).filter(Boolean));

/** A training line's words, its names as their type's word. */
export const trainingWords = (line: string): Set<string> => wordSet(typedTrainingLine(line));
/** A typed phrasing's words, the tenant's names found and replaced by their type's word. */
export const phrasingWords = (text: string, names: TenantNames): Set<string> => wordSet(readSentence(plainText(text), names).typed);

/** Word-set (Jaccard) similarity: shared words over all words. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

export class TrainingSimilarity {
  private readonly lines: { line: string; words: Set<string> }[] = [];

  constructor(
    corpus: TrainingCorpus,
    private readonly names: TenantNames,
  ) {
    for (const locale of ['en', 'de', 'fr'] as const) {
      for (const utterances of Object.values(corpus[locale])) for (const line of utterances ?? []) this.lines.push({ line, words: trainingWords(line) });
    }
  }

  /** The nearest training line and its similarity, 0 to 1. */
  nearest(text: string): { similarity: number; line: string } {
    const words = phrasingWords(text, this.names);
    let best = { similarity: 0, line: '' };
    for (const { line, words: other } of this.lines) {
      const similarity = jaccard(words, other);
      if (similarity > best.similarity) best = { similarity, line };
    }
    return best;
  }
}

/** The bands accuracy is printed in: how far from the training corpus a phrasing is. */
export const BANDS = [
  { label: 'similarity < 0.2', below: 0.2 },
  { label: 'similarity 0.2-0.4', below: 0.4 },
  { label: 'similarity 0.4-0.6', below: 0.6 },
  { label: 'similarity >= 0.6', below: Infinity },
];

/** Right/total per band, as printed lines. */
export function bandLines(results: { similarity: number; right: boolean }[]): string[] {
  return BANDS.flatMap((band, i) => {
    const inBand = results.filter((r) => r.similarity < band.below && (i === 0 || r.similarity >= BANDS[i - 1].below));
    if (!inBand.length) return [];
    const right = inBand.filter((r) => r.right).length;
    return [`${band.label}: ${right}/${inBand.length} = ${((right / inBand.length) * 100).toFixed(1)}%`];
  });
}

export type { QuestionReader };

/**
 * Training lines written since a blind set arrived (those not in `before`, the corpus as it
 * was then) that are within CEILING word-set similarity of one of its phrasings, each as
 * "line ~ phrasing": a blind set is never trained on.
 */
export function trainedSince(corpus: TrainingCorpus, before: TrainingCorpus, phrasings: readonly string[], names: TenantNames): string[] {
  const blind = phrasings.map((text) => ({ text, words: phrasingWords(text, names) }));
  const close: string[] = [];
  for (const locale of ['en', 'de', 'fr'] as const) {
    for (const [kind, lines] of Object.entries(corpus[locale])) {
      const old = new Set(before[locale][kind as keyof TrainingCorpus['en']] ?? []);
      for (const line of lines ?? []) {
        if (old.has(line)) continue;
        const near = blind.find((b) => jaccard(trainingWords(line), b.words) >= CEILING);
        if (near) close.push(`"${line}" ~ "${near.text}"`);
      }
    }
  }
  return close;
}
