import assert from 'node:assert/strict';
import { AnswerMemory, lastAnswerOf, type LastAnswer } from '../../src/conversation/followUp';
import type { Question } from '../../src/conversation/question';
import { botHarness, cardText, lastCard } from '../support/botHarness';
import { demoReading, type DemoReading } from './corpus/demoReading';

/**
 * Follow-ups continue the last answer given in the same conversation to the same person,
 * for a short while, in a bounded memory; never another conversation's or person's.
 */
describe('follow-up questions', () => {
  const SALES = '8f3c2a10-0000-4000-9000-00000000aa01';

  it('remembers the last answer per conversation and person, forgets it after its time, and keeps at most its size', () => {
    let now = 0;
    const memory = new AnswerMemory(60_000, 2, () => now);
    memory.remember('chat-1', 'ann', { kind: 'environment', environment: { id: SALES } });
    assert.deepEqual(memory.recall('chat-1', 'ann'), { kind: 'environment', environmentId: SALES });
    assert.equal(memory.recall('chat-2', 'ann'), undefined, 'another conversation');
    assert.equal(memory.recall('chat-1', 'bob'), undefined, 'another person');
    // "help" and "did you mean" continue nothing: the answer before them stays.
    memory.remember('chat-1', 'ann', { kind: 'help' });
    assert.equal(memory.recall('chat-1', 'ann')?.environmentId, SALES);
    now = 60_001;
    assert.equal(memory.recall('chat-1', 'ann'), undefined, 'expired');
    memory.remember('a', 'x', { kind: 'over' });
    memory.remember('b', 'x', { kind: 'over' });
    memory.remember('c', 'x', { kind: 'over' });
    assert.equal(memory.recall('a', 'x'), undefined, 'the oldest went first');
    assert.ok(memory.recall('b', 'x') && memory.recall('c', 'x'));
  });

  it('answers "and HR?" with Contoso HR after a Contoso Sales answer in the same chat, and "which apps?" in Sales, but not in another chat', async () => {
    const chat = botHarness({ conversationId: 'chat-follow-1' });
    assert.match(cardText(lastCard(await chat.say('how many passes does Contoso Sales use?'))), /^Contoso Sales \(Prod\)/);
    assert.match(cardText(lastCard(await chat.say('and HR?'))), /^Contoso HR \(Managed\)/);
    assert.match(cardText(lastCard(await chat.say('what about Operations?'))), /^Operations/);
    // A department said in another of the bot's languages names the same environment (RH in French, Personalabteilung in German).
    assert.match(cardText(lastCard(await chat.say('how many passes does Contoso Sales use?'))), /^Contoso Sales \(Prod\)/);
    assert.match(cardText(lastCard(await chat.say('et pour les RH ?'))), /^Contoso HR \(Managed\)/);
    assert.match(cardText(lastCard(await chat.say('und die Personalabteilung?'))), /^Contoso HR \(Managed\)/);
    // The tenant's own names come first: "Personal" is the default environment's word here, not HR's.
    assert.match(cardText(lastCard(await chat.say('und Personal?'))), /^Personal Productivity \(default\)/);
    // A button sets the context as a typed question does.
    const other = botHarness({ conversationId: 'chat-follow-2' });
    await other.say({ value: { verb: 'environment', environmentId: SALES } });
    const apps = cardText(lastCard(await other.say('which apps?')));
    assert.match(apps, /Contoso Sales \(Prod\)/);
    assert.doesNotMatch(apps, /Contoso HR|Operations:/);
    // A new chat has no last answer: "why?" is about the whole tenant.
    const fresh = cardText(lastCard(await botHarness({ conversationId: 'chat-follow-3' }).say('why?')));
    assert.match(fresh, /all environments/);
  });
});

/**
 * Whether a question continues the last answer is read from its structure (ellipsis.ts),
 * by the real reader on the demo tenant's names: a fragment or a question that points
 * back continues; one that says its own scope, asks which environment, or is complete in
 * itself starts fresh, in English, German and French alike.
 */
