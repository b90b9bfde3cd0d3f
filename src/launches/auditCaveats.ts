import { utcMinute } from '../licensing/wording';
import type { AuditPeriod, AuditReaderKind, MonthCoverage } from './launch';
import type { SourceInfo } from '../licensing/snapshot';

/**
 * What an answer from the unified audit log cannot see, said on every such answer
 * (shared/design/microsoft-apis.md, "Launches from the unified audit log", and the
 * sources cited below): what the log leaves out, what it does not say, what may not have
 * arrived yet, and which periods failed or were not collected, with their dates and fix.
 */

export const READER_NAMES: Record<AuditReaderKind, string> = {
  graph: 'Graph audit log query API',
  officeManagement: 'Office 365 Management Activity API',
};

/** Records arrive 60-90 minutes late with no SLA; CoE re-reads 48 hours (microsoft-apis.md, [COE] and [O365]). */
export const LATE_RECORDS_MS = 48 * 3600_000;

export const NOT_IN_LOG =
  // microsoft/coe-starter-kit issues #3431, #9582, #9825: only canvas app launches are logged (LaunchPowerApp).
  'Model-driven apps and Power Pages sites are not in the audit log (only canvas app launches are logged): their users are not counted here; the Active users report lists them.';

/** The one visible line on a card answered from the audit log; the full caveats sit behind "Why we think so". */
export const AUDIT_LOG_IN_SHORT =
  'From the audit log: canvas app launches only (no model-driven apps or Power Pages), not what Microsoft booked; the last 48 hours may be incomplete.';

/** The start of the notes that name days missing from the figures (failed or not collected), and of the "auditing may be off" note. */
const MISSING_DAYS = 'Launches from ';
const NO_RECORDS = 'The audit log answered with no launch records';

/**
 * The one line a card answered from the audit log shows (issue 22, "answers at a glance"):
 * what the log cannot see, and, when it applies, that days are missing or auditing may be
 * off; every caveat in full sits behind "Why we think so" (the sources' warnings). Empty
 * when no launch came from the log.
 */
export function auditLogLine(sources: readonly SourceInfo[]): string {
  const log = sources.filter((s) => s.kind === 'auditLog');
  if (!log.length) return '';
  const notes = log.flatMap((s) => s.warnings ?? []);
  const more = [
    ...(notes.some((n) => n.startsWith(NO_RECORDS)) ? ['no launch records were read: unified auditing may be off'] : []),
    ...(notes.some((n) => n.startsWith(MISSING_DAYS)) ? ['some days are missing from the figures'] : []),
  ];
  const missing = notes.find((n) => PART_READ.test(n));
  if (missing) return `${AUDIT_LOG_IN_SHORT} ${missing.slice(0, missing.indexOf(':'))}: passes needed are at least the figures shown, idle passes at most (the days and the fix: "Why we think so").`;
  return more.length ? `${AUDIT_LOG_IN_SHORT} Also ${more.join('; ')} (see "Why we think so").` : AUDIT_LOG_IN_SHORT;
}

/** The start of the note on a month read in part: "26 of 30 days of 2026-11 not read: ..." */
const PART_READ = /^\d+ of \d+ days? of \d{4}-\d{2} not read: /;

/**
 * A month read in part (days failed, refused or not collected): how many of its days so
 * far are missing, in one line with what that means for the figures and the fix; the days
 * themselves are listed in the notes after it. null when every day so far was read.
 */
export function partRead(month: string, coverage: MonthCoverage | null, now: Date): string | null {
  if (!coverage || !coverage.collected.length) return null;
  const { start, end } = monthSpan(month);
  const to = new Date(Math.min(end.getTime(), now.getTime()));
  const missing = [...coverage.failed, ...gaps(coverage, start, to)].reduce((ms, p) => ms + Math.max(0, Math.min(Date.parse(p.end), to.getTime()) - Math.max(Date.parse(p.start), start.getTime())), 0);
  if (missing <= 0) return null;
  const days = Math.ceil((to.getTime() - start.getTime()) / DAY_MS);
  const fixes = [...new Set(coverage.failed.map((f) => f.fix))];
  const fix = fixes.length ? fixes.slice(0, 2).join(' ') : 'Say "refresh" to collect them.';
  return `${Math.min(days, Math.ceil(missing / DAY_MS))} of ${days} days of ${month} not read: passes needed are at least the figures shown (more launches may be in the missing days), idle passes at most, and an overage is definite only where the need read already exceeds the allocation. ${fix}`;
}

const DAY_MS = 86_400_000;

export const LICENSE_NOT_IN_LOG =
  "The audit log does not say which license Microsoft charged a launch to: passes booked stay unknown (Microsoft's figure comes from the Active users report); what Microsoft is expected to book is shown as expected.";

