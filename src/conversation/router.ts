import { TENANT_WAIT_MS, type TenantService } from '../tenant/tenantService';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { CardView, ViewOf } from '../cards/render';
import type { ConversationRef, Subscription, SubscriptionStore } from '../digest/subscriptions';
import { statusCard, subscribedCard, unsubscribedCard } from '../digest/subscriptionCards';
import { digestCard, type DigestSummary } from '../digest/digestCard';
import { describeFailure } from './failures';
import type { EnvironmentRef, Question, QuestionKind } from './question';
import { phrase } from './understanding';
import { trendCard, type DigestMonths } from './trend';
import type { EnvironmentReport } from '../licensing/report';
import { setupCard } from './setupCard';
import { rankingCard, topUserCard } from './ranking';
import { quietUsersCard } from './quietUsers';
import { buyBeforeCard } from './buyBefore';
import { spendCard } from './spendCard';
import { isNormalCard } from './isNormal';
import type { SetupCheck } from '../tenant/live/doctor';
import type { UploadWindows } from '../tenant/uploadWindow';
import { adviceCard } from './adviceCard';
import { appCard } from './appCard';
import { keepingUnsaid, type SchedulePart } from '../digest/schedule';
import { choiceCard, errorCard, type Choice } from './choiceCard';
import { environmentCard } from './environmentCard';
import { findingsCard } from './findingsCard';
import { helpCard, uploadHelpCard } from './helpCard';
import { overviewCard } from './overviewCard';
import { resolveApp, resolveEnvironment, resolveUser } from './resolve';
import { userCard } from './userCard';
import { ruleCard } from './ruleCard';
import { dataAgeCard } from './dataAge';
import { quietAppsCard } from './quietApps';
import { licenseHoldersCard } from './licenseHolders';
import { linesAbove } from './linesAbove';
import { welcomeCard } from './courtesy';
import { findingsFileOf, whereTheFileGoes } from './findingsFile';
import { SnapshotAnswers } from './snapshotAnswers';

/**
 * One table from a question's kind to its answer: typed text and card buttons alike
 * arrive here as a Question, and leave as the view of one card template. The bot only
 * carries activities to and from Teams.
 */

/** Where and by whom a question was asked, and how to keep them company while the tenant is read. */
export interface Turn {
  /** The conversation, a channel without its thread: where a digest subscription lives. */
  place: string;
  /** The conversation as a place to post later (for "subscribe"). */
  reference: () => ConversationRef;
  askedBy: string;
  /** The uploaded CSV a button asks about (TenantService.upload). */
  upload?: string;
  /**
   * Offers a file to download, where the place allows it: Teams lets a bot send files in the
   * personal chat only (a file consent card; https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4).
   */
  offerFile?: (file: FileOffer) => Promise<void>;
  /** The chat is not Teams (the local Agents Playground, whose connector is not Teams'): no file can be offered in it at all. */
  localChat?: boolean;
  /** Told when the tenant must be read, and again when that takes longer than slowNoticeMs. */
  progress?: { fetching(): Promise<void>; slow(): Promise<void> };
}

/** A file offered for download; `context` comes back when the admin accepts it, to write the file then. */
export interface FileOffer {
  name: string;
  description: string;
  sizeInBytes: number;
  context: { environmentId: string; upload: string };
}

export interface RouterLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RouterOptions {
  tenant: TenantService;
  logger: RouterLogger;
  /** Digest subscriptions; without them the digest questions say how to set them up. */
  subscriptions?: SubscriptionStore;
  /** How long a fetch may run before "checking your tenant..." is said. */
  slowNoticeMs?: number;
  /** How long a turn waits on the tenant before it answers that the reading goes on (tenantService.ts, TENANT_WAIT_MS). */
  tenantWaitMs?: number;
  clock?: () => Date;
  /** "check setup": probes every live source (tenant/live/doctor.ts); absent on the demo tenant. */
  checkSetup?: () => Promise<SetupCheck>;
  /** Starts collecting the live tenant's launches from the audit log ("refresh"); absent on the demo tenant. */
  collectLaunches?: () => void;
  /** The reports dropped per conversation within the upload window ("new upload" forgets them). */
  uploads?: Pick<UploadWindows, 'clear'>;
}

/** Offered after the classifier's own suggestions when it has fewer than three. */
const FALLBACK_SUGGESTIONS: Question[] = [{ kind: 'over' }, { kind: 'overview' }, { kind: 'help' }];

