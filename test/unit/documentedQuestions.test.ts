import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionReader } from '../../src/conversation/understanding';
import type { QuestionKind } from '../../src/conversation/question';
import { resolveApp, resolveEnvironment, resolveUser } from '../../src/conversation/resolve';
import { helpCard } from '../../src/conversation/helpCard';
import { AnswerMemory } from '../../src/conversation/followUp';
import type { TenantNames } from '../../src/conversation/tenantNames';
import type { AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { answerKind, demoReading } from './corpus/demoReading';

/**
 * Every example question the README's "What you can ask" table quotes, and every one on
 * the help card, read verbatim as typed, asks what the table's answer column says, and
 * every name in it (Sales Prod, Timesheet, jane@contoso.com) is one of the demo tenant's.
 * The section is parsed from README.md as it is now, not copied here.
 */

/** The answer column's words, to the kinds that answer them: a row whose answer is in none fails, to be added here. */
const ANSWERS: [RegExp, QuestionKind[]][] = [
  [/over their allocation/i, ['over']],
  [/allocated vs booked/i, ['environment']],
  [/standard apps booked as AppPass/i, ['misclassified']],
  [/app's classification/i, ['app']],
  [/user's licenses/i, ['user']],
  [/save the most/i, ['advice']],
  [/months side by side/i, ['trend']],
  [/^all environments$/i, ['overview']],
  [/^fetch again$/i, ['refresh']],
  [/what PassLens answers/i, ['help']],
  [/weekly digest/i, ['subscribe', 'unsubscribe', 'digestNow', 'digestStatus']],
  [/Active users report analysed/i, ['uploadHelp']],
  [/forget the reports/i, ['clearUploads']],
  [/each source PassLens reads live/i, ['checkSetup']],
  [/top of the list/i, ['ranking']],
  [/yes or no with the reason/i, ['buyBefore']],
  [/findings file/i, ['exportFindings']],
  [/when the tenant was read/i, ['dataAge']],
  [/per-app price/i, ['spend']],
  [/rule that says what it is/i, ['rule']],
  [/each word explained/i, ['overview']],
];

/**
 * Rows whose questions continue the answer before them ("and HR?" after "how many passes
 * does Contoso Sales use?"): asked after it, each asks what the row names, in order.
 */
const AFTER_AN_ANSWER: [RegExp, string, (QuestionKind | QuestionKind[])[]][] = [[/last answer continued/i, 'how many passes does Contoso Sales use?', ['environment', ['why', 'environment'], 'misclassified', 'isNormal']]];

interface Documented {
  said: string;
  kinds: QuestionKind[];
  where: string;
  /** Asked after this question, in the same chat. */
  after?: string;
}

/** The table's rows: each quoted question with the kinds its answer cell names ("a; b; c" beside three questions: one each). */
function readmeQuestions(): Documented[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('## What you can ask');
  assert.ok(start >= 0, 'README has a "## What you can ask" section');
  const section = readme.slice(start).split(/\n## /)[0];
  const rows = section.split('\n').filter((line) => /^\|.*"/.test(line));
  assert.ok(rows.length >= 5, `README's table has ${rows.length} rows with questions`);
  return rows.flatMap((row) => {
    const [asked, answer] = row.split('|').slice(1, 3).map((c) => c.trim());
    const quotes = [...asked.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const continued = AFTER_AN_ANSWER.find(([pattern]) => pattern.test(answer));
    if (continued) {
      const [, after, kinds] = continued;
      assert.equal(quotes.length, kinds.length, `README row "${asked}" has the questions this test expects`);
      return quotes.map((said, i) => ({ said, kinds: ([] as QuestionKind[]).concat(kinds[i]), where: 'README', after }));
    }
    const parts = answer.split(';').map((p) => p.trim());
    const kindsOf = (text: string) => {
      const found = ANSWERS.find(([pattern]) => pattern.test(text));
      assert.ok(found, `README answer "${text}" is mapped to a kind in this test`);
      return found[1];
    };
    return quotes.flatMap((quote, i) => {
      const kinds = parts.length === quotes.length ? kindsOf(parts[i]) : kindsOf(answer);
      // "subscribe [every monday 8:00 Europe/Berlin]": with and without the optional part.
      const optional = /^(.*?)\s*\[(.*)\]$/.exec(quote);
      const said = optional ? [optional[1], `${optional[1]} ${optional[2]}`] : [quote];
      return said.map((s) => ({ said: s, kinds, where: 'README' }));
    });
  });
}

describe('the questions README and the help card give as examples', function () {
  this.timeout(60_000);
  let reader: QuestionReader;
  let view: AnalyzedTenant;
  let names: TenantNames;

  before(async () => ({ reader, view, names } = await demoReading()));

  /** Why a documented question is not answered as documented, or null. */
  async function misread({ said, kinds, after }: Documented): Promise<string | null> {
    const memory = new AnswerMemory();
    if (after) memory.remember('chat', 'admin', await reader.read(after, { names }));
    const question = await reader.read(said, { names, context: memory.recall('chat', 'admin') });
    if (!(kinds as string[]).includes(answerKind(question) === 'export' ? 'exportFindings' : answerKind(question))) return `read as ${question.kind}, documented as ${kinds.join(' or ')}`;
    const env = 'environment' in question && question.environment ? resolveEnvironment(view, question.environment) : null;
    if (env && 'card' in env) return `its environment is not the demo tenant's: ${JSON.stringify(question)}`;
    if (question.kind === 'app' && 'card' in resolveApp(view, question.app)) return `its app is not the demo tenant's: ${JSON.stringify(question)}`;
    if (question.kind === 'user' && typeof resolveUser(view, question.user) !== 'string') return `its user is not the demo tenant's: ${JSON.stringify(question)}`;
    return null;
  }

  it('answers every question of README\'s "What you can ask" table as its answer column says', async () => {
    const documented = readmeQuestions();
    const wrong = (await Promise.all(documented.map(async (d) => [d.said, await misread(d)] as const))).filter(([, why]) => why);
    console.log(`      README: ${documented.length - wrong.length}/${documented.length} documented questions answered as documented`);
    assert.deepEqual(wrong, []);
  });

  it("answers every example on the help card (its list, its buttons, the digest's quoted words) as README's table does", async () => {
    const documented = readmeQuestions();
    const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9@. ]/g, '').trim();
    const byWords = new Map(documented.map((d) => [key(d.said), d]));
    const card = helpCard('asked').data;
    const examples = [...card.examples, ...card.buttons.map((b) => b.text)];
    const wrong: [string, string][] = [];
    for (const example of examples) {
      const row = byWords.get(key(example));
      if (!row) {
        wrong.push([example, 'not among the questions README documents']);
        continue;
      }
      const why = await misread({ ...row, said: example });
      if (why) wrong.push([example, why]);
    }
    // The digest's hint quotes what to say in a channel: each a digest question.
    for (const [, quoted] of card.digestHint.matchAll(/"([^"]+)"/g)) {
      const why = await misread({ said: quoted.replace(/^@PassLens\s*/, ''), kinds: ['subscribe', 'unsubscribe', 'digestNow', 'digestStatus'], where: 'help card' });
      if (why) wrong.push([quoted, why]);
    }
    assert.deepEqual(wrong, []);
  });
});
