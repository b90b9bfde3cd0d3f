import type { BookedLicenseType, Launch, SourceInfo } from '../../licensing/snapshot';
import { RowKey, SpellingCache, type UsageRow } from '../../usage/usageRow';
import { licenseTypeOf, monthOf, premiumOf, spellingKey } from '../../usage/spellings';
import { CsvScanner, joinBytes, sniffDelimiter, type CsvRecordSink, type CsvRecordView } from '../../usage/csvScanner';
import { asUtf8 } from './textEncoding';

/**
 * The Active users report that the Power Platform admin center downloads
 * (Licensing > Power Apps > Download reports). Microsoft does not document its headers,
 * so columns are found by name with aliases, case- and space-insensitively.
 */

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

type Column = 'user' | 'appId' | 'appName' | 'environmentId' | 'environmentName' | 'licenseType' | 'isPremium' | 'lastLaunched' | 'month';

export const ALIASES: Record<Column, string[]> = {
  user: ['userprincipalname', 'upn', 'useremail', 'email', 'emailaddress', 'user', 'username', 'userupn'],
  appId: ['appid', 'applicationid', 'appguid'],
  appName: ['appname', 'app', 'applicationname', 'appdisplayname', 'displaynameapp'],
  environmentId: ['environmentid', 'envid', 'environmentguid'],
  environmentName: ['environmentname', 'environment', 'environmentdisplayname', 'envname'],
  licenseType: ['licensetype', 'licensetypeused', 'license', 'licensetypes', 'licensingtype'],
  isPremium: ['ispremium', 'premium', 'premiumapp', 'isapppremium'],
  lastLaunched: ['lastlaunched', 'lastapplaunchdate', 'lastlaunchdate', 'lastlaunchedon', 'lastaccessed', 'launchdate', 'lastlaunch'],
  month: ['month', 'reportmonth', 'period'],
};

const HEADER_SEARCH_CHARS = 1 << 16;
const BAD_ROW_SAMPLES = 20;

export interface CsvReadResult {
  source: SourceInfo;
  columns: Partial<Record<Column, string>>;
  extraColumns: string[];
}

const LF = 10;
const BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder();

/**
 * Reads the file chunk by chunk and hands each good row to `onRow`; bad rows are
 * counted with their line numbers and the reason, and never stop the good ones.
 * The row is a view valid during the call only: give it to a UsageLedger, or keep
 * `row.toLaunch()`.
 */
export async function readActiveUsersCsv(
  chunks: AsyncIterable<Uint8Array | string>,
  onRow: (row: ActiveUsersRow) => void,
  description = 'Active users CSV',
): Promise<CsvReadResult> {
  let scanner: CsvScanner | null = null;
  let pending: Uint8Array = new Uint8Array(0);
  let header: HeaderMap | null = null;
  const bad = { count: 0, samples: [] as { line: number; reason: string }[] };
  const warnings = new Set<string>();
  let rowsUsed = 0;
  let sawBytes = false;

  const sink: CsvRecordSink = {
    record(view: CsvRecordView) {
      if (view.fields === 1 && isBlank(view.bytes, view.start[0], view.end[0])) return;
      if (!header) {
        header = mapHeader(fieldTexts(view), warnings);
        scanner!.fingerprint(header.row.fingerprinted);
        return;
      }
      const problem = header.row.read(view);
      if (problem !== null) sink.bad(view.line, problem);
      else {
        rowsUsed++;
        onRow(header.row);
      }
    },
    bad(line: number, reason: string) {
      if (!header) throw new CsvFormatError(`Line ${line} should be the header row but cannot be read: ${reason}.`);
      bad.count++;
      if (bad.samples.length < BAD_ROW_SAMPLES) bad.samples.push({ line, reason });
    },
  };
  const startScanner = (bytes: Uint8Array) => {
    const text = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? bytes.subarray(3) : bytes;
    const nl = text.indexOf(LF);
    scanner = new CsvScanner(sniffDelimiter(utf8.decode(nl < 0 ? text : text.subarray(0, nl))).charCodeAt(0), sink);
    scanner.push(text);
  };

  for await (const chunk of asUtf8(chunks)) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!sawBytes && buffer.length) {
      sawBytes = true;
      if (looksBinary(buffer)) {
        throw new CsvFormatError('This file is binary, not a CSV. Download the Active users report from the Power Platform admin center (Licensing > Power Apps > Download reports) and send the .csv file as it is.');
      }
    }
    if (scanner) {
      (scanner as CsvScanner).push(buffer);
      continue;
    }
    // The delimiter is read off the header line: gather bytes until it is whole.
    pending = joinBytes(pending, buffer);
    if (pending.indexOf(LF) < 0) {
      if (pending.length > HEADER_SEARCH_CHARS) throw new CsvFormatError(`No header line in the first ${HEADER_SEARCH_CHARS / 1024} KB: this is not an Active users CSV.`);
      continue;
    }
    startScanner(pending);
  }
  if (!scanner) {
    if (!utf8.decode(pending).replace(/^\uFEFF/, '').trim()) throw new CsvFormatError('The file is empty. Download the Active users report again and send the .csv file.');
    startScanner(pending);
  }
  (scanner as unknown as CsvScanner).end();
  if (!header) throw new CsvFormatError('The file is empty. Download the Active users report again and send the .csv file.');
  const { columns, extra } = header as HeaderMap;
  if (rowsUsed + bad.count === 0) throw new CsvFormatError('The file has a header but no rows: nobody launched an app in that period, or the download was cut short.');
  if (rowsUsed === 0) {
    throw new CsvFormatError(`None of the ${bad.count} rows could be read. ${bad.samples.slice(0, 5).map((s) => `Line ${s.line}: ${s.reason}`).join('. ')}.`);
  }
  return {
    source: {
      kind: 'csv',
      description,
      rowsRead: rowsUsed + bad.count,
      rowsUsed,
      badRows: bad,
      warnings: [...warnings],
    },
    columns,
    extraColumns: extra,
  };
}

