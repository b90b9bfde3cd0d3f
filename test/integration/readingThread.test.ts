import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadingFailedError, ReadingThread, type ReadingThreadOptions } from '../../src/conversation/readingThread';
import { lastAnswerOf, type LastAnswer } from '../../src/conversation/followUp';
import { TenantService } from '../../src/tenant/tenantService';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import type { AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import type { Question } from '../../src/conversation/question';
import { demoReading, type DemoReading } from '../unit/corpus/demoReading';
import { HELD_OUT } from '../unit/corpus/heldOut';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * The reading thread (src/conversation/readingThread.ts), a real worker thread: what it
 * reads is what the reader reads on the bot's thread, for every phrasing of the test
 * sets; names follow the tenant they are read with; a read that stalls, throws or ends
 * its thread fails alone, with PassLens's words, and the thread goes on serving.
 */
const FAULTY = join(__dirname, '..', 'support', 'faultyReadingWorker.ts');
const SLOW_START = join(__dirname, '..', 'support', 'slowStartReadingWorker.ts');
const BROKEN = join(__dirname, '..', 'support', 'brokenReadingWorker.ts');
const NOW = new Date('2026-11-15T10:00:00Z');

function phrasings(): string[] {
  const texts: string[] = [];
  for (const file of ['own-phrasings', 'blind-dev']) {
    for (const p of JSON.parse(readFileSync(join(__dirname, '..', 'unit', 'corpus', `${file}.json`), 'utf8')) as { text?: string; turns?: (string | { text: string })[] }[]) {
      if (p.text) texts.push(p.text);
      for (const t of p.turns ?? []) texts.push(typeof t === 'string' ? t : t.text);
    }
  }
  for (const [t] of HELD_OUT) texts.push(t);
  return texts;
}

/** The demo tenant with Operations renamed: a second tenant, whose names are not the first's. */
async function renamedTenant(): Promise<AnalyzedTenant> {
  return new TenantService(
    async () => {
      const snapshot = buildDemoTenant();
      return { ...snapshot, environments: snapshot.environments.map((e) => (e.name === 'Operations' ? { ...e, name: 'Field Service' } : e)) };
    },
    { ttlMs: 60_000, prices: LIST_PRICES },
  ).get();
}

/** A thread for one test, closed after it whatever happens. */
async function withThread(options: ReadingThreadOptions, use: (thread: ReadingThread) => Promise<void>): Promise<void> {
  const thread = new ReadingThread(options);
  try {
    await use(thread);
  } finally {
    await thread.close();
  }
}

describe('reading thread', function () {
  this.timeout(120_000);
  let here: DemoReading;
  before(async () => {
    here = await demoReading();
  });

  it('reads every phrasing of the own, development and held-out sets as the reader does on the bot thread: with names, as a follow-up, without names', async () => {
    await withThread({}, async (thread) => {
      const texts = phrasings();
      assert.ok(texts.length > 900, `${texts.length} phrasings`);
      let previous: Question | null = null;
      for (const text of texts) {
        const context: LastAnswer | undefined = (previous && lastAnswerOf(previous)) ?? undefined;
        const expected = here.reader.read(text, { names: here.names, now: NOW, context });
        assert.deepEqual(await thread.read(text, here.view, { now: NOW, context }), expected, text);
        assert.deepEqual(await thread.read(text, null, { now: NOW }), here.reader.read(text, { now: NOW }), `${text} (no names)`);
        assert.equal(await thread.mayName(text), here.reader.mayName(text), `${text} (may name)`);
        previous = expected;
      }
    });
  });

  it("reads each sentence with the names of the tenant it is asked against, sending them again when the thread had to forget them", async () => {
    const renamed = await renamedTenant();
    // One tenant's names kept at a time: every other read sends them again.
    await withThread({ keptNames: 1 }, async (thread) => {
      for (let i = 0; i < 3; i++) {
        const there = await thread.read('how is Field Service doing?', renamed);
        const demo = await thread.read('how is Field Service doing?', here.view);
        assert.deepEqual(there, here.reader.read('how is Field Service doing?', { names: here.reader.namesOf(renamed) }));
        assert.deepEqual(demo, here.reader.read('how is Field Service doing?', { names: here.names }));
        assert.equal(there.kind, 'environment');
        assert.notDeepEqual(there, demo);
        assert.deepEqual(await thread.read('is Operations over?', here.view), here.reader.read('is Operations over?', { names: here.names }));
      }
    });
  });

  it('fails a read that stalls past its bound, replaces the thread, and still answers the reads sent beside it', async () => {
    await withThread({ entry: FAULTY, timeoutMs: 3_000 }, async (thread) => {
      await thread.ready;
      const started = performance.now();
      const [stalled, beside] = await Promise.allSettled([thread.read('stall forever', here.view), thread.read('are we over?', here.view)]);
      const waited = performance.now() - started;
      assert.equal(stalled.status, 'rejected');
      const error = (stalled as PromiseRejectedResult).reason as Error;
      assert.ok(error instanceof ReadingFailedError);
      assert.equal(error.message, 'Reading the question took longer than 3 s, so it was stopped.');
      assert.ok(waited < 15_000, `${waited} ms`);
      // Sent after the stalling one, to the thread that stalled: read again on its replacement.
      assert.deepEqual(beside, { status: 'fulfilled', value: here.reader.read('are we over?', { names: here.names }) });
      assert.deepEqual(await thread.read('which apps are misclassified', here.view), here.reader.read('which apps are misclassified', { names: here.names }));
    });
  });

  it('reads again, on a new thread, what a thread that ended held; a sentence that ends two threads fails alone', async () => {
    await withThread({ entry: FAULTY }, async (thread) => {
      await thread.ready;
      const [ended, beside] = await Promise.allSettled([thread.read('end the thread', here.view), thread.read('what should we buy', here.view)]);
      assert.ok((ended as PromiseRejectedResult).reason instanceof ReadingFailedError);
      assert.equal(((ended as PromiseRejectedResult).reason as Error).message, 'The question reader stopped twice while reading this question.');
      assert.deepEqual(beside, { status: 'fulfilled', value: here.reader.read('what should we buy', { names: here.names }) });
      assert.deepEqual(await thread.read('overview', here.view), { kind: 'overview' });
    });
  });

  it('fails a read that throws with words of its own, keeping what was thrown for the log only', async () => {
    await withThread({ entry: FAULTY }, async (thread) => {
      const failed = await thread.read('throw secret=hunter2', null).catch((e: Error) => e);
      assert.ok(failed instanceof ReadingFailedError);
      assert.ok(!(failed as Error).message.includes('hunter2'));
      assert.equal((failed as Error).cause, 'failed on secret=hunter2');
      assert.deepEqual(await thread.read('overview', null), { kind: 'overview' });
    });
  });

  it('times a read from when a trained thread starts on it: a thread slower to start than a read may take still answers', async () => {
    await withThread({ entry: SLOW_START, timeoutMs: 500 }, async (thread) => {
      assert.deepEqual(await thread.read('overview', null), { kind: 'overview' });
      assert.deepEqual(await thread.read('are we over?', here.view), here.reader.read('are we over?', { names: here.names }));
    });
  });

  it('fails the reads waiting on a thread that cannot start with why, once each; after three such starts it does not start another for a while', async () => {
    await withThread({ entry: BROKEN }, async (broken) => {
      const failed = await Promise.allSettled([broken.read('overview', null), broken.read('are we over?', here.view)]);
      for (const f of failed) {
        const reason = (f as PromiseRejectedResult).reason as Error;
        assert.ok(reason instanceof ReadingFailedError);
        assert.equal(reason.message, 'The question reader could not start, so the question was not read.');
        assert.ok(String(reason.cause).includes('the model file is missing'), String(reason.cause));
      }
      await assert.rejects(broken.read('overview', null), /could not start/);
      // The third start failed: the next read fails at once, with the same reason.
      const started = performance.now();
      const paused = await broken.read('overview', null).catch((e: Error) => e);
      assert.ok(performance.now() - started < 200, `${performance.now() - started} ms`);
      assert.ok(String((paused as Error).cause).includes('the model file is missing'));
    });
    await withThread({ entry: SLOW_START, trainingMs: 300 }, async (untrained) => {
      await assert.rejects(untrained.ready, /could not start: it had not trained after 0.3 s/);
      const failed = (await untrained.read('overview', null).catch((e: Error) => e)) as Error;
      assert.equal(failed.message, 'The question reader could not start, so the question was not read.');
      assert.equal(failed.cause, 'it had not trained after 0.3 s');
    });
  });

  it('bounds the whole wait of a read queued behind sentences that stall one thread after another', async () => {
    await withThread({ entry: FAULTY, timeoutMs: 400, waitMs: 1_500 }, async (thread) => {
      await thread.ready;
      const started = performance.now();
      const reads = [thread.read('stall forever', null), thread.read('stall forever', null), thread.read('stall forever', null), thread.read('overview', null)];
      const settled = await Promise.allSettled(reads);
      const waited = performance.now() - started;
      assert.ok(waited < 3_000, `${waited} ms`);
      const last = settled[3];
      if (last.status === 'rejected') assert.equal((last.reason as Error).message, 'The question waited more than 1.5 s to be read, so it was given up.');
      else assert.deepEqual(last.value, { kind: 'overview' });
      assert.deepEqual(await thread.read('overview', null), { kind: 'overview' });
    });
  });

  it('fails alone a read whose options or names cannot be passed to the thread, and goes on reading', async () => {
    await withThread({}, async (thread) => {
      const options = { context: { kind: 'over', environmentId: 'x', later: () => 1 } } as never;
      const unsent = (await thread.read('and HR?', null, options).catch((e: Error) => e)) as Error;
      assert.ok(unsent instanceof ReadingFailedError);
      assert.equal(unsent.message, 'The question could not be passed to the question reader.');
      // A tenant whose names cannot be listed (a user without a UPN): that read fails, the tenant's names are not taken as sent.
      const broken = { report: { environments: [], users: [{}] }, inventory: { users: [] } } as unknown as AnalyzedTenant;
      await assert.rejects(thread.read('is Sales over?', broken), /could not be passed/);
      await assert.rejects(thread.read('is Sales over?', broken), /could not be passed/);
      assert.deepEqual(await thread.read('how is Operations doing?', here.view), here.reader.read('how is Operations doing?', { names: here.names }));
      // Past the bound of the first read, nothing of it is left to stall or resend.
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(await thread.read('overview', null), { kind: 'overview' });
    });
  });

  it('starts its thread from any working directory (tsx found from the module, not from where the process runs)', () => {
    const script = `const { ReadingThread } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'conversation', 'readingThread.ts'))});
      const t = new ReadingThread();
      t.read('overview', null).then((q) => { console.log(JSON.stringify(q)); return t.close(); }, (e) => { console.log('failed', e.message, e.cause); process.exit(1); });`;
    const run = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(run.stdout.includes('{"kind":"overview"}'), run.stdout);
  });

  it('fails the reads still waiting when it is closed, and reads nothing after', async () => {
    const thread = new ReadingThread({ entry: FAULTY });
    await thread.ready;
    const waiting = thread.read('stall forever', null).catch((e: Error) => e);
    await thread.close();
    assert.equal(((await waiting) as Error).message, 'PassLens is stopping; the question was not read.');
    assert.equal(((await thread.read('overview', null).catch((e: Error) => e)) as Error).message, 'PassLens is stopping; the question was not read.');
  });

  it("in chat, a question that stalls the reader gets a card that says so and what to do, and the next question its answer", async () => {
    await withThread({ entry: FAULTY, timeoutMs: 3_000 }, async (reader) => {
      const h = botHarness({ reader });
      const stalled = cardText(lastCard(await h.say('stall forever')));
      assert.ok(stalled.includes('I could not read that question'), stalled);
      assert.ok(stalled.includes('Reading the question took longer than 3 s, so it was stopped.'), stalled);
      assert.ok(stalled.includes('Ask again'), stalled);
      assert.equal(h.logs.some((l) => l.startsWith('ERROR question not read')), true);
      const over = cardText(lastCard(await h.say('are we over?')));
      assert.ok(over.includes('Contoso Sales (Prod)'), over);
      const thrown = cardText(lastCard(await h.say('throw secret=hunter2')));
      assert.ok(thrown.includes('I could not read that question'), thrown);
      assert.ok(!thrown.includes('hunter2'));
      assert.ok(!h.logs.join('\n').includes('hunter2'));
    });
  });
});
