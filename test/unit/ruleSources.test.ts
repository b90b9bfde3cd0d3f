import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { RULES } from '../../src/licensing/rules';
import { openable, PAGES, SOURCE_HOSTS, updatedWords } from '../../src/licensing/ruleSources';
import { cardText } from '../../src/cards/cardText';
import { renderCard } from '../../src/cards/render';
import { ruleCard } from '../../src/conversation/ruleCard';
import { renderAdaptiveCard } from '../support/adaptiveCardsRenderer';

/**
 * A rule's sources are something an admin can open: each has a title; each address is
 * https on a host we confirmed (Microsoft Learn, GitHub, the Power Platform community
 * forum), written so the card's markdown keeps it whole; the rule card shows each as a
 * link titled with the page's own title, and a field report with no page as words.
 */
const rules = Object.values(RULES);
const sources = rules.flatMap((r) => r.sources.map((s) => ({ rule: r.id, ...s })));
// Characters that need no escape in a markdown link destination, none of which cardText escapes.
const PLAIN_ADDRESS = /^https:\/\/[A-Za-z0-9.\-/:?=#]+$/;

describe('the rules\' sources', () => {
  it('every source of every rule has a title, and every rule but the undocumented R11 has a source', () => {
    assert.ok(sources.length >= 40);
    for (const s of sources) assert.ok(s.title.trim().length > 3, `${s.rule}: ${JSON.stringify(s)}`);
    assert.deepEqual(rules.filter((r) => r.sources.length === 0).map((r) => r.id), ['R11']);
  });

  it('every address is https on learn.microsoft.com, github.com or community.powerplatform.com, and stays whole in a card', () => {
    assert.deepEqual([...SOURCE_HOSTS], ['learn.microsoft.com', 'github.com', 'community.powerplatform.com']);
    for (const s of sources.filter((x) => x.url !== null)) {
      const url = new URL(s.url!);
      assert.equal(url.protocol, 'https:', s.url!);
      assert.ok((SOURCE_HOSTS as readonly string[]).includes(url.host), `${s.rule}: ${s.url} is on no confirmed host`);
      assert.match(s.url!, PLAIN_ADDRESS);
      assert.equal(cardText(s.url!), s.url, 'cardText leaves the address as written');
      assert.ok(openable(s.url!));
    }
  });

  it('an address off those hosts, not https, or with characters markdown would read is refused', () => {
    for (const bad of ['http://learn.microsoft.com/x', 'https://evil.example/x', 'https://learn.microsoft.com.evil.example/x', 'https://github.com/a) [b](https://evil.example', 'https://github.com/a b', 'javascript:alert(1)', 'https://github.com/a_*b*']) {
      assert.equal(openable(bad), false, bad);
    }
    assert.equal(openable('https://github.com/MicrosoftDocs/power-platform/issues/99'), true);
  });

  it("Microsoft's pages are on Microsoft Learn, with their date; field reports are marked as such", () => {
    for (const page of Object.values(PAGES)) {
      if (page.kind === 'microsoft') {
        assert.match(page.url ?? '', /^https:\/\/learn\.microsoft\.com\/(power-platform|power-apps)\//, page.title);
        assert.match(page.updated ?? '', /^\d{4}-\d{2}-\d{2}$/, page.title);
        assert.equal(page.about, null);
      } else if (page.url) assert.ok(page.about, `${page.title}: a field report with a page says what it is (an issue, a forum thread)`);
    }
    assert.equal(PAGES.perAppPlans.url, 'https://learn.microsoft.com/power-platform/admin/about-powerapps-perapp');
    assert.equal(PAGES.firstLaunchIssue.url, 'https://github.com/MicrosoftDocs/power-platform/issues/1127');
    assert.equal(PAGES.partnerNotes.url, null);
    assert.equal(updatedWords(PAGES.perAppPlans.updated!), 'updated May 2025');
  });

  it('a rule documented in any part cites at least one of Microsoft\'s pages', () => {
    for (const r of rules.filter((x) => x.confidence.some((p) => p.level === 'documented'))) {
      assert.ok(r.sources.some((s) => s.kind === 'microsoft'), r.id);
    }
  });

  it("the rule card links each source with its page's title (Microsoft's Adaptive Cards renderer, markdown on)", () => {
    for (const r of rules) {
      const { html, events } = renderAdaptiveCard(renderCard(ruleCard(r.id)), { markdown: true });
      assert.deepEqual(events, [], r.id);
      const links = [...new JSDOM(html).window.document.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);
      const grouped = [...r.sources.filter((s) => s.kind === 'microsoft'), ...r.sources.filter((s) => s.kind === 'field')];
      assert.deepEqual(links, grouped.filter((s) => s.url !== null).map((s) => [s.title, s.url]), `${r.id}: Microsoft's pages first, then field reports`);
      const text = new JSDOM(html).window.document.body.textContent ?? '';
      for (const s of r.sources.filter((x) => x.url === null)) assert.ok(text.includes(s.title), `${r.id}: ${s.title} shown as words`);
    }
  });
});
