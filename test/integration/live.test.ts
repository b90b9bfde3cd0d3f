import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type LiveSettings } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { LiveApiError } from '../../src/tenant/live/errors';
import { analyze, analyzeSnapshot } from '../../src/licensing/analyze';
import { withCsvUsage } from '../../src/tenant/tenantData';
import { TenantService } from '../../src/tenant/tenantService';
import { LIST_PRICES } from '../../src/licensing/prices';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { DISABLED_POLICY_ID, GONE_POLICY_ID, NO_FAULTS, SIM_IDENTITY_HEADER, TenantSimulator } from '../support/tenantSimulator';
import { chunksOf, toActiveUsersCsv } from '../support/csvWriter';
import { findingWords } from '../../src/licensing/findings';

const dir = mkdtempSync(join(tmpdir(), 'passlens-live-'));
const MONTH = '2026-11';

/**
 * What must survive the trip through the APIs: every environment, app and license, and
 * the AppPass bookings per user and environment (all the documented usage API tells: it
 * names no app and no other license type).
 */
function canonical(s: TenantSnapshot) {
  const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const passes = new Map<string, Set<string>>();
  for (const l of s.launches) {
    if (l.licenseType !== 'AppPass' || l.month !== MONTH) continue;
    const key = `${l.environmentId}|${l.userPrincipalName.toLowerCase()}`;
    passes.set(key, (passes.get(key) ?? new Set()).add(l.appId));
  }
  return {
    environments: sortBy(s.environments.map(({ id, name, environmentType, managed, payAsYouGo, allocatedPasses }) => ({ id, name, environmentType: environmentType ?? null, managed, payAsYouGo, allocatedPasses })), (e) => e.id),
    apps: sortBy(s.apps ?? [], (a) => a.id).map((a) => ({ ...a, connectors: sortBy(a.connectors, (c) => c.name) })),
    users: sortBy((s.users ?? []).map((u) => ({ upn: u.userPrincipalName.toLowerCase(), licenses: [...u.licenses].sort() })), (u) => u.upn),
    appPassBookings: [...passes].map(([key, apps]) => `${key}|${apps.size}`).sort(),
  };
}

