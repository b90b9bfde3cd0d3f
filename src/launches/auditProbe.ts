import { AuditReadError } from './auditHttp';
import { AUDITING_OFF_HINT, type AuditReader } from './auditReader';

/**
 * The doctor's one line about the audit log reader: ok (with whether launch records came
 * back), refused (Microsoft's code and the permission to grant), or not available. Graph:
 * one query over the last 30 days, its first page of records, waited for at most
 * `waitMs`; the Office 365 feed: the subscription and the last hour of content.
 */
export interface AuditProbe {
  status: 'ok' | 'refused' | 'not available';
  httpStatus: number | null;
  errorCode: string | null;
  detail: string;
  fix: string | null;
}

export async function probeAuditReader(reader: AuditReader, now: Date): Promise<AuditProbe> {
  const days = reader.kind === 'graph' ? 30 : 0;
  const period = { start: new Date(now.getTime() - (days ? days * 86_400_000 : 3_600_000)).toISOString(), end: now.toISOString() };
  const span = days ? `${days} days` : 'the last hour of the feed (it keeps 7 days)';
  try {
    let records = 0;
    for await (const page of reader.pages(period)) {
      records += page.length;
      if (reader.kind === 'graph') break;
    }
    if (records === 0) {
      return { status: 'ok', httpStatus: null, errorCode: null, detail: `answered with no launch records in ${span}: is unified auditing on? ${AUDITING_OFF_HINT}`, fix: null };
    }
    return { status: 'ok', httpStatus: null, errorCode: null, detail: `launch records in ${span}`, fix: null };
  } catch (e) {
    if (!(e instanceof AuditReadError)) throw e;
    if (e.code === 'running' || e.code === 'notstarted') return { status: 'ok', httpStatus: null, errorCode: null, detail: 'the query was accepted (the permission is granted); its records were not ready in time to count', fix: null };
    return { status: e.refused ? 'refused' : 'not available', httpStatus: e.status, errorCode: e.code, detail: e.message, fix: e.fix };
  }
}
