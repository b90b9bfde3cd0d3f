import type { TenantInventory } from '../licensing/snapshot';
import type { LicensingReport } from '../licensing/report';
import type { Launch, SourceInfo, TenantSnapshot, User } from '../licensing/snapshot';
import { UsageLedger } from '../usage/usageLedger';
import { peekHeader, readLicensedUsers, readManagedRequired, reportKindOf, REPORT_TITLES, type ManagedRequirement, type ReportKind } from './csv/adminReports';
import { environmentsWithUsage, InputError, withCsvUsage, withoutUsageNote, type TenantData } from './tenantData';
import { asUtf8 } from './csv/textEncoding';
import { capBytes } from './uploadLimits';

/**
 * Several admin center reports read as one analysis: any number of Active users files
 * (months, or a file that spans months) into one ledger, the All licensed users report
 * as per-user licenses where no live tenant supplied them, and the Users requiring
 * licenses in Managed Environments report as evidence that an environment is managed (R8).
 */

export interface ReportFile {
  name: string;
  chunks: AsyncIterable<Uint8Array | string>;
  /** Its size, when known before reading (a file on disk): how many rows it can hold. */
  bytes?: number;
}

/** A file as read: its report, and for Active users the months its rows fall in (sorted; none when the rows carry no date). */
export interface ReadReport {
  name: string;
  kind: ReportKind;
  months: string[];
}

export interface ReportSetData extends TenantData {
  /** Each file read and the report it was read as, in the order given. */
  files: ReadReport[];
  /** Files left unread because a later file replaces them (ReportSetOptions.replaces), in the order given. */
  replaced: { name: string; by: string }[];
  managedRequired: ManagedRequirement[];
  /** Active users rows read over all files (what a kept upload weighs). */
  rowsRead: number;
}

export interface ReportSetOptions {
  keepLaunches?: boolean;
  /** How a file is named in the sources (default "Active users CSV <name>" for usage). */
  describe?: (name: string) => string;
  /** Caps for uploads in chat: bytes per file, good rows over all files (UploadTooLargeError past them). */
  limits?: { bytes: number; rows: number };
  /**
   * Whether a later file replaces an earlier one (a report dropped again). With it the files
   * are read last first, so an earlier file a later one replaces is never read, nor counted
   * against the row cap; sources still come in the order given.
   */
  replaces?: (later: ReadReport, earlier: ReportFile) => boolean;
}

