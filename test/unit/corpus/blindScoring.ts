import type { QuestionReader } from '../../../src/conversation/understanding';
import type { Question } from '../../../src/conversation/question';
import { resolveApp, resolveEnvironment, resolveUser } from '../../../src/conversation/resolve';
import { AnswerMemory } from '../../../src/conversation/followUp';
import type { TenantNames } from '../../../src/conversation/tenantNames';
import type { AnalyzedTenant } from '../../../src/tenant/analyzedTenant';
import { answerKind } from './demoReading';
import TRAINING from '../../../src/conversation/corpus/training.json';
import { bandLines, TrainingSimilarity } from './similarity';

/**
 * How a blind set is scored, for every blind set alike (blindSet.test.ts, sealedBlindSet.test.ts):
 * each phrasing is read by the real understanding with the demo tenant's names, after the
 * question before it in the same chat when it is a follow-up; it is right when the kind of
 * answer AND every name it expects (environment, app, user, month, schedule) are right, and
 * no name is read that it does not expect.
 */

export interface BlindEntry {
  id: number;
  text: string;
  lang: 'en' | 'de' | 'fr';
  after?: string;
  expect: {
    kind: string;
    environment?: string;
    app?: string;
    user?: string;
    month?: number;
    schedule?: { day: string; hour: number; timeZone?: string };
  };
}

/** The demo tenant's analysis is of November 2026: "last month" is counted from its data's date. */
const NOW = new Date('2026-11-29T12:00:00Z');
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The kind an entry expects, mapped as answerKind maps a Question (corpus/demoReading.ts). */
function expectedKind(expect: BlindEntry['expect']): string {
  return (expect.kind === 'over' || expect.kind === 'why') && expect.environment ? 'environment' : expect.kind;
}


/**
 * Why a question is not the answer expected, or null when it is. A follow-up ("why is
 * that?" after "are we over in Contoso Sales?") continues in the environment of the
 * question before it: the entry lists the names it says itself, so an environment
 * that comes from the question before (and only from there) is not a name read extra.
 */
function wrong(view: AnalyzedTenant, read: Question, expect: BlindEntry['expect'], before: Question | null): string | null {
  const carried = before && 'environment' in before && before.environment && 'environment' in read && read.environment && JSON.stringify(before.environment) === JSON.stringify(read.environment);
  const question = carried && !expect.environment ? ({ ...read, environment: undefined } as Question) : read;
  if (answerKind(question) !== expectedKind(expect)) return `read as ${question.kind}`;
  const envRef = 'environment' in question ? question.environment : undefined;
  const env = envRef ? resolveEnvironment(view, envRef) : null;
  const envName = env && 'name' in env ? env.name : env ? 'no match' : undefined;
  if (envName !== expect.environment) return `environment ${envName ?? 'none'}`;
  const app = question.kind === 'app' ? resolveApp(view, question.app) : null;
  const appName = app && 'app' in app ? app.app.appName : app ? 'no match' : undefined;
  if (appName !== expect.app) return `app ${appName ?? 'none'}`;
  const upn = question.kind === 'user' ? resolveUser(view, question.user) : undefined;
  const user = typeof upn === 'string' ? upn : upn ? 'no match' : undefined;
  if (user !== expect.user) return `user ${user ?? 'none'}`;
  const month = question.kind === 'trend' ? question.since : question.kind === 'buyBefore' ? question.month : undefined;
  if (expect.month !== undefined && month !== expect.month) return `month ${month ?? 'none'}`;
  if (expect.schedule) {
    if (question.kind !== 'subscribe' || !('schedule' in question)) return `schedule not read: ${'problem' in question ? question.problem : ''}`;
    const [minute, hour, , , day] = question.schedule.cron.split(' ');
    const said = `${DAYS[Number(day)]} ${hour}${minute === '0' ? '' : `:${minute}`} ${question.schedule.timezone}`;
    if (DAYS[Number(day)] !== expect.schedule.day || Number(hour) !== expect.schedule.hour || (expect.schedule.timeZone && question.schedule.timezone !== expect.schedule.timeZone)) return `schedule ${said}`;
  }
  return null;
}


export interface Scored {
  entry: BlindEntry;
  why: string | null;
  similarity: number;
}

/** Reads every entry, prints the accuracy by language, kind, follow-ups and similarity band and the misses; returns the share right. */
export async function scoreBlindSet(
  title: string,
  entries: BlindEntry[],
  reading: { reader: QuestionReader; view: AnalyzedTenant; names: TenantNames },
  /** A sealed set prints its figures only, so that nobody tunes to its entries. */
  options: { showMisses: boolean } = { showMisses: true },
): Promise<number> {
  const { reader, view, names } = reading;
  const similarity = new TrainingSimilarity(TRAINING, names);
  const results: { entry: BlindEntry; why: string | null; similarity: number }[] = [];
  for (const entry of entries) {
    // One chat per entry: a follow-up continues only the question asked before it there.
    const memory = new AnswerMemory();
    const before = entry.after ? await reader.read(entry.after, { names, now: NOW }) : null;
    if (before) memory.remember('chat', 'admin', before);
    const question = await reader.read(entry.text, { names, now: NOW, context: memory.recall('chat', 'admin') });
    results.push({ entry, why: wrong(view, question, entry.expect, before), similarity: similarity.nearest(entry.text).similarity });
  }
  const share = (xs: typeof results) => `${xs.filter((r) => !r.why).length}/${xs.length} = ${((xs.filter((r) => !r.why).length / xs.length) * 100).toFixed(1)}%`;
  console.log(`      ${title}: ${share(results)}`);
  for (const lang of ['en', 'de', 'fr']) console.log(`        ${lang}: ${share(results.filter((r) => r.entry.lang === lang))}`);
  for (const kind of [...new Set(entries.map((e) => e.expect.kind))].sort()) console.log(`        ${kind}: ${share(results.filter((r) => r.entry.expect.kind === kind))}`);
  console.log(`        follow-ups: ${share(results.filter((r) => r.entry.after))}`);
  for (const line of bandLines(results.map((r) => ({ similarity: r.similarity, right: !r.why })))) console.log(`        ${line}`);
  const misses = results.filter((r) => r.why);
  if (misses.length && options.showMisses) console.log(misses.map((r) => `  #${r.entry.id} ${r.entry.expect.kind}${r.entry.after ? ' (follow-up)' : ''}: ${r.why}`).join('\n'));
  return (results.length - misses.length) / results.length;
}