describe('live tenant data against the local simulator (real MSAL and axios)', function () {
  this.timeout(60_000);
  let sim: TenantSimulator;

  before(async () => (sim = await new TenantSimulator().start()));
  after(() => sim.stop());
  // Usage insight answering in the documented shape, unless a test says otherwise.
  beforeEach(() => sim.reset({ ...NO_FAULTS, insight: 'answers' }));

  function settings(extra: Record<string, string> = {}): LiveSettings {
    return loadConfig({ ...sim.env(), ...extra }).live!;
  }

  function source(extra: Record<string, string> = {}, logs?: string[]) {
    return new LiveTenantSource(settings(extra), logs ? (m, f) => logs.push(`${m} ${JSON.stringify(f)}`) : undefined);
  }

  it('a full refresh equals the seed dataset', async () => {
    const result = await source().read({ month: MONTH, backoffMs: 10 });
    assert.deepEqual(canonical(result.snapshot), canonical(sim.seed));
    const report = analyzeSnapshot(result.snapshot);
    const sales = report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    // The usage API names no app: booked and overage are known, which launches need a pass is not.
    assert.deepEqual([sales.allocatedPasses, sales.bookedAsAppPass, sales.requiredPasses, sales.overage], [25, 28, null, 3]);
    assert.match(result.snapshot.sources[0].warnings!.join(' '), /names users and environments, not apps.*Active users report/);
    // Half the environments have no add-ons in BAP: their allocation came from the Power Platform API.
    assert.ok(sim.calls.some((c) => /\/licensing\/environments\/.+\/allocations$/.test(c.path)));
    // Usage insight is tenant-wide: one call per AppPass entitlement, not one per environment.
    assert.equal(sim.calls.filter((c) => /^\/licensing\/entitlements\/AppPass\/users$/.test(c.path)).length, 1);
  });

  it('asks Entra ID for each host\'s documented audience, never api.bap.microsoft.com; an unknown one is AADSTS500011', async () => {
    await source().read({ month: MONTH });
    const asked = new Set(sim.calls.filter((c) => c.api === 'token').map((c) => c.resource));
    assert.deepEqual([...asked].sort(), ['https://api.powerplatform.com', 'https://graph.microsoft.com', 'https://service.powerapps.com']);
    const wrong = { ...settings(), audiences: { ...settings().audiences, bap: 'https://api.bap.microsoft.com' } };
    await assert.rejects(new LiveTenantSource(wrong).read({ month: MONTH }), (e: Error) => {
      assert.ok(e instanceof LiveApiError);
      assert.equal(e.code, 'AADSTS500011');
      assert.match(e.message, /does not know the resource/);
      assert.match(e.action, /PASSLENS_CLOUD/);
      return true;
    });
  });

  for (const insight of ['refused', 'unlisted'] as const) {
    it(`usage insight ${insight}: every environment keeps what other calls read, launches are null with the fix`, async () => {
      sim.faults.insight = insight;
      const result = await source().read({ month: MONTH });
      assert.equal(result.snapshot.launches.length, 0);
      assert.match(result.snapshot.usageUnknown ?? '', insight === 'refused' ? /answered 403 \(Forbidden\)/ : /lists no AppPass usage entitlement/);
      const expected = canonical(sim.seed);
      const got = canonical(result.snapshot);
      assert.deepEqual([got.environments, got.apps, got.users], [expected.environments, expected.apps, expected.users]);
      const report = analyzeSnapshot(result.snapshot);
      for (const e of report.environments) {
        assert.deepEqual([e.bookedAsAppPass, e.requiredPasses, e.overage, e.unusedPasses], [null, null, null, null], e.name);
        assert.ok(e.apps.length > 0 || !(sim.seed.apps ?? []).some((a) => a.environmentId === e.id), `${e.name} lists its apps`);
      }
      assert.match(result.snapshot.sources[0].warnings!.join(' '), /Active users report \(Power Platform admin center > Licensing > Power Apps > Download reports\).*--csv/);
    });
  }

  it('pay-as-you-go as documented: BAP asked with $expand, a Disabled policy and a 404 environment list do not bill', async () => {
    const result = await source().read({ month: MONTH });
    const bap = sim.calls.find((c) => c.api === 'bap')!;
    assert.ok(bap, 'BAP was called');
    assert.ok(sim.calls.some((c) => c.path === `/licensing/billingPolicies/${GONE_POLICY_ID}/environments` && c.status === 404), 'the gone policy answered 404');
    assert.ok(!sim.calls.some((c) => c.path === `/licensing/billingPolicies/${DISABLED_POLICY_ID}/environments`), 'a Disabled policy is not even followed');
    const payg = result.snapshot.environments.filter((e) => e.payAsYouGo).map((e) => e.name);
    assert.deepEqual(payg, sim.seed.environments.filter((e) => e.payAsYouGo).map((e) => e.name));
    assert.ok(result.snapshot.environments.every((e) => e.payAsYouGo !== null), 'a 404 on one policy leaves nothing unknown');
    assert.ok(!result.snapshot.sources[0].warnings!.some((w) => /billing polic/i.test(w)), result.snapshot.sources[0].warnings!.join('\n'));
  });

  it('managed: isManagedEnvironment wins without governanceConfiguration, neither is null, and a disagreement is noted', async () => {
    const sales = sim.seed.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    const hr = sim.seed.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    const ops = sim.seed.environments.find((e) => e.name === 'Operations')!;
    sim.faults.withoutGovernance = [sales.id, hr.id];
    sim.faults.withoutManagedFlag = [hr.id];
    sim.faults.protectionLevelOf = { [ops.id]: 'Standard' };
    const result = await source().read({ month: MONTH });
    const env = (id: string) => result.snapshot.environments.find((e) => e.id === id)!;
    assert.equal(env(sales.id).managed, false, 'from the environment entitlements');
    assert.equal(env(hr.id).managed, null, 'neither field: unknown, not false');
    assert.equal(env(ops.id).managed, false, 'the documented entitlements field wins over BAP');
    assert.match(result.snapshot.sources[0].warnings!.join(' '), /Operations: the environment entitlements say isManagedEnvironment = false, BAP's protectionLevel says Standard/);
    // R8/R9 say they cannot tell for the environment whose managed status is unknown.
    const report = analyzeSnapshot(result.snapshot).environments.find((e) => e.id === hr.id)!;
    assert.equal(report.managed, null);
  });

  it('one refused call removes nothing the others read', async () => {
    const hr = sim.seed.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    sim.faults.refusedPaths = new RegExp(`${hr.id}/apps$`);
    const result = await source().read({ month: MONTH });
    const env = result.snapshot.environments.find((e) => e.id === hr.id)!;
    assert.match(env.dataError ?? '', /Apps: .*answered 403/);
    assert.deepEqual([env.allocatedPasses, env.managed, env.payAsYouGo], [hr.allocatedPasses, hr.managed, hr.payAsYouGo]);
    assert.ok(result.snapshot.launches.some((l) => l.environmentId === hr.id), 'its launches still counted');
    assert.match(result.snapshot.sources[0].warnings!.join(' '), /Apps could not be read in 1 environment\(s\) \(Contoso HR \(Managed\)\).*pac admin application register/);
    const report = analyzeSnapshot(result.snapshot).environments.find((e) => e.id === hr.id)!;
    assert.equal(report.allocatedPasses, hr.allocatedPasses);
    assert.ok(report.bookedAsAppPass !== null && report.bookedAsAppPass > 0);
  });

  it('follows paging across many pages (nextLink, @odata.nextLink, continuationToken)', async () => {
    sim.faults.pageSize = 2;
    const result = await source().read({ month: MONTH });
    assert.deepEqual(canonical(result.snapshot), canonical(sim.seed));
    const pages = (re: RegExp) => sim.calls.filter((c) => re.test(c.path)).length;
    assert.ok(pages(/^\/v1\.0\/users$/) >= 20, 'Graph @odata.nextLink');
    assert.ok(pages(/environments$/) >= 3, 'BAP nextLink');
    assert.ok(pages(/\/users$/) > pages(/\/entitlements$/), 'continuationToken');
  });

  for (const retryAfter of [1, 'date'] as const) {
    it(`honours Retry-After (${retryAfter === 1 ? 'seconds' : 'HTTP date'}): no request before the time it gave`, async () => {
      sim.faults.throttleRate = 0.15;
      sim.faults.retryAfter = retryAfter;
      const result = await source().read({ month: MONTH, backoffMs: 10, retries: 8 });
      assert.deepEqual(canonical(result.snapshot), canonical(sim.seed));
      const throttled = sim.calls.filter((c) => c.status === 429);
      assert.ok(throttled.length > 0, 'some calls were throttled');
      for (const t of throttled) {
        const next = sim.calls.find((c) => c !== t && c.at >= t.at && c.path === t.path && sim.calls.indexOf(c) > sim.calls.indexOf(t));
        assert.ok(next, `retried ${t.path}`);
        assert.ok(next.at >= t.retryAt!, `${t.path} came back ${t.retryAt! - next.at} ms early`);
      }
    });
  }

  it('survives 5xx answers and connection resets with bounded retries', async () => {
    sim.faults.serverErrorRate = 0.15;
    sim.faults.resetRate = 0.08;
    const result = await source().read({ month: MONTH, backoffMs: 5, retries: 8 });
    assert.deepEqual(canonical(result.snapshot), canonical(sim.seed));
    assert.ok(sim.calls.some((c) => c.status === 'reset'));
    assert.ok(sim.calls.some((c) => c.status === 500 || c.status === 503));
  });

  it('names a failing environment with the reason while the others answer', async () => {
    const ops = sim.seed.environments.find((e) => e.name === 'Operations')!;
    sim.faults.failingEnvironmentId = ops.id;
    const result = await source().read({ month: MONTH, backoffMs: 1, retries: 2 });
    const failed = result.snapshot.environments.find((e) => e.id === ops.id)!;
    assert.match(failed.dataError ?? '', /answered 500/);
    const report = analyzeSnapshot(result.snapshot);
    const opsReport = report.environments.find((e) => e.id === ops.id)!;
    assert.match(opsReport.unknowns[0], /Not everything of Operations could be read/);
    assert.equal(report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!.overage, 3);
    assert.match(result.snapshot.sources[0].warnings!.join(' '), /Apps could not be read in 1 environment\(s\) \(Operations\)/);
  });

  it('names an environment whose payload is malformed JSON', async () => {
    const hr = sim.seed.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    sim.faults.malformedJson = new RegExp(`${hr.id}/apps$`);
    const result = await source().read({ month: MONTH, backoffMs: 1, retries: 1 });
    assert.match(result.snapshot.environments.find((e) => e.id === hr.id)!.dataError ?? '', /malformed JSON/);
    assert.equal(result.snapshot.environments.filter((e) => e.dataError).length, 1);
  });

  it('keeps calls in flight within the configured concurrency', async () => {
    sim.faults.latencyMs = 15;
    const result = await source({ PASSLENS_CONCURRENCY: '3' }).read({ month: MONTH });
    assert.ok(result.maxInFlight <= 3, `client: ${result.maxInFlight}`);
    assert.ok(sim.maxInFlight <= 3, `server saw ${sim.maxInFlight}`);
    assert.ok(result.maxInFlight >= 2, 'calls did overlap');
  });

  it('puts one correlation id on every call of a refresh, a new one per refresh', async () => {
    const logs: string[] = [];
    const src = source({}, logs);
    const first = await src.read({ month: MONTH });
    const ids = new Set(sim.apiCalls().map((c) => c.clientRequestId));
    assert.deepEqual([...ids], [first.correlationId]);
    const second = await src.read({ month: MONTH });
    assert.notEqual(second.correlationId, first.correlationId);
    assert.ok(logs.some((l) => l.includes(first.correlationId) && l.startsWith('refresh finished')));
  });

  it('uses one token per resource, cached, and renews it before it expires', async () => {
    sim.faults.tokenLifetimeSeconds = 303; // MSAL renews within 5 minutes of expiry: this one is due in about 3 s
    const src = source();
    const before = sim.tokensIssued;
    await src.read({ month: MONTH });
    assert.equal(sim.tokensIssued - before, 3, 'BAP and Power Apps (one audience), Power Platform, Graph: one each, reused across calls');
    await src.read({ month: MONTH });
    assert.equal(sim.tokensIssued - before, 3, 'still valid: reused');
    await new Promise((r) => setTimeout(r, 4500));
    await src.read({ month: MONTH });
    assert.equal(sim.tokensIssued - before, 6, 'renewed before expiry');
  });

  it('signs in with a certificate (client assertion) and with a managed identity', async () => {
    const pem = join(dir, 'reader.pem');
    writeFileSync(pem, sim.certificatePem);
    const env = sim.env();
    delete (env as Record<string, string | undefined>).PASSLENS_CLIENT_SECRET;
    const cert = new LiveTenantSource(loadConfig({ ...env, PASSLENS_CLIENT_CERTIFICATE_PATH: pem }).live!);
    assert.deepEqual(canonical((await cert.read({ month: MONTH })).snapshot), canonical(sim.seed));

    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = sim.msiUrl;
    process.env.IDENTITY_HEADER = SIM_IDENTITY_HEADER;
    try {
      const mi = new LiveTenantSource(loadConfig({ ...env, PASSLENS_USE_MANAGED_IDENTITY: 'true' }).live!);
      assert.deepEqual(canonical((await mi.read({ month: MONTH })).snapshot), canonical(sim.seed));
      assert.ok(sim.calls.some((c) => c.path === '/msi/token'));
    } finally {
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = saved.endpoint;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
      else process.env.IDENTITY_HEADER = saved.header;
    }
  });

  it('a wrong or expired secret gives the clear error, without the secret', async () => {
    await assert.rejects(source({ PASSLENS_CLIENT_SECRET: 'wrong-secret-123' }).read({ month: MONTH }), (e: Error) => {
      assert.ok(e instanceof LiveApiError);
      assert.match(e.message, /credential was refused \(AADSTS7000215\)/);
      assert.match(e.action, /Certificates & secrets/);
      assert.ok(!`${e.message} ${e.action}`.includes('wrong-secret-123'));
      return true;
    });
  });

  it('403 from the admin API says to register the management app; 403 from Graph degrades with the permission to grant', async () => {
    sim.faults.forbidden = ['bap'];
    await assert.rejects(source().read({ month: MONTH }), (e: Error) => e instanceof LiveApiError && /answered 403/.test(e.message) && /pac admin application register --application-id/.test(e.action));
    sim.faults.forbidden = ['graph'];
    const result = await source().read({ month: MONTH });
    assert.equal(result.snapshot.users, null);
    assert.match(result.snapshot.sources[0].warnings!.join(' '), /LicenseAssignment\.Read\.All \(or Directory\.Read\.All\)/);
    // /users alone refused: the SKUs are no use without the users, and the fix names User.Read.All.
    sim.faults.forbidden = [];
    sim.faults.refusedPaths = /^\/v1\.0\/users$/;
    const noUsers = await source().read({ month: MONTH });
    assert.equal(noUsers.snapshot.users, null);
    assert.match(noUsers.snapshot.sources[0].warnings!.join(' '), /Graph \/users answered 403.*User\.Read\.All/);
  });

  it('gives the same report as the CSV path for the same data', async () => {
    const live = (await source().read({ month: MONTH })).snapshot;
    const { launches, ...inventory } = live;
    const csv = await withCsvUsage(chunksOf(toActiveUsersCsv(launches), 4096), inventory);
    const fromCsv = analyze(csv.inventory, csv.ledger);
    const fromLive = analyzeSnapshot(live);
    // Evidence names CSV lines, which live data has not: compared are the facts and the rest of the words.
    const strip = (r: typeof fromLive) => r.environments.map(({ findings, ...e }) => ({ ...e, findings: findings.map(({ detail: _d, ...f }) => { const { evidence: _e, ...words } = findingWords({ ...f, detail: _d }); return { ...f, ...words }; }) }));
    assert.deepEqual(strip(fromCsv), strip(fromLive));
  });

  it('two questions during one refresh share it', async () => {
    const src = source();
    const service = new TenantService(() => src.snapshot(), { ttlMs: 60_000, prices: LIST_PRICES });
    sim.faults.latencyMs = 20;
    const [a, b] = await Promise.all([service.get(), service.get()]);
    assert.equal(a, b);
    assert.equal(sim.calls.filter((c) => c.api === 'bap').length, 1);
    await service.get();
    assert.equal(sim.calls.filter((c) => c.api === 'bap').length, 1, 'within the TTL: no new fetch');
    await service.refresh();
    assert.equal(sim.calls.filter((c) => c.api === 'bap').length, 2, 'explicit refresh fetches');
  });

  it('passlens analyze --live (and --live --csv) answer from the simulator', async () => {
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
        );
      });
    // Without the audit log (test/integration/auditAnalysis.test.ts reads it): the usage API alone.
    const env = { ...sim.env(), PASSLENS_AUDIT_READER: 'off', PASSLENS_DATA_DIR: dir };
    // As a real tenant answers today: usage insight refuses app-only tokens.
    sim.faults.insight = 'refused';
    const live = await run(['analyze', '--live', '--month', MONTH, '--format', 'json'], env);
    assert.equal(live.code, 0, live.stderr);
    const refused = JSON.parse(live.stdout);
    assert.equal(refused.environments.length, sim.seed.environments.length);
    for (const e of refused.environments) {
      const seed = sim.seed.environments.find((x) => x.id === e.id)!;
      assert.deepEqual([e.allocatedPasses, e.managed, e.payAsYouGo, e.bookedAsAppPass], [seed.allocatedPasses, seed.managed, seed.payAsYouGo, null], e.name);
    }
    assert.match(refused.sources[0].warnings.join(' '), /Active users report/);
    const csvFile = join(dir, 'usage.csv');
    writeFileSync(csvFile, toActiveUsersCsv(sim.seed.launches));
    const full = await run(['analyze', '--live', '--csv', csvFile, '--month', MONTH, '--env', 'sales prod', '--format', 'json'], env);
    assert.equal(full.code, 0, full.stderr);
    const out = JSON.parse(full.stdout);
    assert.ok(out.sources.some((s: { kind: string }) => s.kind === 'csv'));
    assert.equal(out.usageUnknown, null, 'the CSV answered for usage');
    const notes = out.sources.flatMap((s: { warnings?: string[] }) => s.warnings ?? []).join(' ');
    assert.doesNotMatch(notes, /Launches are unknown|shown as unknown/, 'the CSV supplied the launches: no source says they are unknown');
    const [sales] = out.environments;
    assert.deepEqual([sales.allocatedPasses, sales.bookedAsAppPass, sales.requiredPasses, sales.overage, sales.managed], [25, 28, 1, 3, false]);
    const bad = await run(['analyze', '--live'], { ...env, PASSLENS_CLIENT_SECRET: 'nope' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /credential was refused/);
    assert.ok(!bad.stderr.includes('nope'));
  });
});

