import { PairTable } from './pairTable';
import { KeyTable } from './keyTable';
import { doubled } from './typedArrays';
import { RowLog } from './rowLog';
import { RowKey, type UsageRow } from './usageRow';
import type { UsageIndex } from './usageIndex';
import { BOOKED_LICENSE_TYPES, type BookedLicenseType, type Launch } from '../licensing/snapshot';

/**
 * Usage folded into what the rules need, so a report with a million rows is analysed
 * without keeping a million row objects (R3: the unit is user x app x environment per
 * month, so distinct pairs are all that count).
 *
 * Taking a row is cheap and sequential: its user, app and environment are interned to
 * small numbers (KeyTable) and appended to a log of typed arrays. The first question
 * asked seals the log: one counting sort groups the rows by month, environment and app,
 * and each group's users are deduplicated in order, so rows are never scattered over hash
 * tables as they come (docs/performance.md). Evidence keeps the lowest line numbers
 * and UPNs, not the first seen, so the answer does not depend on the order of the rows.
 */

const LICENSE_BIT: Record<BookedLicenseType, number> = Object.fromEntries(
  BOOKED_LICENSE_TYPES.map((t, i) => [t, 1 << i]),
) as Record<BookedLicenseType, number>;
// A row's flags fit a byte (the log and the pairs keep one per row): a bit per license type, then the report's two.
const REPORTED_PREMIUM = 1 << BOOKED_LICENSE_TYPES.length;
const REPORTED_STANDARD = REPORTED_PREMIUM << 1;
if (REPORTED_STANDARD > 0xff) throw new Error('usage flags no longer fit a byte: widen RowLog.flags and PairList.flags');
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
  /** [start, end) of the ledger's pair arrays */
  start: number;
  end: number;
  /** per app: the lowest CSV lines of its AppPass rows. */
  appPassLines: Map<number, number[]>;
}

/** Distinct (app, user) pairs, with the flags of all their rows merged, in [start, end). */
export interface PairList {
  app: Int32Array;
  user: Int32Array;
  flags: Uint8Array;
  start: number;
  end: number;
}

