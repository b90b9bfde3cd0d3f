import { PairTable } from './pairTable';
import { KeyTable } from './keyTable';
import { doubled } from './typedArrays';
import { RowLog } from './rowLog';
import type { UsageRow } from './usageRow';
import type { LedgerApp, LedgerEnvironment, PairList, PeriodUsage, UsageIndex } from './usageIndex';
import { LaunchRow } from './launchRow';
import { LICENSE_BIT, PairFlags, REPORTED_PREMIUM, REPORTED_STANDARD } from './rowFlags';
import { periodUsage, seal, type Sealed } from './sealedUsage';
import type { Launch } from '../licensing/snapshot';

export { EVIDENCE_SAMPLES, keepLowest } from './appPassEvidence';
export { PairFlags } from './rowFlags';
export type { LedgerApp, LedgerEnvironment, PairList, PeriodUsage } from './usageIndex';

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
    return sealed.periods.filter((p) => p.month === month || p.month === null).map((p) => periodUsage(p, sealed));
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

  /** Sealed once, on the first question after the last row: see sealedUsage.ts. */
  private seal(): Sealed {
    this.sealed ??= seal(this.log, {
      appCount: this.appList.length,
      envOfApp: this.envOfApp,
      environments: this.envList,
      months: this.monthList,
      userCount: this.users.size,
    });
    return this.sealed;
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

export function environmentKey(id: string): string {
  return id.trim().toLowerCase();
}
