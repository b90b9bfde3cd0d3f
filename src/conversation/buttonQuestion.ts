import type { EnvironmentRef, Question } from './question';

/**
 * What a card's button asks: the templates in src/cards/ write these fields, and each
 * button's verb names the question it asks.
 */

/** What a card's button sends back (the templates in src/cards/ write these fields). */
export interface ButtonData {
  verb?: string;
  environmentId?: string;
  appId?: string;
  upn?: string;
  page?: number | string;
  filter?: string;
  text?: string;
  upload?: string;
}

/** The question a button asks (one that carries words, verb "ask", is read as typed text by the reader instead). */
export function buttonQuestion(data: ButtonData): Question {
  // No page (or '', the "Back to the summary" button): the answer with the top findings; a number: that page of all of them.
  const page = data.page === undefined || data.page === '' ? undefined : Number(data.page) || 0;
  const environment: EnvironmentRef | undefined = data.environmentId ? { id: data.environmentId } : undefined;
  switch (data.verb) {
    case 'refresh':
      return { kind: 'refresh', environment };
    case 'environment':
      return {
        kind: 'environment',
        environment: environment ?? { id: '' },
        page,
      };
    case 'app':
      return {
        kind: 'app',
        app: {
          environmentId: data.environmentId ?? '',
          appId: data.appId ?? '',
        },
      };
    case 'user':
      return { kind: 'user', user: { upn: data.upn ?? '' } };
    case 'findings':
    case 'over':
    case 'misclassified':
      return {
        kind: (data.verb === 'findings' ? data.filter : data.verb) === 'over' ? 'over' : 'misclassified',
        environment,
        page,
      };
    case 'trend':
      return { kind: 'trend', environment };
    case 'exportFindings':
      return { kind: 'exportFindings', environment };
    // What to buy, and what the passes cost: of the environment the card was about, or all.
    case 'advice':
    case 'spend':
      return { kind: data.verb, environment };
    case 'overview':
    case 'uploadHelp':
    case 'clearUploads':
    case 'unsubscribe':
    case 'digestNow':
    case 'digestStatus':
    case 'checkSetup':
    case 'dataAge':
      return { kind: data.verb };
    default:
      return { kind: 'help' };
  }
}
