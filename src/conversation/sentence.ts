import { tokens, type Mention, type TenantNames, type Token } from './tenantNames';

/**
 * A sentence read names first: the tenant's names (tenantNames.ts), addresses, months
 * and figures found and put aside, and what is left with each replaced by its type, so
 * the classifier learns "are we over in <environment>" once for every tenant, and
 * "25 passes" or "since September" weigh as an amount and a month, not as words.
 */

/** The word each type of name is replaced with, in training and in reading alike. */
export const PLACEHOLDER = { environment: 'zenv', app: 'zapp', user: 'zuser', month: 'zmonth', amount: 'znum', day: 'zday', time: 'ztime' } as const;

/** Days of the week, as a schedule says them ("mondays", "freitags", "chaque lundi"): one type, like a name. */
const DAYS = new Set(
  ('monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays saturday saturdays sunday sundays mon tue tues wed thu thur thurs fri sat sun weekday weekdays ' +
    'montag montags dienstag dienstags mittwoch mittwochs donnerstag donnerstags freitag freitags samstag samstags sonntag sonntags lundi lundis mardi mardis mercredi mercredis jeudi jeudis vendredi vendredis samedi samedis dimanche dimanches').split(' '),
);

export interface SentenceRead {
  /** The sentence with names, months and figures replaced by their type's word. */
  typed: string;
  mentions: Mention[];
  /** An address typed: a person, known to the tenant or not. */
  email?: string;
  /** The sentence's words (an address blanked out), and the stretches replaced by a type: what a name said that the tenant lacks is looked for in (unknownName.ts). */
  words: Token[];
  replaced: readonly { from: number; to: number }[];
  /** A month named (1-12), or said relatively ("last month"), as of `now`. */
  month?: number;
  /** The year of that month, when the sentence says it ("January 2027") or says the month relatively. */
  year?: number;
}

/**
 * "per-app passes", "app passes", "App-Pässe", "pass par application": the license
 * itself, a pass, whose "app" says nothing about apps; "AppPass", the report's word for
 * a launch booked against one, stays.
 */
