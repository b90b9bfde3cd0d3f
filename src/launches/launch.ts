import type { LaunchKeys } from './launchShards';

/**
 * Launches read from the Microsoft 365 unified audit log (`LaunchPowerApp` records), as
 * the launch store keeps them and the analysis reads them. The contract between the
 * collector (readers, store) and the analysis: the store builds months up from records;
 * the analysis reads a month's distinct launches and what was and was not collected.
 *
 * The log says who launched which canvas app in which environment and when; it does not
 * say which license Microsoft charged (that stays with the Active users report), and it
 * has no model-driven apps or Power Pages (shared/design/microsoft-apis.md, "Launches
 * from the unified audit log").
 */

/** One distinct (month, environment, app, user) launch, with when and how often. */
export interface AuditLaunch {
  /** YYYY-MM of the launches, by their UTC CreationTime. */
  month: string;
  /** BAP environment name (the default environment as `default-<tenant id>`, as BAP names it). */
  environmentId: string;
  /** Power Apps app name (a GUID); the last segment when a record gave a resource path. */
  appId: string;
  appName?: string;
  /** Entra object id (`enduser.id`), when the record gave one. */
  userObjectId?: string;
  /** UPN, lower case. */
  userPrincipalName: string;
  /** ISO 8601 UTC. */
  firstLaunch: string;
  lastLaunch: string;
  /** Distinct records (by record Id) behind this launch. */
  count: number;
}

/** A span of time the collector asked the log about, half-open [start, end), ISO 8601 UTC. */
export interface AuditPeriod {
  start: string;
  end: string;
}

export type AuditReaderKind = 'graph' | 'officeManagement';

/** What the store knows of a month: what was collected, what failed and why, and what was skipped. */
export interface MonthCoverage {
  month: string;
  reader: AuditReaderKind;
  /** Periods read to the end (merged, sorted). */
  collected: AuditPeriod[];
  /** Periods that failed or were refused, with Microsoft's words and the fix; what other periods read stays. */
  failed: (AuditPeriod & { reason: string; fix: string })[];
  /** LaunchPowerApp records read, malformed records skipped, duplicate record ids dropped. */
  recordsRead: number;
  malformedRecords: number;
  duplicateRecords: number;
  /** ISO time of the last collection; launches after (that time - 48 h) may still arrive. */
  lastCollectedAt: string;
}

/** Where the analysis reads collected launches from (the launch store). */
export interface LaunchMonthSource {
  /** Months with a coverage record, YYYY-MM, sorted. */
  months(): Promise<string[]>;
  coverage(month: string): Promise<MonthCoverage | null>;
  /** The month's distinct launches, streamed (a month can hold a million). */
  launches(month: string): AsyncIterable<AuditLaunch>;
  /** The same launches a batch at a time, when the source can: a promise per launch costs more than reading it. */
  launchBatches?(month: string): AsyncIterable<AuditLaunch[]>;
  /** The same launches as lines of the store, each valid only while `visit` runs, when the source can (the analysis needs no objects); resolves to their number. */
  launchLines?(month: string, visit: (line: LaunchKeys) => void): Promise<number>;
}
