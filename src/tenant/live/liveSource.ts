import type { LiveSettings } from '../../config';
import type { TenantSnapshot } from '../../licensing/snapshot';
import { trustExtraCa } from './trust';
import { MsalTokenSource, type TokenSource } from './tokens';
import { readLiveTenant, type LiveReadResult } from './liveTenant';
import { checkSetup, type SetupCheck } from './doctor';
import { auditReaderFor, type ReaderTuning } from '../../launches/readerFor';
import type { AuditReader } from '../../launches/auditReader';

/**
 * One live tenant connection: the token source (and its MSAL cache) lives as long as
 * the process, so refreshes reuse tokens until they near expiry.
 */
export class LiveTenantSource {
  private readonly tokens: TokenSource;
  private readonly agent;

  constructor(
    private readonly settings: LiveSettings,
    private readonly log?: (message: string, fields: Record<string, unknown>) => void,
  ) {
    this.agent = trustExtraCa(settings.caFile);
    this.tokens = new MsalTokenSource(settings);
  }

  read(options: { month?: string; retries?: number; backoffMs?: number; environmentConcurrency?: number } = {}): Promise<LiveReadResult> {
    return readLiveTenant({ settings: this.settings, tokens: this.tokens, httpsAgent: this.agent, log: this.log, ...options });
  }

  /** One probe per source, with this connection's tokens (`passlens doctor --live`, "check setup"). */
  checkSetup(options: { month?: string; retries?: number; backoffMs?: number } = {}): Promise<SetupCheck> {
    return checkSetup({ settings: this.settings, tokens: this.tokens, httpsAgent: this.agent, auditReader: this.auditReader({ deadlineMs: 30_000, pollMs: 1_000, retries: options.retries, backoffMs: options.backoffMs }), ...options });
  }

  /** The audit log reader of PASSLENS_AUDIT_READER with this connection's tokens; null when it is off. */
  auditReader(tuning: ReaderTuning = {}): AuditReader | null {
    return auditReaderFor(this.settings, this.tokens, this.agent, { log: this.log, ...tuning });
  }

  async snapshot(): Promise<TenantSnapshot> {
    return (await this.read()).snapshot;
  }
}
