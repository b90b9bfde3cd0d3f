import { isETagConflict, type StateStore, type StoreItem } from '../storage/stateStore';
import type { DigestSchedule } from './schedule';
import type { DigestSummary } from './digestCard';

/**
 * Channel subscriptions and conversation references, behind the Storage interface.
 * Every change is a read-modify-write with the item's eTag, retried on conflict, so two
 * instances never overwrite each other's change and none is lost.
 */

/** A conversation reference as Bot Framework hands it out (kept whole: serviceUrl, tenant, bot). */
export type ConversationRef = Record<string, unknown> & { conversation: { id: string; tenantId?: string }; serviceUrl: string };

export interface Claim {
  period: string;
  instance: string;
  at: string;
}

export interface Subscription extends StoreItem {
  conversationId: string;
  reference: ConversationRef;
  schedule: DigestSchedule;
  active: boolean;
  inactiveReason?: string;
  createdBy: string;
  createdAt: string;
  lastPostAt?: string;
  /** The scheduled time (ISO) of the last period whose digest was sent or given up. */
  lastPeriod?: string;
  lastError?: { at: string; message: string };
  attempts?: { period: string; count: number };
  claim?: Claim;
  previous?: DigestSummary;
}

const INDEX = 'digest/index';
const subscriptionKey = (conversationId: string) => `digest/subscription/${conversationId}`;
const referenceKey = (conversationId: string) => `reference/${conversationId}`;

export class SubscriptionStore {
  constructor(private readonly store: StateStore) {}

  async get(conversationId: string): Promise<Subscription | undefined> {
    return (await this.store.read([subscriptionKey(conversationId)]))[subscriptionKey(conversationId)] as Subscription | undefined;
  }

  async ids(): Promise<string[]> {
    const index = (await this.store.read([INDEX]))[INDEX] as { ids?: string[] } | undefined;
    return index?.ids ?? [];
  }

  /**
   * Applies `change` to the current item and writes it only if nobody changed it in
   * between. `change` returns null to leave the item alone. Gives up after a few
   * conflicts; `exclusive` gives up at the first, for claims that must be won outright.
   */
  async update(conversationId: string, change: (current: Subscription | undefined) => Subscription | null, exclusive = false): Promise<Subscription | null> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.get(conversationId);
      const next = change(current ? structuredClone(current) : undefined);
      if (!next) return null;
      try {
        await this.store.write({ [subscriptionKey(conversationId)]: { ...next, eTag: current?.eTag ?? '*' } });
        if (!current) await this.addToIndex(conversationId);
        return (await this.get(conversationId)) ?? null;
      } catch (e) {
        if (!isETagConflict(e) || exclusive) {
          if (isETagConflict(e)) return null;
          throw e;
        }
      }
    }
    throw new Error(`Subscription ${conversationId} kept changing under PassLens; try again.`);
  }

  async saveReference(reference: ConversationRef): Promise<void> {
    await this.store.write({ [referenceKey(reference.conversation.id)]: { reference, eTag: '*' } });
  }

  async reference(conversationId: string): Promise<ConversationRef | undefined> {
    return ((await this.store.read([referenceKey(conversationId)]))[referenceKey(conversationId)] as { reference?: ConversationRef } | undefined)?.reference;
  }

  /**
   * Creates the index if it is missing. Storage has no create-only write, so this one
   * write is unconditional, with empty content; every later change of the index is
   * conditional on its eTag. The composition root calls it at start.
   */
  async ensureIndex(): Promise<void> {
    const current = (await this.store.read([INDEX]))[INDEX];
    if (!current) await this.store.write({ [INDEX]: { ids: [], eTag: '*' } });
  }

  private async addToIndex(conversationId: string): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = (await this.store.read([INDEX]))[INDEX] as ({ ids?: string[] } & StoreItem) | undefined;
      if (!current) {
        await this.ensureIndex();
        continue;
      }
      const ids = current.ids ?? [];
      if (!ids.includes(conversationId)) {
        try {
          await this.store.write({ [INDEX]: { ids: [...ids, conversationId], eTag: current.eTag } });
        } catch (e) {
          if (!isETagConflict(e)) throw e;
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 30));
          continue;
        }
      }
      // A concurrent creation of the index (the one unconditional write) may land after
      // ours: read back, and go round again until the id is there.
      const check = (await this.store.read([INDEX]))[INDEX] as { ids?: string[] } | undefined;
      if (check?.ids?.includes(conversationId)) return;
    }
    throw new Error('The subscription index kept changing; try again.');
  }
}