describe('follow-ups: what continues the last answer and what starts fresh', function () {
  this.timeout(60_000);
  const SALES = '8f3c2a10-0000-4000-9000-00000000aa01';
  const HR = '8f3c2a10-0000-4000-9000-00000000aa02';
  const OPERATIONS = '8f3c2a10-0000-4000-9000-00000000aa04';
  let reading: DemoReading;
  before(async () => (reading = await demoReading()));

  const after = async (first: string): Promise<LastAnswer> => lastAnswerOf(await reading.reader.read(first, { names: reading.names }))!;
  const read = (said: string, context: LastAnswer) => reading.reader.read(said, { names: reading.names, context, now: new Date('2026-11-29T12:00:00Z') });
  const environmentOf = (q: Question) => ('environment' in q && q.environment && 'id' in q.environment ? q.environment.id : undefined);

  // [the question before, the follow-up, the environment it is about (undefined: the whole tenant, not the last answer's)]
  const cases: [string, string, string | undefined][] = [
    // Fragments and pointing back: the last answer's environment.
    ['how many passes does Contoso Sales use?', 'why?', SALES],
    ['how many passes does Contoso Sales use?', 'which apps?', SALES],
    ['how many passes does Contoso Sales use?', 'show me the users', SALES],
    ['how many passes does Contoso Sales use?', 'is that normal?', SALES],
    ['how many passes does Contoso Sales use?', 'what about last month?', SALES],
    ['how many passes does Contoso Sales use?', "who's burning the most passes there?", SALES],
    ['how many passes does Contoso Sales use?', 'and there?', SALES],
    ['who needs the most passes in Contoso Sales?', 'in that one?', SALES],
    ['who needs the most passes in Contoso Sales?', 'and in HR?', HR],
    ['who needs the most passes in Contoso Sales?', 'same for Operations', OPERATIONS],
    ['Wie viele Pässe verbraucht Contoso HR?', 'und warum?', HR],
    ['Wie viele Pässe verbraucht Contoso HR?', 'welche Apps?', HR],
    ['Wie viele Pässe verbraucht Contoso HR?', 'warum ist das so?', HR],
    ['Wie viele Pässe verbraucht Contoso HR?', 'und im Vormonat?', HR],
    ['Wie viele Pässe verbraucht Contoso HR?', 'wer braucht dort die meisten Pässe?', HR],
    ['Combien de pass consomme Operations ?', 'et pourquoi ?', OPERATIONS],
    ['Combien de pass consomme Operations ?', 'quelles applis ?', OPERATIONS],
    ["Combien de pass consomme Operations ?", "c'est normal ?", OPERATIONS],
    ['Combien de pass consomme Operations ?', 'et le mois dernier ?', OPERATIONS],
    ['Combien de pass consomme Operations ?', 'qui consomme le plus là-bas ?', OPERATIONS],
    // Complete questions, questions of which environment, and questions of the whole tenant: fresh.
    ['how many passes does Contoso Sales use?', "who's burning the most passes", undefined],
    ['how many passes does Contoso Sales use?', 'who needs the most passes?', undefined],
    ['how many passes does Contoso Sales use?', 'which environment wastes the most passes?', undefined],
    ['how many passes does Contoso Sales use?', 'where are passes sitting idle?', undefined],
    ['how many passes does Contoso Sales use?', 'which environment was over last month?', undefined],
    ['how many passes does Contoso Sales use?', 'why are standard apps booked as AppPass across all environments?', undefined],
    ['Wie viele Pässe verbraucht Contoso HR?', 'Welche Umgebung hat ungenutzte Pässe?', undefined],
    ['Wie viele Pässe verbraucht Contoso HR?', 'wer verbraucht die meisten Pässe?', undefined],
    ['Wie viele Pässe verbraucht Contoso HR?', 'wo liegen Pässe brach?', undefined],
    ['Wie viele Pässe verbraucht Contoso HR?', 'wer nutzt die meisten Apps?', undefined],
    ['Combien de pass consomme Operations ?', 'qui consomme le plus de pass ?', undefined],
    ['Combien de pass consomme Operations ?', 'quel environnement gaspille le plus de pass ?', undefined],
    ['Combien de pass consomme Operations ?', 'où sont les pass inutilisés ?', undefined],
  ];
  for (const [first, then, environment] of cases) {
    it(`"${then}" after "${first}": ${environment ? 'continues' : 'starts fresh'}`, async () => {
      const question = await read(then, await after(first));
      assert.equal(environmentOf(question), environment, JSON.stringify(question));
    });
  }

  it('asks the same ranking again for "in that one?" and "same for Operations", and the same question of the whole tenant when asked anew', async () => {
    const ranking = await after('who needs the most passes in Contoso Sales?');
    assert.deepEqual(await read('same for Operations', ranking), { kind: 'ranking', subject: 'users', by: 'passes', environment: { id: OPERATIONS } });
    assert.deepEqual(await read('und dort?', ranking), { kind: 'ranking', subject: 'users', by: 'passes', environment: { id: SALES } });
    assert.deepEqual(await read('Welche Umgebung hat ungenutzte Pässe?', ranking), { kind: 'ranking', subject: 'environments', by: 'idle' });
  });
});
