import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';

/**
 * Issue 23, items 3 and 6, against the simulator with the real MSAL and axios: a next link
 * from an answer decides where the next call goes. The fault run saw the bearer token
 * follow a nextLink to another host and over plain http, and a nextLink pointing to itself
 * run to 100,000 pages (29,514 calls in 120 s).
 */
const MONTH = '2026-11';

describe('reliability: a token only where it belongs, paging that ends', function () {
  this.timeout(60_000);
  let sim: TenantSimulator;
  let thief: http.Server;
  const stolen: { url?: string; authorization?: string }[] = [];

  before(async () => {
    sim = await new TenantSimulator().start();
    thief = http.createServer((req, res) => {
      stolen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"value":[]}');
    });
    await new Promise<void>((resolve) => thief.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    thief.closeAllConnections();
    thief.close();
    await sim.stop();
  });
  beforeEach(() => {
    stolen.length = 0;
  });

  const read = () => new LiveTenantSource(loadConfig(sim.env()).live!).read({ month: MONTH, backoffMs: 10, retries: 1 });
  /** The environment with the most apps, so its apps take several pages. */
  const busiest = () => {
    const counts = new Map<string, number>();
    for (const a of sim.seed.apps ?? []) counts.set(a.environmentId, (counts.get(a.environmentId) ?? 0) + 1);
    const [id, apps] = [...counts].sort((a, b) => b[1] - a[1])[0];
    return { env: sim.seed.environments.find((e) => e.id === id)!, apps };
  };
  const appsPath = (id: string) => new RegExp(`/environments/${id}/apps$`);

  it('a nextLink to another origin over http receives no request and no token; the apps read are kept and the stop is named', async () => {
    const { env, apps } = busiest();
    assert.ok(apps > 2, 'the seed has an environment with several pages of apps');
    sim.reset({ ...NO_FAULTS, pageSize: 2, nextLinkTo: { path: appsPath(env.id), to: `http://127.0.0.1:${(thief.address() as AddressInfo).port}` } });
    const { snapshot } = await read();
    assert.deepEqual(stolen, [], 'nothing reached the other host');
    const warnings = snapshot.sources[0].warnings ?? [];
    assert.ok(warnings.some((w) => w.includes(`/environments/${env.id}/apps`) && /over http .* was not followed/.test(w)), warnings.join('\n'));
    assert.equal((snapshot.apps ?? []).filter((a) => a.environmentId === env.id).length, 2, 'the first page is kept');
  });

  it('a nextLink to another https origin is not followed either: the token is for the configured base URL\'s origin only', async () => {
    const { env } = busiest();
    // The simulator's own certificate also names 127.0.0.1: the same server under another origin, so a request would be seen.
    const other = sim.url.replace('localhost', '127.0.0.1');
    sim.reset({ ...NO_FAULTS, pageSize: 2, nextLinkTo: { path: appsPath(env.id), to: other } });
    const { snapshot } = await read();
    assert.deepEqual(sim.calls.filter((c) => c.host?.startsWith('127.0.0.1')), [], 'no call under the other origin');
    assert.ok((snapshot.sources[0].warnings ?? []).some((w) => w.includes(`a link to ${other} was not followed`)));
  });

  it('a nextLink that points to itself stops within 10 pages, with a warning, and the rest of the tenant is read', async () => {
    const { env } = busiest();
    sim.reset({ ...NO_FAULTS, pageSize: 2, nextLinkTo: { path: appsPath(env.id), to: 'self' } });
    const started = Date.now();
    const { snapshot } = await read();
    const pages = sim.calls.filter((c) => appsPath(env.id).test(c.path)).length;
    assert.ok(pages <= 10, `${pages} pages`);
    assert.ok((snapshot.sources[0].warnings ?? []).some((w) => /pointed back to a page already read/.test(w)));
    assert.equal(snapshot.environments.length, sim.seed.environments.length);
    assert.ok(Date.now() - started < 30_000);
  });

  it('a nextLink to a new URL that serves the same page again is a loop too', async () => {
    const { env } = busiest();
    sim.reset({ ...NO_FAULTS, pageSize: 2, nextLinkTo: { path: appsPath(env.id), to: 'again' } });
    const { snapshot } = await read();
    const pages = sim.calls.filter((c) => appsPath(env.id).test(c.path)).length;
    assert.ok(pages <= 10, `${pages} pages`);
    assert.ok((snapshot.sources[0].warnings ?? []).some((w) => /a page repeated one already read/.test(w)));
  });
});
