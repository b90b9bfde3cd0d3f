import { StringDecoder } from 'node:string_decoder';
import type { BookedLicenseType, Launch, SourceInfo } from '../../licensing/snapshot';
import { CsvRecordSplitter, sniffDelimiter } from './csvRecords';

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

const ALIASES: Record<Column, string[]> = {
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

const LICENSE_VALUES: [RegExp, BookedLicenseType][] = [
  [/^(apppass|perapp|perapppass|powerappsperapp|apppasses)$/, 'AppPass'],
  [/^(peruser|premium|powerappspremium|powerappsperuser|perusertrial)$/, 'PerUser'],
  [/^(payasyougo|payg|paygo|meter|metered)$/, 'PayAsYouGo'],
  [/^(m365|microsoft365|office365|o365|seeded|seededlicense|e3|e5)$/, 'M365'],
];

export interface CsvReadResult {
  source: SourceInfo;
  columns: Partial<Record<Column, string>>;
  extraColumns: string[];
}

function key(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Reads the file chunk by chunk and hands each good row to `onLaunch`; bad rows are
 * counted with their line numbers and the reason, and never stop the good ones.
 */
export async function readActiveUsersCsv(
  chunks: AsyncIterable<Buffer | string>,
  onLaunch: (launch: Launch) => void,
  description = 'Active users CSV',
): Promise<CsvReadResult> {
  const decoder = new StringDecoder('utf8');
  let header: string[] | null = null;
  let splitter: CsvRecordSplitter | null = null;
  let pending = '';
  let mapper: ((fields: string[], line: number) => Launch | string) | null = null;
  let columns: Partial<Record<Column, string>> = {};
  let extra: string[] = [];
  const bad = { count: 0, samples: [] as { line: number; reason: string }[] };
  const warnings = new Set<string>();
  let rowsUsed = 0;
  let sawBytes = false;

  const sink = {
    record(fields: string[], line: number) {
      if (!header) {
        header = fields;
        ({ columns, extra, mapper } = mapHeader(fields, warnings));
        return;
      }
      if (fields.length === 1 && fields[0].trim() === '') return;
      const result = mapper!(fields, line);
      if (typeof result === 'string') sink.bad(line, result);
      else {
        rowsUsed++;
        onLaunch(result);
      }
    },
    bad(line: number, reason: string) {
      if (!header) throw new CsvFormatError(`Line ${line} should be the header row but cannot be read: ${reason}.`);
      bad.count++;
      if (bad.samples.length < BAD_ROW_SAMPLES) bad.samples.push({ line, reason });
    },
  };

  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!sawBytes && buffer.length) {
      sawBytes = true;
      if (looksBinary(buffer)) {
        throw new CsvFormatError('This file is binary, not a CSV. Download the Active users report from the Power Platform admin center (Licensing > Power Apps > Download reports) and send the .csv file as it is.');
      }
    }
    let text = decoder.write(buffer);
    if (!splitter) {
      pending += text;
      const nl = pending.indexOf('\n');
      if (nl < 0) {
        if (pending.length > HEADER_SEARCH_CHARS) throw new CsvFormatError(`No header line in the first ${HEADER_SEARCH_CHARS / 1024} KB: this is not an Active users CSV.`);
        continue;
      }
      text = pending.replace(/^\uFEFF/, '');
      pending = '';
      splitter = new CsvRecordSplitter(sniffDelimiter(text.slice(0, text.indexOf('\n'))), sink);
    }
    splitter.push(text);
  }
  if (!splitter) {
    const rest = (pending + decoder.end()).replace(/^\uFEFF/, '');
    if (!rest.trim()) throw new CsvFormatError('The file is empty. Download the Active users report again and send the .csv file.');
    splitter = new CsvRecordSplitter(sniffDelimiter(rest), sink);
    splitter.push(rest);
  } else {
    const tail = decoder.end();
    if (tail) splitter.push(tail);
  }
  splitter.end();
  if (!header) throw new CsvFormatError('The file is empty. Download the Active users report again and send the .csv file.');
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

function looksBinary(buffer: Buffer): boolean {
  const n = Math.min(buffer.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buffer[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > n / 10;
}

function mapHeader(fields: string[], warnings: Set<string>) {
  const keys = fields.map(key);
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
  const width = Math.max(...Object.values(index).map((i) => i ?? 0)) + 1;
  const unknownLicenses = new Set<string>();

  // Dates and license names repeat on every row: read each distinct text once.
  const months = new Map<string, string | null | undefined>();
  const licenses = new Map<string, BookedLicenseType>();
  const at = Object.fromEntries((Object.keys(ALIASES) as Column[]).map((c) => [c, index[c] ?? -1])) as Record<Column, number>;
  const mapper = (row: string[], line: number): Launch | string => {
    if (row.length < width) return `${row.length} fields, expected at least ${width}`;
    const get = (c: Column): string => {
      const i = at[c];
      return i < 0 ? '' : row[i].trim();
    };
    const user = get('user');
    if (!user) return 'no user principal name';
    const appId = get('appId') || get('appName');
    if (!appId) return 'no app id or name';
    const environmentId = get('environmentId') || get('environmentName');
    if (!environmentId) return 'no environment id or name';
    const rawLicense = get('licenseType');
    if (!rawLicense) return 'no license type';
    let licenseType = licenses.get(rawLicense);
    if (licenseType === undefined) licenses.set(rawLicense, (licenseType = licenseTypeOf(rawLicense)));
    if (licenseType === 'Other' && key(rawLicense) !== 'other' && !unknownLicenses.has(rawLicense) && unknownLicenses.size < 10) {
      unknownLicenses.add(rawLicense);
      warnings.add(`License type "${rawLicense}" is not one PassLens knows; counted as Other.`);
    }
    const premiumText = get('isPremium');
    const reportedPremium = premiumOf(premiumText);
    if (reportedPremium === undefined) return `"Is premium" is "${premiumText}", expected true or false`;
    const monthText = get('month') || get('lastLaunched');
    let month = months.get(monthText);
    if (month === undefined && !months.has(monthText)) {
      month = monthText ? monthOf(monthText) : null;
      if (months.size < 10_000) months.set(monthText, month);
    }
    if (month === undefined) return `the date "${monthText}" cannot be read (expected e.g. 2026-11-05)`;
    return {
      userPrincipalName: user,
      appId,
      appName: get('appName') || undefined,
      environmentId,
      environmentName: get('environmentName') || undefined,
      month,
      licenseType,
      reportedPremium,
      line,
    };
  };
  return { columns, extra, mapper };
}

export function licenseTypeOf(raw: string): BookedLicenseType {
  const k = key(raw);
  for (const [pattern, type] of LICENSE_VALUES) if (pattern.test(k)) return type;
  return 'Other';
}

function premiumOf(raw: string): boolean | null | undefined {
  if (!raw) return null;
  const k = raw.toLowerCase();
  if (k === 'true' || k === 'yes' || k === '1' || k === 'y' || k === 'premium') return true;
  if (k === 'false' || k === 'no' || k === '0' || k === 'n' || k === 'standard') return false;
  return undefined;
}

/**
 * YYYY-MM from ISO dates (2026-11-05, 2026-11-05T10:00:00Z), YYYY-MM, DD.MM.YYYY, and
 * slashed dates, where a first part over 12 means day/month and otherwise month/day is
 * assumed (the admin center's US format). undefined = not a date.
 */
export function monthOf(raw: string): string | null | undefined {
  let m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[T ].*)?$/.exec(raw);
  if (m) return validMonth(m[1], m[2]);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(raw);
  if (m) return validMonth(m[3], m[2]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(raw);
  if (m) return Number(m[1]) > 12 ? validMonth(m[3], m[2]) : validMonth(m[3], m[1]);
  return undefined;
}

function validMonth(year: string, month: string): string | undefined {
  const n = Number(month);
  return n >= 1 && n <= 12 ? `${year}-${String(n).padStart(2, '0')}` : undefined;
}
