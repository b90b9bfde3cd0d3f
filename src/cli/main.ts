import { parseArgs } from 'node:util';
import { buildDemoTenant } from '../tenant/demo/demoTenant';
import { readSnapshotFile, SnapshotFileError, writeSnapshotFile } from '../tenant/snapshotFile';
import {
  applyAllocations,
  csvFileChunks,
  fromSnapshot,
  InputError,
  parseAllocation,
  resolveEnvironment,
  toSnapshot,
  type TenantData,
} from '../tenant/tenantData';
import { CsvFormatError } from '../tenant/csv/activeUsersCsv';
import { readReportSet, type ReportSetData } from '../tenant/reportSet';
import { analyzeTenant } from '../tenant/analyzedTenant';
import { jsonChunks, renderMarkdown, renderText } from './reportText';
import { findingsCsvChunks } from '../export/findingsCsv';
import type { TenantSnapshot } from '../licensing/snapshot';
import { ConfigError, loadConfig, pricesFromEnv } from '../config';
import { LiveTenantSource } from '../tenant/live/liveSource';
import { LiveApiError } from '../tenant/live/errors';
import { setupCheckLines } from '../tenant/live/doctor';
import { environmentOfApp, LiveLaunches, type LiveLaunchData } from '../launches/liveLaunches';
import { LaunchStore } from '../launches/launchStore';
import { LaunchCollector, type CollectionProgress } from '../launches/collector';
import { withLogComparison } from '../launches/reportAndLog';
import { oldestKeptMonth, pruneLaunches, retentionWords, withinRetention } from '../launches/retention';
import type { LaunchMonthSource } from '../launches/launch';
import { FileStorage } from '../storage/fileStorage';
import { oneLine } from '../cards/cardText';
import { CollectionProgressLine } from './collectionProgress';
import { cliDataDir } from './launchFolder';
import { resolve } from 'node:path';
import { constants as osConstants } from 'node:os';