/** Decoders for the flags of a pair. */
export const PairFlags = {
  APP_PASS: LICENSE_BIT.AppPass,
  PER_USER: LICENSE_BIT.PerUser,
  PAY_AS_YOU_GO: LICENSE_BIT.PayAsYouGo,
  /** any license type: a pair without one comes from a source that does not say what was charged (the audit log) */
  BOOKED: (1 << BOOKED_LICENSE_TYPES.length) - 1,
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

/** A period of the sealed ledger: its pairs, and the groups (month x app) its rows came from. */
interface SealedPeriod {
  environmentKey: string;
  month: string | null;
  start: number;
  end: number;
  groupFrom: number;
  groupTo: number;
  /** the first group of its month: group - monthBase is an app's rank */
  monthBase: number;
}

/** Per group, a slot of up to EVIDENCE_SAMPLES lines (-1: the group has no AppPass row with a line). */
interface AppPassEvidence {
  slotOf: Int32Array;
  lines: Int32Array;
  counts: Uint8Array;
}

interface Sealed {
  periods: SealedPeriod[];
  pairs: PairList;
  appOfRank: Int32Array;
  evidence: AppPassEvidence;
  /** user numbers in UPN order, built when first asked */
  usersInOrder: Int32Array | null;
  userRank: Int32Array | null;
}

export class UsageLedger implements UsageIndex {
  private readonly users = new KeyTable(1 << 12);
  private readonly envKeys = new KeyTable(64);
  private readonly envList: LedgerEnvironment[] = [];
  /** App ids across the tenant; an id is normally in one environment only. */
  private readonly appIds = new KeyTable(1 << 12);
  /** per app id number: the environment number and ledger app of its first environment, plus one (0: not seen) */
  private appEnvOfId = new Int32Array(1024);
  private appOfId = new Int32Array(1024);
  /** the same app id seen in another environment (CSVs that name apps instead of ids) */
  private readonly otherApps = new Map<string, number>();
  private readonly appList: LedgerApp[] = [];
  /** per ledger app: its environment number, and 1 while the source has given no name */
  private envOfApp = new Int32Array(1024);
  private unnamed = new Uint8Array(1024);
  private readonly monthList: (string | null)[] = [];
  private readonly monthNumbers = new Map<string | null, number>();
  private lastMonth: string | null | undefined = undefined;
  private lastMonthNumber = -1;
  /** users ever booked under PerUser: evidence of a per-user license when Graph data is missing. */
  private perUserBooked = new Uint8Array(1024);
  // The log: one entry per row.
  private readonly log = new RowLog();
  private sealed: Sealed | null = null;
  private readonly launchRow = new LaunchRow();

  add(launch: Launch): void {
    this.addRow(this.launchRow.of(launch));
  }

  addAll(launches: Iterable<Launch>): this {
    for (const l of launches) this.add(l);
    return this;
  }

  addRow(row: UsageRow): void {
    const env = this.environmentNumber(row);
    const app = this.appNumber(env, row);
    const user = row.user.internIn(this.users);
    const month = row.month === this.lastMonth ? this.lastMonthNumber : this.monthNumber(row.month);
    let flags = row.licenseType === null ? 0 : LICENSE_BIT[row.licenseType];
    if (row.reportedPremium === true) flags |= REPORTED_PREMIUM;
    else if (row.reportedPremium === false) flags |= REPORTED_STANDARD;
    if (flags & LICENSE_BIT.PerUser) {
      if (user >= this.perUserBooked.length) this.perUserBooked = doubled(this.perUserBooked);
      this.perUserBooked[user] = 1;
    }
    this.log.append(app, user, month, flags, row.line ?? 0);
    this.sealed = null;
  }

  get rows(): number {
    return this.log.rows;
  }

  months(): string[] {
    return this.monthList.filter((m): m is string => m !== null).sort();
  }

  environments(): LedgerEnvironment[] {
    return this.envList;
  }

  /** The periods of a month (null month rows belong to every month: the source had no dates). */
  periodsOf(month: string | null): PeriodUsage[] {
    const sealed = this.seal();
    return sealed.periods.filter((p) => p.month === month || p.month === null).map((p) => this.periodUsage(p, sealed));
  }

  /**
   * The distinct (app, user) pairs of the given periods (all of one environment), with
   * the flags of all their rows merged. Arrays, not objects, because this is the hot loop.
   */
  pairsOf(periods: readonly PeriodUsage[]): PairList {
    const { pairs } = this.seal();
    if (periods.length === 1) return { ...pairs, start: periods[0].start, end: periods[0].end };
    const merged = new PairTable();
    for (const p of periods) for (let i = p.start; i < p.end; i++) merged.mark(pairs.app[i], pairs.user[i], pairs.flags[i]);
    return merged.toList();
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

  /** The number of a UPN in this usage (any case, blanks around it ignored), or -1 if it has none. */
  userNumberOf(upn: string): number {
    return this.users.numberOf(upn);
  }

  /**
   * The rows of one user, as launches, in the order they came: per-user detail for an
   * answer, read back from the row log (one pass over it) rather than kept as objects.
   */
  launchesOf(upn: string): Launch[] {
    const user = this.users.numberOf(upn);
    const out: Launch[] = [];
    if (user < 0) return out;
    const log = this.log;
    for (let b = 0; b < log.app.length; b++) {
      const users = log.user[b];
      for (let i = 0, n = log.rowsIn(b); i < n; i++) {
        if (users[i] !== user) continue;
        out.push(this.launchOf(user, log.app[b][i], log.month[b][i], log.flags[b][i], log.line[b][i]));
      }
    }
    return out;
  }

  /** A row of the log as a Launch. */
  private launchOf(user: number, appNumber: number, month: number, flags: number, line: number): Launch {
    const app = this.appList[appNumber];
    const env = this.envList[this.envOfApp[app.index]];
    return {
      userPrincipalName: this.users.key(user),
      appId: app.id,
      appName: this.unnamed[app.index] === 1 ? undefined : app.name,
      environmentId: env.id,
      environmentName: env.name,
      month: this.monthList[month],
      // a row's flags hold its one license type (pairs merge several); none when the source said none
      licenseType: PairFlags.bookedTypes(flags)[0] ?? null,
      reportedPremium: PairFlags.reportedPremium(flags) ? true : PairFlags.reportedStandard(flags) ? false : null,
      line: line || undefined,
    };
  }

  /** Per user number, its place in UPN order: comparing ranks compares UPNs without touching the strings. */
  userRanks(): Int32Array {
    return this.userOrder().userRank!;
  }

  /** The user number at a place in UPN order. */
  userAtRank(rank: number): number {
    return this.userOrder().usersInOrder![rank];
  }

  userOfRank(rank: number): string {
    return this.users.key(this.userOrder().usersInOrder![rank]);
  }

  bookedPerUserSomewhere(userIndex: number): boolean {
    return this.perUserBooked[userIndex] === 1;
  }

  private environmentNumber(row: UsageRow): number {
    const index = row.environment.internIn(this.envKeys);
    const env = this.envList[index];
    if (!env) {
      this.envList[index] = { key: this.envKeys.key(index), id: row.environmentId(), name: row.environmentName() };
    } else if (env.name === undefined) env.name = row.environmentName();
    return index;
  }

  private appNumber(env: number, row: UsageRow): number {
    const idNumber = row.app.internIn(this.appIds);
    if (idNumber >= this.appEnvOfId.length) {
      this.appEnvOfId = doubled(this.appEnvOfId);
      this.appOfId = doubled(this.appOfId);
    }
    let index: number;
    if (this.appEnvOfId[idNumber] === env + 1) {
      index = this.appOfId[idNumber] - 1;
    } else if (this.appEnvOfId[idNumber] === 0) {
      index = this.newApp(env, row);
      this.appEnvOfId[idNumber] = env + 1;
      this.appOfId[idNumber] = index + 1;
    } else {
      const key = `${env}\u0000${this.appIds.key(idNumber)}`;
      let other = this.otherApps.get(key);
      if (other === undefined) this.otherApps.set(key, (other = this.newApp(env, row)));
      index = other;
    }
    // A flag array, not the app object, which is scattered in memory and read on every row.
    if (this.unnamed[index] === 1) {
      const name = row.appName();
      if (name) {
        this.appList[index].name = name;
        this.unnamed[index] = 0;
      }
    }
    return index;
  }

  private newApp(env: number, row: UsageRow): number {
    const index = this.appList.length;
    const id = row.appId();
    const name = row.appName();
    this.appList.push({ index, id, name: name ?? id, environmentKey: this.envList[env].key });
    if (index >= this.envOfApp.length) [this.envOfApp, this.unnamed] = [doubled(this.envOfApp), doubled(this.unnamed)];
    this.envOfApp[index] = env;
    this.unnamed[index] = name === undefined ? 1 : 0;
    return index;
  }

  private monthNumber(month: string | null): number {
    let n = this.monthNumbers.get(month);
    if (n === undefined) {
      n = this.monthList.length;
      this.monthList.push(month);
      this.monthNumbers.set(month, n);
      this.log.holdMonth(n);
    }
    this.lastMonth = month;
    this.lastMonthNumber = n;
    return n;
  }

  /**
   * Groups the log by (month, environment, app) with one counting sort, then merges each
   * group's rows per user, in place: the pairs are written over the sorted rows they come
   * from, so sealing allocates about 10 bytes a row and nothing of it is garbage
   * (docs/performance.md). Every pass is sequential or touches arrays of users or apps that stay in cache.
   */
  private seal(): Sealed {
    if (this.sealed) return this.sealed;
    const rows = this.rows;
    const appCount = this.appList.length;
    const envCount = this.envList.length;
    const monthCount = this.monthList.length;
    // Apps ranked by environment, so that each environment's apps are one run of ranks.
    const envStart = new Int32Array(envCount + 1);
    for (let a = 0; a < appCount; a++) envStart[this.envOfApp[a] + 1]++;
    for (let e = 0; e < envCount; e++) envStart[e + 1] += envStart[e];
    const next = envStart.slice(0, envCount);
    const rankOfApp = new Int32Array(appCount);
    const appOfRank = new Int32Array(appCount);
    for (let a = 0; a < appCount; a++) {
      const rank = next[this.envOfApp[a]]++;
      rankOfApp[a] = rank;
      appOfRank[rank] = a;
    }
    // Counting sort of the rows by group = month * apps + rank; stable, so rows stay in row order.
    const groups = monthCount * appCount;
    const groupStart = new Int32Array(groups + 1);
    const log = this.log;
    for (let b = 0; b < log.app.length; b++) {
      const [apps, months] = [log.app[b], log.month[b]];
      for (let i = 0, n = log.rowsIn(b); i < n; i++) groupStart[months[i] * appCount + rankOfApp[apps[i]] + 1]++;
    }
    for (let g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
    const fill = groupStart.slice(0, groups);
    // The rows' users and flags moved into group order (random writes, which do not stall), so
    // that the walk below reads them in sequence; the pairs then overwrite them from the front.
    const pairUser = new Int32Array(rows);
    const pairFlags = new Uint8Array(rows);
    for (let b = 0; b < log.app.length; b++) {
      const [apps, users, months, flags] = [log.app[b], log.user[b], log.month[b], log.flags[b]];
      for (let i = 0, n = log.rowsIn(b); i < n; i++) {
        const at = fill[months[i] * appCount + rankOfApp[apps[i]]]++;
        pairUser[at] = users[i];
        pairFlags[at] = flags[i];
      }
    }
    const evidence = this.appPassEvidence(fill, rankOfApp);

    // per user: [the group it was last seen in, its pair there], side by side (one cache line)
    const lastSeen = new Int32Array(this.users.size * 2).fill(-1);
    const periods: SealedPeriod[] = [];
    let pairs = 0;
    for (let m = 0; m < monthCount; m++) {
      for (let e = 0; e < envCount; e++) {
        const start = pairs;
        const groupFrom = m * appCount + envStart[e];
        const groupTo = m * appCount + envStart[e + 1];
        for (let g = groupFrom; g < groupTo; g++) {
          const from = groupStart[g];
          const to = groupStart[g + 1];
          // From here on, groupStart[g] is where the group's pairs start (pairs <= k: no row is overwritten before it is read).
          groupStart[g] = pairs;
          for (let k = from; k < to; k++) {
            const user = pairUser[k];
            const flags = pairFlags[k];
            if (lastSeen[user * 2] === g) pairFlags[lastSeen[user * 2 + 1]] |= flags;
            else {
              lastSeen[user * 2] = g;
              lastSeen[user * 2 + 1] = pairs;
              pairUser[pairs] = user;
              pairFlags[pairs] = flags;
              pairs++;
            }
          }
        }
        // every row makes or merges into a pair, so an environment without pairs had no rows this month
        if (pairs > start) periods.push({ environmentKey: this.envList[e].key, month: this.monthList[m], start, end: pairs, groupFrom, groupTo, monthBase: m * appCount });
      }
    }
    groupStart[groups] = pairs;
    const pairApp = new Int32Array(pairs);
    for (let g = 0; g < groups; g++) pairApp.fill(appOfRank[g % appCount], groupStart[g], groupStart[g + 1]);
    this.sealed = {
      periods,
      pairs: { app: pairApp, user: pairUser.subarray(0, pairs), flags: pairFlags.subarray(0, pairs), start: 0, end: pairs },
      appOfRank,
      evidence,
      usersInOrder: null,
      userRank: null,
    };
    return this.sealed;
  }

  /**
   * The lowest CSV lines of each group's AppPass rows, read in row order (the lowest few do
   * not depend on the order): slots only for the groups that have such rows, instead of a
   * line per row carried through the sort. `slotOf` (per group) is reused; it is refilled here.
   */
  private appPassEvidence(slotOf: Int32Array, rankOfApp: Int32Array): AppPassEvidence {
    slotOf.fill(-1);
    const appCount = this.appList.length;
    const log = this.log;
    let lines = new Int32Array(EVIDENCE_SAMPLES * 64);
    let counts = new Uint8Array(64);
    let slots = 0;
    for (let b = 0; b < log.app.length; b++) {
      const [apps, months, flags, lineOf] = [log.app[b], log.month[b], log.flags[b], log.line[b]];
      for (let i = 0, n = log.rowsIn(b); i < n; i++) {
        const line = lineOf[i];
        if ((flags[i] & LICENSE_BIT.AppPass) === 0 || line <= 0) continue;
        const g = months[i] * appCount + rankOfApp[apps[i]];
        let slot = slotOf[g];
        if (slot < 0) {
          slot = slotOf[g] = slots++;
          if (slot >= counts.length) [lines, counts] = [doubled(lines), doubled(counts)];
        }
        counts[slot] = keepLowestIn(lines, slot * EVIDENCE_SAMPLES, counts[slot], line);
      }
    }
    return { slotOf, lines, counts };
  }

  /** A period as the rules see it: its AppPass evidence as lists per app, made for the analysis that asks. */
  private periodUsage(p: SealedPeriod, sealed: Sealed): PeriodUsage {
    const { slotOf, lines, counts } = sealed.evidence;
    const appPassLines = new Map<number, number[]>();
    for (let g = p.groupFrom; g < p.groupTo; g++) {
      const slot = slotOf[g];
      if (slot < 0) continue;
      const list: number[] = [];
      for (let at = slot * EVIDENCE_SAMPLES, end = at + counts[slot]; at < end; at++) list.push(lines[at]);
      appPassLines.set(sealed.appOfRank[g - p.monthBase], list);
    }
    return { environmentKey: p.environmentKey, month: p.month, start: p.start, end: p.end, appPassLines };
  }

  private userOrder(): Sealed {
    const sealed = this.seal();
    if (!sealed.usersInOrder) {
      const keys = Array.from({ length: this.users.size }, (_, i) => this.users.key(i));
      const order = Int32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
      const rank = new Int32Array(order.length);
      for (let i = 0; i < order.length; i++) rank[order[i]] = i;
      sealed.usersInOrder = order;
      sealed.userRank = rank;
    }
    return sealed;
  }
}

/** A Launch (demo, snapshot, live) seen as a usage row. */
class LaunchRow implements UsageRow {
  readonly user = new RowKey();
  readonly environment = new RowKey();
  readonly app = new RowKey();
  private launch!: Launch;

  of(launch: Launch): this {
    this.launch = launch;
    this.user.ofText(launch.userPrincipalName);
    this.environment.ofText(launch.environmentId);
    this.app.ofText(launch.appId);
    return this;
  }

  environmentId(): string {
    return this.launch.environmentId.trim();
  }

  environmentName(): string | undefined {
    return this.launch.environmentName || undefined;
  }

  appId(): string {
    return this.launch.appId.trim();
  }

  appName(): string | undefined {
    return this.launch.appName || undefined;
  }

  get month(): string | null {
    return this.launch.month;
  }

  get licenseType(): BookedLicenseType | null {
    return this.launch.licenseType;
  }

  get reportedPremium(): boolean | null {
    return this.launch.reportedPremium;
  }

  get line(): number | undefined {
    return this.launch.line;
  }
}

export function environmentKey(id: string): string {
  return id.trim().toLowerCase();
}

/** keepLowest over `count` sorted numbers at `at` of a typed array, room for EVIDENCE_SAMPLES; returns the new count. */
function keepLowestIn(list: Int32Array, at: number, count: number, value: number): number {
  if (count >= EVIDENCE_SAMPLES && value >= list[at + count - 1]) return count;
  let i = count;
  while (i > 0 && list[at + i - 1] > value) i--;
  if (i > 0 && list[at + i - 1] === value) return count;
  const kept = Math.min(count + 1, EVIDENCE_SAMPLES);
  for (let j = kept - 1; j > i; j--) list[at + j] = list[at + j - 1];
  list[at + i] = value;
  return kept;
}

/**
 * Keeps `list` as the `max` smallest numbers seen, sorted; no compare function and no
 * splice (which makes an array per call), since it runs for every AppPass row and pair.
 */
export function keepLowest(list: number[], value: number, max: number): void {
  const n = list.length;
  if (n >= max && value >= list[n - 1]) return;
  let i = n;
  while (i > 0 && list[i - 1] > value) i--;
  if (i > 0 && list[i - 1] === value) return;
  // full: the largest falls off the end
  const last = n < max ? n : n - 1;
  if (n < max) list.push(value);
  for (let j = last; j > i; j--) list[j] = list[j - 1];
  list[i] = value;
}
