import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { SourceInfo, User, UserLicense } from '../../licensing/snapshot';
import { licenseOfSku } from '../../licensing/licenseSkus';
import { sniffDelimiter } from '../../usage/csvScanner';
import { ALIASES as ACTIVE_USERS_ALIASES, CsvFormatError } from './activeUsersCsv';

/**
 * The three reports of Licensing > Power Apps > Download reports in the Power Platform
 * admin center: Active users, All licensed users, and Users requiring licenses in Managed
 * Environments (https://learn.microsoft.com/power-platform/admin/view-license-consumption-issues).
 * Microsoft does not document their columns, so a file's report is told from its header
 * by column names with aliases, in any order.
 */

export type ReportKind = 'activeUsers' | 'licensedUsers' | 'managedRequired';

export const REPORT_TITLES: Record<ReportKind, string> = {
  activeUsers: 'Active users',
  licensedUsers: 'All licensed users',
  managedRequired: 'Users requiring licenses in Managed Environments',
};

/** What each report needs, as said in the error for a file that matches none. */
const REPORT_NEEDS: Record<ReportKind, string> = {
  activeUsers: 'User principal name, App name or App id, Environment name or Environment id, License type (optional: Is premium, Last launched)',
  licensedUsers: 'User principal name, License (one row per license, or several separated by ";"), and no app or environment column',
  managedRequired: 'User principal name, Environment name or Environment id, Required license (optional: App name, Last launched)',
};

const LICENSE_ALIASES = ['license', 'licenses', 'licensename', 'assignedlicense', 'assignedlicenses', 'licensetype', 'sku', 'skupartnumber', 'skuname', 'product', 'productname', 'plan', 'subscription'];
const REQUIRED_LICENSE_ALIASES = ['requiredlicense', 'licenserequired', 'requiredlicensetype', 'licenseneeded', 'neededlicense', 'missinglicense'];
const DISPLAY_NAME_ALIASES = ['displayname', 'name', 'fullname'];

export function headerKey(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}

function indexOf(keys: readonly string[], aliases: readonly string[]): number {
  for (const alias of aliases) {
    const i = keys.indexOf(alias);
    if (i >= 0) return i;
  }
  return -1;
}

/** Which report a header row is from; a header that fits none is refused with each report's columns. */
export function reportKindOf(fields: readonly string[], fileName: string): ReportKind {
  const keys = fields.map(headerKey);
  const has = (aliases: readonly string[]) => indexOf(keys, aliases) >= 0;
  const user = has(ACTIVE_USERS_ALIASES.user);
  const environment = has(ACTIVE_USERS_ALIASES.environmentId) || has(ACTIVE_USERS_ALIASES.environmentName);
  const app = has(ACTIVE_USERS_ALIASES.appId) || has(ACTIVE_USERS_ALIASES.appName);
  if (user && environment && has(REQUIRED_LICENSE_ALIASES)) return 'managedRequired';
  if (user && environment && app && has(ACTIVE_USERS_ALIASES.licenseType)) return 'activeUsers';
  if (user && !environment && !app && has(LICENSE_ALIASES)) return 'licensedUsers';
  const found = fields.map((f) => f.trim()).filter(Boolean).slice(0, 20).join(', ') || '(none)';
  throw new CsvFormatError(
    `"${fileName}" is none of the admin center's Power Apps reports. Its columns: ${found}. ` +
      `PassLens reads the three reports of Licensing > Power Apps > Download reports, as downloaded: ` +
      (Object.keys(REPORT_NEEDS) as ReportKind[]).map((k) => `${REPORT_TITLES[k]}: ${REPORT_NEEDS[k]}`).join('. ') +
      '.',
  );
}

const HEADER_SEARCH_BYTES = 1 << 16;

/** The header row of a file, and the file's bytes again from the start, so the report's own reader reads them all. */
export async function peekHeader(chunks: AsyncIterable<Uint8Array | string>, fileName: string): Promise<{ fields: string[]; chunks: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let bytes = Buffer.alloc(0);
  let done = false;
  while (bytes.indexOf(10) < 0 && bytes.length <= HEADER_SEARCH_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = asBuffer(next.value);
    seen.push(chunk);
    bytes = Buffer.concat([bytes, chunk]);
  }
  const line = headerLine(bytes);
  if (!line.trim()) throw new CsvFormatError(`"${fileName}" is empty. Download the report again from the admin center and send the .csv file.`);
  const fields = await new Promise<string[]>((resolve) => {
    parse(line, { delimiter: sniffDelimiter(line), relax_quotes: true, relax_column_count: true }, (error, records: string[][] | undefined) => resolve(error || !records?.length ? line.split(sniffDelimiter(line)) : records[0]));
  });
  async function* again(): AsyncIterable<Buffer> {
    yield* seen;
    while (!done) {
      const next = await iterator.next();
      if (next.done) return;
      yield asBuffer(next.value);
    }
  }
  return { fields, chunks: again() };
}

function asBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The first line as text: UTF-8 with or without BOM, or UTF-16 as some spreadsheet tools save it. */
function headerLine(bytes: Buffer): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