const USAGE = `Usage:
  passlens analyze [--demo | --live | --snapshot FILE | --csv FILE] [--env NAME] [--month YYYY-MM]
                   [--allocated "ENV NAME=25" ...] [--format text|json|markdown|csv]
  passlens snapshot [--demo | --live | --snapshot FILE] [--csv FILE] [--allocated ...] --out FILE
  passlens doctor --live [--format text|json]
  passlens help

  --csv FILE may be repeated: the admin center's Active users reports (one or more months),
  All licensed users (per-user licenses) and Users requiring licenses in Managed
  Environments, told apart by their columns. With --demo, --live or --snapshot the
  Active users reports supply the usage, the other source the environments, apps and licenses.
  --format csv writes the findings, one row per finding (environment, month, code, rule,
  confidence, app, user, count, explanation, fix), for a spreadsheet.
  --live reads the tenant set by PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and a credential;
  without --csv its launches come from the unified audit log: a month is collected once into
  the launch store (minutes, progress on stderr), then answered from it. The store is in
  PASSLENS_DATA_DIR when set, else the per-user data folder (~/.local/share/passlens on Linux).
  doctor checks each source PassLens reads live: ok, refused or not available, with the fix.
Exit codes: 0 answered, 2 bad input or a refused sign-in, 130 or 143 a first collection
stopped by Ctrl-C or SIGTERM (the days read are kept); doctor: 0 every source PassLens
needs answers, 1 some are missing, 2 sign-in failed.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress rewrites one line in place. */
  stderrIsTTY?: boolean;
}

/** Stdout that a closed reader (`passlens analyze | head`) quietly ends instead of crashing: what it did not read was not wanted. */
let stdoutClosed: boolean | undefined;
function writeStdout(text: string): void {
  if (stdoutClosed === undefined) {
    stdoutClosed = false;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  }
  if (!stdoutClosed) process.stdout.write(text);
}

const processIo: CliIo = {
  stdout: writeStdout,
  stderr: (t) => process.stderr.write(t),
  stderrIsTTY: process.stderr.isTTY === true,
};

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    if (command === 'analyze') return await analyzeCommand(rest, io);
    if (command === 'snapshot') return await snapshotCommand(rest, io);
    if (command === 'doctor') return await doctorCommand(rest, io);
    throw new InputError(`Unknown command "${command}".`);
  } catch (e) {
    // Messages may quote a file's header, a name or a service's answer: one inert line each (oneLine).
    if (e instanceof CollectionStopped) {
      io.stderr('passlens: stopped. The days read so far are kept; run the same command again to read the rest.\n');
      return e.exitCode;
    }
    if (e instanceof LiveApiError) {
      io.stderr(`passlens: ${oneLine(e.message)}\nWhat to do: ${oneLine(e.action)}\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      io.stderr(`passlens: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof CsvFormatError || e instanceof SnapshotFileError || isArgError(e)) {
      io.stderr(`passlens: ${oneLine((e as Error).message)}\n`);
      if (!(e instanceof CsvFormatError) && !(e instanceof SnapshotFileError)) io.stderr(`\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

/** The signals that stop a collection cleanly: Ctrl-C, and a service manager's or kill's request to end. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A collection stopped by a signal: exit 128 + its number (130 for Ctrl-C, 143 for SIGTERM), as a shell reports a command the signal ended. */
class CollectionStopped extends Error {
  readonly exitCode: number;
  constructor(signal: (typeof STOP_SIGNALS)[number]) {
    super(`stopped by ${signal}`);
    this.exitCode = 128 + osConstants.signals[signal];
  }
}

function isArgError(e: unknown): boolean {
  return e instanceof TypeError && /^ERR_PARSE_ARGS/.test((e as NodeJS.ErrnoException).code ?? '');
}

const SOURCE_OPTIONS = {
  demo: { type: 'boolean' },
  live: { type: 'boolean' },
  snapshot: { type: 'string' },
  csv: { type: 'string', multiple: true },
  allocated: { type: 'string', multiple: true },
} as const;

async function loadData(values: { demo?: boolean; live?: boolean; snapshot?: string; csv?: string[]; allocated?: string[]; month?: string }, keepLaunches: boolean, io: CliIo): Promise<ReportSetData | LiveLaunchData> {
  if ([values.demo, values.live, values.snapshot].filter(Boolean).length > 1) throw new InputError('Give one of --demo, --live or --snapshot.');
  let base: TenantSnapshot | null = null;
  if (values.demo) base = buildDemoTenant();
  else if (values.snapshot) base = await readSnapshotFile(values.snapshot);
  else if (values.live) {
    const { live, launchRetentionMonths: retention } = loadConfig(process.env);
    if (!live) throw new InputError('--live needs PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and one credential (PASSLENS_CLIENT_SECRET, PASSLENS_CLIENT_CERTIFICATE_PATH or PASSLENS_USE_MANAGED_IDENTITY=true); see docs/live-setup.md.');
    if (!values.csv?.length && values.month && values.month < oldestKeptMonth(new Date(), retention)) {
      await openLaunchStore(io);
      throw new InputError(`${values.month} is older than the launches PassLens keeps (PASSLENS_LAUNCH_RETENTION_MONTHS=${retention}: ${retentionWords(retention)}), so its launches are neither read nor answered from. Raise PASSLENS_LAUNCH_RETENTION_MONTHS, or give that month's Active users report with --csv FILE.`);
    }
    const source = new LiveTenantSource(live);
    const month = values.month ?? new Date().toISOString().slice(0, 7);
    base = (await source.read({ month })).snapshot;
    // Without an Active users report the audit log gives the launches: the month is collected
    // into the launch store (files under PASSLENS_DATA_DIR) once, then answered from it.
    if (!values.csv?.length) {
      const line = new CollectionProgressLine({ write: io.stderr, isTTY: io.stderrIsTTY });
      let told = false;
      const launches = await cliLaunches(source, base, io, (progress) => {
        if (!told) io.stderr(`PassLens keeps the launches it reads from the audit log in ${resolve(cliDataDir(process.env))} (PASSLENS_DATA_DIR to change it); a month is read once, then answered from there.\n`);
        told = true;
        line.update(progress);
      });
      // Ctrl-C or SIGTERM stops the collection cleanly: the days under way give back their claims (else the next run would wait out their lease), the days read stay.
      const stop = new AbortController();
      let stoppedBy: (typeof STOP_SIGNALS)[number] = 'SIGINT';
      const interrupt = (signal: (typeof STOP_SIGNALS)[number]) => {
        if (!stop.signal.aborted) stoppedBy = signal;
        stop.abort();
      };
      for (const signal of STOP_SIGNALS) process.once(signal, interrupt);
      try {
        await launches.ensureCollected(month, { signal: stop.signal });
      } finally {
        for (const signal of STOP_SIGNALS) process.off(signal, interrupt);
        line.finish();
      }
      if (stop.signal.aborted) throw new CollectionStopped(stoppedBy);
      const data = await launches.tenantData(base, month, { exactMonth: values.month !== undefined, keepLaunches });
      return { ...data, ...applyAllocations(data, (values.allocated ?? []).map(parseAllocation)) };
    }
  }
  if (!base && !values.csv?.length) throw new InputError('Say where the data comes from: --demo, --live, --snapshot FILE or --csv FILE.');
  let data: ReportSetData | TenantData;
  if (values.csv?.length) {
    const files = await Promise.all(values.csv.map(async (name) => ({ name, chunks: await csvFileChunks(name) })));
    data = await readReportSet(files, base, { keepLaunches });
    // The report's bookings win; what the audit log collected of the month is compared with it (launches each lacks, named).
    if (values.live) data = await withLogComparison(data, (await openLaunchStore(io)).kept, values.month ?? null);
  } else {
    data = fromSnapshot(base!);
  }
  return { ...data, ...applyAllocations(data, (values.allocated ?? []).map(parseAllocation)) };
}

/**
 * The launch store in the CLI's folder (launchFolder.ts), months older than
 * PASSLENS_LAUNCH_RETENTION_MONTHS deleted first (docs/security.md), and the view of it
 * the answers read, which never shows such a month.
 */
async function openLaunchStore(io: CliIo): Promise<{ store: LaunchStore; kept: LaunchMonthSource; retention: number }> {
  const retention = loadConfig(process.env).launchRetentionMonths;
  const store = new LaunchStore(new FileStorage(cliDataDir(process.env)));
  await pruneLaunches(store, new Date(), retention).catch((e: Error) => io.stderr(`passlens: could not delete the launches older than ${retentionWords(retention)} (${oneLine(e.message)}); they are not answered from.\n`));
  return { store, kept: withinRetention(store, retention), retention };
}

/** The live launches over the CLI's store, with a collector on the live source's audit reader (none when PASSLENS_AUDIT_READER=off). */
async function cliLaunches(source: LiveTenantSource, snapshot: TenantSnapshot, io: CliIo, progress: (p: CollectionProgress) => void): Promise<LiveLaunches> {
  const { store, kept, retention } = await openLaunchStore(io);
  const reader = source.auditReader();
  const apps = environmentOfApp(snapshot.apps);
  return new LiveLaunches({ store: kept, collector: reader ? new LaunchCollector({ store, reader, inventory: async () => apps, progress, retentionMonths: retention }) : null });
}

async function analyzeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...SOURCE_OPTIONS, env: { type: 'string' }, month: { type: 'string' }, format: { type: 'string', default: 'text' } },
    strict: true,
  });
  const format = values.format ?? 'text';
  if (!['text', 'json', 'markdown', 'csv'].includes(format)) throw new InputError(`--format "${format}" is not one of text, json, markdown, csv.`);
  if (values.month && !/^\d{4}-\d{2}$/.test(values.month)) throw new InputError(`--month "${values.month}" is not of the form YYYY-MM.`);
  const data = await loadData(values, false, io);
  if (values.month && data.ledger.months().length && !data.ledger.months().includes(values.month)) {
    throw new InputError(`No usage for ${values.month}. Months in the data: ${data.ledger.months().join(', ')}.`);
  }
  const { report, monthly } = analyzeTenant(data, { month: values.month ?? ('month' in data ? data.month : undefined), prices: pricesFromEnv(process.env), fetchedAt: new Date() });
  if (values.env) {
    const env = resolveEnvironment(report.environments, values.env);
    report.environments = [env];
    monthly.environments = monthly.environments.filter((e) => e.id === env.id);
  }
  if (format === 'json') for (const chunk of jsonChunks(report, Boolean(values.env), monthly)) io.stdout(chunk);
  else if (format === 'csv') {
    // A BOM, so Excel reads names with accents as UTF-8 when the output is saved to a file.
    io.stdout('\uFEFF');
    for (const chunk of findingsCsvChunks(report)) io.stdout(chunk);
  }
  else for (const chunk of (format === 'markdown' ? renderMarkdown : renderText)(report, monthly)) io.stdout(chunk);
  return 0;
}

