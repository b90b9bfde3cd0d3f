import { TestAdapter, type Activity, ActivityTypes } from 'botbuilder';
import { DialogTestLogger } from 'botbuilder-testing';
import { PassLensBot } from '../../src/bot/passLensBot';
import type { SetupCheck } from '../../src/tenant/live/doctor';
import { TenantService, type SnapshotLoader } from '../../src/tenant/tenantService';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import type { AccessPolicy } from '../../src/conversation/access';
import type { SubscriptionStore } from '../../src/digest/subscriptions';
import { FileTransfers } from '../../src/tenant/fileTransfer';
import type { Reading } from '../../src/conversation/readingThread';

/**
 * The real bot on botbuilder's TestAdapter, with the demo tenant behind it. Replies are
 * collected per turn; DialogTestLogger (botbuilder-testing) keeps the transcript.
 */
export interface Harness {
  adapter: TestAdapter;
  transcript: string[];
  logs: string[];
  /** Sends one activity and returns everything the bot sent back in that turn. */
  say(textOrActivity: string | Partial<Activity>): Promise<Partial<Activity>[]>;
}

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const ADMIN_OID = 'aaaaaaaa-0000-0000-0000-000000000001';

export function botHarness(
  options: { access?: Partial<AccessPolicy>; loader?: SnapshotLoader; slowNoticeMs?: number; conversationType?: string; subscriptions?: SubscriptionStore; clock?: () => Date; conversationId?: string; serviceUrl?: string; checkSetup?: () => Promise<SetupCheck>; transfers?: FileTransfers; tenantWaitMs?: number; reader?: Reading } = {},
): Harness {
  const tenant = new TenantService(options.loader ?? (async () => buildDemoTenant()), { ttlMs: 60_000, prices: LIST_PRICES, uploadWaitMs: options.tenantWaitMs });
  const logs: string[] = [];
  const bot = new PassLensBot({
    tenant,
    access: { admins: [ADMIN_OID], openLocally: false, tenantId: TENANT_ID, ...options.access },
    logger: { info: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`), error: (m, f) => logs.push(`ERROR ${m} ${JSON.stringify(f ?? {})}`) },
    slowNoticeMs: options.slowNoticeMs,
    tenantWaitMs: options.tenantWaitMs,
    subscriptions: options.subscriptions,
    clock: options.clock,
    checkSetup: options.checkSetup,
    reader: options.reader,
    // Files served from loopback by test/support/fileDrop.ts, as a local bot takes them (src/tenant/fileHosts.ts).
    transfers: options.transfers ?? new FileTransfers({ domains: ['sharepoint.com'], localDrop: true }),
  });
  const adapter = new TestAdapter(async (context) => bot.run(context));
  // The conversation reference, not the template: the template would override what a test sets per activity.
  Object.assign(adapter.conversation, {
    channelId: 'msteams',
    serviceUrl: options.serviceUrl ?? 'https://smba.trafficmanager.net/emea/',
    conversation: { id: options.conversationId ?? 'conv-1', tenantId: TENANT_ID, conversationType: options.conversationType ?? 'personal', isGroup: options.conversationType !== undefined && options.conversationType !== 'personal', name: '' },
    user: { id: '29:user', name: 'Alex Admin', aadObjectId: ADMIN_OID, role: 'user' },
    bot: { id: '28:passlens', name: 'PassLens', role: 'bot' },
  });
  const transcript: string[] = [];
  adapter.use(new DialogTestLogger({ log: (...args: unknown[]) => void transcript.push(args.map(String).join(' ')) }));
  return {
    adapter,
    transcript,
    logs,
    async say(input) {
      const activity: Partial<Activity> = typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : { type: ActivityTypes.Message, ...input };
      await adapter.receiveActivity(activity);
      return adapter.activeQueue.splice(0);
    },
  };
}

/** The card of the last reply that has one. */
export function lastCard(replies: Partial<Activity>[]): Record<string, unknown> {
  for (let i = replies.length - 1; i >= 0; i--) {
    const r = replies[i];
    const a = r.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
    if (a) return a.content as Record<string, unknown>;
    const v = r.value as { body?: { value?: Record<string, unknown> } } | undefined;
    // An invoke answered with a card replaces it in place; one answered with a message posted its card as a reply.
    if (r.type === 'invokeResponse' && v?.body?.value && typeof v.body.value === 'object') return v.body.value;
  }
  throw new Error(`no card in replies: ${JSON.stringify(replies).slice(0, 500)}`);
}

/** Every text a person would read on a card, in order, joined by newlines. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
      for (const [k, v] of Object.entries(o)) if (k !== 'data' && typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The text an admin sees before pressing anything: cardText without the elements a card hides (isVisible false, shown by "Why we think so" and the like). */
export function visibleCardText(card: unknown): string {
  const hide = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.filter((n) => !(n && typeof n === 'object' && (n as { isVisible?: unknown }).isVisible === false)).map(hide)
      : node && typeof node === 'object'
        ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hide(v)]))
        : node;
  return cardText(hide(card));
}

/** The buttons of a card: title and the data they send. */
export function cardActions(card: unknown): { title: string; verb?: string; data: Record<string, unknown> }[] {
  const out: { title: string; verb?: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' || o.type === 'Action.Submit') out.push({ title: String(o.title ?? ''), verb: o.verb as string, data: (o.data ?? {}) as Record<string, unknown> });
      for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'fallback' && typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out;
}