type AnswerTo<K extends QuestionKind> = (question: Extract<Question, { kind: K }>, turn: Turn) => Promise<CardView>;
type AnswerTable = { [K in QuestionKind]: AnswerTo<K> };
/** `refresh`: read the tenant again rather than answer from the cache. */
type TenantReading = { refresh: boolean };

export class QuestionRouter {
  /** Set while a tenant reading has outlasted a turn's bound, until it ends. */
  private lateReading: Promise<void> | null = null;
  private readonly kept = new SnapshotAnswers({ cached: () => this.options.tenant.cached(), upload: (id) => this.options.tenant.upload(id) });
  constructor(private readonly options: RouterOptions) {}

  private readonly answers: AnswerTable = {
    help: async () => helpCard('asked'),
    rule: async (q) => ruleCard(q.rule),
    thanks: async () => welcomeCard(),
    uploadHelp: async () => uploadHelpCard(),
    clearUploads: (_, turn) => this.clearUploads(turn),
    overview: (_, turn) => this.fromTenant(turn, overviewCard),
    // An upload has nothing to read again: its refresh button shows it again.
    refresh: (q, turn) => this.fromTenant(turn, (v) => (q.environment ? this.environment(v, q.environment) : overviewCard(v)), { refresh: !turn.upload }),
    over: (q, turn) =>
      this.fromTenant(turn, (v) => {
        if (!q.environment) return findingsCard(v, 'over', null, q.page);
        const env = resolveEnvironment(v, q.environment);
        if ('card' in env) return env;
        return q.page === undefined ? environmentCard(v, env) : findingsCard(v, 'over', env.id, q.page);
      }),
    environment: (q, turn) => this.fromTenant(turn, (v) => this.environment(v, q.environment, q.page)),
    why: (q, turn) => this.fromTenant(turn, (v) => (q.environment ? this.environment(v, q.environment) : findingsCard(v, 'misclassified', null))),
    misclassified: (q, turn) =>
      this.fromTenant(turn, (v) => {
        if (!q.environment) return findingsCard(v, 'misclassified', null, q.page);
        const env = resolveEnvironment(v, q.environment);
        return 'card' in env ? env : findingsCard(v, 'misclassified', env.id, q.page);
      }),
    app: (q, turn) =>
      this.fromTenant(turn, (v) => {
        const found = resolveApp(v, q.app);
        return 'card' in found ? found : appCard(v, found.env, found.app);
      }),
    user: (q, turn) =>
      this.fromTenant(turn, (v) => {
        const upn = resolveUser(v, q.user);
        if (typeof upn !== 'string') return upn;
        return userCard(v, upn) ?? errorCard('I know nothing about that user', 'That user launched no app this month and has no license data in the snapshot.', 'Check the spelling of the address, or ask "overview".');
      }),
    // Advice for one environment: its own actions (moves between environments stay, they name it).
    advice: (q, turn) => this.inEnvironment(turn, q.environment, (v, env) => adviceCard(env ? { ...v, report: { ...v.report, advice: { ...v.report.advice, actions: v.report.advice.actions.filter((a) => !a.environmentId || a.environmentId === env.id) } } } : v)),
    exportFindings: (q, turn) => this.exportFindings(q, turn),
    trend: async (q, turn) => {
      // An upload answers from its own files; the tenant's trend may draw on what the digest kept.
      const digest = turn.upload ? undefined : await this.digestMonths();
      return this.fromTenant(turn, (v) => {
        const env = q.environment ? resolveEnvironment(v, q.environment) : null;
        return env && 'card' in env ? env : trendCard(v, env, { since: q.since, focus: q.focus }, digest);
      });
    },
    subscribe: (q, turn) => ('problem' in q ? Promise.resolve(errorCard('I could not read that schedule', q.problem, 'Try "subscribe every monday 8:00 Europe/Berlin".')) : this.subscribe(q.schedule, q.unsaid ?? [], turn)),
    unsubscribe: (_, turn) => this.unsubscribe(turn),
    digestStatus: (_, turn) => this.withStore(async (store) => statusCard(await store.get(turn.place), this.now())),
    // "digest now": this week's digest, shown here, without counting as the week's post.
    digestNow: async (_, turn) => {
      const previous = (await this.options.subscriptions?.get(turn.place))?.previous ?? null;
      return this.fromTenant(turn, (v) => digestCard(v.report, previous, this.now()).view);
    },
    checkSetup: () => this.checkSetup(),
    dataAge: (_, turn) => this.fromTenant({ ...turn, upload: undefined }, (v) => dataAgeCard(v, this.now(), this.options.tenant.maxAgeMs)),
    ranking: (q, turn) => this.inEnvironment(turn, q.environment, (v, env) => (q.subject === 'users' && q.by === 'idle' ? quietUsersCard(v, env) : q.subject === 'apps' && q.by === 'idle' ? quietAppsCard(v, env) : q.by === 'licensed' ? licenseHoldersCard(v) : q.top && q.subject === 'users' ? topUserCard(v, q.by, env) : rankingCard(v, q.subject, q.by, env))),
    buyBefore: (q, turn) => this.inEnvironment(turn, q.environment, (v, env) => buyBeforeCard(v, q.month, env)),
    spend: (q, turn) => this.inEnvironment(turn, q.environment, spendCard),
    isNormal: (q, turn) => this.inEnvironment(turn, q.environment, (v, env) => isNormalCard(v, env, q.about)),
    unclear: (q, turn) => this.unclear(q, turn),
  };

