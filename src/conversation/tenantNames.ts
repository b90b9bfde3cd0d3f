import { editDistance } from '../licensing/names';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { departmentNames } from './departmentNames';
import { commonEnglishWords } from './commonWords';
import { inNamePlace } from './namePlace';

/**
 * The tenant's own names, found in a sentence before its intent is classified:
 * environments (by their display names and the short forms people use: "Sales Prod",
 * "HR", "contoso sales"), apps, users (address, display name, a first or last name
 * that only one person has). A forgiving match over spans of words (case, accents,
 * typos, the start of a name), where the domain's own words ("pass", "AppPass",
 * "premium", "report" ...) and the words of the question corpus are vocabulary: they
 * make a name only beside a word of it that is no question word. A word the tenant
 * has no name for is never a name.
 */

export type NameKind = 'environment' | 'app' | 'user';

/** One thing of the tenant a name stands for: an environment or user by id, an app by its environment and id. */
export interface Named {
  kind: NameKind;
  id: string;
  name: string;
  environmentId?: string;
}

/** Where a name was found: token positions, the words as typed, and what they may mean (several: ask). */
export interface Mention {
  kind: NameKind;
  start: number;
  end: number;
  /** Where in the sentence it was said (set by readSentence). */
  from: number;
  said: string;
  candidates: Named[];
}

/** Words that are the question's, never a name, whatever the tenant calls its things. */
export const DOMAIN_WORDS = (
  'pass passes app apps apppass appasses per user users license licenses licence licences licensing licensed premium standard booked booking book books allocated allocation allocate ' +
  'report reports active environment environments env envs tenant overage over idle unused capacity prod production dev developer test sandbox managed default teams ' +
  'csv excel file export digest channel chat month months week weekly daily pay as you go payg m365 e3 e5 d365 dynamics power platform powerapps microsoft ' +
  'pässe pass lizenz lizenzen umgebung umgebungen bericht monat licence licences environnement environnements rapport mois'
).split(' ');

/** A sentence's words as the matcher sees them: lower case without accents, each with whether it was typed with a capital. */
export interface Token {
  word: string;
  capital: boolean;
  /** Offsets in the sentence, to put a name's type in its place. */
  from: number;
  to: number;
}

export function tokens(said: string): Token[] {
  const found: Token[] = [];
  for (const m of said.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = fold(m[0]);
    if (word) found.push({ word, capital: startsWithCapital(m[0]), from: m.index, to: m.index + m[0].length });
  }
  return found;
}

/** A word typed with a capital: A-Z read by code, the Unicode class only beyond ASCII (most words; a read's hot path). */
function startsWithCapital(word: string): boolean {
  const c = word.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : /^\p{Lu}/u.test(word);
}

/** Plain ASCII has no accent to take off: most words typed, read without the Unicode normalisation (3x faster); a loop, not a pattern, as it runs for every word of every read. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

export function fold(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const nameWords = (name: string): string[] => tokens(name).map((t) => t.word);

interface Alias {
  words: string[];
  joined: string;
  thing: Named;
  /** A part of a name that only a capital makes a name ("Fleet"): one word of an app's name. */
  needsCapital: boolean;
  /** An everyday word that is one of several words of a name ("personal" of "Personal Productivity"): a name only where a name goes, or typed with a capital inside the sentence. */
  needsPlace?: boolean;
}

/** An environment's bracketed word as German and French say it: "(default)" is "par défaut", "Standard". */
const QUALIFIERS: Record<string, string[]> = {
  default: ['par defaut', 'standard'],
  dev: ['developpement', 'entwicklung', 'developer', 'development'],
  prod: ['production', 'produktion'],
};

const KIND_ORDER: Record<NameKind, number> = { environment: 0, user: 1, app: 2 };

/** One thing of the tenant's and the names it goes by: plain data, so it can cross to another thread. */
export interface NamedThing {
  thing: Named;
  names: string[];
  /** A person's first and last name, each naming them where no one else has it. */
  firstOrLast?: string[];
}

