import type https from 'node:https';
import type { LiveSettings } from '../config';
import type { TokenSource } from '../tenant/live/tokens';
import type { AuditReader } from './auditReader';
import { GraphAuditReader } from './graphAuditReader';
import { OfficeAuditReader } from './officeAuditReader';

export interface ReaderTuning {
  pollMs?: number;
  deadlineMs?: number;
  retries?: number;
  backoffMs?: number;
  retryAfterCapMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The audit log reader PASSLENS_AUDIT_READER (or the cloud) asks for; null when it is off. */
export function auditReaderFor(settings: LiveSettings, tokens: TokenSource, httpsAgent?: https.Agent, tuning: ReaderTuning = {}): AuditReader | null {
  const common = { tokens, timeoutMs: settings.timeoutMs, httpsAgent, pollMs: settings.auditPollMs, retryAfterCapMs: settings.retryAfterCapMs, ...tuning };
  if (settings.auditReader === 'graph') return new GraphAuditReader({ ...common, graphUrl: settings.graphUrl });
  if (settings.auditReader === 'officeManagement' && settings.officeManagementUrl) return new OfficeAuditReader({ ...common, officeManagementUrl: settings.officeManagementUrl, tenantId: settings.tenantId });
  return null;
}