async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { live: { type: 'boolean' }, format: { type: 'string', default: 'text' }, month: { type: 'string' } }, strict: true });
  if (!values.live) throw new InputError('doctor checks the live tenant: add --live (with PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and a credential set).');
  const format = values.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new InputError(`--format "${format}" is not one of text, json.`);
  const live = loadConfig(process.env).live;
  if (!live) throw new InputError('--live needs PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and one credential (PASSLENS_CLIENT_SECRET, PASSLENS_CLIENT_CERTIFICATE_PATH or PASSLENS_USE_MANAGED_IDENTITY=true); see docs/live-setup.md.');
  const check = await new LiveTenantSource(live).checkSetup({ month: values.month });
  io.stdout(format === 'json' ? `${JSON.stringify(check, null, 2)}\n` : `${setupCheckLines(check).map(oneLine).join('\n')}\n`);
  return check.exitCode;
}

async function snapshotCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { ...SOURCE_OPTIONS, out: { type: 'string' }, month: { type: 'string' } }, strict: true });
  if (!values.out) throw new InputError('Say where to write the snapshot: --out FILE.');
  const data = await loadData(values, true, io);
  const snapshot = toSnapshot(data);
  await writeSnapshotFile(values.out, snapshot);
  io.stdout(`Saved ${snapshot.environments.length} environments, ${snapshot.apps?.length ?? 0} apps and ${snapshot.launches.length} launches to ${oneLine(values.out)}\n`);
  return 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`passlens: unexpected error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