/** Every environment, app and user of a tenant, with the names each goes by. */
export function namedThings(tenant: AnalyzedTenant): NamedThing[] {
  const things: NamedThing[] = [];
  for (const e of tenant.report.environments) {
    things.push({ thing: { kind: 'environment', id: e.id, name: e.name }, names: [e.name] });
    for (const a of e.apps) things.push({ thing: { kind: 'app', id: a.appId, name: a.appName, environmentId: e.id }, names: [a.appName] });
  }
  const people = new Map<string, string>();
  for (const u of tenant.inventory.users ?? []) people.set(u.userPrincipalName.toLowerCase(), u.displayName ?? '');
  for (const u of tenant.report.users) if (!people.has(u.userPrincipalName.toLowerCase())) people.set(u.userPrincipalName.toLowerCase(), u.displayName ?? '');
  for (const [upn, display] of people) {
    const local = upn.split('@')[0].replace(/#ext#.*$/i, '');
    // "Pat Lee (Fabrikam, guest)": the part in brackets says who they are, it is not their name.
    const person = display.replace(/\([^)]*\)/g, ' ').trim();
    const first = nameWords(person || local.replace(/[._]/g, ' '));
    things.push({ thing: { kind: 'user', id: upn, name: display || upn }, names: [person, local.replace(/[._]/g, ' ')].filter(Boolean), firstOrLast: first.length > 1 ? [first[0], first[first.length - 1]] : first });
  }
  return things;
}

const cache = new WeakMap<object, TenantNames>();

export class TenantNames {
  private readonly byFirstWord = new Map<string, Alias[]>();
  /** Aliases by their letters without spaces ("timesheet", "dealdesk"). */
  private readonly byJoined = new Map<string, Alias[]>();
  /**
   * Each word typed, looked up once: whether it is the vocabulary's, and the aliases it may
   * start (typos take a scan of every alias). One lookup a word where there were three,
   * each in a table other chats' turns have pushed out of the cache since (docs/performance.md).
   */
  private readonly facts = new Map<string, { known: boolean; candidates: Alias[] }>();
  private readonly aliases: Alias[] = [];
  /** The lengths of the aliases' joined letters: most spans of typed words have none, and are not joined to be looked up. */
  private readonly joinedLengths = new Set<number>();
  /** Every environment, for "all of them" and for candidates when none was named. */
  readonly environments: Named[];

