import { join } from 'node:path';
import FakeTimers from '@sinonjs/fake-timers';
import { TenantSimulator } from './tenantSimulator';

/**
 * The simulator's audit log holds November 2026. A test that reads "last month", "the last
 * 30 days" or the Office 365 feed's 7 days sets its clock to this day, so it reads November
 * whatever day it runs: 4 December 2026, when November is last month and the feed reaches
 * back to the 27th.
 */
export const SIMULATOR_DAY = '2026-12-04T12:00:00Z';

/**
 * This process's JavaScript clock set to `at` (Date alone, advancing: timers run as they do);
 * returns the undo. Start the simulator first: OpenSSL checks its certificate against the
 * real clock.
 */
export function setClock(at = SIMULATOR_DAY): () => void {
  const clock = FakeTimers.install({ now: Date.parse(at), toFake: ['Date'], shouldAdvanceTime: true });
  return () => clock.uninstall();
}

/**
 * The simulator started, then this process's clock set to its day: in that order, because
 * the certificate made at the start (valid two days) is checked by OpenSSL against the real
 * clock. `undoClock` puts the clock back.
 */
export async function simulatorOnItsDay(): Promise<{ sim: TenantSimulator; undoClock: () => void }> {
  const sim = await new TenantSimulator().start();
  return { sim, undoClock: setClock(SIMULATOR_DAY) };
}

/** The environment that gives a process a test starts (the CLI) this process's date: its clock set there by clockPreload.js. */
export function clockEnv(): Record<string, string> {
  // Quoted: NODE_OPTIONS splits at spaces, and a clone's path may hold one.
  const preload = `--require ${JSON.stringify(join(__dirname, 'clockPreload.js'))}`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '), PASSLENS_TEST_CLOCK: new Date().toISOString() };
}