/** The rows of a small report (licensed users, managed requirements) after its header, with their line numbers. */
async function* records(chunks: AsyncIterable<Uint8Array>, firstLine: string): AsyncIterable<{ fields: string[]; line: number }> {
  const parser = Readable.from(chunks).pipe(
    parse({ bom: true, delimiter: sniffDelimiter(firstLine), relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true, from_line: 2 }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { fields: record, line: info.lines };
}

interface BadRows {
  count: number;
  samples: { line: number; reason: string }[];
}

function badRow(bad: BadRows, line: number, reason: string): void {
  bad.count++;
  if (bad.samples.length < 20) bad.samples.push({ line, reason });
}

/** The All licensed users report: per user, the licenses that matter to the rules (R6, R7). */
export async function readLicensedUsers(chunks: AsyncIterable<Uint8Array>, header: readonly string[], description: string): Promise<{ users: User[]; source: SourceInfo }> {
  const keys = header.map(headerKey);
  const at = { user: indexOf(keys, ACTIVE_USERS_ALIASES.user), license: indexOf(keys, LICENSE_ALIASES), name: indexOf(keys, DISPLAY_NAME_ALIASES) };
  const byUpn = new Map<string, User>();
  const bad: BadRows = { count: 0, samples: [] };
  const unknown = new Set<string>();
  let rows = 0;
  for await (const { fields, line } of records(chunks, header.join(','))) {
    rows++;
    const upn = fields[at.user]?.trim();
    if (!upn) {
      badRow(bad, line, 'no user principal name');
      continue;
    }
    const k = upn.toLowerCase();
    let user = byUpn.get(k);
    if (!user) byUpn.set(k, (user = { userPrincipalName: upn, licenses: [], ...(at.name >= 0 && fields[at.name] ? { displayName: fields[at.name] } : {}) }));
    for (const name of (fields[at.license] ?? '').split(/[;|]/).map((s) => s.trim()).filter(Boolean)) {
      const license = licenseOfName(name);
      if (license === 'Other' && unknown.size < 10) unknown.add(name);
      if (!user.licenses.includes(license)) user.licenses.push(license);
    }
  }
  const users = [...byUpn.values()];
  if (!users.length) throw new CsvFormatError(`"${description}" has no users. Download the All licensed users report again and send it unchanged.`);
  return {
    users,
    source: {
      kind: 'csv',
      description: `${REPORT_TITLES.licensedUsers} ${description}: per-user licenses of ${users.length} users`,
      rowsRead: rows,
      rowsUsed: rows - bad.count,
      badRows: bad,
      warnings: unknown.size ? [`Licenses PassLens does not count for Power Apps (taken as other): ${[...unknown].join(', ')}.`] : [],
    },
  };
}

/** A license as the licensed users report names it (a product name or a SKU part number). */
export function licenseOfName(raw: string): UserLicense {
  if (/^[A-Z0-9_]+$/.test(raw)) return licenseOfSku(raw);
  const k = raw.toLowerCase();
  if (/power ?apps? (premium|per user|plan 2)/.test(k)) return 'PowerAppsPremium';
  if (/power ?apps? per app/.test(k)) return 'PowerAppsPerApp';
  if (/dynamics 365/.test(k)) return /professional|team members/.test(k) ? 'D365Professional' : 'D365Enterprise';
  if (/(microsoft|office) 365 e5/.test(k)) return 'M365E5';
  if (/(microsoft|office) 365 e3/.test(k)) return 'M365E3';
  return 'Other';
}

/** Per environment of the Users requiring licenses report: the users it names, each once. */
export interface ManagedRequirement {
  id: string | null;
  name: string | null;
  users: Set<string>;
  rows: number;
}

export async function readManagedRequired(chunks: AsyncIterable<Uint8Array>, header: readonly string[], description: string): Promise<{ environments: ManagedRequirement[]; source: SourceInfo }> {
  const keys = header.map(headerKey);
  const at = { user: indexOf(keys, ACTIVE_USERS_ALIASES.user), envId: indexOf(keys, ACTIVE_USERS_ALIASES.environmentId), envName: indexOf(keys, ACTIVE_USERS_ALIASES.environmentName) };
  const byEnv = new Map<string, ManagedRequirement>();
  const bad: BadRows = { count: 0, samples: [] };
  let rows = 0;
  for await (const { fields, line } of records(chunks, header.join(','))) {
    rows++;
    const upn = fields[at.user]?.trim();
    const id = at.envId >= 0 ? fields[at.envId]?.trim() || null : null;
    const name = at.envName >= 0 ? fields[at.envName]?.trim() || null : null;
    if (!upn) badRow(bad, line, 'no user principal name');
    else if (!id && !name) badRow(bad, line, 'no environment id or name');
    else {
      const k = (id ?? name!).toLowerCase();
      let env = byEnv.get(k);
      if (!env) byEnv.set(k, (env = { id, name, users: new Set(), rows: 0 }));
      env.users.add(upn.toLowerCase());
      env.rows++;
    }
  }
  const environments = [...byEnv.values()];
  const users = new Set(environments.flatMap((e) => [...e.users])).size;
  return {
    environments,
    source: {
      kind: 'csv',
      description: `${REPORT_TITLES.managedRequired} ${description}: ${users} unique users in ${environments.length} Managed Environments (${rows - bad.count} rows; the report repeats a user per launch, so users are counted once)`,
      rowsRead: rows,
      rowsUsed: rows - bad.count,
      badRows: bad,
      warnings: [],
    },
  };
}
