/**
 * Forgiving name matching for environments, apps and users: admins type "sales prod"
 * for "Contoso Sales (Prod)", drop accents, and make typos. A match is only taken
 * when it is unique; otherwise the caller shows the candidates.
 */

export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.]+/g, ' ')
    .trim();
}

export type NameMatch<T> =
  | { kind: 'match'; item: T }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'none'; suggestions: T[] };

const WORD = /[a-z0-9@.]+/g;

/**
 * Tries, in order: the exact name or id, a unique prefix, every word of the query as a
 * prefix of a word of the name, and then a small edit distance. The first tier with
 * any candidate decides.
 */
export function matchName<T>(query: string, items: readonly T[], namesOf: (item: T) => string[]): NameMatch<T> {
  const q = normalizeName(query);
  if (!q) return { kind: 'none', suggestions: [] };
  const entries = items.map((item) => ({ item, names: namesOf(item).map(normalizeName).filter(Boolean) }));
  const tiers: ((names: string[]) => boolean)[] = [
    (names) => names.includes(q),
    (names) => names.some((n) => n.startsWith(q)),
    (names) => names.some((n) => wordsCover(q, n)),
    (names) => names.some((n) => closeEnough(q, n)),
  ];
  for (const test of tiers) {
    const hits = entries.filter((e) => test(e.names)).map((e) => e.item);
    if (hits.length === 1) return { kind: 'match', item: hits[0] };
    if (hits.length > 1) return { kind: 'ambiguous', candidates: hits };
  }
  const ranked = entries
    .map((e) => ({ item: e.item, distance: Math.min(...e.names.map((n) => similarityDistance(q, n))) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((e) => e.item);
  return { kind: 'none', suggestions: ranked };
}

function wordsCover(query: string, name: string): boolean {
  const nameWords = name.match(WORD) ?? [];
  const queryWords = query.match(WORD) ?? [];
  return queryWords.length > 0 && queryWords.every((w) => nameWords.some((n) => n.startsWith(w)));
}

/** Typos: up to one edit per four characters, at most two, against the name or any of its words. */
function closeEnough(query: string, name: string): boolean {
  const allowed = Math.min(2, Math.floor(query.length / 4));
  if (allowed === 0) return false;
  if (editDistance(query, name) <= allowed) return true;
  const queryWords = query.match(WORD) ?? [];
  const nameWords = name.match(WORD) ?? [];
  return queryWords.every((w) => nameWords.some((n) => w.length >= 4 && editDistance(w, n.slice(0, w.length + 1)) <= Math.min(2, Math.floor(w.length / 4))));
}

function similarityDistance(query: string, name: string): number {
  const words = name.match(WORD) ?? [name];
  return Math.min(editDistance(query, name), ...words.map((w) => editDistance(query, w) + 1));
}

/** Optimal string alignment distance: a swapped pair of letters ("salse") is one typo, not two. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Code-unit order: how the report sorts names and ids, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
