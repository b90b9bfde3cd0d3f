import { createReadStream, promises as fs } from 'node:fs';
import { UsageLedger } from '../usage/usageLedger';
import type { Environment, Launch, TenantInventory, TenantSnapshot } from '../licensing/snapshot';
import { matchName } from '../licensing/names';
import { readActiveUsersCsv } from './csv/activeUsersCsv';
import { UploadTooLargeError } from './uploadLimits';

/**
 * What an analysis runs on: an inventory (environments, apps, licenses) and usage
 * folded into a ledger. Sources combine: a CSV supplies the usage, another source the
 * inventory, and allocations typed by hand fill what neither knows. Analysed, it is an
 * AnalyzedTenant (analyzedTenant.ts).
 */
export interface TenantData {
  inventory: TenantInventory;
  ledger: UsageLedger;
  /** The launches, when the source kept them (not for streamed CSVs). */
  launches: Launch[] | null;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function fromSnapshot(snapshot: TenantSnapshot): TenantData {
  const { launches, ...inventory } = snapshot;
  return { inventory, ledger: new UsageLedger().addAll(launches), launches };
}

/** The data as a snapshot again (to save, or to build an upload on): no launches when the source kept none. */
export function toSnapshot(data: Pick<TenantData, 'inventory' | 'launches'>): TenantSnapshot {
  return { ...data.inventory, launches: data.launches ?? [] };
}

export interface CsvUsageOptions {
  /** keep the launch rows (for saving a snapshot or answering per-user questions). */
  keepLaunches?: boolean;
  description?: string;
  /** add to this ledger (several monthly files into one), instead of a new one. */
  ledger?: UsageLedger;
  /** More good rows than this stop the read with UploadTooLargeError (uploads in chat). */
  maxRows?: number;
  /** Collects the months the rows fall in (null: rows without a date), to tell which months a file holds. */
  months?: Set<string | null>;
}

/** Reads an Active users CSV into usage; with `base`, the CSV replaces the base's usage. */
export async function withCsvUsage(
  chunks: AsyncIterable<Buffer | string>,
  base: TenantInventory | null,
  options: CsvUsageOptions = {},
): Promise<TenantData> {
  const ledger = options.ledger ?? new UsageLedger();
  const launches: Launch[] | null = options.keepLaunches ? [] : null;
  const maxRows = options.maxRows ?? Infinity;
  let rows = 0;
  const months = options.months;
  let lastMonth: string | null | undefined;
  const result = await readActiveUsersCsv(
    chunks,
    (row) => {
      if (++rows > maxRows) throw new UploadTooLargeError(`The file has more than ${maxRows.toLocaleString('en')} rows`);
      if (months && row.month !== lastMonth) months.add((lastMonth = row.month));
      ledger.addRow(row);
      launches?.push(row.toLaunch());
    },
    options.description,
  );
  // The CSV is the usage source now, whatever the base could not read.
  const inventory: TenantInventory = base
    ? { ...withoutUsageNote(base), sources: [...base.sources, result.source] }
    : { generatedAt: new Date().toISOString(), sources: [result.source], environments: [], apps: null, users: null };
  return { inventory, ledger, launches };
}

/** How a source says its launches are unknown, or come without apps: notes that go once another usage source answers. */
const LAUNCHES_UNKNOWN = 'Launches are unknown: ';
const APPS_UNNAMED = "Microsoft's usage API names users and environments, not apps: ";
export const USAGE_NOTES = {
  unknown: (why: string, fix: string) => `${LAUNCHES_UNKNOWN}${why}. So booked, required, overage and unused passes are shown as unknown, never 0. ${fix}`,
  unnamedApps: (fix: string) => `${APPS_UNNAMED}booked passes are counted, but which apps they went to, and how many need a pass, come from the Active users report. ${fix}`,
};

/**
 * The inventory once another source answered for the usage (an Active users report):
 * neither `usageUnknown` nor a source's note that launches are unknown is left, and the
 * usage it replaces (the audit log's launches, whose bookings were unknown) goes with its source.
 */
export function withoutUsageNote(base: TenantInventory): TenantInventory {
  const { usageUnknown: _answered, bookingsUnknown: _booked, ...rest } = base;
  const sources = rest.sources.filter((s) => s.kind !== 'auditLog').map((s) => (s.warnings ? { ...s, warnings: s.warnings.filter((w) => !w.startsWith(LAUNCHES_UNKNOWN) && !w.startsWith(APPS_UNNAMED)) } : s));
  return { ...rest, sources };
}

export async function csvFileChunks(path: string): Promise<AsyncIterable<Buffer>> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) throw new InputError(`${path} is not a file.`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

export interface ManualAllocation {
  environment: string;
  passes: number;
}

/** Parses `--allocated "Contoso Sales (Prod)=25"`. */
export function parseAllocation(text: string): ManualAllocation {
  const m = /^(.+?)\s*=\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--allocated "${text}" is not of the form "ENVIRONMENT NAME=25".`);
  return { environment: m[1].trim(), passes: Number(m[2]) };
}

/**
 * Applies allocations typed by hand. Environments known only from the usage are
 * included, so a CSV alone can be given its allocations.
 */
export function applyAllocations(data: TenantData, allocations: readonly ManualAllocation[]): TenantData {
  if (!allocations.length) return data;
  const environments = environmentsWithUsage(data);
  for (const a of allocations) {
    const env = resolveEnvironment(environments, a.environment, '--allocated');
    env.allocatedPasses = a.passes;
  }
  const manual = { kind: 'manual' as const, description: `Allocations given by hand: ${allocations.map((a) => `${a.environment}=${a.passes}`).join(', ')}` };
  return { ...data, inventory: { ...data.inventory, environments, sources: [...data.inventory.sources, manual] } };
}

/** Copies of the inventory's environments, plus those known only from the usage (a CSV alone), all unknown but their names. */
export function environmentsWithUsage(data: Pick<TenantData, 'inventory' | 'ledger'>): Environment[] {
  const environments: Environment[] = data.inventory.environments.map((e) => ({ ...e }));
  for (const le of data.ledger.environments()) {
    const known = environments.some((e) => e.id.toLowerCase() === le.key || (le.name && e.name.toLowerCase() === le.name.toLowerCase()));
    if (!known) environments.push({ id: le.id, name: le.name ?? le.id, managed: null, payAsYouGo: null, allocatedPasses: null });
  }
  return environments;
}

/** Finds an environment by forgiving name or id; a miss names the close ones. */
export function resolveEnvironment<T extends { id: string; name: string }>(environments: readonly T[], query: string, what = 'Environment'): T {
  const match = matchName(query, environments, (e) => [e.name, e.id]);
  if (match.kind === 'match') return match.item;
  if (match.kind === 'ambiguous') {
    throw new InputError(`${what} "${query}" matches several environments: ${match.candidates.map((e) => e.name).join(', ')}. Use more of the name.`);
  }
  const close = match.suggestions.map((e) => e.name);
  throw new InputError(`${what} "${query}" is not an environment of this tenant.${close.length ? ` Did you mean: ${close.join(', ')}?` : ' No environments are known.'}`);
}

