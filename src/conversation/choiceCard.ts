import type { ViewOf } from '../cards/render';
import type { ChoiceButton } from '../cards/views';

/** The two cards of a reply that is not an answer: something went wrong, or which one did you mean. */
export function errorCard(title: string, message: string, action: string, details: string[] = []): ViewOf<'error'> {
  return { card: 'error', data: { title, message, action, details } };
}

export type Choice = Pick<ChoiceButton, 'title' | 'verb'> & Partial<ChoiceButton>;

export function choiceCard(title: string, message: string, choices: Choice[]): ViewOf<'choice'> {
  return {
    card: 'choice',
    data: { title, message, choices: choices.slice(0, 5).map((c) => ({ environmentId: '', appId: '', upn: '', text: '', ...c })) },
  };
}
