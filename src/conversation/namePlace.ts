/**
 * Where a sentence puts a name: "is X over", "in X", "for X", "what about X", "does X
 * use", "the X environment", "environment X". A word there may be a name; the same word
 * elsewhere ("personal question: ...") is the word it is.
 */

/** Words after which a name comes, in the three languages read. */
const BEFORE = new Set(
  'about in for is are was were does do did environment env umgebung environnement dans pour'.split(' '),
);
/** Words before which a name comes: "X over", "X environment", "X use". */
const AFTER = new Set('over environment env environments use uses using used doing need needs umgebung'.split(' '));
/** Words that make the place an environment's, whatever the word's capital: "the X environment", "environment X". */
export const ENVIRONMENT_WORDS = new Set('environment env umgebung environnement'.split(' '));

/** Whether words[start..end) stand where a name goes (words lower case, as tokens() folds them). */
export function inNamePlace(words: readonly string[], start: number, end: number): boolean {
  // The sentence is the name alone, or "and X", "X?": nothing else it could be.
  if (end - start === words.length || (start === 1 && end === words.length && words[0] === 'and')) return true;
  return (start > 0 && BEFORE.has(words[start - 1])) || (end < words.length && AFTER.has(words[end]));
}
