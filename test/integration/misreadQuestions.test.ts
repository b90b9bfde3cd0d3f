import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * Questions the real bot misread on the demo tenant of November 2026 (issue 21): an
 * everyday word that begins an environment's name taken for it, a report the admin wants
 * answered with how to upload one, and people who launched nothing answered with the
 * misclassified apps.
 */
describe('questions once misread (real bot, demo tenant)', () => {
  const clock = () => new Date('2026-12-04T10:00:00Z');
  const ask = async (text: string) => cardText(lastCard(await botHarness({ clock }).say(text)));

  it('an everyday word that begins a name is that word, unless the sentence puts a name there', async () => {
    // "personal" begins "Personal Productivity (default)"; here it says what kind of question this is.
    assert.doesNotMatch(await ask('personal question: do I need a license?'), /Personal Productivity/);
    assert.doesNotMatch(await ask('quick project question: how many passes do we use?'), /^Project Huddle/);
    // Where a name goes, or typed with a capital inside the sentence, it is the name.
    for (const question of ['is personal over?', 'what about Personal?', 'how is the personal environment doing', 'personal productivity']) {
      assert.match(await ask(question), /^Personal Productivity \(default\)/, question);
    }
    assert.match(await ask('is project over?'), /^Project Huddle \(Teams\)/);
    // The environment's own word stays a name anywhere: "sales" of "Contoso Sales (Prod)" (whose "contoso" several names share).
    assert.match(await ask('sales prod'), /^Contoso Sales \(Prod\)/);
    assert.match(await ask('show me sales'), /^Contoso Sales \(Prod\)/);
  });

  it('a report wanted for someone is the overview, not how to upload one', async () => {
    for (const question of ['I need a report for my boss', 'can you give me the default view', 'send me a report']) {
      assert.match(await ask(question), /^Per-app passes, environment by environment/, question);
    }
    // Still the upload's help: the file goes to PassLens, or where to get it.
    for (const question of ['I need the active users report', 'where do I get the report?', 'can I send you the report']) {
      assert.match(await ask(question), /^Analysing the Active users CSV/, question);
    }
    // With a file format, the findings file, as before.
    assert.match(await ask('I need a report in excel for my boss'), /findings/i);
  });

  it('who launched no app: the people of the tenant\'s user list without a launch, and what PassLens cannot tell', async () => {
    for (const question of ["who hasn't opened any app this month", 'which users never launched an app', 'wer hat keine App geöffnet']) {
      const said = await ask(question);
      assert.match(said, /Who launched no app\n/, question);
      assert.match(said, /1 person of the 44 in the tenant's user list launched no app in November 2026\./, question);
      assert.match(said, /Julia Schmidt \(julia\.schmidt@contoso\.com\)/, question);
      assert.match(said, /It cannot tell who signed in, used other Microsoft 365 apps/, question);
    }
    // Passes nobody used are the environments' idle passes, not people.
    assert.doesNotMatch(await ask('which environment has passes nobody used'), /Who launched no app/);
  });

  it('a sentence with no word of the questions PassLens answers gets what it answers, never the digest\'s kinds', async () => {
    // "what's the weather?" answered "The digest is not set up here" (read as the digest's status).
    for (const question of ["what's the weather?"]) {
      const said = await ask(question);
      assert.match(said, /^What I can answer\n/, question);
      assert.doesNotMatch(said, /The digest is not set up here/, question);
    }
    // Small words with a day and a time are still a schedule.
    assert.doesNotMatch(await ask('every friday at 9'), /^What I can answer\n/);
  });

  it('the permissions PassLens needs are the setup check, in English, German and French', async () => {
    // They answered the help card, or the upload's help.
    for (const question of ['what permissions do you need?', 'do you need admin consent?', 'welche Berechtigungen brauchst du?', 'de quelles autorisations as-tu besoin ?']) {
      assert.match(await ask(question), /^Setup check\n/, question);
    }
  });
});
