import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

/**
 * Every card kind, as an admin meets it in the Agents Playground: each is asked for,
 * photographed (test-artifacts/card-*.png, at 1280 px wide, at most about 1,000 px tall),
 * its coloured text checked for WCAG AA contrast on the Playground's background, and every
 * button on it clicked, asserting each does what its title says: an answer that is new
 * comes as a new message under the card, which stays; paging and "Refresh" replace the
 * card; "Why we think so" and "Show all" open on the card itself.
 */

interface Expectation {
  /** What the answer the button gives says. */
  shows: RegExp;
  /** Where it comes: a new message, the same card replaced, or the same card opened further. */
  where: 'new' | 'replaced' | 'opened';
}

/** What each button's title promises (a title not listed fails the test: a new button needs its promise here). */
function promise(title: string, card: string): Expectation {
  const rules: [RegExp, Expectation][] = [
    [/^Why we think so$/, { shows: /./, where: 'opened' }],
    [/^Show all \d+$/, { shows: card === 'advice' ? /./ : /All \d+/, where: card === 'advice' ? 'opened' : 'replaced' }],
    [/^Show all \d+ environments$/, { shows: /./, where: 'opened' }],
    [/^Explain an environment$/, { shows: /./, where: 'opened' }],
    [/^More(: .*)?$/, { shows: /./, where: 'opened' }],
    [/^(Next|Previous)$/, { shows: /All \d+, page \d+ of \d+/, where: 'replaced' }],
    [/^Back to the summary$/, { shows: /./, where: 'replaced' }],
    [/^Refresh$/, { shows: /./, where: 'replaced' }],
    [/^Are we over\?$/, { shows: /Are we over\?/, where: 'new' }],
    [/^Misclassified apps$/, { shows: /Apps booked against their classification/, where: 'new' }],
    [/^What should we buy( here)?\?$/, { shows: /What to do before buying anything/, where: 'new' }],
    [/^Which environment wastes the most passes\?$/, { shows: /Where passes sit idle/, where: 'new' }],
    [/^All environments' costs$/, { shows: /What your passes cost/, where: 'new' }],
    [/^(Overview|All environments|Overview of the tenant)$/, { shows: /Per-app passes, environment by environment/, where: 'new' }],
    [/^Download findings \(CSV\)$/, { shows: /This chat cannot receive files[\s\S]*npx passlens analyze/, where: 'new' }],
    [/^Explain (.+)$/, { shows: new RegExp(escape(title.replace(/^Explain /, ''))), where: 'new' }],
    [/^Back to (.+)$/, { shows: new RegExp(escape(title.replace(/^Back to /, ''))), where: 'new' }],
    [/^Check again$/, { shows: /setup/i, where: 'new' }],
    [/^How do I upload\?$/, { shows: /Analysing the Active users CSV/, where: 'new' }],
    [/^What does (.+) consume\?$/, { shows: new RegExp(escape(title.replace(/^What does (.+) consume\?$/, '$1'))), where: 'new' }],
  ];
  for (const [title_, e] of rules) if (title_.test(title)) return e;
  // An environment's name (trend, digest and choice buttons): that environment's answer.
  return { shows: new RegExp(escape(title.replace(/ \(.*@.*\)$/, ''))), where: 'new' };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** WCAG 2.x contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every visible text block of a card: its colour and the background it is drawn on. */
const COLOURED_TEXT = new Function('root', `
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...root.querySelectorAll('.ac-textBlock')]
    .filter((e) => e.offsetParent !== null && e.textContent.trim())
    .map((e) => ({ text: e.textContent.trim().slice(0, 40), color: getComputedStyle(e).color, background: background(e) }));
`) as (root: Element) => { text: string; color: string; background: string }[];

describe('end to end: every card kind and every button on it, in the Agents Playground (Chromium)', function () {
  this.timeout(300_000);
  let session: PlaygroundSession;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    session = await openPlayground({ PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-cards-')), PASSLENS_DIGEST_TIMER: 'external' });
    page = session.page;
    await page.setViewportSize({ width: 1280, height: 1400 });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: artifactPath('failed-cards.png'), fullPage: true });
  });

  after(() => session?.close());

  /** The bot's cards in the chat, top-level ones only (a ShowCard's card sits inside its parent). */
  const cards = () => page.locator('.ac-preview-panel > .ac-adaptiveCard');

  async function settled(card: Locator): Promise<string> {
    return (await card.innerText()).replace(/\s+/g, ' ');
  }

  /** The invokes the Playground's log panel lists as answered: one more each time a card's Action.Execute is answered. */
  async function invokes(): Promise<number> {
    return page.getByText('invoke 200', { exact: true }).count();
  }

  async function ask(text: string): Promise<number> {
    const before = await cards().count();
    await page.locator('[data-lexical-editor="true"]').first().click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await cards().count()) > before, `an answer to "${text}"`);
    return (await cards().count()) - 1;
  }

  async function waitFor(done: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await done()) return;
      await page.waitForTimeout(150);
    }
    throw new Error(`no ${what} within ${ms} ms`);
  }

  /** Photographs the card, checks its height and the contrast of its coloured text. */
  async function inspect(index: number, name: string, tall = false): Promise<void> {
    const card = cards().nth(index);
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await card.screenshot({ path: artifactPath(`card-${name}.png`) });
    const box = await card.boundingBox();
    assert.ok(box, `${name}: the card is on the page`);
    if (!tall) assert.ok(box.height <= 1050, `${name}: ${Math.round(box.height)} px tall at 1280 px wide`);
    const low = await card.evaluate(COLOURED_TEXT);
    for (const t of low) assert.ok(contrast(t.color, t.background) >= 4.5, `${name}: "${t.text}" in ${t.color} on ${t.background} is ${contrast(t.color, t.background).toFixed(2)}:1, below AA`);
  }

  /** Clicks every button of the card asked for by `question`, each on a fresh copy of the card. */
  async function clickEvery(question: string, name: string, index: number): Promise<string[]> {
    const titles = (await cards().nth(index).locator('.ac-actionSet > button, .ac-actionSet button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    const clicked: string[] = [];
    let at = index;
    let fresh = true;
    for (const title of [...new Set(titles)]) {
      if (!fresh) at = await ask(question);
      const card = cards().nth(at);
      const expected = promise(title, name);
      const before = await settled(card);
      const count = await cards().count();
      const errors = pageErrors.length;
      const invoked = await invokes();
      await card.getByRole('button', { name: title, exact: true }).first().click();
      if (expected.where === 'new') {
        await waitFor(async () => (await cards().count()) > count, `new message after "${title}" on ${name}`);
        const answer = await settled(cards().last());
        assert.match(answer, expected.shows, `${name} > "${title}"`);
        // The card stays (the Playground draws it again, so what a toggle opened on it closes).
        assert.ok((await settled(card)).startsWith(before.slice(0, 120)), `${name} > "${title}": the card it came from stays`);
        fresh = true;
      } else {
        // Replaced: the Playground logs the invoke's answer, even when the card's words stay the same (Refresh).
        await waitFor(async () => (expected.where === 'replaced' ? (await invokes()) > invoked : (await settled(card)) !== before), `change of the card after "${title}" on ${name}`);
        await page.waitForTimeout(expected.where === 'replaced' ? 300 : 0);
        assert.equal(await cards().count(), count, `${name} > "${title}": no new message`);
        assert.match(await settled(card), expected.shows, `${name} > "${title}"`);
        if (expected.where === 'opened') assert.ok((await settled(card)).length > before.length, `${name} > "${title}" shows more`);
        fresh = expected.where === 'opened';
        // Paging: the list it opened has its own buttons, each clicked in turn.
        if (/^Show all/.test(title) && expected.where === 'replaced') {
          for (const step of ['Next', 'Previous', 'Back to the summary']) {
            const button = card.getByRole('button', { name: step, exact: true });
            if (!(await button.count())) continue;
            const invoked = await invokes();
            await button.first().click();
            await waitFor(async () => (await invokes()) > invoked, `"${step}" on ${name}`);
            await page.waitForTimeout(300);
            assert.match(await settled(card), promise(step, name).shows);
            clicked.push(step);
          }
        }
      }
      assert.deepEqual(pageErrors.slice(errors), [], `${name} > "${title}": no page error`);
      clicked.push(title);
    }
    return clicked;
  }

  const kinds: { name: string; question: string; expect: RegExp; buttons: RegExp[] }[] = [
    { name: 'help', question: 'help', expect: /What I can answer/, buttons: [/Are we over\?/, /Misclassified apps/, /What should we buy\?/, /Overview/] },
    { name: 'overview', question: 'overview', expect: /Allocated: 77 of the 82 below\. Left out: 5 in Finance \(Pay-as-you-go\)/, buttons: [/Explain an environment/, /Show all \d+ environments/, /What should we buy\?/, /Download findings \(CSV\)/, /Refresh/] },
    { name: 'environment', question: 'how many passes does Sales Prod use', expect: /Yes, over by 3/, buttons: [/Why we think so/, /Download findings \(CSV\)/, /Explain Deal Desk/, /All environments/, /Refresh/] },
    { name: 'app', question: 'explain app Deal Desk', expect: /Premium: every user needs a pass/, buttons: [/Why we think so/, /Back to Contoso Sales \(Prod\)/] },
    { name: 'user', question: 'what does jane@contoso.com consume', expect: /Jane Doe/, buttons: [/Why we think so/] },
    { name: 'findings-over', question: 'are we over?', expect: /Yes: over in Contoso Sales \(Prod\) by 3/, buttons: [/Why we think so/, /Show all \d+/, /Back to the summary/, /All environments/] },
    { name: 'findings-misclassified', question: 'which apps are misclassified', expect: /findings about bookings in/, buttons: [/Why we think so/, /Show all \d+/, /All environments/] },
    { name: 'advice', question: 'what should we buy?', expect: /Save up to ~\$\d+\/month[\s\S]*Either switch "Per-app licensing" off[\s\S]*or move/, buttons: [/Show all \d+/, /Why we think so/, /All environments/] },
    { name: 'trend', question: 'what changed over the last months', expect: /./, buttons: [/All environments/] },
    { name: 'digest', question: 'digest now', expect: /./, buttons: [] },
    { name: 'digest-status', question: 'digest status', expect: /./, buttons: [] },
    { name: 'setup', question: 'check setup', expect: /./, buttons: [/Check again/] },
    { name: 'choice', question: 'passes in contoso', expect: /matches several environments/, buttons: [/Contoso HR \(Managed\)/, /Contoso Sales \(Prod\)/] },
    { name: 'error', question: 'what does nobody@contoso.com consume', expect: /I know nothing about that user/, buttons: [] },
    { name: 'ranking', question: 'who uses the most apps', expect: /Omar Haddad/, buttons: [/What does Omar Haddad consume\?/] },
    { name: 'buy-before', question: 'must we purchase passes before the renewal', expect: /Do we need to buy passes\?/, buttons: [/What should we buy\?/] },
    { name: 'spend', question: 'how much are we spending on passes?', expect: /82 passes cost \$410 a month, \$4,920 a year, at list price\./, buttons: [/What should we buy\?/, /Which environment wastes the most passes\?/, /Explain Operations/] },
    { name: 'spend-environment', question: 'how much does Sales Prod cost us', expect: /25 passes cost \$125 a month, \$1,500 a year/, buttons: [/What should we buy here\?/, /Explain Contoso Sales \(Prod\)/, /All environments' costs/] },
    { name: 'upload-help', question: 'how do I upload the csv?', expect: /Analysing the Active users CSV/, buttons: [/Overview of the tenant/] },
  ];

  it('the welcome card is short and its buttons ask their questions', async () => {
    const welcome = cards().first();
    await inspect(0, 'welcome');
    assert.ok((await settled(welcome)).split(' ').length < 260, 'the welcome reads in a minute');
    await clickEvery('help', 'welcome', 0);
  });

  for (const kind of kinds) {
    it(`${kind.name}: answers first, fits the screen, and every button does what it says`, async () => {
      const index = await ask(kind.question);
      const text = await settled(cards().nth(index));
      assert.match(text, kind.expect);
      // No finding code, API field name or GUID in what the admin reads.
      assert.doesNotMatch(text, /\b(?!PASSLENS_)[A-Z]{3,}_[A-Z_]{3,}\b|canConsumeAppPass|appPlanClassification|usesPremiumApi|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      await inspect(index, kind.name);
      const clicked = await clickEvery(kind.question, kind.name, index);
      for (const b of kind.buttons) assert.ok(clicked.some((t) => b.test(t)), `${kind.name}: a "${b.source}" button was clicked (clicked: ${clicked.join(', ')})`);
    });
  }

  it('rule: "what\'s R9?" links its sources by their titles, a click opens the page in a new tab, and its button asks', async () => {
    const index = await ask("what's R9?");
    const card = cards().nth(index);
    assert.match(await settled(card), /R9: The "Per-app licensing" setting[\s\S]*Microsoft's pages About Power Apps per app plans Field reports How to restrict/);
    await inspect(index, 'rule');
    const links = await card.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')]));
    assert.deepEqual(links, [
      ['About Power Apps per app plans', 'https://learn.microsoft.com/power-platform/admin/about-powerapps-perapp', '_blank'],
      ['How to restrict "Power App Per App Plan" pass assginment to specific premium apps in an environment', 'https://community.powerplatform.com/forums/thread/details/?threadid=07d203ef-c958-45cd-b8a8-de3d2e3b14e1', '_blank'],
    ]);
    // No network here: the new tab's request to the page's address is what a click does.
    const opened = page.context().waitForEvent('request', { predicate: (r) => r.url() === links[0][1], timeout: 10_000 });
    await card.locator('a').first().click();
    assert.equal((await opened).url(), links[0][1]);
    for (const other of page.context().pages()) if (other !== page) await other.close();
    assert.match(page.url(), /^http:\/\/localhost:\d+\/?$/, 'the Playground stays where it was');
    assert.deepEqual(await clickEvery("what's R9?", 'rule', index), ['Are we over?']);
  });

  it('"Explain an environment" and the rows of the overview open that environment as a new message', async () => {
    const index = await ask('overview');
    const overview = cards().nth(index);
    const before = await settled(overview);
    await overview.getByRole('button', { name: 'Explain an environment' }).click();
    const name = 'Contoso Sales (Prod)';
    const inner = overview.getByRole('button', { name, exact: true });
    await inner.first().waitFor();
    let count = await cards().count();
    await inner.first().click();
    await waitFor(async () => (await cards().count()) > count, 'the environment');
    assert.match(await settled(cards().last()), /Yes, over by 3/);
    count = await cards().count();
    await overview.getByText('40 allocated · 12 booked', { exact: false }).first().click();
    await waitFor(async () => (await cards().count()) > count, 'the environment from its row');
    assert.match(await settled(cards().last()), /Within allocation: 12 of 40 passes used, 28 idle/);
    assert.ok((await settled(overview)).startsWith(before.slice(0, 60)), 'the overview stays');
    await page.screenshot({ path: artifactPath('card-chat.png') });
  });
});
