import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type restify from 'restify';
import { createServer, listen } from '../../src/server';
import { EntraTokenValidator } from '../../src/digest/entraToken';
import { FakeOpenIdProvider } from './support';

/**
 * POST /api/digest with PASSLENS_DIGEST_AUDIENCE, against a fake Entra ID key host:
 * unauthenticated callers with made-up key ids cannot make PassLens fetch keys again and
 * again, and a key host that never answers cannot hang the requests.
 */
const TENANT = '11111111-2222-3333-4444-555555555555';
const AUDIENCE = 'api://passlens-digest';

describe('reliability: digest tokens', function () {
  this.timeout(30_000);
  let provider: FakeOpenIdProvider;
  let server: restify.Server;
  let port: number;
  let runs = 0;

  before(async () => {
    provider = await new FakeOpenIdProvider().start();
    const validator = new EntraTokenValidator({ authorityHost: provider.url, tenantId: TENANT, audience: AUDIENCE });
    server = createServer({ onMessages: async (_req, res) => void res.send(404), onDigest: async () => ({ run: ++runs }), logError: () => {}, digestSecret: null, digestToken: (t) => validator.validate(t) });
    port = await listen(server, 0, '127.0.0.1');
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await provider.stop();
  });

  const token = (kid: string, key = provider.key.privateKey) =>
    new SignJWT({ tid: TENANT }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(`${provider.url}/${TENANT}/v2.0`).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(key);
  const post = async (t: string) => (await fetch(`http://127.0.0.1:${port}/api/digest`, { method: 'POST', headers: { authorization: `Bearer ${t}` } })).status;

  it('a valid token runs the digest', async () => {
    assert.equal(await post(await token(provider.kid)), 200);
  });

  it('twenty requests with random key ids cause at most one more key fetch', async () => {
    const before = provider.fetches.keys + provider.fetches.metadata;
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await post(await token(randomUUID())));
    assert.deepEqual(new Set(statuses), new Set([401]));
    const fetched = provider.fetches.keys + provider.fetches.metadata - before;
    assert.ok(fetched <= 1, `${fetched} key host fetches for 20 unknown kids`);
    assert.equal(await post(await token(provider.kid)), 200, 'the known key still works');
  });

  it('a key host that never answers costs a request at most the timeout, then 401', async () => {
    const other = await new FakeOpenIdProvider().start();
    other.blackHole = true;
    const validator = new EntraTokenValidator({ authorityHost: other.url, tenantId: TENANT, audience: AUDIENCE });
    const t = await new SignJWT({ tid: TENANT }).setProtectedHeader({ alg: 'RS256', kid: 'any' }).setIssuer(`${other.url}/${TENANT}/v2.0`).setAudience(AUDIENCE).setExpirationTime('10m').sign(other.key.privateKey);
    try {
      const started = Date.now();
      const results = await Promise.all([1, 2, 3].map(() => validator.validate(t)));
      const took = Date.now() - started;
      assert.deepEqual(results, [false, false, false]);
      assert.ok(took < 5_000, `took ${took} ms`);
    } finally {
      await other.stop();
    }
  });
});
