import type { BookedLicenseType, Launch, SourceInfo, TenantInventory } from '../licensing/snapshot';
import { UsageLedger } from '../usage/usageLedger';
import { RowKey, type UsageRow } from '../usage/usageRow';
import { LaunchRow } from '../usage/launchRow';
import { withoutUsageNote, type TenantData } from '../tenant/tenantData';
import type { AuditLaunch, LaunchMonthSource, MonthCoverage } from './launch';
import { auditLogCaveats, partRead, READER_NAMES } from './auditCaveats';
import type { LaunchKeys } from './launchShards';

/**
 * A month of launches from the unified audit log as the usage the rules read: each
 * distinct (environment, app, user) launch becomes one ledger row with no license type,
 * streamed from the launch store (a month can hold a million). The log says who launched
 * what, never what Microsoft charged (shared/design/microsoft-apis.md, "Launches from the
 * unified audit log"), so the analysis counts need and expected bookings, not bookings.
 */

/** Why bookings are unknown when the launches come from the audit log: TenantInventory.bookingsUnknown. */
export const AUDIT_LOG_BOOKINGS_UNKNOWN =
  "the unified audit log says who launched which app, not which license Microsoft charged: passes booked (bookedAsAppPass) are Microsoft's figure, from the Active users report (Licensing > Power Apps > Download reports)";

export interface LaunchUsage {
  ledger: UsageLedger;
  /** One source per month read: the audit log, what it covered and what it cannot see. */
  sources: SourceInfo[];
  /** Distinct launches read, over all months. */
  launches: number;
  /** The launches as plain rows, when asked to keep them. */
  kept: Launch[] | null;
  /** The month answered (`notesFor`, else the last) was read in part: its line (partRead); null when read in full. */
  incomplete: string | null;
}

export interface LaunchUsageOptions {
  ledger?: UsageLedger;
  now?: Date;
  /** The month the answer is for: only its source carries the log's caveats (earlier months feed the trend). Default: every month's. */
  notesFor?: string;
  /** Keep the launches as plain rows (`passlens snapshot`), with no license type. */
  keepLaunches?: boolean;
}

/** The months' launches into `ledger` (a new one by default); months with no coverage record are named, not read. */
export async function launchUsage(source: LaunchMonthSource, months: readonly string[], options: LaunchUsageOptions = {}): Promise<LaunchUsage> {
  const ledger = options.ledger ?? new UsageLedger();
  // The log's launch as the same row a report's launch is: no license type, no report flag.
  const row = new LaunchRow();
  const sources: SourceInfo[] = [];
  let total = 0;
  const kept: Launch[] | null = options.keepLaunches ? [] : null;
  let incomplete: string | null = null;
  const now = options.now ?? new Date();
  for (const month of months) {
    const coverage = await source.coverage(month);
    let launches = 0;
    if (coverage) {
      const add = (launch: AuditLaunch) => {
        ledger.addRow(row.of(launch));
        kept?.push({ userPrincipalName: launch.userPrincipalName, appId: launch.appId, appName: launch.appName, environmentId: launch.environmentId, month: launch.month, licenseType: null, reportedPremium: null });
      };
      if (source.launchLines && !kept) {
        // Lines, not launches, when no launch is kept: a launch object and its strings per row was most of the read (docs/performance.md).
        const line = new LaunchLineRow(month);
        launches = await source.launchLines(month, (l) => ledger.addRow(line.of(l)));
      } else if (source.launchBatches) {
        // A batch at a time when the source can: a promise per launch costs more than reading it.
        for await (const batch of source.launchBatches(month)) {
          for (const launch of batch) add(launch);
          launches += batch.length;
        }
      } else {
        for await (const launch of source.launches(month)) {
          add(launch);
          launches++;
        }
      }
    }
    total += launches;
    const part = partRead(month, coverage, now);
    if (month === (options.notesFor ?? months.at(-1))) incomplete = part;
    const entry = auditLogSource(month, coverage, launches, now, part);
    if (options.notesFor !== undefined && month !== options.notesFor) delete entry.warnings;
    sources.push(entry);
  }
  return { ledger, sources, launches: total, kept, incomplete };
}

/**
 * The inventory (live: environments, apps, Graph licenses) with the months' launches from
 * the store as its usage: the audit log replaces whatever usage the base had or lacked
 * (the usage API's "launches unknown"), and bookings are unknown.
 */
export async function withLaunchUsage(base: TenantInventory, source: LaunchMonthSource, months: readonly string[], options: Omit<LaunchUsageOptions, 'ledger'> = {}): Promise<TenantData & { launchCount: number }> {
  const usage = await launchUsage(source, months, options);
  const inventory: TenantInventory = { ...withoutUsageNote(base), bookingsUnknown: AUDIT_LOG_BOOKINGS_UNKNOWN, ...(usage.incomplete ? { launchesIncomplete: usage.incomplete } : {}) };
  inventory.sources = [...inventory.sources, ...usage.sources];
  return { inventory, ledger: usage.ledger, launches: usage.kept, launchCount: usage.launches };
}

/** The source entry of one month from the audit log: what was read, and every caveat of the log in its warnings (`part`: partRead's line). */
export function auditLogSource(month: string, coverage: MonthCoverage | null, launches: number, now: Date, part: string | null): SourceInfo {
  const reader = coverage ? READER_NAMES[coverage.reader] : 'not collected';
  const read = coverage ? `: ${coverage.recordsRead.toLocaleString('en')} LaunchPowerApp records, ${launches.toLocaleString('en')} distinct launches (user x app x environment)` : '';
  return {
    kind: 'auditLog',
    description: `Unified audit log (${reader}) for ${month}${read}`,
    rowsRead: coverage?.recordsRead ?? 0,
    rowsUsed: launches,
    warnings: auditLogCaveats(month, coverage, launches, now, part),
  };
}

/** A launch from the log as a usage row: no license type (the log does not say), no report flag, no line, no environment name. */
abstract class LogRow implements UsageRow {
  readonly user = new RowKey();
  readonly environment = new RowKey();
  readonly app = new RowKey();
  readonly licenseType: BookedLicenseType | null = null;
  readonly reportedPremium = null;
  readonly line = undefined;
  abstract readonly month: string;
  abstract environmentId(): string;
  abstract appId(): string;
  abstract appName(): string | undefined;

  environmentName(): string | undefined {
    return undefined;
  }
}

/** A line of the launch store seen as a usage row: its keys are interned from the line's bytes by their fingerprints, as a report's are. */
class LaunchLineRow extends LogRow {
  private current!: LaunchKeys;

  constructor(readonly month: string) {
    super();
  }

  of(line: LaunchKeys): this {
    this.current = line;
    this.environment.ofField(line, 0, true);
    this.app.ofField(line, 1, true);
    this.user.ofField(line, 2, true);
    return this;
  }

  environmentId(): string {
    return this.environment.text();
  }

  appId(): string {
    return this.app.text();
  }

  appName(): string | undefined {
    return this.current.appName() || undefined;
  }
}
