import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext as BotTurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Attachment,
  type TurnContext,
} from 'botbuilder';
import axios from 'axios';
import { parseIntent, type Intent } from '../conversation/intents';
import {
  adviceCard,
  appCard,
  environmentCard,
  environmentMentioned,
  errorCard,
  findApp,
  findEnvironment,
  findingsCard,
  helpCard,
  overviewCard,
  userCard,
  type TenantView,
} from '../conversation/answers';
import { renderCard, type CardView } from '../cards/render';
import { decideAccess, type AccessPolicy } from '../conversation/access';
import { CsvFormatError } from '../tenant/csv/activeUsersCsv';
import type { TenantAnswerSource, TenantService } from '../tenant/tenantService';
import { describeFailure } from '../conversation/failures';
import type { ConversationRef, Subscription, SubscriptionStore } from '../digest/subscriptions';
import { parseSchedule, ScheduleError } from '../digest/schedule';
import { statusCard, subscribedCard, unsubscribedCard } from '../digest/subscriptionCards';
import { digestCard } from '../digest/digestCard';

/** What the bot does on a card button: the verb and the ids the button carries. */
interface ActionData {
  verb?: string;
  environmentId?: string;
  appId?: string;
  upn?: string;
  page?: number | string;
  filter?: string;
  text?: string;
  /** set on the buttons of an upload's cards: answer from that upload (TenantService.upload) */
  upload?: string;
}

export interface BotLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface PassLensBotOptions {
  tenant: TenantService;
  access: AccessPolicy;
  logger: BotLogger;
  /** How long a fetch may run before "checking your tenant..." is said. */
  slowNoticeMs?: number;
  /** Largest CSV accepted from chat, in bytes. */
  maxUploadBytes?: number;
  /** Digest subscriptions and conversation references; without it the digest commands say so. */
  subscriptions?: SubscriptionStore;
  clock?: () => Date;
}

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

