import { loadConfig } from '../src/config';
import { LiveTenantSource } from '../src/tenant/live/liveSource';
import type { Launch, TenantSnapshot } from '../src/licensing/snapshot';
import { TenantSimulator } from '../test/support/tenantSimulator';
import { syntheticInventory } from './syntheticTenant';

/**
 * A full live refresh of a 1,000-environment tenant from the simulator, with 30 ms per
 * call and 5% of calls answered 429 (Retry-After: 1), at concurrency 8, beside a
 * sequential crawl (concurrency 1) of the same simulator in the same run.
 */
export async function liveRefreshBench(environments: number): Promise<boolean> {
  const inventory = syntheticInventory({ environments, apps: environments * 5, users: 2000, launches: 0 });
  const launches: Launch[] = (inventory.apps ?? []).flatMap((app, i) =>
    [0, 1, 2].map((k) => ({
      userPrincipalName: `user${(i * 3 + k) % 2000}@contoso.com`,
      appId: app.id,
      appName: app.name,
      environmentId: app.environmentId,
      month: '2026-11',
      licenseType: k === 0 ? 'AppPass' : 'M365',
      reportedPremium: app.planClassification === 'Premium',
    })),
  );
  const seed: TenantSnapshot = { ...inventory, launches };
  const sim = await new TenantSimulator(seed).start();
  // What the documented usage API can give: AppPass bookings per user and environment.
  const appPassPairs = new Set(launches.filter((l) => l.licenseType === 'AppPass').map((l) => `${l.userPrincipalName}|${l.environmentId}|${l.appId}`)).size;
  const run = async (concurrency: number) => {
    // Usage insight answering in the documented shape: the refresh then makes every call it can.
    sim.reset({ ...sim.faults, latencyMs: 30, throttleRate: 0.05, retryAfter: 1, pageSize: 1000, insight: 'answers' });
    const settings = loadConfig({ ...sim.env(), PASSLENS_CONCURRENCY: String(concurrency) }).live!;
    const source = new LiveTenantSource(settings);
    const start = process.hrtime.bigint();
    const result = await source.read({ month: '2026-11', retries: 10, backoffMs: 100, environmentConcurrency: concurrency === 1 ? 1 : undefined });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const lost = result.snapshot.environments.filter((e) => e.dataError).length + (environments - result.snapshot.environments.length);
    return { seconds, calls: result.calls, apiCalls: sim.apiCalls().filter((c) => c.status !== 429).length, throttled: sim.calls.filter((c) => c.status === 429).length, maxInFlight: sim.maxInFlight, clientMaxInFlight: result.maxInFlight, lost, launches: result.snapshot.launches.length };
  };
  try {
    console.log(`Live refresh: ${environments} environments, ${seed.apps!.length} apps, ${launches.length} launches; 30 ms per call, 5% of calls 429 (Retry-After: 1)`);
    const concurrent = await run(8);
    console.log(`  concurrency 8: ${concurrent.seconds.toFixed(1)} s, ${concurrent.calls} calls (${concurrent.throttled} throttled), at most ${concurrent.clientMaxInFlight} in flight (server saw ${concurrent.maxInFlight}), ${concurrent.lost} environments lost`);
    console.log(`  calls per environment: ${(concurrent.apiCalls / environments).toFixed(2)} answered (${(concurrent.calls / environments).toFixed(2)} with retries of throttled calls)`);
    const sequential = await run(1);
    console.log(`  sequential:    ${sequential.seconds.toFixed(1)} s, ${sequential.calls} calls (${sequential.throttled} throttled), ${sequential.lost} environments lost`);
    const speedup = sequential.seconds / concurrent.seconds;
    const ok = speedup >= 6 && concurrent.clientMaxInFlight <= 8 && concurrent.lost === 0 && concurrent.launches === appPassPairs;
    console.log(`  speed-up: ${speedup.toFixed(1)}x (target >= 6x); calls in flight <= 8: ${concurrent.clientMaxInFlight <= 8 ? 'OK' : 'MISSED'}; all ${appPassPairs} AppPass bookings read: ${concurrent.launches === appPassPairs ? 'OK' : 'MISSED'} ${ok ? 'OK' : 'MISSED'}`);
    return ok;
  } finally {
    await sim.stop();
  }
}
