import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Attachment } from 'botbuilder';
import { join } from 'node:path';

/**
 * 20 concurrent conversations asking mixed questions through POST /api/messages
 * against a warm cache: time from the request to the reply reaching the connector,
 * beside an echo bot behind the same server and adapter, in the same run.
 */
const QUESTIONS = [
  'are we over?',
  'hey, could you please tell me how many passes Sales Prod uses',
  'Sind wir über unserem Limit?',
  'how many passes does Sales Prod use',
  'why are standard apps booked as AppPass in contoso sales',
  'which apps are misclassified',
  'explain app Timesheet',
  'what does jane@contoso.com consume',
  'what should we buy',
  'overview',
  // Issue 21: names first, a forum-style question, a ranking, a follow-up.
  'We have 25 per app passes on Contoso Sales but the licensing report shows 28 apps under AppPass and only one of them is premium. How is that possible?',
  'which of our environments is wasting passes',
  'and HR?',
];

/**
 * A reply's type and the id of the activity it answers, read from its JSON without parsing
 * it all: the connector client writes an Activity's properties in its mapper's order, type
 * first (botframework-connector lib/connectorApi/models/mappers.js, Activity), no card has
 * a "replyToId" key (a quote inside a text is escaped, so no text matches), and the bench's
 * ids are plain ("a-12"). Searched in the bytes: decoding a card's body to a string (a few us,
 * more with its non-ASCII "·") was charged to the bots that send cards.
 */
function replyOf(body: Buffer): { type?: string; replyToId?: string } {
  const field = (name: string) => {
    const start = body.indexOf(`"${name}":"`);
    return start < 0 ? undefined : body.toString('latin1', start + name.length + 4, body.indexOf(0x22, start + name.length + 4));
  };
  return { type: field('type'), replyToId: field('replyToId') };
}

