import assert from 'node:assert/strict';
import { AnswerMemory } from '../../src/conversation/followUp';
import { botHarness, cardText, lastCard } from '../support/botHarness';

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
