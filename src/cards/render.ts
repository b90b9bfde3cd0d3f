import { Template } from 'adaptivecards-templating';
import overview from './overview.json';
import environment from './environment.json';
import app from './app.json';
import user from './user.json';
import findings from './findings.json';
import advice from './advice.json';
import help from './help.json';
import error from './error.json';
import choice from './choice.json';
import digest from './digest.json';
import subscription from './subscription.json';
import trend from './trend.json';
import setup from './setup.json';
import answer from './answer.json';
import spend from './spend.json';
import type { CardData } from './views';
import { cardText, type CardTextPlace } from './cardText';

/**
 * Cards are JSON templates beside this file, expanded with adaptivecards-templating;
 * code only prepares the data. One template per view.
 */
export const TEMPLATES = { overview, environment, app, user, findings, advice, help, error, choice, digest, subscription, trend, setup, answer, spend } satisfies Record<keyof CardData, object>;
export type CardName = keyof typeof TEMPLATES;

/** One template and the data it is expanded with, typed per template (views.ts). */
export type CardView = {
  [K in CardName]: {
    card: K;
    data: CardData[K];
    /** Added to what every button of the card sends back: the context its answer needs (an upload's id). */
    buttonData?: Record<string, string>;
    /**
     * Lines above the answer, top first, about how it answers what was asked: from the files
     * dropped in the chat, not the tenant; nothing changed, as PassLens only reads; no
     * environment of that name; another month than the one asked (conversation/linesAbove.ts).
     */
    linesAbove?: readonly LineAbove[];
  };
}[CardName];

/** A line above a card's answer, with a button where there is somewhere to go. */
export interface LineAbove {
  text: string;
  button?: { title: string; data: Record<string, string> };
  /** Buttons beside the first, where there are several places to go. */
  more?: { title: string; data: Record<string, string> }[];
}

/** The view of one template. */
export type ViewOf<K extends CardName> = Extract<CardView, { card: K }>;

/**
 * The most conservative card size Teams documents: "When posting a message, the message
 * size limit is approximately 28 KB" (Microsoft Teams connector, Known issues and
 * limitations: https://learn.microsoft.com/connectors/teams/); a bot message over Teams'
 * own limit is refused with 413 MessageSizeTooBig and the answer is lost (Format your bot
 * messages: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
 */
export const CARD_SIZE_LIMIT = 28 * 1024;
/** Room kept for the message around a card (its attachment, the activity's ids and addresses). */
const MESSAGE_ROOM = 1024;
/** What a card itself may weigh. */
const CARD_BUDGET = CARD_SIZE_LIMIT - MESSAGE_ROOM;
/**
 * The most characters one text of a card's data shows: twice the longest sentence the
 * cards write with names in it (508 on the demo tenant's cards), so only a name of hundreds
 * of characters is shortened, and a card is never mostly one name.
 */
const TEXT_LIMIT = 1000;
/** The fewest characters a name keeps on a card that had to be shortened to fit. */
const SHORTEST_NAME = 24;
/** Room kept on every page for buttonData (a short id on each button), which pages are fitted without. */
const BUTTON_DATA_ROOM = 1024;

export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard' };

/**
 * Parsed templates, kept: the Template constructor parses every ${...} expression,
 * the slowest part of an answer (docs/performance.md). expand() is
 * synchronous and keeps no state between calls, so one instance serves every turn.
 */
const parsed = new Map<CardName, Template>();

/**
 * Cards already rendered, by their view's JSON. A card is a function of its view alone (the
 * templates are fixed, views.ts's data is JSON: strings, booleans, whole numbers), and on
 * one tenant snapshot the same question gives the same view, so a card asked again costs
 * one JSON.stringify of its view instead of an expansion (0.3 ms a card, most of a warm
 * answer: docs/performance.md, "Conversations"). Kept cards are frozen, since every
 * answer that asks for one shares it; the oldest go first beyond RENDERED_BUDGET, counted
 * in characters of key and card JSON (the objects take a few times that in the heap).
 */
const RENDERED_BUDGET = 4 * 1024 * 1024;
const rendered = new Map<string, { card: AdaptiveCardJson; weight: number }>();
let renderedWeight = 0;
/** The same view object again (a view kept per snapshot: conversation/snapshotAnswers.ts): its card without the JSON. */
const byView = new WeakMap<CardView, AdaptiveCardJson>();

