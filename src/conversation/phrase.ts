import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentRef, Question } from './question';

/**
 * The question said back in words: what a "did you mean" button shows and asks. The reader
 * gives the tenant's names as ids, so with the tenant an id is said as its display name.
 */
export function phrase(question: Question, tenant?: AnalyzedTenant): string {
  const env = (ref: EnvironmentRef | undefined) => (!ref ? '' : 'name' in ref ? ref.name : (tenant?.report.environments.find((e) => e.id === ref.id)?.name ?? ''));
  const appName = (ref: { environmentId: string; appId: string } | { name: string }) =>
    'name' in ref ? ref.name : (tenant?.report.environments.find((e) => e.id === ref.environmentId)?.apps.find((a) => a.appId === ref.appId)?.appName ?? '');
  const inEnv = (ref: EnvironmentRef | undefined) => (env(ref) ? ` in ${env(ref)}` : '');
  switch (question.kind) {
    case 'help':
      return 'Help';
    case 'thanks':
      return 'Thanks';
    case 'rule':
      return `What is ${question.rule}?`;
    case 'uploadHelp':
      return 'How do I upload the Active users CSV?';
    case 'clearUploads':
      return 'New upload';
    case 'overview':
      return 'Overview';
    case 'refresh':
      return 'Refresh the data';
    case 'dataAge':
      return 'How fresh is the data?';
    case 'over':
      return `Are we over${inEnv(question.environment)}?`;
    case 'environment':
      return env(question.environment) ? `How many passes does ${env(question.environment)} use?` : 'Overview';
    case 'why':
      return `Why are standard apps booked as AppPass${inEnv(question.environment)}?`;
    case 'misclassified':
      return `Which apps are misclassified${inEnv(question.environment)}?`;
    case 'app':
      return appName(question.app) ? `Explain app ${appName(question.app)}` : 'Which apps are misclassified?';
    case 'user':
      return 'upn' in question.user ? `What does ${question.user.upn} consume?` : `What does ${question.user.name} consume?`;
    case 'advice':
      return 'What should we buy?';
    case 'exportFindings':
      return 'Download the findings';
    case 'trend':
      return question.focus === 'autoAssign' ? 'Did the auto-assign fix work?' : env(question.environment) ? `How has ${env(question.environment)} changed?` : 'Trend';
    case 'subscribe':
      return 'schedule' in question ? `Subscribe ${question.schedule.description}` : 'Subscribe';
    case 'unsubscribe':
      return 'Unsubscribe';
    case 'digestNow':
      return 'Digest now';
    case 'digestStatus':
      return 'Digest status';
    case 'checkSetup':
      return 'Check setup';
    case 'ranking':
      return question.subject === 'environments' ? (question.by === 'idle' ? 'Which environment wastes the most passes?' : 'Which environment books the most passes?') : question.subject === 'apps' ? (question.by === 'idle' ? 'Which apps did nobody launch?' : 'Which app has the most users?') : question.by === 'idle' ? 'Who launched no app?' : question.by === 'licensed' ? 'Who holds Power Apps Premium?' : 'Who uses the most apps?';
    case 'buyBefore':
      return 'Do we need to buy more passes?';
    case 'spend':
      return env(question.environment) ? `What do the passes of ${env(question.environment)} cost?` : 'What do our passes cost?';
    case 'isNormal':
      return 'Is this normal?';
    case 'unclear':
      return question.said;
  }
}

