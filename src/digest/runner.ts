import { randomUUID } from 'node:crypto';
import type { LicensingReport } from '../licensing/report';
import type { CardView } from '../cards/render';
import { currentPeriod } from './schedule';
import { digestCard } from './digestCard';
import type { ConversationRef, Subscription, SubscriptionStore } from './subscriptions';

/**
 * Sends each subscribed channel its digest once per scheduled period, whichever
 * instance gets there first. An instance claims a period by writing the subscription
 * with its eTag: only one write can win. The claim carries the time it was made for that
 * channel and is renewed while the instance works on it, so only a claim not renewed for
 * a lease belongs to an instance that died, and may be taken over. Just before the post
 * the claim is renewed once more (no post without it), and the period is marked sent,
 * on condition that the claim is still this instance's, as soon as Teams accepts the post.
 * The one window left is that write: an instance that dies between Teams accepting the
 * post and the store recording it lets another post again after the lease.
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
  /** How long a claim holds, unrenewed, before another instance may take it over (PASSLENS_DIGEST_LEASE_MINUTES). */
  leaseMs?: number;
  /** The time a claim is made or renewed (tests); the run's `now` only chooses the period. */
  clock?: () => Date;
  /** Attempts per period before a failing channel is given up until the next period. */
  maxAttempts?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;

export class DigestRunner {
  readonly instanceId: string;
  private running: Promise<RunSummary> | null = null;
  private readonly leaseMs: number;

  constructor(private readonly options: DigestRunnerOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private clock(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /**
   * Renews the claim at a third of the lease while this channel's digest is prepared and
   * sent (429 retries included), one write at a time; stop() waits for the one in flight,
   * so the final write of the period never races a renewal.
   */
  private keepClaim(id: string, period: string): { stop(): Promise<void> } {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let inflight: Promise<unknown> = Promise.resolve();
    const schedule = () => {
      timer = setTimeout(() => {
        inflight = this.renew(id, period)
          .catch(() => false)
          .then(() => {
            if (!stopped) schedule();
          });
      }, this.leaseMs / 3);
    };
    schedule();
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(timer);
        await inflight;
      },
    };
  }

  /** Writes a fresh claim time if the claim on `period` is still this instance's; false if it is not. */
  private async renew(id: string, period: string): Promise<boolean> {
    const renewed = await this.options.subscriptions.update(id, (current) =>
      current?.claim?.instance === this.instanceId && current.claim.period === period ? { ...current, claim: { ...current.claim, at: this.clock().toISOString() } } : null,
    );
    return renewed !== null;
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
          if (!current || !period || !this.due(current, period, force)) return null;
          return { ...current, claim: { period, instance: this.instanceId, at: this.clock().toISOString() } };
        },
        true,
      );
      if (!claimed) {
        summary.skipped.push(id);
        continue;
      }
      const renewal = this.keepClaim(id, period);
      try {
        report ??= await this.options.report();
        const { view, summary: digestSummary } = digestCard(report, claimed.previous ?? null, now);
        if (!(await this.renew(id, period))) {
          summary.skipped.push(id);
          log?.('digest claim lost before the post; not sent', { conversationId: id, period, instance: this.instanceId });
          continue;
        }
        await this.options.sender.send(claimed.reference, view);
        const accepted = performance.now();
        await renewal.stop();
        const marked = await subscriptions.update(id, (current) =>
          current?.claim?.instance === this.instanceId && current.claim.period === period
            ? { ...current, claim: undefined, lastPeriod: period, lastPostAt: now.toISOString(), lastError: undefined, attempts: undefined, previous: digestSummary }
            : null,
        );
        summary.sent.push(id);
        log?.(marked ? 'digest sent' : 'digest sent, but the claim had passed to another instance: not marked', {
          conversationId: id,
          period,
          instance: this.instanceId,
          // Teams had the post and the store did not know yet: the window a crash would turn into a second post.
          unrecordedMs: Math.round(performance.now() - accepted),
        });
      } catch (e) {
        await renewal.stop();
        const permanent = e instanceof DeliveryError && e.permanent;
        const message = e instanceof DeliveryError ? e.message : `${(e as Error).name}: could not prepare or send the digest`;
        const maxAttempts = this.options.maxAttempts ?? 3;
        await subscriptions.update(id, (current) => {
          // Only the claim's holder records the failure; a lost claim is someone else's now.
          if (!current || current.claim?.instance !== this.instanceId || current.claim.period !== period) return null;
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
      } finally {
        await renewal.stop();
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

  private due(sub: Subscription, period: string, force: boolean): boolean {
    if (!sub.active) return false;
    if (!force && sub.lastPeriod === period) return false;
    const claim = sub.claim;
    if (claim && claim.period === period && this.clock().getTime() - Date.parse(claim.at) < this.leaseMs) return false;
    return true;
  }
}
