import { randomUUID } from 'node:crypto';
import type { LicensingReport } from '../licensing/report';
import type { CardView } from '../cards/render';
import { currentPeriod } from './schedule';
import { digestCard } from './digestCard';
import type { ConversationRef, Subscription, SubscriptionStore } from './subscriptions';

/**
 * Sends each subscribed channel its digest once per scheduled period, whichever
 * instance gets there first. An instance claims a period by writing the subscription
 * with its eTag: only one write can win. A claim older than the lease belongs to an
 * instance that died mid-run, and may be taken over. The period is marked sent right
 * after the send, so a restart does not send it again.
 */

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** true: the bot was removed, blocked or disabled; retrying cannot help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DigestSender {
  send(reference: ConversationRef, card: CardView): Promise<void>;
}

export interface RunSummary {
  sent: string[];
  skipped: string[];
  failed: { conversationId: string; reason: string }[];
}

export interface DigestRunnerOptions {
  subscriptions: SubscriptionStore;
  sender: DigestSender;
  report: () => Promise<LicensingReport>;
  instanceId?: string;
  /** How long a claim holds before another instance may take it over. */
  leaseMs?: number;
  /** Attempts per period before a failing channel is given up until the next period. */
  maxAttempts?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export class DigestRunner {
  readonly instanceId: string;
  private running: Promise<RunSummary> | null = null;

  constructor(private readonly options: DigestRunnerOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  /** One run at a time per instance: a tick during a run joins it. */
  runDue(now: Date = new Date(), force = false): Promise<RunSummary> {
    if (!this.running) this.running = this.run(now, force).finally(() => (this.running = null));
    return this.running;
  }

  private async run(now: Date, force: boolean): Promise<RunSummary> {
    const { subscriptions, log } = this.options;
    const summary: RunSummary = { sent: [], skipped: [], failed: [] };
    const ids = await subscriptions.ids();
    let report: LicensingReport | null = null;
    for (const id of ids) {
      // One read decides and claims: the claim is written only if nobody changed the item since.
      let period = '';
      const claimed = await subscriptions.update(
        id,
        (current) => {
          period = (current && this.periodOf(current, now, force)) ?? '';
          if (!current || !period || !this.due(current, period, now, force)) return null;
          return { ...current, claim: { period, instance: this.instanceId, at: now.toISOString() } };
        },
        true,
      );
      if (!claimed) {
        summary.skipped.push(id);
        continue;
      }
      try {
        report ??= await this.options.report();
        const { view, summary: digestSummary } = digestCard(report, claimed.previous ?? null, now);
        await this.options.sender.send(claimed.reference, view);
        await subscriptions.update(id, (current) => current ? { ...current, claim: undefined, lastPeriod: period, lastPostAt: now.toISOString(), lastError: undefined, attempts: undefined, previous: digestSummary } : null);
        summary.sent.push(id);
        log?.('digest sent', { conversationId: id, period, instance: this.instanceId });
      } catch (e) {
        const permanent = e instanceof DeliveryError && e.permanent;
        const message = e instanceof DeliveryError ? e.message : `${(e as Error).name}: could not prepare or send the digest`;
        const maxAttempts = this.options.maxAttempts ?? 3;
        await subscriptions.update(id, (current) => {
          if (!current) return null;
          const count = current.attempts?.period === period ? current.attempts.count + 1 : 1;
          const giveUp = permanent || count >= maxAttempts;
          return {
            ...current,
            claim: undefined,
            active: permanent ? false : current.active,
            inactiveReason: permanent ? message : current.inactiveReason,
            lastError: { at: now.toISOString(), message },
            attempts: { period, count },
            // Given up for this period: the next tick must not try again (no retry storm).
            lastPeriod: giveUp ? period : current.lastPeriod,
          };
        });
        summary.failed.push({ conversationId: id, reason: message });
        log?.('digest failed', { conversationId: id, period, permanent, reason: message });
      }
    }
    return summary;
  }

  private periodOf(sub: Subscription, now: Date, force: boolean): string | null {
    if (!sub.active) return null;
    if (force) return `manual-${now.toISOString()}`;
    const period = currentPeriod(sub.schedule, now);
    // A channel subscribed after the last scheduled time waits for the next one.
    if (!period || period.getTime() < Date.parse(sub.createdAt)) return null;
    return period.toISOString();
  }

  private due(sub: Subscription, period: string, now: Date, force: boolean): boolean {
    if (!sub.active) return false;
    if (!force && sub.lastPeriod === period) return false;
    const claim = sub.claim;
    if (claim && claim.period === period && now.getTime() - Date.parse(claim.at) < (this.options.leaseMs ?? 10 * 60_000)) return false;
    return true;
  }
}