export async function readReportSet(files: readonly ReportFile[], base: TenantSnapshot | null, options: ReportSetOptions = {}): Promise<ReportSetData> {
  const describe = options.describe ?? ((name: string) => `Active users CSV ${name}`);
  const ledger = new UsageLedger();
  const launches: Launch[] | null = options.keepLaunches ? [] : null;
  const perFile: { sources: SourceInfo[]; read?: ReadReport; replacedBy?: string }[] = files.map(() => ({ sources: [] }));
  const readSoFar: ReadReport[] = [];
  let licensed: User[] | null = null;
  const managedRequired: ManagedRequirement[] = [];
  let rowsRead = 0;
  const order = files.map((_, i) => (options.replaces ? files.length - 1 - i : i));
  for (const i of order) {
    const file = files[i];
    const by = options.replaces ? readSoFar.find((later) => options.replaces!(later, file)) : undefined;
    if (by) {
      perFile[i].replacedBy = by.name;
      continue;
    }
    const sources = perFile[i].sources;
    // UTF-16 (Excel's "Unicode Text") is decoded before the header decides which report this is.
    const bytes = options.limits ? capBytes(file.chunks, options.limits.bytes) : file.chunks;
    const { fields, chunks } = await peekHeader(asUtf8(bytes), file.name);
    const kind = reportKindOf(fields, file.name);
    const months = new Set<string | null>();
    if (kind === 'activeUsers') {
      const maxRows = options.limits ? options.limits.rows - rowsRead : undefined;
      const data = await withCsvUsage(chunks, null, { ledger, keepLaunches: options.keepLaunches, description: describe(file.name), maxRows, months });
      rowsRead += data.inventory.sources.reduce((sum, s) => sum + (s.rowsRead ?? 0), 0);
      sources.push(...data.inventory.sources);
      launches?.push(...(data.launches ?? []));
    } else if (kind === 'licensedUsers') {
      const report = await readLicensedUsers(chunks, fields, file.name);
      licensed = mergeUsers(licensed ?? [], report.users);
      sources.push(report.source);
    } else {
      const report = await readManagedRequired(chunks, fields, file.name);
      managedRequired.push(...report.environments);
      sources.push(report.source);
    }
    perFile[i].read = { name: file.name, kind, months: [...months].filter((m): m is string => m !== null).sort() };
    readSoFar.push(perFile[i].read!);
  }
  const read = perFile.flatMap((f) => (f.read ? [f.read] : []));
  const replaced = files.flatMap((f, i) => (perFile[i].replacedBy ? [{ name: f.name, by: perFile[i].replacedBy! }] : []));
  const sources = perFile.flatMap((f) => f.sources);
  const usage = read.some((f) => f.kind === 'activeUsers');
  if (!usage && !base) {
    throw new InputError(`No ${REPORT_TITLES.activeUsers} report among ${files.map((f) => f.name).join(', ')}: launches come from it. Add it (Licensing > Power Apps > Download reports > Active users), or give --demo, --live or --snapshot for the rest.`);
  }
  const { launches: baseLaunches, ...known } = base ?? ({ generatedAt: new Date().toISOString(), sources: [], environments: [], apps: null, users: null, launches: [] } as TenantSnapshot);
  // An Active users report is a usage source: whatever the base could not read of usage, it now answers.
  const inventory: TenantInventory = usage ? withoutUsageNote(known) : known;
  if (!usage) {
    ledger.addAll(baseLaunches);
    launches?.push(...baseLaunches);
  }
  const users = inventory.users ?? licensed;
  if (inventory.users && licensed) sources.push({ kind: 'csv', description: `${REPORT_TITLES.licensedUsers}: not used, the tenant's own license data answered` });
  let data: ReportSetData = { inventory: { ...inventory, users, sources: [...inventory.sources, ...sources] }, ledger, launches, files: read, replaced, managedRequired, rowsRead };
  if (managedRequired.length) data = { ...data, inventory: { ...data.inventory, environments: markManaged(data, managedRequired) } };
  return data;
}

function mergeUsers(into: User[], more: readonly User[]): User[] {
  const byUpn = new Map(into.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  for (const u of more) {
    const known = byUpn.get(u.userPrincipalName.toLowerCase());
    if (!known) byUpn.set(u.userPrincipalName.toLowerCase(), u);
    else for (const l of u.licenses) if (!known.licenses.includes(l)) known.licenses.push(l);
  }
  return [...byUpn.values()];
}

function matches(e: { id: string; name: string }, m: ManagedRequirement): boolean {
  return (m.id !== null && e.id.toLowerCase() === m.id.toLowerCase()) || (m.name !== null && e.name.toLowerCase() === m.name.toLowerCase());
}

/** Environments the report names are Managed Environments: it lists only those. One the other sources do not know is added. */
function markManaged(data: Pick<TenantData, 'inventory' | 'ledger'>, managed: readonly ManagedRequirement[]): TenantInventory['environments'] {
  const environments = environmentsWithUsage(data);
  for (const m of managed) {
    const env = environments.find((e) => matches(e, m));
    if (env) env.managed = true;
    else environments.push({ id: m.id ?? m.name!, name: m.name ?? m.id!, managed: true, payAsYouGo: null, allocatedPasses: null });
  }
  return environments;
}

/** Adds each environment's users from the managed report to the report's environments, counted once. */
export function withManagedEvidence<R extends Pick<LicensingReport, 'environments'>>(report: R, managed: readonly ManagedRequirement[]): R {
  if (!managed.length) return report;
  for (const e of report.environments) {
    const named = managed.filter((m) => matches(e, m));
    if (!named.length) continue;
    const users = [...new Set(named.flatMap((m) => [...m.users]))].sort();
    e.usersRequiringLicenses = { users: users.length, rows: named.reduce((n, m) => n + m.rows, 0), sample: users.slice(0, 5) };
  }
  return report;
}
