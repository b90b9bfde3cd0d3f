import type { GaugeChart, LineChart, StackedBars, Fact } from './charts';

/**
 * The data each card template (the .json beside this file) is expanded with, one type
 * per template: a view that misses or misnames a field the template reads does not compile.
 */

export interface FindingItem {
  /** The id of the item's hidden evidence (rule, explanation, source fields), shown by "Why we think so". */
  whyId: string;
  title: string;
  color: string;
  ruleLine: string;
  explanation: string;
  fix: string;
  evidence: string;
  appId: string;
  environmentId: string;
}

interface Figures {
  allocated: string;
  booked: string;
  required: string;
}

/** What a card answering a drop says of the files combined (UploadWindows), with a "New upload" button. */
export interface UploadSetNote {
  notes: string[];
}

export interface OverviewData {
  title: string;
  subtitle: string;
  headline: string;
  headlineColor: string;
  /** What the allocated total leaves out of the rows, and why; empty when they add up. */
  totalsNote: string;
  totals: Figures & { overage: string; unused: string };
  sourceNotes: string[];
  /** The "Explain an environment" buttons: at most 5, Adaptive Cards' limit for an action set. */
  environmentActions: { id: string; name: string }[];
  chart: StackedBars;
  /** Set on the answer to a drop: the files combined and how to start over. */
  upload?: UploadSetNote;
  /** Every environment, the five most in need visible; "Show all N" (moreRows, a toggle) shows the rest. */
  environments: { id: string; rowId: string; visible: boolean; name: string; status: string; statusColor: string; figures: string }[];
  moreRows: string;
  moreRowIds: string[];
  /** From the audit log: what it cannot see, in one line under the totals; empty otherwise. */
  caveat: string;
  /** Behind "Why we think so" (id whySources): the audit log's sources in full, with every caveat. */
  why: string[];
}

export interface EnvironmentData {
  id: string;
  name: string;
  subtitle: string;
  answer: string;
  answerColor: string;
  figures: Figures & { gapLabel: string; gap: string; gapColor: string };
  flags: string;
  gauge: GaugeChart;
  months: LineChart;
  unknowns: string[];
  /** Lines that qualify the figures (what is expected to be booked, from the audit log), shown with the unknowns. */
  caveats: string[];
  /** From the audit log: what it cannot see, in one line; empty otherwise. */
  caveat: string;
  /** Behind "Why we think so" (in whyEnvironment): the audit log's sources in full, with every caveat. */
  sources: string[];
  findingsTitle: string;
  findings: readonly FindingItem[];
  /** The ids "Why we think so" shows: the environment's facts and each finding's evidence. */
  whyIds: string[];
  more: string;
  pageActions: { title: string; environmentId: string; page: number | '' }[];
  appActions: { title: string; environmentId: string; appId: string }[];
}

export interface AppData {
  name: string;
  subtitle: string;
  verdict: string;
  verdictColor: string;
  classification: string;
  autoAssign: string;
  /** Users, booked, needing a pass: in one line. */
  usage: string;
  /** Behind "Why we think so": where the classification and the setting come from, and the app's id. */
  evidence: string[];
  findings: FindingItem[];
  whyIds: string[];
  environmentId: string;
  environmentName: string;
}

export interface UserData {
  name: string;
  upn: string;
  verdict: string;
  licenses: string;
  passesNeeded: string;
  booked: string;
  comparison: string;
  environments: { name: string; apps: string[] }[];
  findings: FindingItem[];
  whyIds: string[];
}

export interface FindingsData {
  title: string;
  subtitle: string;
  /** The answer in one sentence; empty when there is nothing to find (then `empty` says so). */
  answer: string;
  answerColor: string;
  /** From the audit log: what it cannot see, in one line; empty otherwise. */
  caveat: string;
  /** Behind "Why we think so" (id whySources): the sources in full, with their caveats. */
  sources: string[];
  empty: string;
  findings: readonly FindingItem[];
  whyIds: string[];
  more: string;
  pageActions: { title: string; filter: 'over' | 'misclassified'; environmentId: string; page: number | '' }[];
}

export interface AdviceData {
  subtitle: string;
  /** The total saving of actions that can all be taken, in a sentence; empty when there is nothing to do. */
  answer: string;
  /** Sets of alternatives (one option, or "either ... or ..."), best first; the first three visible. */
  choices: { id: string; whyId: string; visible: boolean; options: { title: string; detail: string; saving: string }[]; rules: string[] }[];
  moreTitle: string;
  moreIds: string[];
  whyIds: string[];
  perUser: string[];
  /** R13: per environment, its passes against pay-as-you-go and Premium. */
  alternatives: string[];
  notes: string[];
}

