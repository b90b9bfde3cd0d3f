import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { startPassLens, type RunningPassLens } from '../../src/index';
import { freePort } from '../support/chromium';
import { MALFORMED_BODY, REFUSED_BODY } from '../../src/bot/activityRequests';
import { captureOutput, FakeOpenIdProvider, rawJwt } from './support';

/**
 * POST /api/messages with a bot identity, against a fake Bot Framework OpenID provider:
 * every request that is not a valid Bot Framework request gets 401 (400 for a body that
 * is no activity) with a fixed short body, and nothing but scrubbed one-line log entries
 * reach the output.
 */
const APP_ID = '00000000-0000-0000-0000-0000000000b0';
const CHANNEL_ISSUER = 'https://api.botframework.com';

async function startWithIdentity(metadataUrl: string, logs: string[]): Promise<RunningPassLens> {
  return startPassLens({
    env: {
      PORT: String(await freePort()),
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret-value',
      MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
      PASSLENS_ADMINS: 'aaaaaaaa-0000-0000-0000-000000000001',
      PASSLENS_DIGEST_TIMER: 'off',
      PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-bf-')),
    },
    logger: { info: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`), error: (m, f) => logs.push(`ERROR ${m} ${JSON.stringify(f ?? {})}`) },
    botAuthentication: {
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      OAuthUrl: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
      CallerId: 'urn:botframework:azure',
    },
  });
}

const activity = {
  type: 'typing',
  id: 'a1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  from: { id: '29:user', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' },
  recipient: { id: `28:${APP_ID}` },
  conversation: { id: 'conv-1', tenantId: '11111111-2222-3333-4444-555555555555' },
};

describe('reliability: Bot Framework requests', function () {
  this.timeout(30_000);
  let provider: FakeOpenIdProvider;
  let running: RunningPassLens;
  const logs: string[] = [];

  before(async () => {
    provider = await new FakeOpenIdProvider({ endorsements: ['msteams'] }).start();
    running = await startWithIdentity(`${provider.url}/v1/.well-known/openidconfiguration`, logs);
  });
  after(async () => {
    await running?.close();
    await provider?.stop();
  });

  const claims = () => ({ iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: activity.serviceUrl, exp: Math.floor(Date.now() / 1000) + 600, nbf: Math.floor(Date.now() / 1000) - 60 });
  const post = (authorization: string | null, body: string = JSON.stringify(activity)) =>
    fetch(`http://127.0.0.1:${running.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });

  async function expectRefused(authorization: string | null, what: string, status = 401, body?: string): Promise<void> {
    const { result: res, output } = await captureOutput(async () => {
      const r = await post(authorization, body);
      return { status: r.status, text: await r.text() };
    });
    assert.equal(res.status, status, `${what}: status`);
    assert.deepEqual(JSON.parse(res.text), status === 400 ? MALFORMED_BODY : REFUSED_BODY, `${what}: the fixed body`);
    assert.doesNotMatch(output, /\n\s+at /, `${what}: no stack frame reaches the output`);
  }

  it('401 with a fixed body for alg none, a wrong key, HS256 keyed with the public key, garbage and no token', async () => {
    await expectRefused(`Bearer ${rawJwt({ alg: 'none', typ: 'JWT', kid: provider.kid }, claims())}`, 'alg none');
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expectRefused(`Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: provider.kid }).sign(otherKey)}`, 'wrong RS256 key');
    const pem = provider.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    await expectRefused(`Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: provider.kid }).sign(Buffer.from(pem))}`, 'HS256 with the public key');
    await expectRefused('Bearer garbage', 'garbage');
    await expectRefused(null, 'no token');
    await expectRefused(`Bearer ${await new SignJWT({ ...claims(), exp: Math.floor(Date.now() / 1000) - 3600 }).setProtectedHeader({ alg: 'RS256', kid: provider.kid }).sign(provider.key.privateKey)}`, 'expired');
  });

  it('400 with a fixed body for a body that is no activity, whatever the token', async () => {
    await expectRefused(null, 'empty object', 400, '{}');
    await expectRefused(null, 'array', 400, '[1,2]');
    await expectRefused('Bearer x', 'no type', 400, JSON.stringify({ text: 'hi' }));
    const res = await post(null, '{"type": "message", broken');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'Bad request.' }, 'the JSON parser\'s message stays inside');
  });

  it('a valid token is still accepted', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: provider.kid }).sign(provider.key.privateKey);
    const res = await post(`Bearer ${token}`);
    assert.equal(res.status, 200, await res.text());
  });

  it('401 with a fixed body when the OpenID metadata host is unreachable, and the log line is one scrubbed line', async () => {
    const deadPort = await freePort();
    const localLogs: string[] = [];
    const other = await startWithIdentity(`http://127.0.0.1:${deadPort}/v1/.well-known/openidconfiguration`, localLogs);
    try {
      const { result, output } = await captureOutput(async () => {
        const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(provider.key.privateKey);
        const r = await fetch(`http://127.0.0.1:${other.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
        return { status: r.status, text: await r.text() };
      });
      assert.equal(result.status, 401);
      assert.deepEqual(JSON.parse(result.text), REFUSED_BODY);
      assert.equal(output, '', 'nothing is written around the logger');
      assert.ok(localLogs.length > 0 && localLogs.every((l) => !l.includes('\n')), localLogs.join('\n'));
    } finally {
      await other.close();
    }
  });
});