function fieldTexts(view: CsvRecordView): string[] {
  return Array.from({ length: view.fields }, (_, k) => utf8.decode(view.bytes.subarray(view.start[k], view.end[k])));
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] > 32) return false;
  return true;
}

function looksBinary(buffer: Uint8Array): boolean {
  const n = Math.min(buffer.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buffer[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > n / 10;
}

interface HeaderMap {
  columns: Partial<Record<Column, string>>;
  extra: string[];
  row: ActiveUsersRow;
}

function mapHeader(fields: string[], warnings: Set<string>): HeaderMap {
  const keys = fields.map(spellingKey);
  const columns: Partial<Record<Column, string>> = {};
  const index: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(ALIASES) as Column[]) {
    for (const alias of ALIASES[column]) {
      const i = keys.indexOf(alias);
      if (i >= 0 && !Object.values(index).includes(i)) {
        index[column] = i;
        columns[column] = fields[i].trim();
        break;
      }
    }
  }
  const missing: string[] = [];
  if (index.user === undefined) missing.push('User principal name (or UPN / User email)');
  if (index.licenseType === undefined) missing.push('License type');
  if (index.appId === undefined && index.appName === undefined) missing.push('App id or App name');
  if (index.environmentId === undefined && index.environmentName === undefined) missing.push('Environment id or Environment name');
  if (missing.length) {
    const found = fields.map((f) => f.trim()).filter(Boolean).slice(0, 20).join(', ') || '(none)';
    throw new CsvFormatError(`Missing required column${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}. Columns found: ${found}. Send the Active users report as downloaded from the admin center.`);
  }
  if (index.isPremium === undefined) warnings.add('No "Is premium" column: premium status comes from the app inventory only.');
  if (index.lastLaunched === undefined && index.month === undefined) warnings.add('No launch date column: all rows are taken as one month.');
  const used = new Set(Object.values(index));
  const extra = fields.map((f) => f.trim()).filter((_, i) => !used.has(i));
  const at = Object.fromEntries((Object.keys(ALIASES) as Column[]).map((c) => [c, index[c] ?? -1])) as Record<Column, number>;
  return { columns, extra, row: new ActiveUsersRow(at, warnings) };
}

/**
 * One row of the report, read in place from the scanner's bytes. Keys are interned by
 * their fingerprints; license names, premium flags and dates repeat on every row, so
 * each distinct spelling is understood once (SpellingCache).
 */
export class ActiveUsersRow implements UsageRow {
  month: string | null = null;
  licenseType: BookedLicenseType = 'Other';
  reportedPremium: boolean | null = null;
  line = 0;
  readonly user = new RowKey();
  /** the id column, or the name column where the id is blank */
  readonly environment = new RowKey();
  readonly app = new RowKey();
  /** fields the scanner fingerprints, as a list and per field */
  readonly fingerprinted: number[];
  private readonly printed: Uint8Array;
  private view!: CsvRecordView;
  private readonly width: number;
  private appKey = -1;
  private envKey = -1;
  private readonly spelling = new RowKey();
  private readonly unknownLicenses = new Set<string>();
  private readonly licenses = new SpellingCache((raw) => {
    const type = licenseTypeOf(raw);
    if (type === 'Other' && spellingKey(raw) !== 'other' && this.unknownLicenses.size < 10) {
      this.unknownLicenses.add(raw);
      this.warnings.add(`License type "${raw}" is not one PassLens knows; counted as Other.`);
    }
    return type;
  });
  private readonly premiumFlags = new SpellingCache(premiumOf);
  private readonly months = new SpellingCache(monthOf, 10_000);

  constructor(
    private readonly at: Record<Column, number>,
    private readonly warnings: Set<string>,
  ) {
    this.width = Math.max(...Object.values(at)) + 1;
    this.fingerprinted = [
      at.user,
      at.appId >= 0 ? at.appId : at.appName,
      at.environmentId >= 0 ? at.environmentId : at.environmentName,
      at.licenseType,
      at.isPremium,
      at.month,
      at.lastLaunched,
    ].filter((i) => i >= 0);
    this.printed = new Uint8Array(this.width);
    for (const k of this.fingerprinted) this.printed[k] = 1;
  }

  /** Takes a record; null when it is a good row, else what is wrong with it. */
  read(view: CsvRecordView): string | null {
    this.view = view;
    const at = this.at;
    if (view.fields < this.width) return `${view.fields} fields, expected at least ${this.width}`;
    if (this.blank(at.user)) return 'no user principal name';
    this.appKey = !this.blank(at.appId) ? at.appId : !this.blank(at.appName) ? at.appName : -1;
    if (this.appKey < 0) return 'no app id or name';
    this.envKey = !this.blank(at.environmentId) ? at.environmentId : !this.blank(at.environmentName) ? at.environmentName : -1;
    if (this.envKey < 0) return 'no environment id or name';
    if (this.blank(at.licenseType)) return 'no license type';
    this.licenseType = this.licenses.valueOf(this.field(this.spelling, at.licenseType));
    if (at.isPremium < 0 || this.blank(at.isPremium)) this.reportedPremium = null;
    else {
      const premium = this.premiumFlags.valueOf(this.field(this.spelling, at.isPremium));
      if (premium === undefined) return `"Is premium" is "${this.text(at.isPremium)}", expected true or false`;
      this.reportedPremium = premium;
    }
    const dateColumn = !this.blank(at.month) ? at.month : at.lastLaunched;
    if (this.blank(dateColumn)) this.month = null;
    else {
      const month = this.months.valueOf(this.field(this.spelling, dateColumn));
      if (month === undefined) return `the date "${this.text(dateColumn)}" cannot be read (expected e.g. 2026-11-05)`;
      this.month = month;
    }
    this.field(this.user, at.user);
    this.field(this.app, this.appKey);
    this.field(this.environment, this.envKey);
    this.line = view.line;
    return null;
  }

  environmentId(): string {
    return this.text(this.envKey);
  }

  environmentName(): string | undefined {
    return this.text(this.at.environmentName) || undefined;
  }

  appId(): string {
    return this.text(this.appKey);
  }

  appName(): string | undefined {
    return this.text(this.at.appName) || undefined;
  }

  /** The row as a Launch object, for sources that keep their rows. */
  toLaunch(): Launch {
    return {
      userPrincipalName: this.text(this.at.user),
      appId: this.appId(),
      appName: this.appName(),
      environmentId: this.environmentId(),
      environmentName: this.environmentName(),
      month: this.month,
      licenseType: this.licenseType,
      reportedPremium: this.reportedPremium,
      line: this.line,
    };
  }

  private field(key: RowKey, k: number): RowKey {
    return key.ofField(this.view, k, this.printed[k] === 1);
  }

  private blank(k: number): boolean {
    if (k < 0) return true;
    const v = this.view;
    const start = v.start[k];
    const end = v.end[k];
    return start === end || (v.bytes[start] <= 32 && isBlank(v.bytes, start, end));
  }

  /** The field's text, trimmed ('' for a missing column). */
  private text(k: number): string {
    if (k < 0) return '';
    return utf8.decode(this.view.bytes.subarray(this.view.start[k], this.view.end[k])).trim();
  }
}
