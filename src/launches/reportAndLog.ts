import type { App, SourceInfo } from '../licensing/snapshot';
import { environmentKey, type UsageIndex } from '../usage/usageIndex';
import type { LaunchMonthSource } from './launch';
import type { TenantData } from '../tenant/tenantData';
import { READER_NAMES } from './auditCaveats';

/**
 * An Active users report and the audit log over the same month: the report's bookings win
 * (it says what Microsoft charged), and the launches one lists and the other does not are
 * counted and named on the answer, so an admin sees what each source cannot: the log has
 * no model-driven apps or Power Pages and misses what auditing did not record; the report
 * lags and is a snapshot of the day it was downloaded.
 */

const SAMPLES = 3;

export interface ReportAndLog {
  month: string;
  /** Distinct (environment, app, user) launches in both. */
  both: number;
  /** In the report, not in the log; of them, launches of model-driven apps (which the log never has). */
  reportOnly: number;
  reportOnlyModelDriven: number;
  /** In the log, not in the report. */
  logOnly: number;
  reportOnlySamples: string[];
  logOnlySamples: string[];
}

/** Compares the report's launches of `month` (in `usage`) with the log's; null when the log has nothing collected of the month. */
export async function compareReportWithLog(usage: UsageIndex, month: string, log: LaunchMonthSource, apps: readonly App[] | null): Promise<ReportAndLog | null> {
  const coverage = await log.coverage(month);
  if (!coverage?.collected.length) return null;
  // The report's distinct pairs of the month, by app number and user number: no strings per launch.
  const appOf = new Map<string, number>();
  for (const a of usage.apps()) appOf.set(`${a.environmentKey}|${a.id.toLowerCase()}`, a.index);
  const users = usage.userCount();
  const inReport = new Set<number>();
  for (const p of usage.periodsOf(month)) {
    if (p.month !== month) continue;
    const pairs = usage.pairsOf([p]);
    for (let i = pairs.start; i < pairs.end; i++) inReport.add(pairs.app[i] * users + pairs.user[i]);
  }
  const seen = new Set<number>();
  const result: ReportAndLog = { month, both: 0, reportOnly: 0, reportOnlyModelDriven: 0, logOnly: 0, reportOnlySamples: [], logOnlySamples: [] };
  for await (const l of log.launches(month)) {
    const app = appOf.get(`${environmentKey(l.environmentId)}|${l.appId.toLowerCase()}`);
    const user = usage.userNumberOf(l.userPrincipalName);
    const key = app === undefined || user < 0 ? -1 : app * users + user;
    if (key >= 0 && inReport.has(key)) {
      if (!seen.has(key)) result.both++;
      seen.add(key);
      continue;
    }
    result.logOnly++;
    if (result.logOnlySamples.length < SAMPLES) result.logOnlySamples.push(`${l.appName ?? l.appId} by ${l.userPrincipalName}`);
  }
  const modelDriven = new Set((apps ?? []).filter((a) => a.type === 'model-driven').map((a) => a.id.toLowerCase()));
  for (const key of inReport) {
    if (seen.has(key)) continue;
    result.reportOnly++;
    const app = usage.app(Math.floor(key / users));
    if (modelDriven.has(app.id.toLowerCase())) result.reportOnlyModelDriven++;
    else if (result.reportOnlySamples.length < SAMPLES) result.reportOnlySamples.push(`${app.name} by ${usage.user(key % users)}`);
  }
  return result;
}

/** The comparison as a source of the answer: what the log was, and the launches each side lacks, named. */
export function reportAndLogSource(c: ReportAndLog, reader: keyof typeof READER_NAMES): SourceInfo {
  const notes: string[] = [];
  if (c.reportOnly > 0) {
    const md = c.reportOnlyModelDriven ? ` (${c.reportOnlyModelDriven} of model-driven apps, which the log never has)` : '';
    const named = c.reportOnlySamples.length ? `, e.g. ${c.reportOnlySamples.join('; ')}` : '';
    notes.push(`The report lists ${c.reportOnly} ${c.reportOnly === 1 ? 'launch' : 'launches'} the audit log does not${md}: model-driven apps or auditing gaps${named}.`);
  }
  if (c.logOnly > 0) {
    notes.push(`The audit log has ${c.logOnly} ${c.logOnly === 1 ? 'launch' : 'launches'} the report does not: launches after the report was downloaded, or not yet in Microsoft's report${c.logOnlySamples.length ? `, e.g. ${c.logOnlySamples.join('; ')}` : ''}.`);
  }
  if (!notes.length) notes.push('The report and the audit log list the same launches.');
  return {
    kind: 'auditLog',
    description: `Unified audit log (${READER_NAMES[reader]}) for ${c.month}, compared with the Active users report, whose bookings are used: ${c.both} launches in both`,
    rowsUsed: 0,
    warnings: notes,
  };
}

/** The data of an Active users report with the comparison against the log as one more source, when the log has the month (default: the report's latest). */
export async function withLogComparison<T extends TenantData>(data: T, log: LaunchMonthSource, month: string | null = null): Promise<T> {
  const asked = month ?? data.ledger.months().at(-1) ?? null;
  if (!asked) return data;
  const comparison = await compareReportWithLog(data.ledger, asked, log, data.inventory.apps);
  const coverage = comparison && (await log.coverage(asked));
  if (!comparison || !coverage) return data;
  return { ...data, inventory: { ...data.inventory, sources: [...data.inventory.sources, reportAndLogSource(comparison, coverage.reader)] } };
}