  /** The answer to a question, as the view of one card; asked again of the same snapshot, the same view (snapshotAnswers.ts). */
  answer(question: Question, turn: Turn): Promise<CardView> {
    const view = this.kept.answer(question, turn.upload, () => (this.answers[question.kind] as AnswerTo<QuestionKind>)(question as never, turn));
    // A month said, a change asked or a name the tenant lacks is rare: other turns take no promise more (the conversations bench).
    if (!question.monthSaid && !question.change && !question.nameNotKnown && !question.termsCompared) return view;
    return view.then((v) => {
      const source = turn.upload ? this.options.tenant.upload(turn.upload) : this.options.tenant.cached();
      return linesAbove(v, question, source && { month: source.report.month, environments: source.report.environments }, turn.upload);
    });
  }

  /** An answer about one environment when one is named (null: all of them). */
  private inEnvironment(turn: Turn, ref: EnvironmentRef | undefined, answer: (tenant: AnalyzedTenant, env: EnvironmentReport | null) => CardView): Promise<CardView> {
    return this.fromTenant(turn, (v) => {
      const env = ref ? resolveEnvironment(v, ref) : null;
      return env && 'card' in env ? env : answer(v, env);
    });
  }

  /**
   * The tenant whose names a typed sentence is read with (the cached analysis, or read
   * now, keeping the asker company): null when it cannot be read, and then no word is a name.
   */
  async tenantNamed(turn: Turn): Promise<AnalyzedTenant | null> {
    const source = await this.source({ ...turn, upload: undefined });
    return 'card' in source ? null : source;
  }