  private constructor(
    things: readonly NamedThing[],
    private readonly vocabulary: ReadonlySet<string>,
  ) {
    this.environments = things.filter((t) => t.thing.kind === 'environment').map((t) => t.thing);
    // A word of several names of one kind ("contoso", "notes", "desk") identifies none of them alone.
    const shared = new Map<string, number>();
    for (const { thing, names } of things) {
      for (const w of new Set(names.flatMap(nameWords))) shared.set(`${thing.kind}:${w}`, (shared.get(`${thing.kind}:${w}`) ?? 0) + 1);
    }
    const weak = (kind: NameKind, w: string) => vocabulary.has(w) || (shared.get(`${kind}:${w}`) ?? 0) > 1 || w.length < 2 || /^\d+$/.test(w);
    const seen = new Set<string>();
    const add = (words: string[], thing: Named, needsCapital: boolean, needsPlace = false) => {
      const key = `${thing.kind}:${thing.id}:${thing.environmentId ?? ''}:${words.join(' ')}`;
      if (!words.length || seen.has(key)) return;
      seen.add(key);
      const alias: Alias = { words, joined: words.join(''), thing, needsCapital, ...(needsPlace ? { needsPlace } : {}) };
      this.aliases.push(alias);
      const list = this.byFirstWord.get(words[0]) ?? [];
      list.push(alias);
      this.byFirstWord.set(words[0], list);
      this.byJoined.set(alias.joined, [...(this.byJoined.get(alias.joined) ?? []), alias]);
      this.joinedLengths.add(alias.joined.length);
    };
    const qualifiers = new Map<string, Named[]>();
    for (const { thing, names } of things) {
      if (thing.kind !== 'environment') continue;
      for (const q of names.flatMap((n) => [...n.matchAll(/\(([^)]*)\)/g)].map((m) => nameWords(m[1]).join(' ')))) if (q) qualifiers.set(q, [...(qualifiers.get(q) ?? []), thing]);
    }
    // "the default environment", "the dev env", "l'environnement par défaut": the bracketed word of a name, when one environment has it.
    for (const [q, envs] of qualifiers) {
      if (envs.length !== 1) continue;
      for (const said of [q, ...(QUALIFIERS[q] ?? [])]) {
        for (const word of ['environment', 'env', 'umgebung', 'environnement', 'one']) add([...said.split(' '), word], envs[0], false);
        // French puts the word after: "l'environnement de dev", "environnement par défaut".
        for (const word of ['environnement', 'environnement de']) add([...word.split(' '), ...said.split(' ')], envs[0], false);
        // German joins them: "Standardumgebung", "Entwicklungsumgebung".
        for (const joint of ['', 's']) add([`${said.replace(/ /g, '')}${joint}umgebung`], envs[0], false);
      }
    }
    const common = commonEnglishWords();
    for (const { thing, names, firstOrLast } of things) {
      for (const name of names) {
        const ws = nameWords(name);
        const everyday = everydayParts(thing, name, (w) => weak(thing.kind, w), common);
        // The whole name always names it, even of vocabulary words only ("Help Desk").
        if (ws.length > 1 || !weak(thing.kind, ws[0] ?? '')) add(ws, thing, false);
        for (let i = 0; i < ws.length; i++) {
          for (let j = i + 1; j <= ws.length; j++) {
            const part = ws.slice(i, j);
            if (part.length === ws.length || !part.some((w) => !weak(thing.kind, w))) continue;
            // One word of an app's name ("Office" of "Office Desk Booking") is too often another thing ("Office 365").
            if (thing.kind === 'app' && part.length === 1) continue;
            add(part, thing, false, part.length === 1 && everyday.has(part[0]));
          }
        }
      }
      for (const w of firstOrLast ?? []) if (!weak('user', w) && (shared.get(`user:${w}`) ?? 0) <= 1) add([w], thing, false);
      // A word several environments share ("contoso"): a name that means each of them, so the answer asks which.
      if (thing.kind === 'environment') for (const w of new Set(names.flatMap(nameWords))) if (!vocabulary.has(w) && w.length > 2 && (shared.get(`environment:${w}`) ?? 0) > 1) add([w], thing, false);
    }
    // A department in another language ("RH", "Personalabteilung" for "HR"); the tenant's own names win ("Personal Productivity").
    for (const { thing, names } of things) {
      if (thing.kind !== 'environment') continue;
      for (const d of names.flatMap((n) => departmentNames(nameWords(n)))) if (d.words.length > 1 || !shared.has(`environment:${d.words[0]}`)) add(d.words, thing, d.needsCapital);
    }
  }

  /** The names of a tenant's environments, apps and users, built once per analysed snapshot. */
  static of(tenant: AnalyzedTenant, vocabulary: ReadonlySet<string>): TenantNames {
    const known = cache.get(tenant);
    if (known && known.vocabulary === vocabulary) return known;
    const names = TenantNames.from(namedThings(tenant), vocabulary);
    cache.set(tenant, names);
    return names;
  }

  /** The names of a list read elsewhere (namedThings): the reading thread's, sent from the bot's (readingThread.ts). */
  static from(things: readonly NamedThing[], vocabulary: ReadonlySet<string>): TenantNames {
    return new TenantNames(things, vocabulary);
  }

  /**
   * The names in a sentence's tokens, longest first, each span once. A typo is one edit
   * in a word of five letters or more, two from eight; a word of the vocabulary is never
   * taken for a typo of a name ("over" is no "Rover").
   */
  find(words: readonly Token[]): Mention[] {
    const found: (Mention & { cost: number })[] = [];
    const facts = words.map((t) => this.factsOf(t.word));
    const known = facts.map((f) => f.known);
    for (let start = 0; start < words.length; start++) {
      for (const alias of facts[start].candidates) {
        const cost = this.cost(words, known, start, alias);
        if (cost !== null) found.push({ kind: alias.thing.kind, start, end: start + alias.words.length, from: 0, said: '', candidates: [alias.thing], cost });
      }
      // Joined or split words ("Timesheet" typed "time sheet", "DealDesk"): the letters of two or three words against a name.
      let letters = 0;
      let allVocabulary = true;
      for (let span = 1; span <= 3 && start + span <= words.length; span++) {
        letters += words[start + span - 1].word.length;
        allVocabulary &&= known[start + span - 1];
        if (letters < 6 || allVocabulary || !this.joinedLengths.has(letters)) continue;
        const joined = words.slice(start, start + span).map((t) => t.word).join('');
        for (const alias of this.byJoined.get(joined) ?? []) {
          if (alias.words.length !== span) found.push({ kind: alias.thing.kind, start, end: start + span, from: 0, said: '', candidates: [alias.thing], cost: 0.5 });
        }
      }
    }
    // Longest span first, then the closest, then environments before people before apps of the same words ("Huddle").
    found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.cost - b.cost || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const taken = new Array<boolean>(words.length).fill(false);
    const mentions: Mention[] = [];
    for (const m of found) {
      const same = mentions.find((x) => x.start === m.start && x.end === m.end && x.kind === m.kind);
      if (same) {
        if (!same.candidates.some((c) => c.id === m.candidates[0].id && c.environmentId === m.candidates[0].environmentId) && (same as Mention & { cost: number }).cost === m.cost) same.candidates.push(m.candidates[0]);
        continue;
      }
      if (taken.slice(m.start, m.end).some(Boolean)) continue;
      for (let i = m.start; i < m.end; i++) taken[i] = true;
      mentions.push(m);
    }
    return mentions.sort((a, b) => a.start - b.start);
  }

  private factsOf(word: string): { known: boolean; candidates: Alias[] } {
    const kept = this.facts.get(word);
    if (kept) return kept;
    const known = this.vocabulary.has(word);
    const facts = { known, candidates: this.candidatesAt(word, known) };
    if (this.facts.size >= 10_000) this.facts.clear();
    this.facts.set(word, facts);
    return facts;
  }

  private candidatesAt(word: string, inVocabulary: boolean): Alias[] {
    const exact = this.byFirstWord.get(word) ?? [];
    if (inVocabulary || word.length < 4) return exact;
    // Typos and starts of a first word: the aliases whose first word is close.
    return [...exact, ...this.aliases.filter((a) => a.words[0] !== word && (typoOf(word, a.words[0], a.words.length > 1) || (a.words.length > 1 && word.length >= 4 && a.words[0].startsWith(word))))];
  }

  /** How far the words at `start` are from an alias: 0 exact, a share per typo; null when they are not it. */
  private cost(words: readonly Token[], known: readonly boolean[], start: number, alias: Alias): number | null {
    if (start + alias.words.length > words.length) return null;
    let cost = 0;
    let allVocabulary = true;
    for (let i = 0; i < alias.words.length; i++) {
      const typed = words[start + i];
      const want = alias.words[i];
      if (!known[start + i]) allVocabulary = false;
      if (typed.word === want) continue;
      if (known[start + i] || typed.word.length < 4) return null;
      // The last word may be cut short ("Field Serv"), four letters at least.
      if (i === alias.words.length - 1 && alias.words.length > 1 && want.startsWith(typed.word)) cost += 0.3;
      // A typo in a name of one word only where it is long ("opertions"): a short one is too near everyday words ("matin", "Martin").
      else if ((alias.words.length > 1 || want.length >= 7) && typoOf(typed.word, want, alias.words.length > 1)) cost += 0.4;
      else return null;
    }
    if (allVocabulary && alias.words.length === 1) return null;
    if (alias.needsCapital && !words[start].capital) return null;
    // "personal question: do I need a license?" is no question about Personal Productivity; "is personal over?", "what about Personal?" are.
    if (alias.needsPlace && !(words[start].capital && start > 0) && !inNamePlace(words.map((t) => t.word), start, start + alias.words.length)) return null;
    return cost;
  }
}

/**
 * The words of an environment's name that are everyday English and not its one word of
 * its own: "personal" and "productivity" of "Personal Productivity (default)", "field" and
 * "service" of "Field Service (Dev)"; not "sales" of "Contoso Sales (Prod)", whose other
 * word "contoso" several names share, nor "finance" of "Finance (Pay-as-you-go)". The
 * bracketed part is the name's qualifier, not its own words.
 */
function everydayParts(thing: Named, name: string, weak: (w: string) => boolean, common: ReadonlySet<string>): ReadonlySet<string> {
  if (thing.kind !== 'environment') return NONE;
  const own = nameWords(name.replace(/\([^)]*\)/g, ' ')).filter((w) => !weak(w));
  return own.length > 1 ? new Set(own.filter((w) => common.has(w))) : NONE;
}
const NONE: ReadonlySet<string> = new Set();

/** One edit from five letters (from four inside a name of several words: "leed capture"), two from eight. */
function typoOf(typed: string, name: string, inLongerName = false): boolean {
  const allowed = name.length >= 8 ? 2 : name.length >= (inLongerName ? 4 : 5) ? 1 : 0;
  return allowed > 0 && Math.abs(typed.length - name.length) <= allowed && editDistance(typed, name) <= allowed;
}
