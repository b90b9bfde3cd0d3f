import type { AuditPeriod, AuditReaderKind } from './launch';

/**
 * What the collector needs of an audit log API: the records of one period, page by page
 * (a page is dropped before the next is asked for), and how far back the API still
 * answers. Failures are AuditReadError (auditHttp.ts), with Microsoft's code and the fix.
 */
export interface AuditReader {
  readonly kind: AuditReaderKind;
  /** Raw records (Graph auditLogRecords or Office 365 content blob items) of `period`, a page at a time. */
  pages(period: AuditPeriod, options?: ReadOptions): AsyncIterable<unknown[]>;
  /** The earliest time this reader can still read at `now`; null: as far back as audit retention. */
  earliest(now: Date): Date | null;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Part of the period could not be read (expired content): named on the coverage; the rest is kept. */
  onGap?: (reason: string, fix: string) => void;
  /** A Graph query's status as Graph answered it (notStarted, running, succeeded, ...), at each poll: for progress. */
  onStatus?: (status: string) => void;
}

/** A wait that ends early, with an error, when the collection is stopped. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('stopped'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('stopped'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The permissions each reader needs, as the doctor and the coverage name them. */
export const GRAPH_AUDIT_FIX =
  'In Entra ID > App registrations > PassLens > API permissions, add the Microsoft Graph application permission AuditLogsQuery.Read.All and grant admin consent (Microsoft Graph, "Create auditLogQuery", Permissions).';
export const OFFICE_AUDIT_FIX =
  'In Entra ID > App registrations > PassLens > API permissions, add Office 365 Management APIs > Application permissions > ActivityFeed.Read and grant admin consent (Office 365 Management Activity API reference, "Activity API operations").';
/** Microsoft: "you must enable unified audit logging" (Management Activity API reference); CoE: "Microsoft 365 audit log search must be turned on". */
export const AUDITING_OFF_HINT =
  'Is unified auditing on? In the Microsoft Purview portal > Audit, a banner offers "Start recording user and admin activity" when it is off; or in Exchange Online PowerShell, Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled should say True.';
