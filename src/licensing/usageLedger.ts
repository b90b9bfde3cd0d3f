import { PairTable } from './pairTable';
import { doubled, KeyTable } from './keyTable';
import { BOOKED_LICENSE_TYPES, type BookedLicenseType, type Launch } from './snapshot';

/**
 * Usage folded into what the rules need, one launch at a time, so a report with a
 * million rows is analysed without keeping a million row objects (R3: the unit is
 * user x app x environment per month, so distinct pairs are all that count).
 *
 * Users, apps and environments are interned to small integers (KeyTable) and the
 * (user, app) pairs of each environment and month go in a typed-array PairTable. Evidence
 * keeps the lowest line numbers and UPNs, not the first seen, so the answer does not
 * depend on the order of the rows.
 */

const LICENSE_BIT: Record<BookedLicenseType, number> = Object.fromEntries(
  BOOKED_LICENSE_TYPES.map((t, i) => [t, 1 << i]),
) as Record<BookedLicenseType, number>;
const REPORTED_PREMIUM = 1 << 8;
const REPORTED_STANDARD = 1 << 9;
export const EVIDENCE_SAMPLES = 5;

export interface LedgerApp {
  index: number;
  id: string;
  name: string;
  environmentKey: string;
}

export interface LedgerEnvironment {
  key: string;
  id: string;
  name: string | undefined;
}

interface EnvironmentState {
  env: LedgerEnvironment;
  periods: Map<string, PeriodUsage>;
  lastMonth?: string;
  lastPeriod?: PeriodUsage;
}

/** All launches of one environment in one month. */
export interface PeriodUsage {
  environmentKey: string;
  month: string | null;
  /** (app, user) -> bit flags of booked license types and reported premium flags. */
  pairs: PairTable;
  /** per app: the lowest CSV lines of its AppPass rows. */
  appPassLines: Map<number, number[]>;
  rows: number;
}

/** Decoders for the flags that forEachPair hands out. */
export const PairFlags = {
  booked(flags: number, type: BookedLicenseType): boolean {
    return (flags & LICENSE_BIT[type]) !== 0;
  },
  bookedTypes(flags: number): BookedLicenseType[] {
    return BOOKED_LICENSE_TYPES.filter((t) => (flags & LICENSE_BIT[t]) !== 0);
  },
  reportedPremium(flags: number): boolean {
    return (flags & REPORTED_PREMIUM) !== 0;
  },
  reportedStandard(flags: number): boolean {
    return (flags & REPORTED_STANDARD) !== 0;
  },
};

export class UsageLedger {
  private readonly users = new KeyTable(true);
  private readonly envKeys = new KeyTable(true);
  private readonly envStates: EnvironmentState[] = [];
  /** App ids across the tenant; an id is normally in one environment only. */
  private readonly appIds = new KeyTable(true);
  /** per app id number: the environment number and ledger app of its first environment */
  private appEnv = new Int32Array(1024);
  private appLedger = new Int32Array(1024);
  /** the same app id seen in another environment (CSVs that name apps instead of ids) */
  private readonly otherApps = new Map<string, number>();
  private readonly appList: LedgerApp[] = [];
  /** users ever booked under PerUser: evidence of a per-user license when Graph data is missing. */
  private readonly perUserBooked = new Set<number>();
  rows = 0;

  add(launch: Launch): void {
    this.rows++;
    const envIndex = this.environmentIndex(launch.environmentId, launch.environmentName);
    const state = this.envStates[envIndex];
    const app = this.appIndex(envIndex, launch.appId, launch.appName);
    const user = this.users.intern(launch.userPrincipalName, detached);
    const monthKey = launch.month ?? '';
    let period = state.lastMonth === monthKey ? state.lastPeriod : state.periods.get(monthKey);
    if (!period) {
      period = { environmentKey: state.env.key, month: launch.month, pairs: new PairTable(), appPassLines: new Map(), rows: 0 };
      state.periods.set(monthKey, period);
    }
    state.lastMonth = monthKey;
    state.lastPeriod = period;
    period.rows++;
    let flags = LICENSE_BIT[launch.licenseType];
    if (launch.reportedPremium === true) flags |= REPORTED_PREMIUM;
    else if (launch.reportedPremium === false) flags |= REPORTED_STANDARD;
    period.pairs.mark(app, user, flags);
    if (launch.licenseType === 'PerUser') this.perUserBooked.add(user);
    if (launch.licenseType === 'AppPass' && launch.line !== undefined) {
      let lines = period.appPassLines.get(app);
      if (!lines) period.appPassLines.set(app, (lines = []));
      keepLowest(lines, launch.line, EVIDENCE_SAMPLES, (a, b) => a - b);
    }
  }