describe('live configuration', () => {
  const base = { PASSLENS_TENANT_ID: 't', PASSLENS_CLIENT_ID: 'c' };
  const fails = (env: Record<string, string>, pattern: RegExp) => assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('\n'));

  it('fails at start with one line that names the missing or contradictory setting', () => {
    fails({ PASSLENS_CLIENT_ID: 'c', PASSLENS_CLIENT_SECRET: 's' }, /PASSLENS_TENANT_ID is required/);
    fails({ PASSLENS_CLIENT_SECRET: 's' }, /PASSLENS_CLIENT_ID is required/);
    fails(base, /Set one of PASSLENS_CLIENT_SECRET, PASSLENS_CLIENT_CERTIFICATE_PATH or PASSLENS_USE_MANAGED_IDENTITY/);
    fails({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_USE_MANAGED_IDENTITY: 'true' }, /only one tenant reader credential; PASSLENS_CLIENT_SECRET and PASSLENS_USE_MANAGED_IDENTITY/);
    fails({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_BAP_URL: 'http://plain' }, /PASSLENS_BAP_URL must be an https:\/\/ URL/);
    fails({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_CONCURRENCY: '0' }, /PASSLENS_CONCURRENCY/);
  });

  it('PASSLENS_CLOUD gives each host and its audience from one table; a moved base URL keeps the cloud\'s audience', () => {
    const gov = loadConfig({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_CLOUD: 'usgov' }).live!;
    assert.deepEqual([gov.bapUrl, gov.powerPlatformUrl, gov.audiences.bap, gov.audiences.powerplatform], [
      'https://gov.api.bap.microsoft.us',
      'https://api.gov.powerplatform.microsoft.us',
      'https://service.powerapps.us',
      'https://api.gov.powerplatform.microsoft.us',
    ]);
    const moved = loadConfig({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_CLOUD: 'china', PASSLENS_BAP_URL: 'https://localhost:8443' }).live!;
    assert.deepEqual([moved.bapUrl, moved.audiences.bap, moved.authorityHost], ['https://localhost:8443', 'https://service.powerapps.cn', 'https://login.chinacloudapi.cn']);
    for (const cloud of ['public', 'usgov', 'usgovhigh', 'dod', 'china']) {
      const live = loadConfig({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_CLOUD: cloud }).live!;
      assert.ok(!Object.values(live.audiences).some((a) => /api\.bap\./.test(a)), `${cloud}: no BAP-host audience`);
    }
    fails({ ...base, PASSLENS_CLIENT_SECRET: 's', PASSLENS_CLOUD: 'mooncake' }, /PASSLENS_CLOUD must be one of public, usgov, usgovhigh, dod, china/);
  });

  it('defaults every base URL to Microsoft\'s public cloud', () => {
    const live = loadConfig({ ...base, PASSLENS_CLIENT_SECRET: 's' }).live!;
    assert.deepEqual([live.authorityHost, live.bapUrl, live.powerAppsUrl, live.powerPlatformUrl, live.graphUrl, live.concurrency], [
      'https://login.microsoftonline.com',
      'https://api.bap.microsoft.com',
      'https://api.powerapps.com',
      'https://api.powerplatform.com',
      'https://graph.microsoft.com',
      8,
    ]);
    assert.equal(loadConfig({}).live, null);
  });
});