/**
 * The card, under CARD_SIZE_LIMIT with its message whatever the names: each text of its
 * data at most TEXT_LIMIT characters (cardText's limit: the middle given up for an
 * ellipsis), and a card still too large is expanded again with its texts shortened to the
 * longest length at which it fits, found by bisection, so short texts stay whole and only
 * the longest give up their middle. The full names stay in the findings export and the CLI.
 * The card is shared with whoever asks for the same view: read it, never change it.
 */
export function renderCard(view: CardView): Readonly<AdaptiveCardJson> {
  const same = byView.get(view);
  if (same) return same;
  const key = JSON.stringify(view);
  const kept = rendered.get(key);
  if (kept) {
    // Used again: to the end of the Map's order, so the oldest unused goes first.
    rendered.delete(key);
    rendered.set(key, kept);
    byView.set(view, kept.card);
    return kept.card;
  }
  const { card, bytes } = fittedCard(view);
  const weight = key.length + bytes;
  if (weight > RENDERED_BUDGET) return card;
  rendered.set(key, { card: frozen(card), weight });
  byView.set(view, card);
  for (renderedWeight += weight; renderedWeight > RENDERED_BUDGET; ) {
    const [oldest, entry] = rendered.entries().next().value as [string, { weight: number }];
    rendered.delete(oldest);
    renderedWeight -= entry.weight;
  }
  return card;
}

function fittedCard(view: CardView): { card: AdaptiveCardJson; bytes: number } {
  const card = expandCard(view, TEXT_LIMIT);
  const bytes = cardBytes(card);
  if (bytes <= CARD_BUDGET) return { card, bytes };
  let fits = SHORTEST_NAME;
  let tooLong = Math.min(TEXT_LIMIT, Math.max(longestText(view.data), ...(view.linesAbove ?? []).map((l) => l.text.length))) + 1;
  while (tooLong - fits > 1) {
    const limit = Math.floor((fits + tooLong) / 2);
    if (cardBytes(expandCard(view, limit)) <= CARD_BUDGET) fits = limit;
    else tooLong = limit;
  }
  const fitted = expandCard(view, fits);
  return { card: fitted, bytes: cardBytes(fitted) };
}

function frozen<T>(node: T): T {
  if (node && typeof node === 'object' && !Object.isFrozen(node)) {
    for (const value of Object.values(node)) frozen(value);
    Object.freeze(node);
  }
  return node;
}

/** The template expanded with the view's data, each text of the data at most `limit` characters. */
function expandCard(view: CardView, limit: number): AdaptiveCardJson {
  let template = parsed.get(view.card);
  if (!template) parsed.set(view.card, (template = new Template(TEMPLATES[view.card])));
  const card = showData(template.expand({ $root: markData(view.data) }), null, false, limit) as AdaptiveCardJson;
  if (view.buttonData) addButtonData(card, view.buttonData);
  // Each line goes on top of those after it: the last first.
  const lines = view.linesAbove ?? [];
  for (let i = lines.length - 1; i >= 0; i--) addLineAbove(card, lines[i], limit);
  return card;
}

function longestText(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => Math.max(n, longestText(v)), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => Math.max(n, longestText(v)), 0);
  return 0;
}

/**
 * Every string of a view's data is tenant or file data to the card (the templates hold
 * PassLens's own words and markup), so each is escaped where it lands: marked before the
 * expansion, then, in the expanded card, escaped inside a TextBlock's or TextRun's text and
 * a fact (cardText 'markdown'), put on one line in an action's or choice's title ('plain'),
 * and unmarked as is everywhere else (button data, ids, colours, URLs). Marks go round
 * non-empty strings only, so `${x != ''}` still holds; a template must not compare data
 * with another string literal.
 */
const OPEN = '\u0001';
const CLOSE = '\u0002';
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const MARKED = /\u0001([^\u0002]*)\u0002/g;

/** The data's objects and arrays as marked (markData): an expression may put one in the card more than once, so where they land they are copied, never written. */
const fromData = new WeakSet<object>();

