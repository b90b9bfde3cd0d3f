import { JSDOM } from 'jsdom';

/**
 * Microsoft's Adaptive Cards renderer (adaptivecards/dist/adaptivecards.js) in a jsdom
 * window: it parses a card against the 1.5 object model, reports every validation
 * event (unknown element, invalid value, property not in 1.5), and renders HTML.
 */
type AC = typeof import('adaptivecards');

let ac: AC | null = null;

function load(): AC {
  if (ac) return ac;
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  const win = dom.window as unknown as Record<string, unknown>;
  g.window = win;
  // The renderer checks `instanceof HTMLButtonElement` and friends: expose the DOM classes it may use.
  for (const key of Object.getOwnPropertyNames(win)) {
    if (/^(HTML|SVG|Node|Element|Event|KeyboardEvent|MouseEvent|DOMParser|document|navigator|getComputedStyle|Text|CSS)/.test(key) && !(key in g)) g[key] = win[key];
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
  ac = require('adaptivecards/dist/adaptivecards.js') as AC;
  // Teams renders markdown; here text is kept as text (escaped), which is enough to read it.
  ac.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml?: string; didProcess: boolean }) => {
    result.outputHtml = text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    result.didProcess = true;
  };
  return ac;
}

export interface RenderResult {
  events: string[];
  html: string;
  text: string;
}

export function renderAdaptiveCard(json: object): RenderResult {
  const AC = load();
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  const validation = card.validateProperties();
  for (let i = 0; i < validation.validationEvents.length; i++) {
    const e = validation.validationEvents[i];
    events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  const element = card.render();
  if (!element) events.push('render returned nothing');
  return { events, html: element?.outerHTML ?? '', text: element?.textContent ?? '' };
}
