import { JSDOM } from 'jsdom';
import MarkdownIt from 'markdown-it';

/**
 * Microsoft's Adaptive Cards renderer (adaptivecards/dist/adaptivecards.js) in a jsdom
 * window: it parses a card against the 1.5 object model, reports every validation
 * event (unknown element, invalid value, property not in 1.5), and renders HTML.
 * The DOM globals it needs exist only during a call, so other tests (axios picks its
 * adapter from the globals it sees) run in a plain Node environment.
 */
type AC = typeof import('adaptivecards');

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
const win = dom.window as unknown as Record<string, unknown>;
const DOM_GLOBALS = ['window', ...Object.getOwnPropertyNames(win).filter((k) => /^(HTML|SVG|Node$|Element$|Event$|KeyboardEvent|MouseEvent|DOMParser|document$|navigator$|getComputedStyle|Text$|CSS)/.test(k))];

function withDom<T>(run: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const key of DOM_GLOBALS) {
    saved.set(key, Object.getOwnPropertyDescriptor(g, key));
    Object.defineProperty(g, key, { value: key === 'window' ? win : win[key], configurable: true, writable: true });
  }
  try {
    return run();
  } finally {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(g, key, descriptor);
      else delete g[key];
    }
  }
}

// jsdom has no layout, so no innerText: the renderer writes text through it.
const proto = (win.HTMLElement as { prototype: object }).prototype;
if (!Object.getOwnPropertyDescriptor(proto, 'innerText')) {
  Object.defineProperty(proto, 'innerText', {
    get(this: { textContent: string }) {
      return this.textContent;
    },
    set(this: { textContent: string }, v: string) {
      this.textContent = v;
    },
  });
}

let ac: AC | null = null;
let markdown: MarkdownIt | null = null;
const markdownIt = new MarkdownIt('commonmark');
function load(): AC {
  if (ac) return ac;
  ac = withDom(() => require('adaptivecards/dist/adaptivecards.js') as AC);
  // Teams renders markdown; by default text is kept as text (escaped), which is enough to
  // read it; with { markdown: true } it goes through markdown-it, as the renderer's own
  // default processor would, to see what markup a card's text makes.
  ac.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml?: string; didProcess: boolean }) => {
    result.outputHtml = markdown ? markdown.render(text) : text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    result.didProcess = true;
  };
  return ac;
}

export interface RenderResult {
  events: string[];
  html: string;
  text: string;
}

export function renderAdaptiveCard(json: object, options: { markdown?: boolean } = {}): RenderResult {
  const AC = load();
  markdown = options.markdown ? markdownIt : null;
  return withDom(() => {
    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    card.parse(json, context);
    const events: string[] = [];
    for (let i = 0; i < context.eventCount; i++) {
      const e = context.getEventAt(i);
      events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
    }
    const validation = card.validateProperties();
    for (const e of validation.validationEvents) events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
    const element = card.render();
    if (!element) events.push('render returned nothing');
    return { events, html: element?.outerHTML ?? '', text: element?.textContent ?? '' };
  });
}
