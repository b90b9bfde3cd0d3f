import type { Question, QuestionKind, RankedBy, RankedSubject } from './question';
import type { SentenceRead } from './sentence';
import { asksOnItsOwn, continuesLast, repeatsLast } from './ellipsis';

/**
 * Follow-up questions: "and HR?", "what about last month?", "why?", "which apps?",
 * "show me the users" continue the last answer given in the same conversation to the
 * same person (its kind, environment, app, month). The last answers are kept in memory,
 * for a short while and for a bounded number of conversations, never across them.
 */

/** What a follow-up continues from: the last answer's question, by ids. */
export interface LastAnswer {
  kind: QuestionKind;
  environmentId?: string;
  app?: { environmentId: string; appId: string };
  upn?: string;
  month?: number;
  /** What a ranking ranked, so "and in HR?" after "who needs the most passes" ranks the same. */
  ranked?: { subject: RankedSubject; by: RankedBy };
}

/** Kinds answered about one environment when one is named. */
const ABOUT_AN_ENVIRONMENT = new Set<QuestionKind>(['over', 'environment', 'why', 'misclassified', 'trend', 'ranking', 'isNormal', 'exportFindings', 'buyBefore', 'spend']);
/** Kinds that, asked as a fragment or of "this" ("why?", "which apps?", "show me the users", "export this"), stay in the last answer's environment. */
const STAYS_IN_ENVIRONMENT = new Set<QuestionKind>(['why', 'misclassified', 'ranking', 'isNormal', 'exportFindings', 'spend', 'advice']);
/** What a follow-up of a name or month alone ("and HR?", "what about last month?") may ask again. */
const CONTINUED = new Set<QuestionKind>([...STAYS_IN_ENVIRONMENT, 'trend', 'environment', 'buyBefore', 'spend']);

/**
 * The question a sentence asks once the last answer is taken into account; null when
 * it does not continue one (build then reads it alone). `build` makes the question of
 * a kind from the sentence's own names.
 */
export function withContext(kind: QuestionKind | 'followUp', sentence: SentenceRead, last: LastAnswer | undefined, build: (kind: QuestionKind) => Question): Question | null {
  const has = (k: 'environment' | 'app' | 'user') => sentence.mentions.some((m) => m.kind === k) || (k === 'user' && Boolean(sentence.email));
  if (kind === 'followUp') {
    // Nothing to continue ("Diego Siciliani ... He uses Visit Planner in Sales. What does he need?"): the question about the first name said.
    const first = sentence.email ? 'user' : sentence.mentions[0]?.kind;
    // Nothing to continue, or a question of its own about the name ("do we need more passes for Operations?" after the trend): the question about the first name said.
    if (first && (!last || asksOnItsOwn(sentence))) return build(first);
    if (has('environment')) return again(build(last && ABOUT_AN_ENVIRONMENT.has(last.kind) ? last.kind : 'environment'), last);
    if (has('app')) return build('app');
    if (has('user')) return build('user');
    // "what about last month?" continues; "which environment was over in October?" asks afresh.
    if (sentence.month) return (continuesLast(sentence) ? (q: Question) => inLastEnvironment(q, last) : (q: Question) => q)(build(last?.kind === 'buyBefore' ? 'buyBefore' : 'trend'));
    if (last && last.kind !== 'unclear') return inLastEnvironment(again(build(last.kind === 'app' || last.kind === 'user' ? 'environment' : last.kind), last), last);
    return null;
  }
  if (!last) return null;
  // "in that one?", "same for Operations": no question of its own, so the last one again.
  if (last.kind !== 'unclear' && repeatsLast(sentence)) return withContext('followUp', sentence, last, build);
  const question = build(kind);
  // A question with its own scope, about a set of environments, or complete in itself starts fresh (ellipsis.ts).
  if (!STAYS_IN_ENVIRONMENT.has(question.kind) || !continuesLast(sentence)) return question;
  if (question.kind === 'isNormal') return { ...(inLastEnvironment(question, last) as typeof question), about: last.kind };
  // "what about last month?" after a trend keeps its month; "and HR?" after one keeps it too.
  return inLastEnvironment(question, last);
}

/** The last question asked again: a ranking ranks what it ranked. */
function again(question: Question, last: LastAnswer | undefined): Question {
  return question.kind === 'ranking' && last?.ranked ? { ...question, ...last.ranked } : question;
}

function inLastEnvironment(question: Question, last: LastAnswer | undefined): Question {
  const id = last?.environmentId ?? last?.app?.environmentId;
  // An environment question without one is the overview: asked again of the last answer's environment, that environment's card.
  if (!id || !('environment' in question || CONTINUED.has(question.kind) || question.kind === 'overview') || ('environment' in question && question.environment)) return question;
  if (question.kind === 'environment' || question.kind === 'overview') return { kind: 'environment', environment: { id } };
  return { ...question, environment: { id } } as Question;
}

/** The last answer a question gives to continue from; null for one that continues nothing ("help", "did you mean"). */
export function lastAnswerOf(question: Question): LastAnswer | null {
  switch (question.kind) {
    case 'help':
    case 'thanks':
    case 'rule':
    case 'unclear':
    case 'uploadHelp':
    case 'clearUploads':
    case 'subscribe':
    case 'unsubscribe':
    case 'digestStatus':
    case 'checkSetup':
    case 'dataAge':
      return null;
    case 'app':
      return 'appId' in question.app ? { kind: 'app', app: question.app, environmentId: question.app.environmentId } : { kind: 'app' };
    case 'user':
      return 'upn' in question.user ? { kind: 'user', upn: question.user.upn } : { kind: 'user' };
    default: {
      const ref = 'environment' in question ? question.environment : undefined;
      const month = question.kind === 'trend' ? question.since : question.kind === 'buyBefore' ? question.month : undefined;
      const ranked = question.kind === 'ranking' ? { ranked: { subject: question.subject, by: question.by } } : {};
      return { kind: question.kind, ...(ref && 'id' in ref && ref.id ? { environmentId: ref.id } : {}), ...(month ? { month } : {}), ...ranked };
    }
  }
}

/** The last answer per conversation and person: at most `size` of them, each for `ttlMs`. */
export class AnswerMemory {
  private readonly last = new Map<string, { answer: LastAnswer; at: number }>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly size = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  recall(conversationId: string, personId: string): LastAnswer | undefined {
    const key = keyOf(conversationId, personId);
    const kept = this.last.get(key);
    if (!kept) return undefined;
    if (this.clock() - kept.at > this.ttlMs) {
      this.last.delete(key);
      return undefined;
    }
    return kept.answer;
  }

  remember(conversationId: string, personId: string, question: Question): void {
    const answer = lastAnswerOf(question);
    if (!answer) return;
    const key = keyOf(conversationId, personId);
    // Re-inserted, so the Map's order is the order of use and the oldest goes first.
    this.last.delete(key);
    this.last.set(key, { answer, at: this.clock() });
    while (this.last.size > this.size) this.last.delete(this.last.keys().next().value as string);
  }
}

const keyOf = (conversationId: string, personId: string) => `${conversationId}\u0000${personId}`;
