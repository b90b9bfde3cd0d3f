import { stringify } from 'csv-stringify/sync';
import type { EnvironmentReport, LicensingReport } from '../licensing/report';
import { confidenceLabel } from '../licensing/rules';
import { findingWords } from '../licensing/findings';

/**
 * The findings as a spreadsheet: one row per finding, the columns an admin filters by.
 * Cells come from tenant data (app names, user names, environment names) and could be
 * made to start a formula: csv-stringify's escape_formulas prefixes cells that start with
 * =, +, -, @, a tab or a carriage return with ' (OWASP's CSV injection advice,
 * https://csv.js.org/stringify/options/escape_formulas).
 */

export const FINDINGS_CSV_COLUMNS = ['environment', 'month', 'code', 'rule', 'confidence', 'app', 'user', 'count', 'explanation', 'fix'] as const;

/** Rows for these environments, with the header first; in pieces of one environment, so a 100,000-finding report is never one string. */
export function* findingsCsvChunks(report: Pick<LicensingReport, 'environments'>, environments: readonly EnvironmentReport[] = report.environments): Generator<string> {
  yield stringify([FINDINGS_CSV_COLUMNS as unknown as string[]], OPTIONS);
  for (const e of environments) {
    if (!e.findings.length) continue;
    const rows = e.findings.map((f) => {
      const { explanation, fix } = findingWords(f);
      return [e.name, e.month ?? '', f.code, f.rule, confidenceLabel(f.confidence), f.appName ?? f.appId ?? '', f.userPrincipalName ?? '', f.count ?? '', explanation, fix];
    });
    yield stringify(rows, OPTIONS);
  }
}

/** The whole file as one string with a BOM, so Excel opens it as UTF-8: for a download of one environment's or a tenant's findings. */
export function findingsCsv(report: Pick<LicensingReport, 'environments'>, environments?: readonly EnvironmentReport[]): string {
  return `\uFEFF${[...findingsCsvChunks(report, environments)].join('')}`;
}

const OPTIONS = { escape_formulas: true, record_delimiter: 'windows' as const };