const APP_PASS = /\b(?:per[\s-]?)?app[\s-](pass(?:es)?|pa(?:ss|ß)|p(?:ä|ae)sse)\b|\b(pass(?:es)?)\s+(?:par|d')\s*app(?:li(?:cation)?)?s?\b/giu;

export const EMAIL = /[\w.+'-]+@[\w-]+(\.[\w-]+)+/;

const MONTH_WORDS = new Map<string, number>();
for (const [month, ws] of [
  [1, 'january januar janvier jan'],
  [2, 'february februar fevrier feb fev'],
  [3, 'march marz maerz mars'],
  [4, 'april avril apr'],
  [5, 'may mai'],
  [6, 'june juni juin jun'],
  [7, 'july juli juillet jul'],
  [8, 'august aout aug'],
  [9, 'september septembre sept sep'],
  [10, 'october oktober octobre oct okt'],
  [11, 'november novembre nov'],
  [12, 'december dezember decembre dec dez'],
] as const) {
  for (const w of ws.split(' ')) MONTH_WORDS.set(w, month);
}

/** "last month", "letzten Monat", "le mois dernier", "previous month": the word positions and how many months back. */
const RELATIVE_MONTH = [
  { words: ['last', 'month'], back: 1 },
  { words: ['previous', 'month'], back: 1 },
  { words: ['prior', 'month'], back: 1 },
  { words: ['this', 'month'], back: 0 },
  { words: ['letzten', 'monat'], back: 1 },
  { words: ['letzter', 'monat'], back: 1 },
  { words: ['vormonat'], back: 1 },
  { words: ['mois', 'dernier'], back: 1 },
  { words: ['mois', 'precedent'], back: 1 },
];
/** The relative months by their first word: each word of a sentence is looked up once. */
const RELATIVE_BY_FIRST = new Map<string, typeof RELATIVE_MONTH>();
for (const r of RELATIVE_MONTH) RELATIVE_BY_FIRST.set(r.words[0], [...(RELATIVE_BY_FIRST.get(r.words[0]) ?? []), r]);

/** A year beside a month ("Dec 2025"). */
const YEAR = /^20\d\d$/;

/** Before "may" it is the month, not the verb ("since May", "in May"). */
const MAY_AFTER = new Set(['since', 'seit', 'depuis', 'in', 'from', 'until', 'till', 'before', 'by', 'end', 'of', 'im', 'bis', 'vor', 'en', 'avant', 'jusqu']);

/** Whether a sentence names something of the tenant's: an environment, app or person, or an address. */
export function namesSomething(sentence: SentenceRead): boolean {
  return sentence.mentions.length > 0 || Boolean(sentence.email);
}

export function readSentence(said: string, names: TenantNames | null, now: Date = new Date()): SentenceRead {
  const email = EMAIL.exec(said)?.[0];
  const rest = email ? said.replace(email, ' '.repeat(email.length)) : said;
  const words = tokens(rest);
  const mentions = names ? names.find(words) : [];
  for (const m of mentions) {
    m.from = words[m.start].from;
    m.said = rest.slice(m.from, words[m.end - 1].to);
  }
  const replace: { from: number; to: number; with: string }[] = mentions.map((m) => ({ from: words[m.start].from, to: words[m.end - 1].to, with: PLACEHOLDER[m.kind] }));
  const taken = new Array<boolean>(words.length).fill(false);
  for (const m of mentions) taken.fill(true, m.start, m.end);
  if (email) replace.push({ from: said.indexOf(email), to: said.indexOf(email) + email.length, with: PLACEHOLDER.user });
  let month: number | undefined;
  let year: number | undefined;
  let clockUntil = -1;
  for (let i = 0; i < words.length; i++) {
    if (taken[i] || words[i].from < clockUntil) continue;
    const relative = RELATIVE_BY_FIRST.get(words[i].word)?.find((r) => r.words.every((w, k) => words[i + k]?.word === w));
    if (relative) {
      if (month === undefined) {
        const back = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - relative.back, 1));
        month = back.getUTCMonth() + 1;
        year = back.getUTCFullYear();
      }
      replace.push({ from: words[i].from, to: words[i + relative.words.length - 1].to, with: PLACEHOLDER.month });
      i += relative.words.length - 1;
      continue;
    }
    const m = monthOf(words, i);
    // A figure or a time starts with a digit: the patterns below are tried on those words only (a read's hot path).
    const digit = startsWithDigit(words[i].word);
    if (DAYS.has(words[i].word) && (words[i].word.length > 4 || words[i].capital)) {
      replace.push({ from: words[i].from, to: words[i].to, with: PLACEHOLDER.day });
    } else if (digit && (/^\d+(am|pm|h|uhr)$/.test(words[i].word) || (/^\d+$/.test(words[i].word) && isClock(rest, words[i])))) {
      clockUntil = clockEnd(rest, words[i]);
      replace.push({ from: words[i].from, to: clockUntil, with: PLACEHOLDER.time });
    } else if (m) {
      // "January 2027": the year is the month's, not a figure.
      const yearSaid = YEAR.test(words[i + 1]?.word ?? '') ? Number(words[i + 1].word) : undefined;
      if (month === undefined) {
        month = m;
        year = yearSaid;
      }
      replace.push({ from: words[i].from, to: words[yearSaid ? i + 1 : i].to, with: PLACEHOLDER.month });
      if (yearSaid) i++;
    } else if (digit && /^\d+$/.test(words[i].word) && !isClock(rest, words[i])) {
      replace.push({ from: words[i].from, to: words[i].to, with: PLACEHOLDER.amount });
    }
  }
  replace.sort((a, b) => b.from - a.from);
  let typed = said;
  for (const r of replace) typed = typed.slice(0, r.from) + r.with + typed.slice(r.to);
  // Each pattern only where its letters are (most sentences have neither): both say "app" and "re-" in every form they match, no other letter folding to them.
  const lower = typed.toLowerCase();
  if (lower.includes('app')) typed = typed.replace(APP_PASS, (_, english: string | undefined, french: string | undefined) => (english ?? french ?? 'pass').toLowerCase());
  // "re-sync", "re-fetch", "re-run": one word, as "resync" is.
  if (lower.includes('re-')) typed = typed.replace(/\bre-(?=\p{L})/giu, 're');
  return { typed, mentions, words, replaced: replace, ...(email ? { email: email.toLowerCase() } : {}), ...(month ? { month } : {}), ...(month && year ? { year } : {}) };
}

/** Whether a word starts with 0-9, where \d matches ASCII digits only (no u flag). */
function startsWithDigit(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function monthOf(words: readonly Token[], i: number): number | undefined {
  const w = words[i].word;
  const month = MONTH_WORDS.get(w);
  if (!month) return undefined;
  // Short forms and "may"/"mars"/"mai" need a month's company: "since may", "sep 2026", a capital.
  const before = monthWord(words[i - 1]?.word ?? '');
  if (w === 'may' && !before) return undefined;
  if (w.length <= 3 && w !== 'mai' && !words[i].capital && !/^\d{4}$/.test(words[i + 1]?.word ?? '') && !before) return undefined;
  return month;
}

/** Where a time of day that starts at `t` ends: "8:00", "9am", "16h", "9 Uhr". */
function clockEnd(said: string, t: Token): number {
  const m = /^(\d+)([:.h]\d+)?(\s?(am|pm|uhr|h)\b)?/i.exec(said.slice(t.from));
  return t.from + (m ? m[0].length : t.to - t.from);
}

/** A word that comes before a month ("since", "before"), or a typo of one ("snce", "befor"). */
function monthWord(w: string): boolean {
  if (MAY_AFTER.has(w)) return true;
  return w.length >= 4 && [...MAY_AFTER].some((m) => m.length === w.length + 1 && [...m].some((_, k) => m.slice(0, k) + m.slice(k + 1) === w));
}

/** "8:00", "9am", "16h": a time of day. */
function isClock(said: string, t: Token): boolean {
  return /^[:h.]\d|^\s?(am|pm|uhr|h\b)/i.test(said.slice(t.to, t.to + 4)) || /\d[:h.]$/.test(said.slice(Math.max(0, t.from - 2), t.from));
}
