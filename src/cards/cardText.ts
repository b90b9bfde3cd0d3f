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
 * Both put everything on one line: a newline in a name could start a heading or a list.
 */
export type CardTextPlace = 'markdown' | 'plain';

/** Line breaks, other control characters and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const BREAKS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;
/** Emphasis, code, strikethrough, link and image brackets, HTML and autolinks, table cells, and the backslash itself. */
const ALWAYS = /[\\`*~[\]<>|]/g;
/** `_` opens or closes emphasis only at a word's edge (CommonMark §6.2: intraword `_` is literal). */
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** An entity or numeric character reference would be decoded: "&lt;" must stay "&lt;". */
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** At the start of a line: a heading, list item, block quote, thematic break or setext underline. */
const LINE_START = /^(\s*)([#>+=-]|\d{1,9}(?=[.)]))/;

export function cardText(text: string, place: CardTextPlace = 'markdown'): string {
  const line = text.replace(BREAKS, ' ');
  if (place === 'plain') return line;
  return line
    .replace(ALWAYS, '\\$&')
    .replace(EDGE_UNDERSCORE, '\\_')
    .replace(ENTITY, '\\&')
    .replace(LINE_START, (_m, space: string, mark: string) => (/\d/.test(mark[0]) ? `${space}${mark}\\` : `${space}\\${mark}`));
}
