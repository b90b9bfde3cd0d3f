import type { Launch } from '../licensing/snapshot';

export { EVIDENCE_SAMPLES, keepLowest } from './appPassEvidence';
export { PairFlags } from './rowFlags';
export { environmentKey } from './usageLedger';

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
