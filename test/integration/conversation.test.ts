import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { FileDropServer } from '../support/fileDrop';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';
import { toActiveUsersCsv } from '../support/csvWriter';
import { accessError } from '../../src/tenant/live/errors';

describe('Teams conversation (botbuilder TestAdapter)', () => {
  it('answers the forum question with the environment explanation', async () => {
    const h = botHarness();
    const replies = await h.say('25 passes are allocated to Contoso Sales, 28 apps show under AppPass and only one is premium. Are we over, and why are standard apps booked as AppPass in contoso sales?');
    const text = cardText(lastCard(replies));
    assert.match(text, /Contoso Sales \(Prod\)/);
    assert.match(text, /Yes, over by 3: 28 launches booked as AppPass against 25 passes/);
    assert.match(text, /27 standard apps booked as AppPass/);
    assert.match(text, /R9 · The "Per-app licensing" setting · documented by Microsoft \(default on\); field reports, not documented \(booking, API field\)/);
    assert.match(text, /switch "Per-app licensing" off/);
    assert.ok(h.transcript.length > 0, 'botbuilder-testing logged the transcript');
  });

  const questions: [string, RegExp[]][] = [
    ['how many passes does Sales Prod use', [/Contoso Sales \(Prod\)/, /Allocated\n25\nBooked\n28/]],
    ['why are standard apps booked as AppPass in contoso sales', [/27 standard apps booked as AppPass/]],
    ['are we over?', [/Are we over\?/, /Contoso Sales \(Prod\): Over by 3 passes/, /Field Service \(Dev\): "Route Optimizer": 4 users with no pass or license/]],
    ['which apps are misclassified', [/Apps booked against their classification/, /5 findings about bookings in 4 environments, what costs passes first/, /27 standard apps/, /Show all 5/]],
    ['explain app Timesheet', [/Timesheet/, /Classification\nStandard/, /Per-app licensing\non/, /Standard app "Timesheet" booked as AppPass/]],
    ['what does jane@contoso.com consume', [/Jane Doe/, /Licensed per user: needs no pass anywhere \(R6\)/, /holds 1 pass despite a per-user license/, /Leave Requests: booked as AppPass/]],
    ['what should we buy', [/What to do before buying anything/, /Save up to ~\$220\/month/, /Either switch "Per-app licensing" off on 27 standard apps in Contoso Sales \(Prod\)\n~\$120\/month/, /or move 3 passes from Operations/, /end of sale/]],
    ['refresh', [/Per-app passes, environment by environment/, /Over in 1 environment: Contoso Sales \(Prod\) by 3/]],
    ['help', [/What I can answer/, /Explain app Timesheet/]],
    ['overview', [/Contoso HR \(Managed\)/, /Operations/, /28 idle/]],
    ['how many passes does opertions use', [/Operations/, /Within allocation: 12 of 40 passes used, 28 idle/]],
    ['how many passes does field service use', [/Field Service \(Dev\)/, /No passes are allocated here, so Microsoft blocks launches that need one \(R5\): 4 launches that did run are not overage/]],
    // Admins' own words (issue 21): unlicensed premium use is "are we over?"; the premium apps of one environment; a bird's eye view; "applis" are apps.
    ['are there any users without a licence launching premium apps?', [/Are we over\?/, /Field Service \(Dev\): "Route Optimizer": 4 users with no pass or license/]],
    ['wich apps are premium in sales prod', [/Apps booked against their classification/, /Premium in Contoso Sales \(Prod\): Deal Desk; 28 standard apps\./]],
    ['a bird eye view of every environment please', [/Per-app passes, environment by environment/]],
    ["qui utilise le plus d'applis", [/Who uses the most apps/]],
    ['what does miriam.graham@contoso.com consume', [/Dynamics 365 covers apps only in the context of its licensed Dynamics 365 app[\s\S]*correct bookings, not double licensing/]],
  ];
  for (const [question, patterns] of questions) {
    it(`understands "${question}"`, async () => {
      const text = cardText(lastCard(await botHarness().say(question)));
      for (const p of patterns) assert.match(text, p);
    });
  }

  it('answers in German and French, politely wrapped and with typos', async () => {
    assert.match(cardText(lastCard(await botHarness().say('Sind wir über unserem Limit?'))), /Contoso Sales \(Prod\): Over by 3 passes/);
    assert.match(cardText(lastCard(await botHarness().say('Combien de passes utilise Contoso Sales ?'))), /Yes, over by 3: 28 launches booked as AppPass against 25 passes/);
    assert.match(cardText(lastCard(await botHarness().say('hey, could you please tell me what we shuold by?'))), /What to do before buying anything/);
  });

  it('says "did you mean" when unsure, with buttons that ask the closest questions', async () => {
    const h = botHarness();
    const card = lastCard(await h.say('purple elephants dancing'));
    assert.match(cardText(card), /I did not understand that question[\s\S]*Did you mean one of these\?/);
    assert.doesNotMatch(cardText(card), /elephants/, 'the words are not repeated');
    const buttons = cardActions(card);
    assert.ok(buttons.length >= 2 && buttons.length <= 3, `${buttons.length} buttons`);
    const over = buttons.find((b) => b.title === 'Are we over?')!;
    assert.equal(over.data.verb, 'ask');
    const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: over.verb, data: over.data }, trigger: 'manual' } });
    assert.match(cardText(lastCard(replies)), /Contoso Sales \(Prod\): Over by 3 passes/);
  });

  it('answers a name alone with that environment, and explains how to upload the CSV', async () => {
    assert.match(cardText(lastCard(await botHarness().say('Operations'))), /Within allocation: 12 of 40 passes used, 28 idle/);
    assert.match(cardText(lastCard(await botHarness().say('how do I upload the csv?'))), /Analysing the Active users CSV[\s\S]*Download reports/);
  });

  it('strips the mention in group chats and channels', async () => {
    for (const conversationType of ['groupChat', 'channel']) {
      const h = botHarness({ conversationType });
      const replies = await h.say({ text: '<at>PassLens</at> are we over?', entities: [{ type: 'mention', text: '<at>PassLens</at>', mentioned: { id: '28:passlens', name: 'PassLens' } }] });
      assert.match(cardText(lastCard(replies)), /Over by 3 passes/);
    }
  });

  it('offers the candidates for an ambiguous or unknown environment, as buttons', async () => {
    const ambiguous = lastCard(await botHarness().say('passes in contoso'));
    assert.match(cardText(ambiguous), /"contoso" matches several environments/);
    assert.deepEqual(cardActions(ambiguous).map((a) => a.title).sort(), ['All environments', 'Contoso HR (Managed)', 'Contoso Sales (Prod)']);
    // A word that is none of the tenant's names is never taken for one: the question is answered for every environment.
    const unknown = lastCard(await botHarness().say('how many passes does marketing use'));
    assert.doesNotMatch(cardText(unknown), /I don't know an environment called/);
    assert.match(cardText(unknown), /Per-app passes, environment by environment[\s\S]*Operations[\s\S]*Contoso HR/);
    const app = lastCard(await botHarness().say('explain app Timeshet'));
    assert.match(cardText(app), /Timesheet/);
  });

  it('answers a drill-down button (Action.Execute) with a new message, leaving its card in place', async () => {
    const h = botHarness();
    const card = lastCard(await h.say('how many passes does Sales Prod use'));
    const button = cardActions(card).find((a) => a.title === 'Explain Deal Desk')!;
    assert.ok(button, 'a drill-down to the premium app');
    const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: button.verb, data: button.data }, trigger: 'manual' } });
    const response = replies.find((r) => r.type === 'invokeResponse')!;
    const value = response.value as { status: number; body: { statusCode: number; type: string; value: unknown } };
    assert.equal(value.status, 200);
    assert.equal(value.body.type, 'application/vnd.microsoft.activity.message', 'the card it came from stays as it was');
    const posted = replies.filter((r) => r.type === 'message' && r.attachments?.length);
    assert.equal(posted.length, 1, 'one new message');
    assert.match(cardText(lastCard(posted)), /Deal Desk[\s\S]*Premium: every user needs a pass or a per-user license/);
  });

  it('pages with buttons that replace the card in place, with a way back to the summary', async () => {
    const h = botHarness();
    const summary = lastCard(await h.say('are we over?'));
    const all = cardActions(summary).find((a) => /^Show all \d+$/.test(a.title))!;
    assert.ok(all, '"Show all N" under the top three');
    const press = async (b: { verb?: string; data: Record<string, unknown> }) =>
      (await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: b.verb, data: b.data }, trigger: 'manual' } })).find((r) => r.type === 'invokeResponse')!.value as { body: { type: string; value: unknown } };
    const list = await press(all);
    assert.equal(list.body.type, 'application/vnd.microsoft.card.adaptive', 'the list replaces the summary');
    assert.match(cardText(list.body.value), /All \d+/);
    const back = cardActions(list.body.value).find((a) => a.title === 'Back to the summary')!;
    assert.ok(back, 'Back where a card was replaced');
    const again = await press(back);
    assert.equal(again.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(again.body.value), /Yes: over in Contoso Sales \(Prod\) by 3/);
  });

  it('answers the Action.Submit fallback of the same button with a new card', async () => {
    const h = botHarness();
    const card = lastCard(await h.say('overview'));
    const env = cardActions(card).find((a) => a.title === 'Contoso HR (Managed)')!;
    const replies = await h.say({ text: undefined, value: env.data });
    assert.match(cardText(lastCard(replies)), /Contoso HR \(Managed\)[\s\S]*Managed Environment: every user of any app, standard ones included, needs Power Apps Premium[\s\S]*blocks unlicensed users from February 2027/);
  });

  it('pages long lists, every page under 28 KB', async () => {
    const h = botHarness();
    const first = lastCard(await h.say('which apps are misclassified'));
    assert.ok(JSON.stringify(first).length < 28 * 1024);
  });

  it('refuses users who are not admins, and says who to ask', async () => {
    const h = botHarness();
    const replies = await h.say({ text: 'are we over?', from: { id: '29:other', name: 'Someone', aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000009' } });
    const text = cardText(lastCard(replies));
    assert.match(text, /Licensing data is for admins only/);
    assert.match(text, /PASSLENS_ADMINS/);
    assert.doesNotMatch(text, /Contoso/);
  });

  it('accepts admins listed by UPN when Teams confirms the UPN, and refuses when it cannot', async () => {
    const h = botHarness({ access: { admins: ['alex@contoso.com'] } });
    const text = cardText(lastCard(await h.say('are we over?')));
    assert.match(text, /admins only/, 'TestAdapter cannot look the member up: refused, not guessed');
  });

  it('refuses activities from another tenant', async () => {
    const h = botHarness();
    const replies = await h.say({ text: 'are we over?', conversation: { id: 'c', tenantId: 'ffffffff-0000-0000-0000-000000000000', isGroup: false, name: '', conversationType: 'personal' } });
    assert.match(cardText(lastCard(replies)), /only its own organisation/);
  });

  it('shows typing, then "checking your tenant..." when the fetch takes over the notice time', async () => {
    const h = botHarness({
      slowNoticeMs: 50,
      loader: () => new Promise((resolve) => setTimeout(() => resolve(buildDemoTenant()), 300)),
    });
    const replies = await h.say('are we over?');
    assert.equal(replies[0].type, 'typing');
    assert.ok(replies.some((r) => r.type === 'message' && /Checking your tenant/.test(r.text ?? '')));
    assert.match(cardText(lastCard(replies)), /Over by 3/);
  });

  it('never puts a token, secret or raw exception on a card', async () => {
    const h = botHarness({
      loader: async () => {
        throw new Error('GET https://api.bap.microsoft.com failed with Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc client_secret=hunter2');
      },
    });
    const replies = await h.say('are we over?');
    const text = JSON.stringify(replies);
    assert.match(cardText(lastCard(replies)), /Something went wrong/);
    for (const secret of ['eyJhbGci', 'hunter2', 'Bearer', 'api.bap']) assert.ok(!text.includes(secret), `card leaks ${secret}`);
    assert.ok(h.logs.some((l) => /client_secret=\[redacted\]/.test(l) && !l.includes('hunter2') && !l.includes('eyJhbGci')), h.logs.join('\n'));
  });

  it('a 403 from the admin API says which registration is missing and how to grant it', async () => {
    const h = botHarness({
      loader: async () => {
        throw accessError('bap', 403, 'Forbidden');
      },
    });
    const text = cardText(lastCard(await h.say('are we over?')));
    assert.match(text, /Microsoft refused access/);
    assert.match(text, /answered 403/);
    assert.match(text, /pac admin application register --application-id/);
    assert.doesNotMatch(text, /create-service-principal/);
  });

  it('welcomes on install with what it can do', async () => {
    const h = botHarness();
    const replies = await h.say({ type: 'installationUpdate', action: 'add', text: undefined });
    assert.match(cardText(lastCard(replies)), /Hi, I am PassLens/);
  });

  describe('CSV dropped into the personal chat', () => {
    const fileHost = new FileDropServer();
    const files = fileHost.files;
    before(() => fileHost.start());
    after(() => fileHost.stop());
    const upload = (name: string, path: string) => fileHost.drop(name, path);

    it('analyses a good file', async () => {
      const demo = buildDemoTenant();
      files['/good.csv'] = toActiveUsersCsv(demo.launches.filter((l) => l.environmentName === 'Contoso Sales (Prod)'));
      const text = cardText(lastCard(await botHarness().say(upload('ActiveUsers.csv', '/good.csv'))));
      assert.match(text, /Uploaded ActiveUsers\.csv/);
      assert.match(text, /Contoso Sales \(Prod\): Over by 3|over by 3/);
    });

    it("answers the buttons of an upload's cards from that upload, not from the tenant's own data", async () => {
      const demo = buildDemoTenant();
      // Ten of the 28 AppPass launches of Contoso Sales: the upload is 15 passes idle, the tenant 3 over.
      const sales = demo.launches.filter((l) => l.environmentName === 'Contoso Sales (Prod)' && l.licenseType === 'AppPass').slice(0, 10);
      files['/ten.csv'] = toActiveUsersCsv(sales);
      const h = botHarness();
      const overview = lastCard(await h.say(upload('ten.csv', '/ten.csv')));
      assert.match(cardText(overview), /Uploaded ten\.csv/);
      const details = cardActions(overview).find((a) => a.title === 'Contoso Sales (Prod)');
      assert.ok(details, 'a drill-down to the environment');
      const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: details.verb, data: details.data }, trigger: 'manual' } });
      const env = lastCard(replies);
      const text = cardText(env);
      assert.match(text, /Uploaded ten\.csv/);
      assert.match(text, /10 of 25 passes used, 15 idle/);
      assert.doesNotMatch(text, /Booked\n28|[Oo]ver by 3/);
      // The buttons of that card answer from the upload too, through the Action.Submit fallback as well.
      const back = cardActions(env).find((a) => a.data.verb === 'overview');
      assert.ok(back, 'a way back to the overview');
      const again = cardText(lastCard(await h.say({ text: undefined, value: back.data })));
      assert.match(again, /Uploaded ten\.csv/);
      // A typed question answers from the upload while the chat's upload window is open, and says so...
      const typed = lastCard(await h.say('how many passes does Sales Prod use'));
      assert.match(cardText(typed), /^From ten\.csv, dropped here, until \d\d:\d\d UTC, not the tenant\./);
      assert.match(cardText(typed), /10 of 25 passes used, 15 idle/);
      // ...and its "Ask the tenant instead" asks the tenant the same words.
      const tenant = cardActions(typed).find((a) => a.title === 'Ask the tenant instead');
      assert.ok(tenant, 'a button to ask the tenant');
      const fromTenant = cardText(lastCard(await h.say({ text: undefined, value: tenant.data })));
      assert.doesNotMatch(fromTenant, /Uploaded ten\.csv|not the tenant/);
      assert.match(fromTenant, /[Oo]ver by 3/);
    });

    it('says so when the upload a button points to is no longer kept', async () => {
      const h = botHarness();
      const replies = await h.say({ text: undefined, value: { verb: 'environment', environmentId: 'x', upload: 'gone' } });
      assert.match(cardText(lastCard(replies)), /no longer|drop the file again/i);
    });

    it('analyses the good rows of a partly bad file and names the bad lines', async () => {
      const demo = buildDemoTenant();
      const good = toActiveUsersCsv(demo.launches.slice(0, 10)).trimEnd().split('\n');
      good.splice(3, 0, 'broken-row-without-fields');
      files['/partly.csv'] = `${good.join('\n')}\n`;
      const text = cardText(lastCard(await botHarness().say(upload('partly.csv', '/partly.csv'))));
      assert.match(text, /1 row\(s\) of Uploaded partly\.csv could not be read: line 4 \(1 fields, expected at least/);
    });

    it('gives an error card that says what was wrong for a bad file', async () => {
      files['/bad.csv'] = 'Name,Department\nJane,Sales\n';
      const text = cardText(lastCard(await botHarness().say(upload('bad.csv', '/bad.csv'))));
      assert.match(text, /I could not read that CSV file/);
      assert.match(text, /none of the admin center's Power Apps reports\. Its columns: Name, Department\./);
    });

    it('analyses several files dropped in one message as one: two months give the trend with a chart, the card names the files', async () => {
      const samples = join(__dirname, '../../docs/samples');
      files['/sep.csv'] = readFileSync(join(samples, 'active-sep.csv'), 'utf8');
      files['/oct.csv'] = readFileSync(join(samples, 'active-oct.csv'), 'utf8');
      const [sep, oct] = [upload('active-sep.csv', '/sep.csv'), upload('active-oct.csv', '/oct.csv')];
      const replies = await botHarness().say({ text: undefined, attachments: [...sep.attachments, ...oct.attachments] });
      const trend = lastCard(replies);
      const text = cardText(trend);
      assert.match(text, /Uploaded active-sep\.csv; Uploaded active-oct\.csv/);
      assert.match(text, /Since September 2026: booked as AppPass/);
      assert.match(JSON.stringify(trend), /"type":"Chart\.Line"/);
      const cards = replies.filter((r) => r.attachments?.length).length;
      assert.equal(cards, 2, 'the overview of the latest month, then the trend');
    });

    it('offers the findings as a file in the personal chat and, once accepted, PUTs the CSV to the upload session Teams gives', async () => {
      const put: { headers: http.IncomingHttpHeaders; body: string }[] = [];
      const onedrive = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          put.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.statusCode = 201;
          res.end('{}');
        });
      });
      await new Promise<void>((resolve) => onedrive.listen(0, '127.0.0.1', resolve));
      try {
        const h = botHarness();
        const sales = cardActions(lastCard(await h.say('how many passes does Sales Prod use'))).find((a) => a.data.verb === 'exportFindings');
        assert.ok(sales, 'a download button on the environment card');
        const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: sales.verb, data: sales.data }, trigger: 'manual' } });
        const consent = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')!;
        assert.ok(consent, 'a file consent card');
        assert.match(consent.name!, /^passlens-findings-contoso-sales-prod-\d{4}-\d{2}\.csv$/);
        const { acceptContext, sizeInBytes } = consent.content as { acceptContext: Record<string, string>; sizeInBytes: number };
        // On loopback under the local drop path, the one loopback place a local bot transfers files to (src/tenant/fileHosts.ts).
        const url = `http://127.0.0.1:${(onedrive.address() as AddressInfo).port}/passlens-drop/upload-session`;
        const accepted = await h.say({
          type: 'invoke',
          name: 'fileConsent/invoke',
          value: { type: 'fileUpload', action: 'accept', context: acceptContext, uploadInfo: { uploadUrl: url, contentUrl: 'https://contoso-my.sharepoint.com/x.csv', name: consent.name, uniqueId: 'u1', fileType: 'csv' } },
        });
        assert.equal(put.length, 1);
        assert.equal(Buffer.byteLength(put[0].body), sizeInBytes, 'the size the consent card said');
        assert.equal(put[0].headers['content-range'], `bytes 0-${sizeInBytes - 1}/${sizeInBytes}`);
        const rows = parse(put[0].body, { bom: true, columns: true }) as Record<string, string>[];
        assert.ok(rows.length > 0 && rows.every((r) => r.environment === 'Contoso Sales (Prod)'));
        assert.ok(rows.some((r) => r.code === 'OVERAGE'));
        assert.ok(accepted.flatMap((r) => r.attachments ?? []).some((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.info'), 'the file card after the upload');
        // In a channel Teams lets a bot send no file: the answer says where to get it.
        const channel = botHarness({ conversationType: 'channel' });
        const there = await channel.say({ text: undefined, value: { verb: 'exportFindings' } });
        assert.match(cardText(lastCard(there)), /Downloads come in the personal chat/);
        assert.ok(!there.flatMap((r) => r.attachments ?? []).some((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent'));
      } finally {
        onedrive.close();
      }
    });

    it('says so when the file is not a CSV, or cannot be downloaded', async () => {
      assert.match(cardText(lastCard(await botHarness().say(upload('report.xlsx', '/x.xlsx')))), /not a CSV file/);
      assert.match(cardText(lastCard(await botHarness().say(upload('gone.csv', '/gone.csv')))), /I could not download that file/);
    });
  });
});
