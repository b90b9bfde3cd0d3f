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
import type { CardData } from './views';

/**
 * Cards are JSON templates beside this file, expanded with adaptivecards-templating;
 * code only prepares the data. One template per view.
 */
export const TEMPLATES = { overview, environment, app, user, findings, advice, help, error, choice, digest, subscription, trend } satisfies Record<keyof CardData, object>;
export type CardName = keyof typeof TEMPLATES;

/** One template and the data it is expanded with, typed per template (views.ts). */
export type CardView = {
  [K in CardName]: {
    card: K;
    data: CardData[K];
    /** Added to what every button of the card sends back: the context its answer needs (an upload's id). */
    buttonData?: Record<string, string>;
  };
}[CardName];

/** The view of one template. */
export type ViewOf<K extends CardName> = Extract<CardView, { card: K }>;

/** The most conservative card size Teams documents (28 KB for a message with a card). */
export const CARD_SIZE_LIMIT = 28 * 1024;
/** Room kept on every page for buttonData (a short id on each button), which pages are fitted without. */
const BUTTON_DATA_ROOM = 1024;

export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard' };

/**
 * Parsed templates, kept: the Template constructor parses every ${...} expression,
 * the slowest part of an answer (docs/performance.md). expand() is
 * synchronous and keeps no state between calls, so one instance serves every turn.
 */
const parsed = new Map<CardName, Template>();

export function renderCard(view: CardView): AdaptiveCardJson {
  let template = parsed.get(view.card);
  if (!template) parsed.set(view.card, (template = new Template(TEMPLATES[view.card])));
  const card = template.expand({ $root: view.data }) as AdaptiveCardJson;
  if (view.buttonData) addButtonData(card, view.buttonData);
  return card;
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

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * The largest page size (at most `preferred`) at which every page's card fits the size
 * limit. Lists page rather than truncate, so nothing is cut off silently.
 */
export function fitPageSize<T>(items: readonly T[], preferred: number, build: (page: readonly T[]) => CardView): number {
  let size = Math.max(1, Math.min(preferred, items.length));
  const fits = (n: number): boolean => {
    for (let start = 0; start < items.length; start += n) {
      if (cardBytes(renderCard(build(items.slice(start, start + n)))) > CARD_SIZE_LIMIT - BUTTON_DATA_ROOM) return false;
    }
    return true;
  };
  while (size > 1 && !fits(size)) size = Math.max(1, Math.floor(size / 2));
  return size;
}