export async function conversationBench(conversations = 20, questionsEach = 25): Promise<boolean> {
  // The bot as it ships: the compiled dist/ that npm start runs (npm run bench builds it first), as the CSV and audit benches do; under tsx every closure a turn makes also pays esbuild's naming helper.
  const dist = join(__dirname, '..', 'dist');
  const { createServer, listen } = (await import(join(dist, 'server.js'))) as typeof import('../src/server');
  const { PassLensBot } = (await import(join(dist, 'bot', 'passLensBot.js'))) as typeof import('../src/bot/passLensBot');
  const { TenantService } = (await import(join(dist, 'tenant', 'tenantService.js'))) as typeof import('../src/tenant/tenantService');
  const { buildDemoTenant } = (await import(join(dist, 'tenant', 'demo', 'demoTenant.js'))) as typeof import('../src/tenant/demo/demoTenant');
  const { LIST_PRICES } = (await import(join(dist, 'licensing', 'prices.js'))) as typeof import('../src/licensing/prices');
  const { ReadingThread } = (await import(join(dist, 'conversation', 'readingThread.js'))) as typeof import('../src/conversation/readingThread');
  // The connector: records when each reply arrives, by the activity it replies to.
  const arrived = new Map<string, number>();
  // PassLens's card for each question, as it reached the connector: what the card echo bot posts back.
  const asked = new Map<string, string>();
  const cards = new Map<string, Attachment[]>();
  // The connector is Microsoft's, on another machine: its stand-in here reads of each reply only what the bench needs (its type and the activity it answers), not the whole JSON, whose parsing (30 us for a card, a few for a line of text) was charged to the bot that sends cards.
  const connector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const reply = replyOf(body);
      if (reply.type === 'message' && reply.replyToId && !arrived.has(reply.replyToId)) arrived.set(reply.replyToId, at);
      const question = reply.replyToId ? asked.get(reply.replyToId) : undefined;
      // PassLens's card for each question, read whole once, for the card echo bot.
      if (question !== undefined && !cards.has(question)) {
        const { attachments } = JSON.parse(body.toString()) as { attachments?: Attachment[] };
        if (attachments) cards.set(question, attachments);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
  });
  await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const tenant = new TenantService(async () => buildDemoTenant(), { ttlMs: 3_600_000, prices: LIST_PRICES });
  await tenant.get(); // warm cache
  // Start-up: the question classifier trains on the corpus, on the reading thread as in the bot (target: under one second).
  const reader = new ReadingThread();
  const trainingMs = await reader.ready;
  console.log(`Question classifier: trained at start-up in ${trainingMs.toFixed(0)} ms (target < 1000 ms) ${trainingMs < 1000 ? 'OK' : 'MISSED'}`);
  const bot = new PassLensBot({ reader, tenant, access: { admins: [], openLocally: true, tenantId: null }, logger: { info: () => {}, error: () => {} } });
  const echo = new ActivityHandler();
  echo.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  // A second baseline, for what the payload costs: an echo bot that posts, without any work, the card PassLens gave to the same question.
  const cardEcho = new ActivityHandler();
  cardEcho.onMessage(async (context, next) => {
    await context.sendActivity({ attachments: cards.get(context.activity.text ?? '') ?? [] });
    await next();
  });
  const bots = { echo, cardEcho, passlens: bot };
  const server = createServer({
    onMessages: (req, res) => adapter.process(req, res, (context) => bots[(req.query?.bot as keyof typeof bots | undefined) ?? 'passlens'].run(context)),
    logError: () => {},
  });
  const port = await listen(server, 0, '127.0.0.1');

  let seq = 0;
  type Target = keyof typeof bots;
  const ask = async (target: Target, conversation: number, text: string): Promise<number> => {
    const id = `a-${++seq}`;
    if (target === 'passlens') asked.set(id, text);
    const start = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/messages${target === 'passlens' ? '' : `?bot=${target}`}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        text,
        channelId: 'msteams',
        serviceUrl,
        from: { id: `user-${conversation}`, name: 'Admin' },
        recipient: { id: 'bot', name: 'PassLens' },
        conversation: { id: `conv-${conversation}`, conversationType: 'personal' },
      }),
    });
    await res.arrayBuffer();
    const at = arrived.get(id);
    if (at === undefined) throw new Error(`no reply for ${text}`);
    return at - start;
  };
  const run = async (target: Target, questions = questionsEach, first = 0): Promise<number[]> => {
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: conversations }, async (_, c) => {
        for (let q = first; q < first + questions; q++) times.push(await ask(target, c, QUESTIONS[(c + q) % QUESTIONS.length]));
      }),
    );
    return times.sort((a, b) => a - b);
  };
  try {
    await run('echo');
    await run('passlens'); // warm-up of every path; PassLens's cards are taken for the card echo here
    await run('cardEcho');
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
    // Echo, card echo and PassLens in turns of 5 questions a conversation (100 turns, a tenth of a second), 100 times, and each bot's p95 over all its turns: on a shared machine the speed drifts within a second and the collector stalls the 20 turns in flight, so runs of a second apart compare the moments more than the bots; short alternating runs share them.
    // 100 rounds, not 25: a bot's slowest 5% came in 7-16 stalls of the 20 turns in flight (every question alike), so at 25 rounds a handful of stalls more or less in one bot's rounds moved the ratio of the same code from 1.00x to 1.32x in consecutive runs (docs/performance.md).
    const roundCount = 100;
    const pooled = { echo: [] as number[], cardEcho: [] as number[], passlens: [] as number[] };
    const rounds: { echo: number; passlens: number }[] = [];
    const turns = 5;
    for (let round = 0; round < roundCount; round++) {
      // Every question in turn: round r asks questions r*5 .. r*5+4 of each conversation's sequence.
      const first = (round * turns) % QUESTIONS.length;
      const echoTimes = await run('echo', turns, first);
      const cardTimes = await run('cardEcho', turns, first);
      const botTimes = await run('passlens', turns, first);
      pooled.echo.push(...echoTimes);
      pooled.cardEcho.push(...cardTimes);
      pooled.passlens.push(...botTimes);
      rounds.push({ echo: pct(echoTimes, 95), passlens: pct(botTimes, 95) });
    }
    for (const times of Object.values(pooled)) times.sort((a, b) => a - b);
    const e95 = pct(pooled.echo, 95);
    const b95 = pct(pooled.passlens, 95);
    const c95 = pct(pooled.cardEcho, 95);
    const ratio = b95 / e95;
    console.log(`Conversations: ${conversations} concurrent, mixed questions, warm cache, the bot as built (dist/), request -> reply at the connector; ${roundCount} alternating rounds of ${turns} questions a conversation for echo, card echo and PassLens, each bot's percentiles over its ${pooled.echo.length} turns`);
    console.log(`  echo bot: p50 ${pct(pooled.echo, 50).toFixed(1)} ms, p95 ${e95.toFixed(1)} ms`);
    console.log(`  PassLens: p50 ${pct(pooled.passlens, 50).toFixed(1)} ms, p95 ${b95.toFixed(1)} ms`);
    console.log(`  card echo: p50 ${pct(pooled.cardEcho, 50).toFixed(1)} ms, p95 ${c95.toFixed(1)} ms (an echo bot posting PassLens's own card for each question: the payload without the work)`);
    console.log(`  p95 ratio: ${ratio.toFixed(2)}x (target <= 1.2x) ${ratio <= 1.2 ? 'OK' : 'MISSED'}`);
    const roundRatios = rounds.map((r) => r.passlens / r.echo).sort((a, b) => a - b);
    console.log(`  the ${rounds.length} rounds' own p95 ratios: min ${roundRatios[0].toFixed(2)}x, median ${roundRatios[Math.floor(roundRatios.length / 2)].toFixed(2)}x, max ${roundRatios[roundRatios.length - 1].toFixed(2)}x`);
    console.log(`  PassLens against the card echo bot: p95 ${(b95 / c95).toFixed(2)}x (not a target)`);
    return ratio <= 1.2 && trainingMs < 1000;
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => connector.close(() => r()));
    await reader.close();
  }
}
