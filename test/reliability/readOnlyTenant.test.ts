import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationRef } from '../../src/digest/subscriptions';
import { SubscriptionStore } from '../../src/digest/subscriptions';
import { parseSchedule } from '../../src/digest/schedule';
import { FileStorage } from '../../src/storage/fileStorage';
import { startPassLens } from '../../src/index';
import { FakeConnector } from '../support/fakeConnector';
import { NO_FAULTS, SIM_TENANT_ID, TenantSimulator } from '../support/tenantSimulator';
import { clockEnv, simulatorOnItsDay } from '../support/simulatorDay';

/**
 * The README's claim "PassLens reads; it never changes a setting in your tenant", held:
 * over a full live read (`passlens analyze --live`), the doctor (`passlens doctor --live`)
 * and a digest posted by the server, every request the simulator of Microsoft's APIs sees
 * is a GET, a sign-in (the token endpoint), or one of two documented POSTs: the one that
 * creates an audit log search (no setting changes), and, with the Office 365 reader only, the
 * one write PassLens makes, made once:
 *
 * - POST /v1.0/security/auditLog/queries: "Create audit log query ... Create a new
 *   auditLogQuery object" (Microsoft Graph v1.0, auditCoreRoot resource:
 *   https://learn.microsoft.com/graph/api/resources/security-auditcoreroot?view=graph-rest-1.0),
 *   a search over the audit log whose records are then read with GET
 *   (src/launches/graphAuditReader.ts).
 *
 * - POST {office}/api/v1.0/{tenant}/activity/feed/subscriptions/start?contentType=Audit.General
 *   (Office 365 Management Activity API reference, "Start a subscription"), the reader of the
 *   government clouds: it turns on the tenant's Audit.General content feed for PassLens's
 *   app, a write, so it is made only when "List current subscriptions"
 *   (GET …/subscriptions/list) does not show Audit.General enabled: once per content type,
 *   not on every collection, every process or every doctor run (src/launches/officeAuditReader.ts).
 */

const AUDIT_QUERY = '/v1.0/security/auditLog/queries';

function passlens(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { maxBuffer: 64 << 20, env: { ...process.env, ...env, ...clockEnv() } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Until the simulator has seen no new call for `quietMs` (a background audit collection ends), at most `maxMs`. */
async function settled(sim: TenantSimulator, quietMs = 500, maxMs = 15_000): Promise<void> {
  const end = Date.now() + maxMs;
  let seen = -1;
  while (Date.now() < end && (seen !== sim.calls.length || sim.inFlight > 0)) {
    seen = sim.calls.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

describe('reliability: PassLens never changes a tenant setting (README)', function () {
  this.timeout(120_000);
  let sim: TenantSimulator;
  let connector: FakeConnector;
  let undoClock: (() => void) | undefined;

  before(async () => {
    // Each process has days of the simulator's November to read (the Office 365 feed's 7 days reach back to the 27th) on 4 December, whatever day the test runs, in the CLI's processes too (clockEnv).
    ({ sim, undoClock } = await simulatorOnItsDay());
    connector = await new FakeConnector().start();
  });
  after(async () => {
    undoClock?.();
    await sim.stop();
    connector.stop();
  });

  /** A full live read (CLI), the doctor (CLI) and a digest posted by the server with its launch collection; every call the simulator saw. */
  async function readDoctorAndDigest(extra: Record<string, string>): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), 'passlens-readonly-'));
    const env = { ...sim.env(), PASSLENS_DATA_DIR: dataDir, PASSLENS_AUDIT_POLL_SECONDS: '0.01', ...extra };

    const read = await passlens(env, 'analyze', '--live', '--format', 'json');
    assert.equal(read.code, 0, read.stderr);
    const doctor = await passlens(env, 'doctor', '--live');
    assert.ok(doctor.code === 0 || doctor.code === 1, doctor.stderr);

    const id = '19:readonly@thread.tacv2';
    const reference = { channelId: 'msteams', serviceUrl: connector.url, conversation: { id, tenantId: SIM_TENANT_ID, conversationType: 'channel', isGroup: true }, bot: { id: '28:passlens', name: 'PassLens' } } as ConversationRef;
    await new SubscriptionStore(new FileStorage(dataDir)).update(id, () => ({ conversationId: id, reference, schedule: parseSchedule('every monday 8:00'), active: true, createdBy: 'Alex Admin', createdAt: '2026-11-01T00:00:00Z' }));
    const running = await startPassLens({
      env: { ...env, PORT: '0', PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_DIGEST_TIMER: 'external', PASSLENS_TEAMS_SERVICE_URL: connector.url },
      logger: { info: () => {}, error: () => {} },
    });
    try {
      const digest = (await running.runDigest(true)) as { sent: string[] };
      assert.deepEqual(digest.sent, [id]);
      await settled(sim);
    } finally {
      await running.close();
    }
    const apis = new Set(sim.apiCalls().map((c) => c.api));
    assert.ok(apis.size >= 3 && sim.apiCalls().length >= 10, `too little was read to hold the claim: ${[...apis].join(', ')}`);
    const tokenCalls = sim.calls.filter((c) => c.api === 'token');
    assert.ok(tokenCalls.every((c) => c.method === 'POST' || c.method === 'GET'));
  }

  it('a full live read, the doctor and a digest send only GETs, sign-ins and the documented audit log query', async () => {
    sim.reset({ ...NO_FAULTS, insight: 'answers' });
    await readDoctorAndDigest({});
    assert.ok(sim.calls.some((c) => c.method === 'POST' && c.path === AUDIT_QUERY), 'the audit log was searched (the one POST allowed)');
    const writes = sim.calls.filter((c) => c.method !== 'GET' && c.api !== 'token' && !(c.method === 'POST' && c.path === AUDIT_QUERY));
    assert.deepEqual(writes.map((c) => `${c.method} ${c.path}`), [], 'a request that could change the tenant');
  });

  it('with the Office 365 feed: the subscription is started once over a read, the doctor and a digest in three processes; nothing else is written', async () => {
    sim.reset({ ...NO_FAULTS, insight: 'answers' });
    await readDoctorAndDigest({ PASSLENS_AUDIT_READER: 'officeManagement' });
    const feed = `/api/v1.0/${SIM_TENANT_ID}/activity/feed`;
    const collections = sim.calls.filter((c) => c.method === 'GET' && c.path === `${feed}/subscriptions/content`).length;
    assert.ok(collections >= 7, `the feed was read by the CLI, the doctor and the server: ${collections} lists`);
    assert.ok(sim.calls.filter((c) => c.path === `${feed}/subscriptions/list`).length >= 3, 'each process looked at the subscriptions first');
    const writes = sim.calls.filter((c) => c.method !== 'GET' && c.api !== 'token');
    // The simulator answers 200 to a start only for contentType=Audit.General (AF20020 otherwise).
    assert.deepEqual(writes.map((c) => `${c.method} ${c.path} ${c.status}`), [`POST ${feed}/subscriptions/start 200`], 'one write: the Audit.General subscription, started once');
  });
});
