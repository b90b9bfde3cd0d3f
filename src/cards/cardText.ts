import { stripVTControlCharacters } from 'node:util';

/**
 * Text from a tenant or a file (app, environment and user names, CSV columns) shown
 * literally in a card or in the CLI's markdown: Teams renders TextBlock and FactSet text
 * as a CommonMark subset (adaptivecards.io "Text features": bold, italic, lists, links),
 * so an app named "[click me](https://evil.example)" would become a link in an admin's
 * chat. One function, two places:
 *
 * - 'markdown' (TextBlock, FactSet, the CLI's --format markdown): backslash-escapes what
 *   CommonMark would read as markup (CommonMark 0.31 §2.4: any ASCII punctuation may be
 *   escaped), and only there, so "Sales_Tracker" and "R&D" stay as they are on clients
 *   that show a backslash;
 * - 'plain' (action titles, which no client renders as markdown).
 *
 * Both put everything on one line (oneLine): a newline in a name could start a heading or a
 * list, and the CLI's text output (src/cli/reportText.ts) uses oneLine for every line.
 */
export type CardTextPlace = 'markdown' | 'plain';

/**
 * Line breaks and other C0 and C1 control characters, DEL, and the Unicode line and
 * paragraph separators: each run becomes one space.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/**
 * The bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI,
 * FSI, PDI: Unicode UAX #9 §2), which reorder what follows them on screen ("Trojan Source",
 * CVE-2021-42574): a name could make a line read differently from what it holds. Removed;
 * the marks LRM, RLM and ALM reorder nothing and stay, for right-to-left names.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name as one line of inert text, for a terminal, markdown or a card: terminal escape
 * sequences (CSI, OSC, the C1 forms; node:util's stripVTControlCharacters) removed whole,
 * so "\x1b[31m" leaves no "[31m" behind, then bidi controls removed and every other control
 * character or line break turned into a space.
 */
export function oneLine(text: string): string {
  return stripVTControlCharacters(text).replace(BIDI_CONTROLS, '').replace(BREAKS, ' ');
}

/**
 * At most `limit` characters, the middle given up for an ellipsis: a name inside a sentence
 * ("App X has 3 users") loses its own middle and the sentence keeps both ends. Never splits
 * a surrogate pair.
 */
export function shortened(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const keep = Math.max(2, limit) - 1;
  let head = Math.ceil(keep / 2);
  let tail = text.length - (keep - head);
  if (/[\ud800-\udbff]/.test(text[head - 1] ?? '')) head--;
  if (/[\udc00-\udfff]/.test(text[tail] ?? '')) tail++;
  return `${text.slice(0, head)}\u2026${text.slice(tail)}`;
}

/**
 * Emphasis, code, link and image brackets, HTML and autolinks (opened by `<`), table cells
 * (a template may put names on lines of their own), and the backslash itself. Not `>`:
 * inside a line it is markup only after a `<`, escaped here, and at a line's start
 * LINE_START escapes it. So our own "admin center > Environments" shows no backslash on
 * the Teams clients that did not read escapes (iOS and Android:
 * microsoft/AdaptiveCards#5590, Teams-AdaptiveCards-Mobile#58).
 */
const ALWAYS = /[\\`*[\]<|]/g;
/** A strikethrough needs a pair of tildes (GFM 0.29 §6.5): a lone one ("~$120/month") is text. */
const TILDES = /~/g;
/** `_` opens or closes emphasis only at a word's edge (CommonMark §6.2: intraword `_` is literal). */
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** An entity or numeric character reference would be decoded: "&lt;" must stay "&lt;". */
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** At the start of a line: a heading, list item, block quote, thematic break or setext underline. */
const LINE_START = /^(\s*)([#>+=-]|\d{1,9}(?=[.)]))/;

/**
 * `limit`: the most characters of the name kept (shortened), for a card that must fit
 * Teams' size limit. `within`: the whole text the name lands in (a TextBlock's text with
 * every name in it), where a tilde may find its pair.
 */
export function cardText(text: string, place: CardTextPlace = 'markdown', limit = Infinity, within = text): string {
  const line = shortened(oneLine(text), limit);
  if (place === 'plain') return line;
  const pairedTildes = within.indexOf('~') !== within.lastIndexOf('~');
  return line
    .replace(ALWAYS, '\\$&')
    .replace(TILDES, pairedTildes ? '\\~' : '~')
    .replace(EDGE_UNDERSCORE, '\\_')
    .replace(ENTITY, '\\&')
    .replace(LINE_START, (_m, space: string, mark: string) => (/\d/.test(mark[0]) ? `${space}${mark}\\` : `${space}\\${mark}`));
}
