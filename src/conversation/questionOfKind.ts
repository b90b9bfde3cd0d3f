import { readSchedule, ScheduleError } from '../digest/schedule';
import type { EnvironmentRef, Question, QuestionKind } from './question';
import type { Mention } from './tenantNames';
import type { SentenceRead } from './sentence';
import { AUTO_ASSIGN } from './questionKind';
import { rankingAsked } from './ranking';
import { saysWhen, scheduleInWords } from './scheduleWords';
import type { ReadOptions } from './understanding';

/**
 * The question of a given kind that a sentence asks, with the names found in it. A kind
 * that needs a name the sentence does not hold is asked at the level it allows (every
 * environment, every user), or of the name of another kind it does hold.
 */
/** The first name of a kind in the sentence: its id when it means one thing, the words said when several (the router asks which). */
function refOf(mentions: readonly Mention[], kind: Mention['kind']): EnvironmentRef | { environmentId: string; appId: string } | { upn: string } | undefined {
  const m = mentions.find((x) => x.kind === kind);
  if (!m) return undefined;
  if (m.candidates.length > 1) return { name: m.said, said: m.said };
  const thing = m.candidates[0];
  if (kind === 'environment') return { id: thing.id };
  if (kind === 'app') return { environmentId: thing.environmentId ?? '', appId: thing.id };
  return { upn: thing.id };
}

export function questionOfKind(kind: QuestionKind, said: string, sentence: SentenceRead & { asked?: string }, options: ReadOptions, asked: string): Question {
  const environment = refOf(sentence.mentions, 'environment') as EnvironmentRef | undefined;
  const app = refOf(sentence.mentions, 'app') as Extract<Question, { kind: 'app' }>['app'] | undefined;
  const user = sentence.email ? { upn: sentence.email } : (refOf(sentence.mentions, 'user') as Extract<Question, { kind: 'user' }>['user'] | undefined);
  // Several environments or apps named ("25 to Contoso Sales, 10 to HR and 40 to Operations"): the question is about none of them alone.
  const several = (k: 'environment' | 'app') => new Set(sentence.mentions.filter((m) => m.kind === k).map((m) => m.candidates.map((c) => c.id).join())).size > 1;
  const env = environment && !several('environment') ? { environment } : {};
  // "Would a per user license be cheaper for her?" after "Wanda Okafor opens 6 apps": a tenant-wide question asked of one person is that person's card.
  const ofOnePerson = user && !app && (!environment || several('environment'));
  switch (kind) {
    case 'over':
    case 'why':
    case 'misclassified':
      // "why is Timesheet booked as AppPass?": a question about the app.
      if (app && !environment && !several('app')) return { kind: 'app', app };
      if (ofOnePerson) return { kind: 'user', user };
      return { kind, ...env };
    case 'environment':
      // "Deal Desk uses Dataverse ... It's in Contoso Sales": the first name said is what the text is about.
      if (app && environment && !several('app') && sentence.mentions[0]?.kind === 'app') return { kind: 'app', app };
      if (user && (several('environment') || !environment)) return { kind: 'user', user };
      if (app && (several('environment') || !environment) && !several('app')) return { kind: 'app', app };
      if (environment && !several('environment')) return { kind, environment };
      return { kind: 'overview' };
    case 'trend':
      return {
        kind,
        ...env,
        ...(sentence.month ? { since: sentence.month } : {}),
        ...(AUTO_ASSIGN.test(said) ? { focus: 'autoAssign' as const } : {}),
      };
    case 'app':
      if (user && (several('app') || !app)) return { kind: 'user', user };
      if (app && !several('app')) return { kind, app };
      if (environment && !several('environment')) return { kind: 'environment', environment };
      // No app named: the apps booked against their classification, all of them.
      return { kind: 'misclassified', ...env };
    case 'user':
      if (user) return { kind, user };
      if (app) return { kind: 'app', app };
      // "what does the guy with most apps consume": no one named, so everyone, ranked.
      return { kind: 'ranking', ...rankingAsked(said, 'users'), ...env, top: true };
    case 'ranking':
      // "show me Lee Gu's licenses" is about Lee Gu, not a list.
      if (user) return { kind: 'user', user };
      return { kind, ...rankingAsked(said), ...env };
    case 'buyBefore':
      return {
        kind,
        ...env,
        ...(sentence.month ? { month: sentence.month } : {}),
      };
    case 'advice':
      if (ofOnePerson) return { kind: 'user', user };
      return { kind, ...env };
    case 'isNormal':
    case 'spend':
    case 'exportFindings':
    case 'refresh':
      return { kind, ...env };
    case 'subscribe':
      try {
        // "Our team meets Mondays at 10. Could you post it every Monday at 9?": the slot of the sentence that asks, when it says one.
        const { schedule, unsaid } = readSchedule(scheduleInWords(saysWhen(asked) ? asked : said), options);
        return { kind, schedule, ...(unsaid.length ? { unsaid } : {}) };
      } catch (e) {
        if (e instanceof ScheduleError) return { kind, problem: e.message };
        throw e;
      }
    case 'unclear':
      return { kind, said, closest: [] };
    case 'rule':
      // Never a kind the classifier gives: a rule is read by its number (ruleCard.ts).
      return { kind: 'help' };
    default:
      return { kind };
  }
}

