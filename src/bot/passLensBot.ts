import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext as BotTurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Attachment,
  type FileConsentCardResponse,
  type TurnContext,
} from 'botbuilder';
import { errorCard } from '../conversation/choiceCard';
import { helpCard } from '../conversation/helpCard';
import { overviewCard } from '../conversation/overviewCard';
import { renderCard, type CardView } from '../cards/render';
import { decideAccess, isTeamsService, type AccessPolicy } from '../conversation/access';
import { CsvFormatError } from '../tenant/csv/activeUsersCsv';
import type { TenantService } from '../tenant/tenantService';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, UploadTooLargeError } from '../tenant/uploadLimits';
import { UploadWindows } from '../tenant/uploadWindow';
import { isRefusalOfTheBot, refusedUploadCard, uploadSourceLine, withUploadNotes } from '../conversation/uploadNotes';
import { describeFailure } from '../conversation/failures';
import type { ConversationRef, SubscriptionStore } from '../digest/subscriptions';
import { trendCard } from '../conversation/trend';
import { answerFrom, QuestionRouter, type FileOffer, type RouterLogger, type Turn } from '../conversation/router';
import type { ButtonData } from '../conversation/understanding';
import { buttonQuestion } from '../conversation/buttonQuestion';
import { ReadingFailedError, sharedReadingThread, type Reading, type SentOptions } from '../conversation/readingThread';
import type { Asked, Question } from '../conversation/question';
import { AnswerMemory } from '../conversation/followUp';
import { FROM_UPLOADS, NAMELESS } from '../conversation/questionSources';
import type { SetupCheck } from '../tenant/live/doctor';
import { LaunchUpdates, type LaunchCollection } from './launchUpdates';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { FileTransfers } from '../tenant/fileTransfer';
import { CLOUDS } from '../tenant/live/cloud';

export type BotLogger = RouterLogger;

export interface PassLensBotOptions {
  tenant: TenantService;
  access: AccessPolicy;
  logger: BotLogger;
  /** How long a fetch may run before "checking your tenant..." is said. */
  slowNoticeMs?: number;
  /** How long a turn waits on the tenant before it says the reading goes on (tenantService.ts, TENANT_WAIT_MS). */
  tenantWaitMs?: number;
  /** Largest CSV accepted from chat, in bytes. */
  maxUploadBytes?: number;
  /** Files dropped one after another, kept for the upload window; a private one in the system's temp directory by default. */
  uploads?: UploadWindows;
  /** Digest subscriptions and conversation references; without it the digest questions say so. */
  subscriptions?: SubscriptionStore;
  clock?: () => Date;
  /** What reads typed words as questions: the process's reading thread (readingThread.ts), started on first use, by default. */
  reader?: Reading;
  /** "check setup": probes every live source (tenant/live/doctor.ts); absent on the demo tenant. */
  checkSetup?: () => Promise<SetupCheck>;
  /** Downloads of dropped files and consent uploads, to Microsoft's file hosts only; the public cloud's by default. */
  transfers?: FileTransfers;
  /** The live tenant's launches from the audit log: "refresh" collects them, and an answer given while they are collected is updated (launchUpdates.ts). */
  launches?: LaunchCollection;
  /** The bot's app id, for that later update (adapter.continueConversationAsync); '' locally. */
  appId?: string;
}

const REFUSAL = Symbol('passlens.refusal');
const ASKED = Symbol('passlens.asked'); // the question this turn's answer came from: launchUpdates.ts asks it again
/** The report as downloaded (.csv), or saved again by Excel as tab-separated text (.tsv, "Unicode Text" .txt). */
const UPLOAD_NAME = /\.(csv|tsv|txt)$/i;
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/**
 * Teams glue: an activity in, a question to the router (conversation/router.ts), a card
 * out; plus what only Teams has: access by caller, CSV uploads, installs, conversation
 * references for proactive sends.
 */
export class PassLensBot extends TeamsActivityHandler {
  private readonly router: QuestionRouter;
  private readonly reader: Reading;
  private readonly uploads: UploadWindows;
  private readonly updates: LaunchUpdates | null;
  /** The last answer per conversation and person, for follow-ups ("and HR?", "why?"). */
  private readonly answers = new AnswerMemory();
  readonly transfers: FileTransfers;

