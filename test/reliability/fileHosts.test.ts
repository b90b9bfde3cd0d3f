import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileTransfers } from '../../src/tenant/fileTransfer';
import { checkFileUrl, FileHostRefusedError, isPublicAddress } from '../../src/tenant/fileHosts';
import { CLOUDS } from '../../src/tenant/live/cloud';
import { FileDropServer } from '../support/fileDrop';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * Issue 23, item 1: a dropped file's link and a consent upload's link come from the
 * activity. The fault run had the bot GET any host (loopback, [::1], a decimal IP, the
 * App Service metadata address, and redirects to them), show the first line of what came
 * back on the error card, and PUT the findings CSV to any uploadUrl. Here a hostile server
 * on loopback plays the internal endpoint; names of Microsoft's file hosts are mapped to
 * private addresses by the injected resolver, and refused before any connection.
 */
const METADATA = JSON.stringify({ compute: { subscriptionId: 'sub-123', name: 'passlens-app' }, access_token: 'stolen-token-value' });

describe('reliability: files only from and to Microsoft\'s file hosts', function () {
  this.timeout(30_000);
  const hits: string[] = [];
  let internal: http.Server;
  let port = 0;
  const fileHost = new FileDropServer();

  before(async () => {
    internal = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(METADATA);
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    port = (internal.address() as AddressInfo).port;
    await fileHost.start();
  });
  after(async () => {
    fileHost.stop();
    internal.closeAllConnections();
    await new Promise<void>((resolve) => internal.close(() => resolve()));
  });
  beforeEach(() => (hits.length = 0));

  /** The bot as deployed (public cloud, no local drop), the names it resolves mapped by `names`. */
  const deployed = (names: Record<string, string> = {}) =>
    botHarness({
      transfers: new FileTransfers({
        domains: CLOUDS.public.fileHosts,
        resolve: async (host) => {
          const address = names[host];
          if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
          return [{ address, family: address.includes(':') ? 6 : 4 }];
        },
      }),
    });

  it('refuses links to loopback, [::1], decimal and hex IPs, the metadata address and plain http, with no request sent and nothing of an answer on the card', async () => {
    const h = deployed();
    const links = [
      `http://127.0.0.1:${port}/metadata/instance?x.csv`,
      `https://127.0.0.1:${port}/metadata/instance`,
      `http://[::1]:${port}/metadata/instance`,
      `https://[::ffff:127.0.0.1]:${port}/metadata/instance`,
      `https://2130706433:${port}/metadata/instance`,
      `https://0x7f000001:${port}/metadata/instance`,
      'https://169.254.169.254/metadata/instance?api-version=2021-02-01',
      'http://contoso-my.sharepoint.com/personal/report.csv',
      `https://localhost:${port}/metadata/instance`,
    ];
    for (const link of links) {
      const text = cardText(lastCard(await h.say(fileHost.drop('report.csv', link))));
      assert.match(text, /I could not download that file/, link);
      assert.match(text, /https|IP address|file hosts/, link);
      assert.doesNotMatch(text, /compute|stolen|subscriptionId|metadata/, `nothing of the request or an answer on the card: ${link}`);
    }
    assert.deepEqual(hits, [], 'no request reached the internal endpoint');
  });

  it('refuses a Microsoft host name that resolves to a private, loopback or link-local address, before connecting (DNS checked, then the checked address used)', async () => {
    for (const address of ['10.0.0.5', '127.0.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:192.168.1.1', '100.64.0.1']) {
      const h = deployed({ 'contoso-my.sharepoint.com': address });
      const text = cardText(lastCard(await h.say(fileHost.drop('report.csv', `https://contoso-my.sharepoint.com:${port}/personal/report.csv`))));
      assert.match(text, /private, loopback or link-local/, address);
    }
    assert.deepEqual(hits, []);
    assert.ok(isPublicAddress('13.107.136.9') && isPublicAddress('2620:1ec:8f8::1'), 'SharePoint Online\'s published addresses pass');
  });

  it('checks every redirect hop: a file host that redirects to loopback or the metadata address is refused at that hop', async () => {
    const redirector = http.createServer((req, res) => {
      res.writeHead(302, { location: req.url === '/passlens-drop/to-metadata.csv' ? 'http://169.254.169.254/metadata/instance' : `http://127.0.0.1:${port}/metadata/instance` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      // The local drop allowance (local mode on loopback) is the only way to reach loopback at all, and only under /passlens-drop/.
      const h = botHarness();
      const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/passlens-drop`;
      for (const path of ['/to-loopback.csv', '/to-metadata.csv']) {
        const text = cardText(lastCard(await h.say(fileHost.drop('report.csv', `${base}${path}`))));
        assert.match(text, /I could not download that file/);
        assert.doesNotMatch(text, /compute|stolen/);
      }
      const direct = cardText(lastCard(await h.say(fileHost.drop('report.csv', `http://127.0.0.1:${port}/metadata/instance.csv`))));
      assert.match(direct, /I could not download that file/, 'loopback outside the drop path is refused even locally');
    } finally {
      redirector.closeAllConnections();
      redirector.close();
    }
    assert.deepEqual(hits, []);
  });

  it('a forged fileConsent/invoke does not PUT the findings anywhere but Microsoft\'s file hosts', async () => {
    const h = deployed();
    const button = cardActions(lastCard(await h.say('how many passes does Sales Prod use'))).find((a) => a.data.verb === 'exportFindings')!;
    const offered = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: button.verb, data: button.data }, trigger: 'manual' } });
    const consent = offered.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')!;
    const { acceptContext } = consent.content as { acceptContext: Record<string, string> };
    for (const uploadUrl of [`http://127.0.0.1:${port}/steal`, `https://[::1]:${port}/steal`, 'https://169.254.169.254/steal']) {
      const replies = await h.say({ type: 'invoke', name: 'fileConsent/invoke', value: { type: 'fileUpload', action: 'accept', context: acceptContext, uploadInfo: { uploadUrl, contentUrl: 'https://contoso-my.sharepoint.com/x.csv', name: consent.name, uniqueId: 'u1', fileType: 'csv' } } });
      assert.match(cardText(lastCard(replies)), /I could not save the findings file/);
    }
    assert.deepEqual(hits, [], 'no PUT reached the internal endpoint');
  });

  it('a 403 from the file host is the host refusing the file, not a permission PassLens lacks (issue 23, lower items)', async () => {
    const refusing = http.createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"accessDenied","message":"secret-looking detail"}}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const text = cardText(lastCard(await botHarness().say(fileHost.drop('report.csv', `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/passlens-drop/report.csv`))));
      assert.match(text, /file host \(OneDrive or SharePoint\) answered 403: it refused to give the file out/);
      assert.doesNotMatch(text, /app registration|management app|permission/i);
      assert.doesNotMatch(text, /secret-looking/);
    } finally {
      refusing.close();
    }
  });

  it('the allow-list per cloud: SharePoint and OneDrive hosts over https, none where Teams bots receive no files', () => {
    const ok = (link: string, domains: readonly string[]) => checkFileUrl(link, { domains }).url.hostname;
    assert.equal(ok('https://contoso-my.sharepoint.com/personal/a/_layouts/15/download.aspx?UniqueId=1', CLOUDS.public.fileHosts), 'contoso-my.sharepoint.com');
    assert.equal(ok('https://contoso.sharepoint.cn/x.csv', CLOUDS.china.fileHosts), 'contoso.sharepoint.cn');
    for (const [link, domains] of [
      ['https://sharepoint.com.evil.example/x.csv', CLOUDS.public.fileHosts],
      ['https://evilsharepoint.com/x.csv', CLOUDS.public.fileHosts],
      ['https://contoso.sharepoint.com/x.csv', CLOUDS.china.fileHosts],
      ['https://contoso.sharepoint.us/x.csv', CLOUDS.usgovhigh.fileHosts],
      ['https://user:pw@contoso.sharepoint.com/x.csv', CLOUDS.public.fileHosts],
    ] as const) {
      assert.throws(() => checkFileUrl(link, { domains }), FileHostRefusedError, link);
    }
  });
});