/**
 * "No records" is not "no launches" unless auditing is known to be on. How to check: Microsoft
 * Purview docs (MicrosoftDocs/microsoft-365-docs, purview/audit-search.md, "Turn audit log search on or off").
 */
export const AUDITING_CHECK =
  'check that unified auditing is on: in Exchange Online PowerShell run Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled (True means on), or open Microsoft Purview > Audit, which offers to start recording when it is off.';

// MicrosoftDocs/power-platform admin/activity-logging-auditing/activity-logs-overview.md: Purview captures user activity "only for production environments".
const PRODUCTION_ONLY = "Microsoft documents Purview activity logging for production environments: launches in other environment types may be missing from the log.";

/** The log's caveats for a month; `part` is partRead's line of it, computed once by the caller, which also answers with it. */
export function auditLogCaveats(month: string, coverage: MonthCoverage | null, launches: number, now: Date, part: string | null): string[] {
  if (!coverage) {
    return [`The launches of ${month} have not been collected from the audit log yet: say "refresh" in chat, or run passlens analyze --live --month ${month}, to collect them.`];
  }
  const notes = [NOT_IN_LOG, LICENSE_NOT_IN_LOG];
  const { start, end } = monthSpan(month);
  const late = new Date(Date.parse(coverage.lastCollectedAt) - LATE_RECORDS_MS);
  if (late.getTime() < end.getTime()) {
    notes.push(`Launches after ${utcMinute(late > start ? late : start)} may still arrive (the log records them 60 to 90 minutes late, at times up to 48 hours): the figures can still rise.`);
  }
  if (launches === 0 && coverage.recordsRead === 0 && coverage.collected.length) {
    notes.push(`${NO_RECORDS} for ${month}. That may mean unified auditing is off rather than no launches: ${AUDITING_CHECK}`);
  }
  if (part) notes.unshift(part);
  // Days in a row that failed for the same reason are one note (the Office 365 feed refuses every day older than 7 at once).
  for (const f of runs(coverage.failed)) notes.push(`${MISSING_DAYS}${period(f)} could not be read: ${sentence(f.reason)} ${f.fix} What the other periods read is counted.`);
  for (const gap of gaps(coverage, start, new Date(Math.min(end.getTime(), now.getTime())))) {
    notes.push(`${MISSING_DAYS}${period(gap)} have not been collected: the figures leave them out until the next collection ("refresh").`);
  }
  if (coverage.malformedRecords > 0) notes.push(`${coverage.malformedRecords.toLocaleString('en')} malformed audit record(s) were skipped.`);
  notes.push(PRODUCTION_ONLY);
  return notes;
}

/** Failed periods, those that follow each other with the same reason and fix joined into one (the day in a reason aside). */
function runs(failed: MonthCoverage['failed']): MonthCoverage['failed'] {
  const DATE = /\d{4}-\d{2}-\d{2}/g;
  const out: { run: MonthCoverage['failed'][number]; words: string; days: number }[] = [];
  for (const f of [...failed].sort((a, b) => a.start.localeCompare(b.start))) {
    const words = f.reason.replace(DATE, '');
    const last = out.at(-1);
    if (last && last.run.end === f.start && last.words === words && last.run.fix === f.fix) {
      last.run = { ...last.run, end: f.end };
      last.days++;
    } else out.push({ run: f, words, days: 1 });
  }
  // A run's reason names no one day of it.
  return out.map(({ run, days }) => (days > 1 ? { ...run, reason: run.reason.replace(/\d{4}-\d{2}-\d{2}/, 'each day') } : run));
}

/** A reason as a sentence: a full stop where it has none, before the fix that follows it. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function monthSpan(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

/** The parts of [from, to) neither collected nor failed. */
function gaps(coverage: MonthCoverage, from: Date, to: Date): AuditPeriod[] {
  const spans = [...coverage.collected, ...coverage.failed].map((p) => [Date.parse(p.start), Date.parse(p.end)] as const).sort((a, b) => a[0] - b[0]);
  const out: AuditPeriod[] = [];
  let at = from.getTime();
  for (const [s, e] of spans) {
    if (s > at && at < to.getTime()) out.push({ start: new Date(at).toISOString(), end: new Date(Math.min(s, to.getTime())).toISOString() });
    at = Math.max(at, e);
  }
  // A gap shorter than an hour is a collection still under way, not a hole.
  if (at < to.getTime() - 3600_000) out.push({ start: new Date(at).toISOString(), end: to.toISOString() });
  return out.filter((g) => Date.parse(g.end) - Date.parse(g.start) >= 3600_000);
}

function period(p: AuditPeriod): string {
  return `${utcMinute(new Date(p.start))} to ${utcMinute(new Date(p.end))}`;
}