export interface HelpData {
  title: string;
  intro: string;
  examples: string[];
  csvHint: string;
  digestHint: string;
  /** What the data cannot show (KNOWN_LIMITS), each with its rule. */
  limits: string[];
  /** The toggle that shows the hints and limits, which the card keeps folded. */
  moreTitle: string;
  /** Each asks its text, as if typed. */
  buttons: { title: string; text: string }[];
}

export interface ErrorData {
  title: string;
  message: string;
  action: string;
  details: string[];
}

/** A button of a choice card: what it opens (a question kind, "ask" for words) and the ids or words it carries. */
export interface ChoiceButton {
  title: string;
  verb: 'environment' | 'app' | 'user' | 'ask';
  environmentId: string;
  appId: string;
  upn: string;
  text: string;
}

export interface ChoiceData {
  title: string;
  message: string;
  choices: ChoiceButton[];
}

export interface DigestData {
  title: string;
  subtitle: string;
  quiet: boolean;
  quietLine: string;
  /** The week in one sentence: where it is over, how many findings are new and resolved. */
  answer: string;
  answerColor: string;
  /** Every environment, the five most in need visible; "Show all N" (moreRows, a toggle) shows the rest. */
  environments: { rowId: string; visible: boolean; name: string; figures: string; months: string; color: string }[];
  moreRows: string;
  moreRowIds: string[];
  trend: LineChart;
  /** The top three new findings in plain words, then how many more. */
  newFindings: string[];
  resolvedFindings: string[];
  newTitle: string;
  resolvedTitle: string;
  /** The best action of each set of alternatives (they can all be taken), at most three, and their total. */
  actionsTitle: string;
  actions: string[];
  /** Behind "Why we think so": the rules (with their labels) behind the findings and actions shown. */
  why: string[];
  buttons: { title: string; environmentId: string }[];
}

export interface TrendData {
  title: string;
  subtitle: string;
  answer: string;
  answerColor: string;
  details: string[];
  chartTitle: string;
  yAxisTitle: string;
  chart: LineChart;
  hint: string;
  buttons: { title: string; environmentId: string }[];
}

export type { Fact };

/** A fact row whose value may be a link: "[text](url)after" (AnswerData.links). */
export interface LinkFact {
  title: string;
  text: string;
  url: string;
  after: string;
}

export interface SubscriptionData {
  title: string;
  message: string;
  facts: { title: string; value: string }[];
}

/** "check setup": one row per source PassLens reads live (tenant/live/doctor.ts). */
export interface SetupData {
  title: string;
  subtitle: string;
  summary: string;
  summaryColor: string;
  checks: { status: string; color: string; title: string; detail: string; fix: string }[];
  note: string;
}

/** A short answer of a question kind without a card of its own (ranking, buy before, is this normal): the answer first, at most three figures, then the top rows. */
export interface AnswerData {
  title: string;
  subtitle: string;
  answer: string;
  answerColor: string;
  facts: Fact[];
  /**
   * Rows after the facts that may hold a link (the rule card's sources): `text` as the link
   * of `url`, then `after`; with no url, `text` and `after` as words. Only addresses of our
   * own (a rule's sources, a test keeps them https on SOURCE_HOSTS), never tenant data.
   */
  links?: LinkFact[];
  itemsTitle: string;
  items: string[];
  note: string;
  /** Each asks its text, as if typed. */
  buttons: { title: string; text: string }[];
}

/** "What do our passes cost?": the allocation at the per-app price, per month and per year, and what the rules say is not needed (licensing/spend.ts). */
export interface SpendData {
  title: string;
  subtitle: string;
  answer: string;
  /** The big figures: per month, per year, and what could be saved per month ("not known yet" when unknown, never 0). */
  totals: { perMonth: string; perYear: string; savingLabel: string; saving: string; savingColor: string };
  facts: Fact[];
  /** What is not known yet, why, and how to find out. */
  unknowns: string[];
  rowsTitle: string;
  /** One row per environment with passes allocated (or an allocation not known); each opens its environment card. */
  environments: { id: string; name: string; cost: string; figures: string }[];
  /** The environments with no pass allocated, in one line; empty when there are none. */
  noPasses: string;
  notes: string[];
  /** A verb of buttonQuestion.ts with the environment it is about, or "ask" with words. */
  buttons: { title: string; verb: string; environmentId: string; text: string }[];
}

export interface CardData {
  overview: OverviewData;
  environment: EnvironmentData;
  app: AppData;
  user: UserData;
  findings: FindingsData;
  advice: AdviceData;
  help: HelpData;
  error: ErrorData;
  choice: ChoiceData;
  answer: AnswerData;
  spend: SpendData;
  digest: DigestData;
  subscription: SubscriptionData;
  trend: TrendData;
  setup: SetupData;
}
