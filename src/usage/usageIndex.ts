import type { Launch } from '../licensing/snapshot';
import type { LedgerApp, LedgerEnvironment, PairList, PeriodUsage } from './usageLedger';

export { EVIDENCE_SAMPLES, PairFlags, environmentKey, keepLowest } from './usageLedger';
export type { LedgerApp, LedgerEnvironment, PairList, PeriodUsage } from './usageLedger';

/**
 * Where the CSV reader (and every other usage source) ends and the licensing rules
 * begin: what the rules read of the usage, by number, without knowing how keys were
 * hashed or rows stored. UsageLedger is the one implementation.
 *
 * Users, apps and environments are small numbers; pairs are (app, user) with the
 * license types and report flags of all their rows merged (PairFlags decodes them).
 */
export interface UsageIndex {
  /** The months with usage, YYYY-MM, sorted. */
  months(): string[];
  environments(): readonly LedgerEnvironment[];
  /** The periods of a month; usage without a date belongs to every month. */
  periodsOf(month: string | null): PeriodUsage[];
  /** The distinct (app, user) pairs of the given periods, all of one environment. */
  pairsOf(periods: readonly PeriodUsage[]): PairList;
  app(index: number): LedgerApp;
  apps(): readonly LedgerApp[];
  userCount(): number;
  /** A user number's UPN (lower case). */
  user(index: number): string;
  /** The number of a UPN, or -1 when it has no usage. */
  userNumberOf(upn: string): number;
  /** Per user number, its place in UPN order. */
  userRanks(): Int32Array;
  /** The user number at a place in UPN order. */
  userAtRank(rank: number): number;
  userOfRank(rank: number): string;
  /** Booked under PerUser anywhere: a per-user license, when no license data says so. */
  bookedPerUserSomewhere(userIndex: number): boolean;
  /** A user's rows as launches, in the order they came (per-user detail). */
  launchesOf(upn: string): Launch[];
}