function markData(value: unknown): unknown {
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  if (typeof value === 'string') return value ? `${OPEN}${value.replace(/[\u0001\u0002]/g, ' ')}${CLOSE}` : value;
  if (!value || typeof value !== 'object') return value;
  let marked: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) marked = value.map(markData);
  else {
    marked = {};
    for (const key in value) marked[key] = markData((value as Record<string, unknown>)[key]);
  }
  fromData.add(marked);
  return marked;
}

/**
 * The expanded card with its data's texts shown where they land. The expansion's own
 * objects are written in place (a copy of every node was a third of a render); objects
 * of the data are copied.
 */
function showData(node: unknown, place: CardTextPlace | null, inFacts: boolean, limit: number): unknown {
  if (typeof node === 'string') return node.includes(OPEN) ? node.replace(MARKED, (_m, text: string) => (place ? cardText(text, place, limit, node) : text)) : node;
  if (!node || typeof node !== 'object') return node;
  const copy = fromData.has(node);
  if (Array.isArray(node)) {
    const out = copy ? new Array<unknown>(node.length) : node;
    for (let i = 0; i < node.length; i++) out[i] = showData(node[i], null, inFacts, limit);
    return out;
  }
  const o = node as Record<string, unknown>;
  const out: Record<string, unknown> = copy ? {} : o;
  const type = typeof o.type === 'string' ? o.type : '';
  for (const key in o) out[key] = showData(o[key], placeOf(type, key, inFacts), key === 'facts', limit);
  return out;
}

/** Properties whose text is shown as plain text, where they are not markdown. Chart legends and axis titles are shown too (Teams' Chart.* elements). */
const PLAIN = new Set(['title', 'tooltip', 'label', 'placeholder', 'altText', 'legend', 'subLabel', 'xAxisTitle', 'yAxisTitle']);

/** Where a property's text is shown: markdown, plain, or not shown (null). */
function placeOf(type: string, key: string, inFacts: boolean): CardTextPlace | null {
  if (inFacts && (key === 'title' || key === 'value')) return 'markdown';
  if (key === 'text' && (type === 'TextBlock' || type === 'TextRun')) return 'markdown';
  if (PLAIN.has(key)) return 'plain';
  return null;
}

/** Every Action.Execute and Action.Submit, fallbacks and select actions included. */
function addButtonData(node: unknown, extra: Record<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) addButtonData(item, extra);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'Action.Execute' || o.type === 'Action.Submit') o.data = { ...(o.data as object | undefined), ...extra };
  for (const [key, value] of Object.entries(o)) if (key !== 'data') addButtonData(value, extra);
}

/** After addButtonData: a line's buttons carry their own data only (the upload line's asks the tenant; a month line names its upload itself). Universal Action with the Submit fallback, as the templates write buttons. */
function addLineAbove(card: AdaptiveCardJson, line: LineAbove, limit: number): void {
  const body = Array.isArray(card.body) ? card.body : [];
  const said = { type: 'TextBlock', text: cardText(line.text, 'markdown', limit), wrap: true, size: 'Small', isSubtle: true };
  if (!line.button) {
    card.body = [said, ...body];
    return;
  }
  const actions = [line.button, ...(line.more ?? [])].map((b) => {
    const action = { type: 'Action.Execute', title: cardText(b.title, 'plain'), verb: b.data.verb, data: b.data };
    return { ...action, fallback: { type: 'Action.Submit', title: action.title, data: action.data } };
  });
  card.body = [
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [said] },
        { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions }] },
      ],
    },
    ...body,
  ];
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * The largest page size (at most `preferred`) at which every page's card fits the size
 * limit as it is. Lists page rather than shorten, so nothing is cut off silently; only a
 * page of one that still does not fit has its names shortened (renderCard).
 */
export function fitPageSize<T>(items: readonly T[], preferred: number, build: (page: readonly T[]) => CardView): number {
  let size = Math.max(1, Math.min(preferred, items.length));
  const fits = (n: number): boolean => {
    for (let start = 0; start < items.length; start += n) {
      if (cardBytes(expandCard(build(items.slice(start, start + n)), TEXT_LIMIT)) > CARD_BUDGET - BUTTON_DATA_ROOM) return false;
    }
    return true;
  };
  while (size > 1 && !fits(size)) size = Math.max(1, Math.floor(size / 2));
  return size;
}
