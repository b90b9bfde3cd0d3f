import type { ChangeAsked } from './changeAsked';
import type { TermsCompared } from './glossary';
import type { DigestSchedule, SchedulePart } from '../digest/schedule';
import type { RuleId } from '../licensing/rules';

/**
 * What an admin asks, whether typed in their own words or sent by a card's button. The
 * router (router.ts) answers each kind; names stay as said here and are resolved
 * forgivingly against the tenant there.
 */

/** An environment as a button knows it (its id) or as a person said it. */
export type EnvironmentRef = { id: string } | NameSaid;

/** A name as typed, and the whole sentence, where a full name may appear among other words. */
export interface NameSaid {
  name: string;
  said: string;
}

export type Question = (
  | { kind: 'help' }
  /** "thanks!", "ok, got it": no question; a short reply, and the last answer stays the one a follow-up continues. */
  | { kind: 'thanks' }
  /** "what's R9?": a licensing rule the cards cite (licensing/rules.ts). */
  | { kind: 'rule'; rule: RuleId }
  | { kind: 'uploadHelp' }
  /** "new upload": forget the reports dropped here, so the next one starts a new set (tenant/uploadWindow.ts). */
  | { kind: 'clearUploads' }
  | { kind: 'overview' }
  | { kind: 'refresh'; environment?: EnvironmentRef }
  /** "is the data up to date?": when the figures were read, for which month, and when they are read again (dataAge.ts). */
  | { kind: 'dataAge' }
  /** A page is a page of the findings list; a question about one named environment gets its explanation. */
  | { kind: 'over'; environment?: EnvironmentRef; page?: number }
  | { kind: 'environment'; environment: EnvironmentRef; page?: number }
  | { kind: 'why'; environment?: EnvironmentRef }
  | { kind: 'misclassified'; environment?: EnvironmentRef; page?: number }
  | { kind: 'app'; app: { environmentId: string; appId: string } | NameSaid }
  | { kind: 'user'; user: { upn: string } | NameSaid }
  /** What to buy or change; for one environment, its actions only. */
  | { kind: 'advice'; environment?: EnvironmentRef }
  /** The findings as a CSV file (a card's download button): of one environment, or all. */
  | { kind: 'exportFindings'; environment?: EnvironmentRef }
  /** Months side by side: since a month (1-12) said, or whether switching auto-assign off worked. */
  | { kind: 'trend'; environment?: EnvironmentRef; since?: number; focus?: 'autoAssign' }
  /** `unsaid`: the parts of the slot the sentence left to the defaults, which a subscription already here keeps ("move it to fridays"). */
  | { kind: 'subscribe'; schedule: DigestSchedule; unsaid?: SchedulePart[] }
  /** "subscribe" with a schedule that could not be read: the problem, in words. */
  | { kind: 'subscribe'; problem: string }
  | { kind: 'unsubscribe' }
  | { kind: 'digestNow' }
  | { kind: 'digestStatus' }
  | { kind: 'checkSetup' }
  /** "who uses the most apps", "which environment wastes the most passes": the top of one list, in one environment or all; `top`: about the one at the top ("what does the guy with most apps consume"). */
  | { kind: 'ranking'; subject: RankedSubject; by: RankedBy; environment?: EnvironmentRef; top?: boolean }
  /** "do we need to buy before February?": yes or no with the reason, then the advice; the month said (1-12), if any. */
  | { kind: 'buyBefore'; month?: number; environment?: EnvironmentRef }
  /** "what do our passes cost?": the passes allocated at the per-app price, per month and year, and what the rules do not need; of one environment, or all. */
  | { kind: 'spend'; environment?: EnvironmentRef }
  /** "is this normal?" after an answer: the last answer's environment (or the tenant) against what is usual. */
  | { kind: 'isNormal'; environment?: EnvironmentRef; about?: QuestionKind }
  /** Too unsure to answer: the closest questions, to offer as buttons. */
  | { kind: 'unclear'; said: string; closest: Question[] }
) & {
  /** A month said ("2026-10") with a question answered for the data's month alone (questionSources.ts OF_THE_MONTH). */
  monthSaid?: string;
  /** A change asked of PassLens ("assign 5 more passes to HR"), which it cannot make: the answer says so, and where (changeAsked.ts). */
  change?: ChangeAsked;
  /** A name typed where an environment's goes that the tenant has none of ("is Marketing over?"): answered for all environments, with a line saying so (unknownName.ts). */
  nameNotKnown?: { said: string; near?: string[] };
  /** Words of the cards asked about side by side ("the difference between allocated and booked"): the answer, with a line that says what each means (glossary.ts). */
  termsCompared?: TermsCompared;
};

export type QuestionKind = Question['kind'];

export type RankedSubject = 'users' | 'apps' | 'environments';
/** What a ranking counts: apps used, passes booked, passes idle, passes over the allocation. */
export type RankedBy = 'apps' | 'passes' | 'idle' | 'over' | 'users' | 'licensed';

/** A question, and the uploaded CSV its card's button asks about (TenantService.upload), if any. */
export interface Asked {
  question: Question;
  upload?: string;
}