  /** The same checks as `passlens doctor --live`; a probe that throws unexpectedly is an error card, never a secret. */
  private async checkSetup(): Promise<CardView> {
    if (!this.options.checkSetup) return setupCard(null);
    try {
      return setupCard(await this.options.checkSetup());
    } catch (e) {
      const failure = describeFailure(e);
      this.options.logger.error('setup check failed', { error: failure.logLine });
      return errorCard(failure.title, failure.message, failure.action);
    }
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /**
   * The digest state that kept the most months (the latest post first among equals), over
   * every subscription of this PassLens: all are of its one tenant. Undefined without a
   * store, or when it cannot be read: the trend then has the tenant's own months only.
   */
  private async digestMonths(): Promise<DigestMonths | undefined> {
    const store = this.options.subscriptions;
    if (!store) return undefined;
    try {
      const kept = (await Promise.all((await store.ids()).map((id) => store.get(id)))).flatMap((s) => (s?.previous?.months ? [s.previous] : []));
      const monthsOf = (d: DigestSummary) => new Set(Object.values(d.months ?? {}).flatMap((ms) => ms.map((m) => m.month))).size;
      const best = kept.filter((d) => monthsOf(d) > 0).sort((a, b) => monthsOf(b) - monthsOf(a) || b.at.localeCompare(a.at))[0];
      return { kept: best ?? null };
    } catch (e) {
      this.options.logger.error('digest months not read', { error: describeFailure(e).logLine });
      return undefined;
    }
  }

  private environment(v: AnalyzedTenant, ref: Extract<Question, { kind: 'environment' }>['environment'], page?: number): CardView {
    const env = resolveEnvironment(v, ref);
    return 'card' in env ? env : environmentCard(v, env, page);
  }

  /** The download button: the findings file offered in the personal chat; elsewhere, where to get it. */
  private async exportFindings(q: Extract<Question, { kind: 'exportFindings' }>, turn: Turn): Promise<CardView> {
    let offer: FileOffer | null = null;
    const view = await this.fromTenant(turn, (v) => {
      const env = q.environment ? resolveEnvironment(v, q.environment) : null;
      if (env && 'card' in env) return env;
      const file = findingsFileOf(v.report, env);
      offer = { name: file.name, description: file.description, sizeInBytes: Buffer.byteLength(file.text), context: { environmentId: env?.id ?? '', upload: turn.upload ?? '' } };
      return whereTheFileGoes(file, { offered: Boolean(turn.offerFile), localChat: Boolean(turn.localChat), upload: Boolean(turn.upload) });
    });
    if (offer && turn.offerFile) await turn.offerFile(offer);
    return view;
  }

  /** The findings file a consent card offered, written again when the admin accepts it; null once its upload is gone. */
  async findingsFile(context: { environmentId?: string; upload?: string }): Promise<{ name: string; text: string } | null> {
    const source = context.upload ? this.options.tenant.upload(context.upload) : await this.options.tenant.get();
    if (!source) return null;
    const env = context.environmentId ? (source.report.environments.find((e) => e.id === context.environmentId) ?? null) : null;
    return findingsFileOf(source.report, env);
  }

  /**
   * "I did not understand": the closest questions, as buttons that ask them. The sentence's
   * words are not matched against the tenant's names again: names were read first
   * (understanding.ts), so a sentence that holds one never gets here, and a word that is
   * no name would otherwise become one (the "a" of "... on passes a month?" named
   * "Finance (Pay-as-you-go)" by the start of its "as").
   */
  private async unclear(q: Extract<Question, { kind: 'unclear' }>, turn: Turn): Promise<CardView> {
    // The classifier's closest, then the questions asked most, in names a person knows; nothing said is repeated (issue 12).
    const didYouMean = (v: AnalyzedTenant): ViewOf<'choice'> => {
      const offered = new Set<string>();
      for (const c of [...q.closest, ...FALLBACK_SUGGESTIONS]) if (offered.size < 3) offered.add(phrase(c, v));
      return choiceCard('I did not understand that question', 'Did you mean one of these?', [...offered].map((text) => ({ title: text, verb: 'ask' as const, text })));
    };
    return this.fromTenant(turn, didYouMean);
  }

  private async withStore(answer: (store: SubscriptionStore) => Promise<CardView>): Promise<CardView> {
    const store = this.options.subscriptions;
    if (!store) return errorCard('The digest is not set up here', 'This PassLens has no storage for subscriptions.', 'Whoever runs PassLens sets PASSLENS_DATA_DIR or PASSLENS_STORAGE_CONNECTION_STRING (see docs/configuration.md).');
    return answer(store);
  }

  private subscribe(said: Subscription['schedule'], unsaid: readonly SchedulePart[], turn: Turn): Promise<CardView> {
    return this.withStore(async (store) => {
      const reference = turn.reference();
      const now = this.now();
      let reactivated = false;
      let schedule = said;
      await store.update(reference.conversation.id, (current) => {
        reactivated = Boolean(current && !current.active);
        // "move it to fridays": the time and zone already here stay.
        schedule = current?.schedule && unsaid.length ? keepingUnsaid(said, unsaid, current.schedule) : said;
        return {
          ...(current ?? {}),
          conversationId: reference.conversation.id,
          reference,
          schedule,
          active: true,
          inactiveReason: undefined,
          createdBy: turn.askedBy,
          createdAt: now.toISOString(),
        } as Subscription;
      });
      this.options.logger.info('digest subscribed', { conversationId: reference.conversation.id, schedule: schedule.description });
      return subscribedCard(schedule, now, reactivated ? 'resumed' : 'new');
    });
  }

  /** "new upload": the files dropped here are deleted, and the next drop starts a new set. */
  private async clearUploads(turn: Turn): Promise<CardView> {
    const names = (await this.options.uploads?.clear(turn.place)) ?? [];
    const next = 'The next report you drop here starts a new analysis.';
    const choices: Choice[] = [
      { title: 'Overview of the tenant', verb: 'ask', text: 'overview' },
      { title: 'How do I upload?', verb: 'ask', text: 'how do I upload the csv?' },
    ];
    if (!names.length) return choiceCard('No uploads to clear', `No reports dropped here are waiting to be combined. ${next}`, choices);
    return choiceCard('Uploads cleared', `I forgot ${names.join(', ')} and deleted ${names.length > 1 ? 'them' : 'it'}. ${next}`, choices);
  }

  private unsubscribe(turn: Turn): Promise<CardView> {
    return this.withStore(async (store) => {
      const existed = await store.update(turn.place, (current) => (current && current.active ? { ...current, active: false, inactiveReason: undefined, claim: undefined } : null));
      return unsubscribedCard(existed ? 'stopped' : 'nothing to stop');
    });
  }

  /**
   * Answers from the tenant's data (read again, or from the cache) or from the upload a
   * button asks about; while the tenant is read, turn.progress keeps the asker company,
   * so a slow tenant never looks like a dead bot.
   */
  private async fromTenant(turn: Turn, answer: (tenant: AnalyzedTenant) => CardView, reading: TenantReading = { refresh: false }): Promise<CardView> {
    const source = await this.source(turn, reading);
    return 'card' in source ? source : answerFrom(source, answer);
  }

  /** The upload a button asks about, or the tenant; an error card when neither can be had. */
  private async source(turn: Turn, reading: TenantReading = { refresh: false }): Promise<AnalyzedTenant | CardView> {
    const { tenant } = this.options;
    if (turn.upload) {
      return (
        tenant.upload(turn.upload) ??
        errorCard(
          'That uploaded file is no longer kept',
          'PassLens keeps the last three uploads for an hour so their buttons can answer from them, as memory allows: a large upload makes room by forgetting older ones first. This one has gone.',
          'Drop the file again to explore it, or ask "overview" for your tenant as it is now.',
        )
      );
    }
    const willFetch = reading.refresh || tenant.isStale();
    // "refresh" also collects the audit log's latest launches, in the background (the answer is updated when they are in).
    if (reading.refresh) this.options.collectLaunches?.();
    try {
      const waitMs = this.options.tenantWaitMs ?? TENANT_WAIT_MS;
      // A reading that already outlasted a turn's bound is not waited on again (a typed turn reads the names, then answers).
      const deadline = Date.now() + (this.lateReading ? 0 : waitMs);
      if (willFetch && !this.lateReading) await turn.progress?.fetching();
      const pending = reading.refresh ? tenant.refresh() : tenant.get();
      if (willFetch && turn.progress && !this.lateReading) {
        let timer: NodeJS.Timeout | undefined;
        const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), Math.min(this.options.slowNoticeMs ?? 1000, waitMs))));
        const first = await Promise.race([pending.then(() => 'done' as const), slow]);
        clearTimeout(timer);
        if (first === 'slow') await turn.progress.slow();
      }
      const remaining = Math.max(0, deadline - Date.now());
      let bound: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (bound = setTimeout(() => resolve('late'), remaining)));
      // A reading that fails after the turn answered is told to the next asker, who waits on a new one.
      pending.catch(() => undefined);
      const outcome = await Promise.race([pending, late]);
      clearTimeout(bound);
      if (outcome === 'late') {
        if (!this.lateReading) this.lateReading = pending.then(() => undefined, () => undefined).finally(() => (this.lateReading = null));
        this.options.logger.info('tenant reading outlasted the turn', { waitedMs: waitMs });
        return errorCard(
          'Your tenant is still being read',
          `Microsoft's admin APIs have not answered within ${Math.round(waitMs / 1000)} s (a slow or throttling service), so your tenant's environments, apps, allocations and licenses are not here yet. The reading goes on.`,
          'Ask again in a minute; if it keeps saying this, say "refresh" or "check setup".',
        );
      }
      return outcome;
    } catch (e) {
      const failure = describeFailure(e);
      this.options.logger.error('tenant data failed', { error: failure.logLine });
      return errorCard(failure.title, failure.message, failure.action);
    }
  }
}

/** The answer as a card; an upload's card carries the upload's id on every button, so they answer from it too. */
export function answerFrom(tenant: AnalyzedTenant, answer: (tenant: AnalyzedTenant) => CardView): CardView {
  const view = answer(tenant);
  return tenant.uploadId && view.card !== 'error' ? { ...view, buttonData: { upload: tenant.uploadId } } : view;
}
