import { AuditReadError } from './auditHttp';
import { AUDITING_OFF_HINT, type AuditReader } from './auditReader';
import type { AuditPeriod } from './launch';

/**
 * The doctor's one line about the audit log reader: ok (with whether launch records came
 * back, and over which window), refused (Microsoft's code and the permission to grant), or
 * not available.
 * - Graph: one query over the last 30 days (the window the issue asks about, well inside
 *   audit retention: Power Platform records are "retained for 180 days by default",
 *   Microsoft Purview, "Manage audit log retention policies", learn.microsoft.com/purview/
 *   audit-log-retention-policies), its first page of records, waited for at most the
 *   reader's deadline.
 * - The Office 365 feed cannot look back 30 days: "List available content" takes windows
 *   "no more than 24 hours apart, with the start time no more than 7 days in the past"
 *   (MicrosoftDocs/office-365-management-api, office-365-management-activity-api-
 *   reference.md). So the last 7 days, a 24-hour window at a time from now backwards,
 *   stopping at the first LaunchPowerApp record, all within `deadlineMs`; the line says
 *   how far back it looked.
 */
export interface AuditProbe {
  status: 'ok' | 'refused' | 'not available';
  httpStatus: number | null;
  errorCode: string | null;
  detail: string;
  fix: string | null;
}

const DAY_MS = 86_400_000;
const GRAPH_DAYS = 30;
/** The whole Office 365 look-back: seven windows, each a list and its content blobs. */
const FEED_DEADLINE_MS = 60_000;

export async function probeAuditReader(reader: AuditReader, now: Date, options: { deadlineMs?: number } = {}): Promise<AuditProbe> {
  try {
    return reader.kind === 'graph' ? await probeGraph(reader, now) : await probeFeed(reader, now, options.deadlineMs ?? FEED_DEADLINE_MS);
  } catch (e) {
    if (!(e instanceof AuditReadError)) throw e;
    if (e.code === 'running' || e.code === 'notstarted') return ok('the query was accepted (the permission is granted); its records were not ready in time to count');
    return { status: e.refused ? 'refused' : 'not available', httpStatus: e.status, errorCode: e.code, detail: e.message, fix: e.fix };
  }
}

async function probeGraph(reader: AuditReader, now: Date): Promise<AuditProbe> {
  const period = { start: new Date(now.getTime() - GRAPH_DAYS * DAY_MS).toISOString(), end: now.toISOString() };
  for await (const page of reader.pages(period)) {
    return page.length ? ok(`launch records in ${GRAPH_DAYS} days`) : noRecords(`${GRAPH_DAYS} days`);
  }
  return noRecords(`${GRAPH_DAYS} days`);
}

/** Back from now a day at a time, to the earliest the feed lists; the first launch record ends it. */
async function probeFeed(reader: AuditReader, now: Date, deadlineMs: number): Promise<AuditProbe> {
  const earliest = (reader.earliest(now) ?? new Date(now.getTime() - 7 * DAY_MS)).getTime();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), deadlineMs);
  let days = 0;
  try {
    for (let end = now.getTime(); end > earliest; end -= DAY_MS) {
      const window: AuditPeriod = { start: new Date(Math.max(earliest, end - DAY_MS)).toISOString(), end: new Date(end).toISOString() };
      for await (const page of reader.pages(window, { signal: stop.signal })) {
        if (page.length) return ok(`launch records in the last ${days + 1} ${days ? 'days' : 'day'} of the feed`);
      }
      days++;
    }
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  if (stop.signal.aborted) {
    return ok(`no launch records found within the check's time limit (${deadlineMs / 1000} s), which covered ${days} of the feed's 7 days: run the check again. ${AUDITING_OFF_HINT}`);
  }
  return noRecords('the last 7 days (the Office 365 feed lists no older content)');
}

function ok(detail: string): AuditProbe {
  return { status: 'ok', httpStatus: null, errorCode: null, detail, fix: null };
}

function noRecords(span: string): AuditProbe {
  return ok(`answered with no launch records in ${span}. ${AUDITING_OFF_HINT}`);
}
