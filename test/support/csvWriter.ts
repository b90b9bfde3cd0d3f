import type { Launch } from '../../src/licensing/snapshot';

/** Writes launches as the admin center's Active users CSV (the columns PassLens reads). */
export const ACTIVE_USERS_HEADER = ['User principal name', 'App name', 'App id', 'Environment name', 'Environment id', 'License type', 'Is premium', 'Last launched'];

export function csvField(value: string, delimiter = ','): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function launchRow(l: Launch, delimiter = ','): string {
  return [
    l.userPrincipalName,
    l.appName ?? '',
    l.appId,
    l.environmentName ?? '',
    l.environmentId,
    l.licenseType ?? '',
    l.reportedPremium === null ? '' : String(l.reportedPremium),
    l.month ? `${l.month}-15T09:30:00Z` : '',
  ]
    .map((v) => csvField(v, delimiter))
    .join(delimiter);
}

export function toActiveUsersCsv(launches: readonly Launch[], options: { delimiter?: string; bom?: boolean; eol?: string } = {}): string {
  const d = options.delimiter ?? ',';
  const eol = options.eol ?? '\n';
  const lines = [ACTIVE_USERS_HEADER.join(d), ...launches.map((l) => launchRow(l, d))];
  return `${options.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

export async function* chunksOf(text: string | Buffer, size = 7): AsyncIterable<Buffer> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