  addAll(launches: Iterable<Launch>): this {
    for (const l of launches) this.add(l);
    return this;
  }

  months(): string[] {
    const set = new Set<string>();
    for (const s of this.envStates) for (const p of s.periods.values()) if (p.month) set.add(p.month);
    return [...set].sort();
  }

  environments(): LedgerEnvironment[] {
    return this.envStates.map((s) => s.env);
  }

  /** The periods of a month (null month rows belong to every month: the source had no dates). */
  periodsOf(month: string | null): PeriodUsage[] {
    const out: PeriodUsage[] = [];
    for (const s of this.envStates) for (const p of s.periods.values()) if (p.month === month || p.month === null) out.push(p);
    return out;
  }

  app(index: number): LedgerApp {
    return this.appList[index];
  }

  apps(): readonly LedgerApp[] {
    return this.appList;
  }

  userCount(): number {
    return this.users.size;
  }

  user(index: number): string {
    return this.users.key(index);
  }

  bookedPerUserSomewhere(userIndex: number): boolean {
    return this.perUserBooked.has(userIndex);
  }

  /**
   * Visits each distinct (user, app) pair of the given periods once, with the flags of
   * all its rows merged. A callback, not objects, because this is the hot loop.
   */
  forEachPair(periods: readonly PeriodUsage[], visit: (userIndex: number, appIndex: number, flags: number) => void): void {
    const source = periods.length === 1 ? periods[0].pairs : mergePairs(periods);
    source.forEach((app, user, flags) => visit(user, app, flags));
  }

  private environmentIndex(rawId: string, name: string | undefined): number {
    const index = this.envKeys.intern(rawId, detached);
    let state = this.envStates[index];
    if (!state) {
      const key = this.envKeys.key(index);
      state = { env: { key, id: detached(rawId.trim()), name: name ? detached(name) : undefined }, periods: new Map() };
      this.envStates[index] = state;
    } else if (!state.env.name && name) state.env.name = detached(name);
    return index;
  }

  private appIndex(envIndex: number, rawId: string, name: string | undefined): number {
    const idIndex = this.appIds.intern(rawId, detached);
    if (idIndex >= this.appEnv.length) {
      this.appEnv = doubled(this.appEnv);
      this.appLedger = doubled(this.appLedger);
    }
    // Numbers are stored plus one, so that 0 means "not seen yet".
    let index: number;
    if (this.appEnv[idIndex] === envIndex + 1) {
      index = this.appLedger[idIndex] - 1;
    } else if (this.appEnv[idIndex] === 0) {
      index = this.newApp(envIndex, rawId, name);
      this.appEnv[idIndex] = envIndex + 1;
      this.appLedger[idIndex] = index + 1;
    } else {
      const key = `${envIndex}\u0000${this.appIds.key(idIndex)}`;
      let other = this.otherApps.get(key);
      if (other === undefined) this.otherApps.set(key, (other = this.newApp(envIndex, rawId, name)));
      index = other;
    }
    const app = this.appList[index];
    if (name && app.name === app.id) app.name = detached(name);
    return index;
  }

  private newApp(envIndex: number, rawId: string, name: string | undefined): number {
    const index = this.appList.length;
    const id = detached(rawId.trim());
    this.appList.push({ index, id, name: name ? detached(name) : id, environmentKey: this.envStates[envIndex].env.key });
    return index;
  }
}

/**
 * A copy that shares no memory with the chunk it was cut from. Strings from split()
 * are slices of the whole chunk: keeping one as a key would keep the megabyte around
 * it alive, and comparing against it touches that cold memory on every lookup.
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

export function environmentKey(id: string): string {
  return id.trim().toLowerCase();
}

/** Keeps `list` as the `max` smallest values seen, sorted. */
export function keepLowest<T>(list: T[], value: T, max: number, compare: (a: T, b: T) => number): void {
  if (list.length >= max && compare(value, list[list.length - 1]) >= 0) return;
  if (list.some((v) => compare(v, value) === 0)) return;
  let i = list.length;
  while (i > 0 && compare(list[i - 1], value) > 0) i--;
  list.splice(i, 0, value);
  if (list.length > max) list.pop();
}

function mergePairs(periods: readonly PeriodUsage[]): PairTable {
  const merged = new PairTable();
  for (const p of periods) p.pairs.forEach((app, user, flags) => merged.mark(app, user, flags));
  return merged;
}
