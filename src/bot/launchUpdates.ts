import { ActivityTypes, TurnContext, type Attachment, type CloudAdapter } from 'botbuilder';
import type { CardView } from '../cards/render';
import type { Asked } from '../conversation/question';
import type { Turn } from '../conversation/router';
import type { TenantService } from '../tenant/tenantService';
import { COLLECTING_NOTE } from '../launches/liveLaunches';
import { describeFailure } from '../conversation/failures';

/**
 * Answers given while the audit log's launches are collected (a first collection takes
 * minutes; "refresh" collects too): said at once, then the card sent is replaced by the
 * same question's answer when the launches are in (Bot Framework's update activity, in a
 * proactive turn, since the asking turn has ended by then). Nothing waits here: other
 * chats are answered meanwhile.
 */

export interface LaunchCollection {
  /** The collection under way, null when none. */
  inFlight(): Promise<void> | null;
  /** The collection under way, else the last one (ended): what "refresh" started. */
  latest(): Promise<void> | null;
  collectInBackground(): unknown;
}

/** Questions answered from the tenant's licensing data: those an answer can be updated for. */
const FROM_TENANT = new Set<Asked['question']['kind']>(['over', 'environment', 'why', 'misclassified', 'app', 'user', 'advice', 'trend', 'overview', 'refresh', 'digestNow']);

export class LaunchUpdates {
  constructor(
    private readonly options: {
      launches: LaunchCollection;
      tenant: TenantService;
      appId: string;
      answer: (question: Asked['question'], turn: Turn) => Promise<CardView>;
      toAttachment: (view: CardView) => Attachment;
      logError: (message: string, fields: Record<string, unknown>) => void;
    },
  ) {}

  /**
   * Sends `view` as the answer to `asked` in this turn; when a collection is under way that the
   * answer waits for, says so first and replaces the card once the collection ends.
   */
  async send(context: TurnContext, view: CardView, asked: Asked | undefined, { progress: _p, offerFile: _o, ...turn }: Turn): Promise<void> {
    // "refresh" started a collection: its answer is updated when that one ends, even if it already has.
    const done = asked?.question.kind === 'refresh' ? this.options.launches.latest() : this.options.launches.inFlight();
    const waiting = asked && !asked.upload && done && view.card !== 'error' && FROM_TENANT.has(asked.question.kind);
    const first = waiting ? (await this.options.tenant.get()).report.sources.some((s) => s.warnings?.includes(COLLECTING_NOTE)) : false;
    if (first) await context.sendActivity(COLLECTING_NOTE);
    const sent = await context.sendActivity({ attachments: [this.options.toAttachment(view)] });
    if (!waiting || !(first || asked.question.kind === 'refresh') || !sent?.id) return;
    const adapter = context.adapter as CloudAdapter;
    const reference = TurnContext.getConversationReference(context.activity);
    // This turn's context is revoked when the turn ends: what the later answer needs is kept now.
    const kept = turn.reference();
    const q = asked.question;
    // Asked again as what it showed: "refresh" would start another collection.
    const again: Asked['question'] = q.kind === 'refresh' ? (q.environment ? { kind: 'environment', environment: q.environment } : { kind: 'overview' }) : q;
    const id = sent.id;
    void done!
      .then(async () => {
        const updated = await this.options.answer(again, { ...turn, reference: () => kept });
        await adapter.continueConversationAsync(this.options.appId, reference, async (later) => {
          await later.updateActivity({ type: ActivityTypes.Message, id, attachments: [this.options.toAttachment(updated)] });
        });
      })
      .catch((e) => this.options.logError('could not update the answer with the launches', { error: describeFailure(e).logLine }));
  }
}