export class PassLensBot extends TeamsActivityHandler {
  constructor(private readonly options: PassLensBotOptions) {
    super();
    // Every activity refreshes the stored conversation reference (serviceUrl can change).
    this.onTurn(async (context, next) => {
      await this.captureReference(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.reactivate(context);
      await context.sendActivity({ attachments: [toAttachment(helpCard(true))] });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botJoined = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      // Teams also sends installationUpdate, which says the welcome: this only resumes a stopped digest.
      if (botJoined) await this.reactivate(context);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const denied = await this.refusal(context);
    const view = denied ?? (await this.answerAction(context, { ...(invokeValue.action.data as ActionData), verb: invokeValue.action.verb }));
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderCard(view) as never };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const denied = await this.refusal(context);
    if (denied) {
      await context.sendActivity({ attachments: [toAttachment(denied)] });
      return;
    }
    const upload = csvAttachment(context.activity.attachments ?? []);
    let view: CardView;
    if (upload) view = await this.answerUpload(context, upload);
    else if (context.activity.value && typeof context.activity.value === 'object') view = await this.answerAction(context, context.activity.value as ActionData);
    else view = await this.answerText(context, context.activity.text ?? '');
    await context.sendActivity({ attachments: [toAttachment(view)] });
  }

  private async refusal(context: TurnContext): Promise<CardView | null> {
    const decision = await decideAccess(this.options.access, {
      tenantId: tenantOf(context),
      aadObjectId: context.activity.from?.aadObjectId,
      lookupUpn: async () => {
        try {
          return (await TeamsInfo.getMember(context, context.activity.from.id)).userPrincipalName;
        } catch {
          return undefined;
        }
      },
    });
    if (decision.allowed) return null;
    this.options.logger.info('refused', { reason: decision.reason });
    return errorCard(decision.title, decision.message, decision.action);
  }

  private async answerText(context: TurnContext, text: string): Promise<CardView> {
    return this.answerIntent(context, parseIntent(text));
  }

  private async answerAction(context: TurnContext, data: ActionData): Promise<CardView> {
    const page = Number(data.page ?? 0) || 0;
    const upload = data.upload || undefined;
    switch (data.verb) {
      case 'ask':
        return this.answerText(context, data.text ?? '');
      case 'refresh':
        // An upload has nothing to refresh from: its buttons show it again.
        return this.withTenant(context, !upload, (v) => (data.environmentId ? this.environmentById(v, data.environmentId, 0) : overviewCard(v)), upload);
      case 'overview':
        return this.withTenant(context, false, (v) => overviewCard(v), upload);
      case 'advice':
        return this.withTenant(context, false, (v) => adviceCard(v), upload);
      case 'environment':
        return this.withTenant(context, false, (v) => this.environmentById(v, data.environmentId ?? '', page), upload);
      case 'app':
        return this.withTenant(
          context,
          false,
          (v) => {
            const env = v.report.environments.find((e) => e.id === data.environmentId);
            const app = env?.apps.find((a) => a.appId === data.appId);
            return env && app ? appCard(v, env, app) : errorCard('That app is no longer in the data', 'It may have been deleted or had no launches this month.', 'Ask "overview" for the current picture.');
          },
          upload,
        );
      case 'user':
        return this.withTenant(context, false, (v) => userCard(v, data.upn ?? '') ?? unknownUser(data.upn ?? ''), upload);
      case 'findings':
        return this.withTenant(context, false, (v) => findingsCard(v, data.filter === 'over' ? 'over' : 'misclassified', data.environmentId || null, page), upload);
      default:
        return helpCard(false);
    }
  }

  private async answerIntent(context: TurnContext, intent: Intent): Promise<CardView> {
    switch (intent.kind) {
      case 'help':
        return helpCard(false);
      case 'refresh':
        return this.withTenant(context, true, (v) => overviewCard(v));
      case 'overview':
        return this.withTenant(context, false, (v) => overviewCard(v));
      case 'over':
        return this.withTenant(context, false, (v) => {
          const env = environmentMentioned(v, intent.text);
          return env ? environmentCard(v, env) : findingsCard(v, 'over', null);
        });
      case 'advice':
        return this.withTenant(context, false, (v) => adviceCard(v));
      case 'misclassified':
        return this.withTenant(context, false, (v) => {
          if (!intent.environment) return findingsCard(v, 'misclassified', null);
          const env = findEnvironment(v, intent.environment);
          return 'card' in env ? env : findingsCard(v, 'misclassified', env.id);
        });
      case 'app':
        return this.withTenant(context, false, (v) => {
          const found = findApp(v, intent.name);
          return 'card' in found ? found : appCard(v, found.env, found.app);
        });
      case 'user':
        return this.withTenant(context, false, (v) => userCard(v, intent.upn) ?? unknownUser(intent.upn));
      case 'subscribe':
        return this.subscribe(context, intent.schedule);
      case 'unsubscribe':
        return this.unsubscribe(context);
      case 'digestStatus':
        return this.digestStatus(context);
      case 'digestNow':
        return this.digestPreview(context);
      case 'environment':
        return this.withTenant(context, false, (v) => {
          const env = findEnvironment(v, intent.name);
          if (!('card' in env)) return environmentCard(v, env);
          const mentioned = environmentMentioned(v, intent.text);
          return mentioned ? environmentCard(v, mentioned) : env;
        });
    }
  }

  private now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /**
   * The conversation as a place to post later. In a channel, a message arrives in a
   * thread ("19:...;messageid=..."); the digest goes to the channel itself, as a new post.
   */
  private referenceOf(context: TurnContext): ConversationRef {
    const reference = BotTurnContext.getConversationReference(context.activity) as unknown as ConversationRef;
    return { ...reference, conversation: { ...reference.conversation, id: placeOf(reference.conversation.id), tenantId: tenantOf(context) } };
  }

  private async captureReference(context: TurnContext): Promise<void> {
    if (!this.options.subscriptions || !context.activity.conversation?.id) return;
    try {
      await this.options.subscriptions.saveReference(this.referenceOf(context));
    } catch (e) {
      this.options.logger.error('could not store the conversation reference', { error: describeFailure(e).logLine });
    }
  }

  /** Reinstalling PassLens where a digest was stopped by a removal resumes it. */
  private async reactivate(context: TurnContext): Promise<void> {
    const store = this.options.subscriptions;
    if (!store) return;
    const reference = this.referenceOf(context);
    const updated = await store.update(reference.conversation.id, (current) =>
      current && !current.active && current.inactiveReason ? { ...current, active: true, inactiveReason: undefined, reference } : null,
    );
    if (updated) this.options.logger.info('digest reactivated', { conversationId: reference.conversation.id });
  }

  private async subscribe(context: TurnContext, scheduleText: string): Promise<CardView> {
    const store = this.options.subscriptions;
    if (!store) return noDigestStore();
    let schedule;
    try {
      schedule = parseSchedule(scheduleText);
    } catch (e) {
      if (e instanceof ScheduleError) return errorCard('I could not read that schedule', e.message, 'Try "subscribe every monday 8:00 Europe/Berlin".');
      throw e;
    }
    const reference = this.referenceOf(context);
    const now = this.now();
    let reactivated = false;
    await store.update(reference.conversation.id, (current) => {
      reactivated = Boolean(current && !current.active);
      return {
        ...(current ?? {}),
        conversationId: reference.conversation.id,
        reference,
        schedule,
        active: true,
        inactiveReason: undefined,
        createdBy: context.activity.from?.name ?? context.activity.from?.id ?? 'an admin',
        createdAt: now.toISOString(),
      } as Subscription;
    });
    this.options.logger.info('digest subscribed', { conversationId: reference.conversation.id, schedule: schedule.description });
    return subscribedCard(schedule, now, reactivated);
  }

  private async unsubscribe(context: TurnContext): Promise<CardView> {
    const store = this.options.subscriptions;
    if (!store) return noDigestStore();
    const id = placeOf(context.activity.conversation.id);
    const existed = await store.update(id, (current) => (current && current.active ? { ...current, active: false, inactiveReason: undefined, claim: undefined } : null));
    return unsubscribedCard(Boolean(existed));
  }

  private async digestStatus(context: TurnContext): Promise<CardView> {
    const store = this.options.subscriptions;
    if (!store) return noDigestStore();
    return statusCard(await store.get(placeOf(context.activity.conversation.id)), this.now());
  }

  /** "digest now": this week's digest, shown here, without counting as the week's post. */
  private async digestPreview(context: TurnContext): Promise<CardView> {
    const previous = (await this.options.subscriptions?.get(placeOf(context.activity.conversation.id)))?.previous ?? null;
    return this.withTenant(context, false, (v) => digestCard(v.report, previous, this.now()).view);
  }

  private environmentById(v: TenantView, id: string, page: number): CardView {
    const env = v.report.environments.find((e) => e.id === id);
    return env ? environmentCard(v, env, page) : errorCard('That environment is no longer in the data', `No environment with id ${id} after the last refresh.`, 'Ask "overview" to see the current environments.');
  }

  /**
   * Fetches (or reuses) the tenant data with a typing indicator, and past a second says
   * that it is checking, so a slow tenant never looks like a dead bot.
   */
  private async withTenant(context: TurnContext, refresh: boolean, answer: (view: TenantView) => CardView, uploadId?: string): Promise<CardView> {
    const { tenant } = this.options;
    if (uploadId) {
      const upload = tenant.upload(uploadId);
      if (!upload) {
        return errorCard(
          'That uploaded file is no longer kept',
          'PassLens keeps the last three CSV files dropped in chat for an hour, so their buttons can answer from them; this one has gone.',
          'Drop the file again to explore it, or ask "overview" for your tenant as it is now.',
        );
      }
      return this.answerFrom(upload, answer);
    }
    const willFetch = refresh || tenant.isStale();
    let source: TenantAnswerSource;
    try {
      if (willFetch && context.activity.type === ActivityTypes.Message) await context.sendActivity({ type: ActivityTypes.Typing });
      const pending = refresh ? tenant.refresh() : tenant.get();
      if (willFetch && context.activity.type === ActivityTypes.Message) {
        let timer: NodeJS.Timeout | undefined;
        const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), this.options.slowNoticeMs ?? 1000)));
        const first = await Promise.race([pending.then(() => 'done' as const), slow]);
        clearTimeout(timer);
        if (first === 'slow') await context.sendActivity('Checking your tenant...');
      }
      source = await pending;
    } catch (e) {
      const failure = describeFailure(e);
      this.options.logger.error('tenant data failed', { error: failure.logLine });
      return errorCard(failure.title, failure.message, failure.action);
    }
    return this.answerFrom(source, answer);
  }

  /** The answer as a card; an upload's card carries the upload's id on every button, so they answer from it too. */
  private answerFrom(source: TenantAnswerSource, answer: (view: TenantView) => CardView): CardView {
    const view = answer({ report: source.report, snapshot: source.snapshot, launchesOf: (upn) => source.ledger.launchesOf(upn), fetchedAt: source.fetchedAt });
    return source.uploadId && view.card !== 'error' ? { ...view, buttonData: { upload: source.uploadId } } : view;
  }

  private async answerUpload(context: TurnContext, file: { name: string; url: string }): Promise<CardView> {
    if (!/\.csv$/i.test(file.name)) {
      return errorCard(`"${file.name}" is not a CSV file`, 'I can analyse the Active users report as a .csv file.', 'Download it from the admin center (Licensing > Power Apps > Download reports) and drop the .csv here.');
    }
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const response = await axios.get(file.url, { responseType: 'stream', timeout: 60_000, maxContentLength: this.options.maxUploadBytes ?? 512 * 1024 * 1024 });
      const source = await this.options.tenant.analyzeCsv(response.data, file.name);
      return this.answerFrom(source, overviewCard);
    } catch (e) {
      if (e instanceof CsvFormatError) {
        return errorCard(`I could not read "${file.name}"`, e.message, 'Download the Active users report again from the admin center and send it unchanged.');
      }
      const failure = describeFailure(e);
      this.options.logger.error('upload failed', { error: failure.logLine });
      return errorCard(`I could not download "${file.name}"`, failure.message, 'Send the file again; if it keeps failing, run "passlens analyze --csv FILE" on your machine.');
    }
  }
}

