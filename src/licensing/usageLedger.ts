import { BOOKED_LICENSE_TYPES, type BookedLicenseType, type Launch } from './snapshot';

/**
 * Usage folded into what the rules need, one launch at a time, so a report with a
 * million rows is analysed without keeping a million row objects (R3: the unit is
 * user x app x environment per month, so distinct pairs are all that count).
 *
 * Users and apps are interned to small integers and a (user, app) pair is one number,
 * which keeps the sets compact. Evidence keeps the lowest line numbers and UPNs, not
 * the first seen, so the answer does not depend on the order of the rows.
 */

const LICENSE_BIT: Record<BookedLicenseType, number> = Object.fromEntries(
  BOOKED_LICENSE_TYPES.map((t, i) => [t, 1 << i]),
) as Record<BookedLicenseType, number>;
const REPORTED_PREMIUM = 1 << 8;
const REPORTED_STANDARD = 1 << 9;
const APP_SLOTS = 2 ** 22;
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

/** All launches of one environment in one month. */
export interface PeriodUsage {
  environmentKey: string;
  month: string | null;
  /** pair (user x app) -> bit flags of booked license types and reported premium flags. */
  pairs: Map<number, number>;
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
  private readonly userNames: string[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly appList: LedgerApp[] = [];
  private readonly appIndex = new Map<string, number>();
  private readonly envs = new Map<string, LedgerEnvironment>();
  private readonly periods = new Map<string, PeriodUsage>();
  /** users ever booked under PerUser: evidence of a per-user license when Graph data is missing. */
  private readonly perUserBooked = new Set<number>();
  rows = 0;

  add(launch: Launch): void {
    this.rows++;
    const envKey = environmentKey(launch.environmentId);
    let env = this.envs.get(envKey);
    if (!env) {
      env = { key: envKey, id: launch.environmentId, name: launch.environmentName };
      this.envs.set(envKey, env);
    } else if (!env.name && launch.environmentName) {
      env.name = launch.environmentName;
    }
    const user = this.internUser(launch.userPrincipalName);
    const app = this.internApp(envKey, launch.appId, launch.appName);
    const periodKey = `${envKey}\u0000${launch.month ?? ''}`;
    let period = this.periods.get(periodKey);
    if (!period) {
      period = { environmentKey: envKey, month: launch.month, pairs: new Map(), appPassLines: new Map(), rows: 0 };
      this.periods.set(periodKey, period);
    }
    period.rows++;
    const pair = user * APP_SLOTS + app;
    let flags = period.pairs.get(pair) ?? 0;
    flags |= LICENSE_BIT[launch.licenseType];
    if (launch.reportedPremium === true) flags |= REPORTED_PREMIUM;
    if (launch.reportedPremium === false) flags |= REPORTED_STANDARD;
    period.pairs.set(pair, flags);
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
    for (const p of this.periods.values()) if (p.month) set.add(p.month);
    return [...set].sort();
  }

  environments(): LedgerEnvironment[] {
    return [...this.envs.values()];
  }

  /** The periods of a month (null month rows belong to every month: the source had no dates). */
  periodsOf(month: string | null): PeriodUsage[] {
    return [...this.periods.values()].filter((p) => p.month === month || p.month === null);
  }

  app(index: number): LedgerApp {
    return this.appList[index];
  }

  apps(): readonly LedgerApp[] {
    return this.appList;
  }

  user(index: number): string {
    return this.userNames[index];
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
    for (const [pair, flags] of source) visit(Math.floor(pair / APP_SLOTS), pair % APP_SLOTS, flags);
  }

  private internUser(upn: string): number {
    const key = upn.trim().toLowerCase();
    let i = this.userIndex.get(key);
    if (i === undefined) {
      i = this.userNames.length;
      this.userNames.push(key);
      this.userIndex.set(key, i);
    }
    return i;
  }

  private internApp(envKey: string, id: string, name: string | undefined): number {
    const key = `${envKey}\u0000${id.trim().toLowerCase()}`;
    let i = this.appIndex.get(key);
    if (i === undefined) {
      i = this.appList.length;
      if (i >= APP_SLOTS) throw new Error(`More than ${APP_SLOTS} distinct apps: split the report by environment.`);
      this.appList.push({ index: i, id, name: name ?? id, environmentKey: envKey });
      this.appIndex.set(key, i);
    } else if (name && this.appList[i].name === this.appList[i].id) {
      this.appList[i].name = name;
    }
    return i;
  }
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

function mergePairs(periods: readonly PeriodUsage[]): Map<number, number> {
  const merged = new Map<number, number>();
  for (const p of periods) for (const [pair, flags] of p.pairs) merged.set(pair, (merged.get(pair) ?? 0) | flags);
  return merged;
}
