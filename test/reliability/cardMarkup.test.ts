import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { renderCard, type CardView } from '../../src/cards/render';
import { cardText } from '../../src/cards/cardText';
import { appCard } from '../../src/conversation/appCard';
import { choiceCard } from '../../src/conversation/choiceCard';
import { environmentCard } from '../../src/conversation/environmentCard';
import { findingsCard } from '../../src/conversation/findingsCard';
import { overviewCard } from '../../src/conversation/overviewCard';
import { analyzeTenant, type AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { fromSnapshot } from '../../src/tenant/tenantData';
import { digestCard } from '../../src/digest/digestCard';
import { renderMarkdown } from '../../src/cli/reportText';
import { TenantBuilder } from '../support/tenantBuilder';
import { renderAdaptiveCard } from '../support/adaptiveCardsRenderer';

/**
 * Names a maker can give apps and environments, rendered through Microsoft's Adaptive
 * Cards renderer with markdown-it (CommonMark, raw HTML allowed: the strictest reading):
 * every card shows them literally, with no link, heading, list, emphasis or HTML of theirs.
 */
const HOSTILE = [
  '[click me](https://evil.example)',
  '<https://evil.example>',
  '**bold**',
  '*em*',
  '_em_',
  '`code`',
  '~~gone~~',
  '# heading',
  '\n\n# heading',
  '- item',
  '1. item',
  '> quote',
  '<a href="https://evil.example">x</a>',
  '<img src=x onerror=alert(1)>',
  '${name}',
  '${if(true, "x", "y")}',
  '&lt;b&gt;',
  '\\',
  '![img](https://evil.example/x.png)',
  '\r\n---\n',
  'Sales_Tracker',
];
const namePart = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme-ascii', maxLength: 8 }));
const hostileName = fc.array(namePart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' ').trim() || 'x');

function tenantNamed(envName: string, appName: string): AnalyzedTenant {
  const snapshot = new TenantBuilder()
    .env(envName, { allocatedPasses: 1, managed: false })
    .app(appName, envName, { canConsumeAppPass: true })
    .app('Premium one', envName, { premium: true })
    .launch('a@contoso.com', appName, 'AppPass')
    .launch('b@contoso.com', appName, 'AppPass')
    .launch('c@contoso.com', 'Premium one', 'AppPass')
    .build();
  return analyzeTenant(fromSnapshot(snapshot), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
}

function cardsOf(v: AnalyzedTenant, name: string): [string, CardView][] {
  const env = v.report.environments[0];
  const app = env.apps.find((a) => a.appName !== 'Premium one')!;
  return [
    ['overview', overviewCard(v)],
    ['environment', environmentCard(v, env)],
    ['app', appCard(v, env, app)],
    ['findings', findingsCard(v, 'misclassified', null)],
    ['digest', digestCard(v.report, null, new Date('2026-11-30T09:00:00Z')).view],
    ['choice', choiceCard(`"${name}" matches several environments`, 'Which one?', [{ title: name, verb: 'environment', environmentId: env.id }])],
  ];
}

/** Tags a card's markdown produced: the same for a hostile name as for a plain one. */
function markup(html: string): string[] {
  const tags = html.replace(/="[^"]*"/g, '=""'); // attribute values (aria-label) hold the text as is
  return [...tags.matchAll(/<(a|h[1-6]|ul|ol|li|em|strong|code|img|blockquote|hr|del|s|b|i)\b/g)].map((m) => m[1]).sort();
}

// eslint-disable-next-line no-control-regex -- control characters are what this matches
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
const textOf = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('reliability: names cannot inject markup into cards', function () {
  this.timeout(120_000);
  const plain = tenantNamed('Plain Environment', 'Plain App');
  const plainMarkup = new Map(cardsOf(plain, 'Plain App').map(([k, view]) => [k, markup(renderAdaptiveCard(renderCard(view), { markdown: true }).html)]));

  it('every card shows hostile app and environment names literally, with no markup of theirs (property-based)', () => {
    fc.assert(
      fc.property(hostileName, hostileName, (envName, appName) => {
        fc.pre(envName.trim() !== appName.trim() && appName.trim() !== 'Premium one');
        const view = tenantNamed(envName, appName);
        for (const [kind, card] of cardsOf(view, appName)) {
          const json = renderCard(card);
          const rendered = renderAdaptiveCard(json, { markdown: true });
          assert.deepEqual(markup(rendered.html), plainMarkup.get(kind), `${kind}: markup differs for env ${JSON.stringify(envName)}, app ${JSON.stringify(appName)}`);
          const shown = textOf(rendered.html).replace(/\s+/g, ' ');
          const expected = oneLine(kind === 'choice' || kind === 'app' ? appName : envName).replace(/\s+/g, ' ').trim();
          assert.ok(shown.includes(expected), `${kind}: ${JSON.stringify(expected)} is not shown literally in ${JSON.stringify(shown.slice(0, 400))}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('button data keeps ids as they are; action titles are plain text on one line', () => {
    const view = tenantNamed('Env_[x](https://evil.example)', 'App\n\n# h');
    const json = JSON.stringify(renderCard(environmentCard(view, view.report.environments[0])));
    assert.ok(json.includes(`"environmentId":"${view.report.environments[0].id}"`));
    // eslint-disable-next-line no-control-regex -- control characters are what this matches
    assert.doesNotMatch(json, /[\u0001\u0002]/);
    const choice = renderCard(choiceCard('t', 'm', [{ title: 'A\n\n# b', verb: 'environment', environmentId: 'id_[1]' }])) as { actions?: { title: string; data: { environmentId: string } }[] };
    const action = JSON.stringify(choice);
    assert.match(action, /"title":"A # b"/);
    assert.match(action, /"environmentId":"id_\[1\]"/);
  });

  it('the CLI\'s --format markdown shows names literally', () => {
    const md = new MarkdownIt('commonmark');
    fc.assert(
      fc.property(hostileName, hostileName, (envName, appName) => {
        fc.pre(envName.trim() !== appName.trim() && appName.trim() !== 'Premium one');
        const view = tenantNamed(envName, appName);
        const plainHtml = md.render([...renderMarkdown(plain.report)].join(''));
        const html = md.render([...renderMarkdown(view.report)].join(''));
        assert.deepEqual(markup(html), markup(plainHtml), `markup differs for env ${JSON.stringify(envName)}, app ${JSON.stringify(appName)}`);
        assert.ok(textOf(html).replace(/\s+/g, ' ').includes(oneLine(envName).replace(/\s+/g, ' ').trim()));
      }),
      { numRuns: 40 },
    );
  });

  it('cardText escapes only what would be markup', () => {
    assert.equal(cardText('Sales_Tracker R&D 2024-11'), 'Sales_Tracker R&D 2024-11');
    assert.equal(cardText('[a](b)'), '\\[a\\](b)');
    assert.equal(cardText('admin center > Environments'), 'admin center > Environments');
    assert.equal(cardText('> quote <b>'), '\\> quote \\<b>');
    assert.equal(cardText('Saves ~$120/month | a'), 'Saves ~$120/month \\| a');
    assert.equal(cardText('~~struck~~'), '\\~\\~struck\\~\\~');
    // Two names of one text, a tilde each: a pair.
    assert.equal(cardText('~$120', 'markdown', Infinity, '\u0001~$120\u0002 or \u0001~$80\u0002'), '\\~$120');
    assert.equal(cardText('1. one\n# two'), '1\\. one # two');
    assert.equal(cardText('a\n\n# b', 'plain'), 'a # b');
  });
});