/** The Microsoft 365 tenant an activity comes from (Teams puts it in channelData too). */
function tenantOf(context: TurnContext): string | undefined {
  return context.activity.conversation?.tenantId ?? (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

/** A channel thread's conversation id, without the thread: "19:abc@thread.tacv2;messageid=123" -> "19:abc@thread.tacv2". */
export function placeOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}

function noDigestStore(): CardView {
  return errorCard('The digest is not set up here', 'This PassLens has no storage for subscriptions.', 'Whoever runs PassLens sets PASSLENS_DATA_DIR or PASSLENS_STORAGE_CONNECTION_STRING (see README).');
}

function unknownUser(upn: string): CardView {
  return errorCard(`I know nothing about ${upn}`, 'That user launched no app this month and has no license data in the snapshot.', 'Check the spelling of the address, or ask "overview".');
}

function csvAttachment(attachments: Attachment[]): { name: string; url: string } | null {
  for (const a of attachments) {
    if (a.contentType === FILE_DOWNLOAD_INFO) {
      const content = a.content as { downloadUrl?: string } | undefined;
      if (content?.downloadUrl) return { name: a.name ?? 'upload.csv', url: content.downloadUrl };
    }
    if ((a.contentType === 'text/csv' || /\.csv$/i.test(a.name ?? '')) && a.contentUrl) return { name: a.name ?? 'upload.csv', url: a.contentUrl };
  }
  return null;
}

export function toAttachment(view: CardView): Attachment {
  return CardFactory.adaptiveCard(renderCard(view));
}
