import assert from 'node:assert/strict';
import { jsonLogger } from '../../src/logger';
import { TenantSimulator } from '../support/tenantSimulator';

/**
 * The README's claim "log lines are scrubbed of bearer tokens, JWTs and secret=/password=
 * values", held on the logger PassLens writes every line with: wherever a credential sits
 * (the message, a field, a nested field, an Error's message, a JSON body), it is not in
 * the line; an Error is written with its name and message, not as `{}`; every event is one
 * line of JSON.
 */

const sim = new TenantSimulator();
// A real RS256 JWT, as Entra issues them (the simulator signs with its own key).
const JWT = sim.signAccessToken({ aud: 'https://graph.microsoft.com', tid: 'tenant' });
const OPAQUE = 'opaqueTokenValue0123456789';
const SECRET = 'Sup3r-Secret~Value';
const SIG = 'sv2024sigAbCdEf%2B%3D';
const ACCOUNT_KEY = 'c2VjcmV0LWFjY291bnQta2V5LXZhbHVl';

function lines(log: (logger: ReturnType<typeof jsonLogger>) => void): string[] {
  const written: string[] = [];
  log(jsonLogger((line) => written.push(line)));
  return written;
}

describe('reliability: the log scrubber (README)', () => {
  it('removes bearer tokens, JWTs and secret values wherever they are in a line', () => {
    const out = lines((logger) => {
      logger.error(`request failed: Authorization: Bearer ${OPAQUE}`, {
        url: `https://contoso.sharepoint.com/file.csv?sig=${SIG}&se=2026`,
        body: `grant_type=client_credentials&client_secret=${SECRET}&scope=x`,
        token: JWT,
        answer: JSON.stringify({ token_type: 'Bearer', access_token: OPAQUE, refresh_token: SECRET }),
        nested: { request: { headers: { authorization: `Bearer ${JWT}` }, form: [`password=${SECRET}`] } },
        storage: `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`,
      });
      logger.info(`signed in with ${JWT}`);
    });
    assert.equal(out.length, 2);
    for (const line of out) {
      assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line per event');
      const parsed = JSON.parse(line);
      assert.ok(parsed.time && parsed.level && parsed.message);
      for (const secret of [OPAQUE, SECRET, SIG, ACCOUNT_KEY, JWT, JWT.split('.')[1]]) assert.ok(!line.includes(secret), `${secret.slice(0, 12)}... is in ${line}`);
      assert.match(line, /\[redacted\]/);
    }
    assert.match(out[0], /client_secret=\[redacted\]/);
    assert.match(out[0], /AccountName=x/, 'what is not a secret stays');
  });

  it('writes an Error with its name and message (scrubbed), not as {}', () => {
    const failure = Object.assign(new TypeError(`fetch failed for https://x/?code=${SECRET}`), { code: 'ECONNRESET' });
    const [line] = lines((logger) => logger.error('upload failed', { error: failure, errors: [new Error('second one')] }));
    const parsed = JSON.parse(line);
    assert.equal(parsed.error, 'TypeError: fetch failed for https://x/?code=[redacted] (ECONNRESET)');
    assert.deepEqual(parsed.errors, ['Error: second one']);
    assert.ok(!line.includes(SECRET));
  });
});