  constructor(private readonly options: PassLensBotOptions) {
    super();
    this.transfers = options.transfers ?? new FileTransfers({ domains: CLOUDS.public.fileHosts });
    this.uploads = options.uploads ?? new UploadWindows(options.tenant, { limits: { bytes: options.maxUploadBytes ?? MAX_UPLOAD_BYTES, rows: MAX_UPLOAD_ROWS } });
    const launches = options.launches;
    this.router = new QuestionRouter({ ...options, uploads: this.uploads, collectLaunches: launches ? () => void launches.collectInBackground() : undefined });
    const answer = (question: Asked['question'], turn: Turn) => this.router.answer(question, turn);
    this.updates = launches ? new LaunchUpdates({ launches, tenant: options.tenant, appId: options.appId ?? '', answer, toAttachment, logError: (m, f) => options.logger.error(m, f) }) : null;
    this.reader = options.reader ?? sharedReadingThread();
    // Every activity of an allowed caller refreshes the stored conversation reference (serviceUrl can change).
    this.onTurn(async (context, next) => {
      if (!(await this.refusal(context))) await this.captureReference(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.reactivate(context);
      await context.sendActivity({ attachments: [toAttachment(helpCard('welcome'))] });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botJoined = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      // Teams also sends installationUpdate, which says the welcome: this only resumes a stopped digest.
      if (botJoined) await this.reactivate(context);
      await next();
    });
  }

  /**
   * A button (Action.Execute). Paging and "Refresh" show the same answer again, in place of
   * the card; every other button answers something new, posted as a new message under the
   * card, which stays as it was: the invoke is answered with a message response rather
   * than a card ("application/vnd.microsoft.activity.message", value a string;
   * https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#response-format).
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const denied = await this.refusal(context);
    const data: ButtonData = { ...(invokeValue.action.data as ButtonData), verb: invokeValue.action.verb };
    const view = denied ?? (await this.answerButton(context, data));
    if (!denied && !replacesItsCard(data)) {
      await context.sendActivity({ attachments: [toAttachment(view)] });
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Answered below.' as never };
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderCard(view) as never };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const denied = await this.refusal(context);
    if (denied) {
      await context.sendActivity({ attachments: [toAttachment(denied)] });
      return;
    }
    const uploads = fileAttachments(context.activity.attachments ?? []);
    let view: CardView;
    if (uploads.length) {
      // Several months in the files: the trend with its chart comes with the overview.
      const [overview, ...more] = await this.answerUpload(context, uploads);
      for (const extra of more) await context.sendActivity({ attachments: [toAttachment(extra)] });
      view = overview;
    } else {
      const value = context.activity.value;
      view = value && typeof value === 'object' ? await this.answerButton(context, value as ButtonData) : await this.answerTyped(context, context.activity.text ?? '');
    }
    if (this.updates) await this.updates.send(context, view, context.turnState.get(ASKED) as Asked | undefined, this.turnOf(context, undefined));
    else await context.sendActivity({ attachments: [toAttachment(view)] });
  }

  /**
   * The asker's time zone, the default zone of a digest schedule: Activity.localTimezone
   * (an IANA name, https://learn.microsoft.com/en-us/javascript/api/botframework-schema/activity),
   * else the timezone of Teams' clientInfo entity (IANA, e.g. "America/New_York":
   * https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.apps.schema.entities.clientinfoentity.-ctor).
   */
  private readOptions(context: TurnContext): { timezone?: string } {
    const clientInfo = (context.activity.entities ?? []).find((e) => e.type === 'clientInfo') as { timezone?: unknown } | undefined;
    const timezone = context.activity.localTimezone || (typeof clientInfo?.timezone === 'string' ? clientInfo.timezone : undefined);
    return { timezone: timezone || undefined };
  }

  /**
   * Words the admin typed: while this chat's upload window is open, a question about licensing
   * data answers from the files dropped here (tenant/uploadWindow.ts), with a line that says so
   * and a button to ask the tenant the same words instead. Buttons keep the source their card
   * answered from (an upload's id, or none: the tenant).
   */
  private async answerTyped(context: TurnContext, said: string): Promise<CardView> {
    const open = this.uploads.open(placeOf(context.activity.conversation.id));
    // An analysis memory had to forget (recentUploads.ts) leaves the tenant to answer.
    const files = open ? this.options.tenant.upload(open.uploadId) : null;
    let question: Question;
    try {
      question = await this.read(context, said, files);
    } catch (e) {
      return this.notRead(e);
    }
    const asked: Asked = this.remembered(context, { question });
    if (!FROM_UPLOADS.has(asked.question.kind) || !open || !files) return this.answer(context, asked);
    const view = await this.answer(context, { ...asked, upload: open.uploadId });
    return view.card === 'error' ? view : { ...view, linesAbove: [uploadSourceLine(open, said, this.readOptions(context).timezone), ...(view.linesAbove ?? [])] };
  }

  /**
   * A typed sentence, read names first with the names of the files it will be answered from
   * (or the tenant's), and as a follow-up of the last answer given here to the same person.
   * While the tenant's names are still to be read (a slow live tenant: up to
   * TENANT_WAIT_MS), the sentence is read without them first: one of a kind that takes no
   * name ("help", "subscribe every monday", "check setup") whose every word is a question
   * word (QuestionReader.mayName) is answered at once.
   */
  private async read(context: TurnContext, said: string, files: AnalyzedTenant | null): Promise<Question> {
    const reader = this.reader;
    const options: SentOptions = { ...this.readOptions(context), context: this.answers.recall(context.activity.conversation.id, personOf(context)), now: this.options.clock?.() };
    const named = files ?? this.options.tenant.cached();
    if (named) return reader.read(said, named, options);
    const first = await reader.read(said, null, options);
    // Answered at once only when no word may be a name the reading had not: "what does Omar use" read without names is "help".
    if (NAMELESS.has(first.kind) && !(await reader.mayName(said))) return first;
    const tenant = await this.router.tenantNamed(this.turnOf(context, undefined));
    return tenant ? reader.read(said, tenant, options) : first;
  }

  private async answerButton(context: TurnContext, data: ButtonData): Promise<CardView> {
    let asked: Asked;
    try {
      asked = await this.fromButton(context, data);
    } catch (e) {
      return this.notRead(e);
    }
    return this.answer(context, this.remembered(context, asked));
  }

  /** A question the reading thread did not read (it stalled, or its thread ended twice): said on a card, and logged. */
  private notRead(e: unknown): CardView {
    if (!(e instanceof ReadingFailedError)) throw e;
    const failure = describeFailure(e);
    this.options.logger.error('question not read', { error: failure.logLine });
    return errorCard(failure.title, failure.message, failure.action);
  }

  /** A button's question; one with words ("did you mean") is read as typed, with the names of what it answers from. */
  private async fromButton(context: TurnContext, data: ButtonData): Promise<Asked> {
    const upload = data.upload || undefined;
    return data.verb === 'ask' ? { question: await this.read(context, data.text ?? '', data.upload ? this.options.tenant.upload(data.upload) : null), upload } : { question: buttonQuestion(data), upload };
  }

  /** A question asked here, kept as what the next follow-up continues (a button's too). */
  private remembered(context: TurnContext, asked: Asked): Asked {
    if (!asked.upload) this.answers.remember(context.activity.conversation.id, personOf(context), asked.question);
    return asked;
  }

  private answer(context: TurnContext, asked: Asked): Promise<CardView> {
    // "new upload" does not wait behind a download in progress in this chat: it is stopped.
    if (asked.question.kind === 'clearUploads') this.transfers.abort(placeOf(context.activity.conversation.id));
    context.turnState.set(ASKED, asked);
    return this.router.answer(asked.question, this.turnOf(context, asked.upload));
  }

  private turnOf(context: TurnContext, upload: string | undefined): Turn {
    const teams = isTeamsService(this.options.access, context.activity.serviceUrl);
    return {
      place: placeOf(context.activity.conversation.id),
      reference: () => this.referenceOf(context),
      askedBy: context.activity.from?.name ?? context.activity.from?.id ?? 'an admin',
      upload,
      // File consent works in Teams' personal chat only, not in a group chat, a channel or the local Playground (its connector is not Teams').
      offerFile: context.activity.conversation?.conversationType === 'personal' && teams ? (file) => this.offerFile(context, file) : undefined,
      localChat: !teams,
      // An invoke's answer replaces the card in place: there is no chat to type into.
      progress: context.activity.type === ActivityTypes.Message
        ? {
            fetching: async () => void (await context.sendActivity({ type: ActivityTypes.Typing })),
            slow: async () => void (await context.sendActivity('Checking your tenant...')),
          }
        : undefined,
    };
  }

  /** A file consent card (Teams bot APIs, personal chat only): Teams asks the admin, then gives an upload URL (handleTeamsFileConsentAccept). */
  private async offerFile(context: TurnContext, file: FileOffer): Promise<void> {
    await context.sendActivity({
      attachments: [{ contentType: FILE_CONSENT, name: file.name, content: { description: file.description, sizeInBytes: file.sizeInBytes, acceptContext: { ...file.context, name: file.name }, declineContext: { name: file.name } } }],
    });
  }

  /** The admin accepted: the file is written again from the same data and PUT to the upload session Teams opened in their OneDrive. */
  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const denied = await this.refusal(context);
    if (denied) return void (await context.sendActivity({ attachments: [toAttachment(denied)] }));
    const asked = (response.context ?? {}) as { environmentId?: string; upload?: string };
    const file = await this.router.findingsFile(asked);
    const upload = response.uploadInfo;
    if (!file || !upload?.uploadUrl) {
      await context.sendActivity({ attachments: [toAttachment(errorCard('That findings file is no longer available', 'The uploaded report it came from is no longer kept.', 'Drop the report again and press the download button once more.'))] });
      return;
    }
    const bytes = Buffer.from(file.text, 'utf8');
    try {
      // One PUT of the whole file to the upload session (https://learn.microsoft.com/onedrive/developer/rest-api/api/driveitem_createuploadsession),
      // only to Microsoft's file hosts (tenant/fileHosts.ts): the URL comes from the invoke.
      await this.transfers.upload(upload.uploadUrl, bytes, { 'Content-Type': 'text/csv', 'Content-Length': bytes.length, 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` }, { key: placeOf(context.activity.conversation.id) });
    } catch (e) {
      const failure = describeFailure(e);
      this.options.logger.error('findings upload failed', { error: failure.logLine });
      await context.sendActivity({ attachments: [toAttachment(errorCard('I could not save the findings file', failure.message, 'Press the download button again, or run "npx passlens analyze --format csv".'))] });
      return;
    }
    await context.sendActivity({
      attachments: [{ contentType: FILE_INFO, contentUrl: upload.contentUrl, name: upload.name ?? file.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? 'csv' } }],
    });
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext): Promise<void> {
    await context.sendActivity('No file then. The download button stays on the card.');
  }

  private async refusal(context: TurnContext): Promise<CardView | null> {
    const known = context.turnState.get(REFUSAL) as CardView | null | undefined;
    if (known !== undefined) return known;
    const decision = await decideAccess(this.options.access, {
      tenantId: tenantOf(context),
      aadObjectId: context.activity.from?.aadObjectId,
      lookupUpn: async () => {
        // Asked of the configured Teams connector only: an unsigned activity's serviceUrl could name any server.
        if (!isTeamsService(this.options.access, context.activity.serviceUrl)) return undefined;
        try {
          return (await TeamsInfo.getMember(context, context.activity.from.id)).userPrincipalName;
        } catch {
          return undefined;
        }
      },
    });
    const refusal = decision.allowed ? null : errorCard(decision.title, decision.message, decision.action);
    if (!decision.allowed) this.options.logger.info('refused', { reason: decision.reason });
    context.turnState.set(REFUSAL, refusal);
    return refusal;
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

  /**
   * Files dropped in one message, or one after another within the upload window, are
   * analysed as one (tenant/uploadWindow.ts): several months of Active users, the licensed
   * users and the managed report. A file that cannot be read is named on the card; the rest combine.
   */
  private async answerUpload(context: TurnContext, files: { name: string; url: string }[]): Promise<CardView[]> {
    const place = placeOf(context.activity.conversation.id);
    const notCsv = files.filter((file) => !UPLOAD_NAME.test(file.name));
    if (notCsv.length === files.length) {
      const held = this.uploads.held(place);
      return [errorCard('That file is not a CSV file', 'I can analyse the admin center reports (Active users, All licensed users, Users requiring licenses in Managed Environments) as .csv files (or as Excel\'s tab-separated "Unicode Text" .txt).', `Download them from the admin center (Licensing > Power Apps > Download reports) and drop the .csv files here.${held.length ? ` The ${held.length === 1 ? 'file' : `${held.length} files`} dropped before ${held.length === 1 ? 'is' : 'are'} still combined.` : ''}`)];
    }
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      // Each file is downloaded when its turn comes, so only one is in flight.
      const maxBytes = this.options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
      const tooLarge = (name: string) => (declared: number) => (declared > maxBytes ? new UploadTooLargeError(`${name} is ${Math.ceil(declared / 1024 / 1024)} MB`) : null);
      const reports = files.filter((file) => UPLOAD_NAME.test(file.name)).map((file) => ({ name: file.name, chunks: this.transfers.download(file.url, { key: place, tooLarge: tooLarge(file.name) }) }));
      const outcome = await this.uploads.drop(place, reports);
      for (const r of outcome.refused.filter((r) => isRefusalOfTheBot(r.error))) this.options.logger.error('upload file refused', { error: describeFailure(r.error).logLine });
      outcome.refused.unshift(...notCsv.map((file) => ({ name: file.name, error: new CsvFormatError('it is not a .csv file (or Excel\'s tab-separated "Unicode Text" .txt).') })));
      if (!outcome.analysis) return [refusedUploadCard(outcome.refused, files)];
      const minutes = Math.round(this.uploads.windowMs / 60_000);
      const overview = withUploadNotes(answerFrom(outcome.analysis, overviewCard), outcome, minutes, this.readOptions(context).timezone);
      // Several months in the set: the trend with its chart comes after the overview.
      return outcome.analysis.monthly.months.length > 1 ? [answerFrom(outcome.analysis, (v) => trendCard(v, null)), overview] : [overview];
    } catch (e) {
      // A set that reads as a whole and then has nothing to analyse (a header only, every row bad): the reader's reason, as the CLI prints it.
      if (e instanceof CsvFormatError) return [refusedUploadCard([{ name: '', error: e }], files)];
      const failure = describeFailure(e);
      this.options.logger.error('upload failed', { error: failure.logLine });
      return [errorCard('I could not analyse that file', failure.message, 'Send the file again; if it keeps failing, run "passlens analyze --csv FILE" on your machine.')];
    }
  }
}

/** The Microsoft 365 tenant an activity comes from (Teams puts it in channelData too). */
function tenantOf(context: TurnContext): string | undefined {
  return context.activity.conversation?.tenantId ?? (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

/** Who asked: their channel account id (a name can be shared). */
function personOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '';
}

/** A channel thread's conversation id, without the thread: "19:abc@thread.tacv2;messageid=123" -> "19:abc@thread.tacv2". */
export function placeOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}

function fileAttachments(attachments: Attachment[]): { name: string; url: string }[] {
  const files: { name: string; url: string }[] = [];
  for (const a of attachments) {
    if (a.contentType === FILE_DOWNLOAD_INFO) {
      const content = a.content as { downloadUrl?: string } | undefined;
      if (content?.downloadUrl) files.push({ name: a.name ?? 'upload.csv', url: content.downloadUrl });
    } else if ((a.contentType === 'text/csv' || UPLOAD_NAME.test(a.name ?? '')) && a.contentUrl) files.push({ name: a.name ?? 'upload.csv', url: a.contentUrl });
  }
  return files;
}

/** A button that shows its own card again (another page of it, or its figures read again) rather than a new answer. */
export function replacesItsCard(data: ButtonData): boolean {
  return data.verb === 'refresh' || 'page' in data;
}

export function toAttachment(view: CardView): Attachment {
  return CardFactory.adaptiveCard(renderCard(view));
}
