import { fold } from './tenantNames';
import { choiceCard } from './choiceCard';
import type { ViewOf } from '../cards/render';

/**
 * Thanks and acknowledgements said on their own ("thanks!", "ok, got it", "merci
 * beaucoup", "danke dir"): no question, so no "I did not understand" and no guess at one.
 * Only the whole sentence counts: "thanks, and HR?" is still a question.
 */
const COURTESIES = new Set(
  [
    'thanks', 'thank you', 'thanks a lot', 'thank you very much', 'many thanks', 'thanks so much', 'thank you so much', 'thx', 'ty', 'cheers',
    'great thanks', 'great thank you', 'perfect thanks', 'perfect', 'great', 'awesome', 'nice', 'cool', 'ok', 'okay', 'ok thanks', 'okay thanks',
    'got it', 'got it thanks', 'ok got it', 'understood', 'makes sense', 'that helps', 'very helpful', 'helpful thanks',
    'danke', 'danke dir', 'danke schon', 'vielen dank', 'danke sehr', 'super danke', 'alles klar', 'verstanden',
    'merci', 'merci beaucoup', 'merci bien', 'super merci', 'parfait', 'parfait merci', 'd accord', 'compris',
  ].map((s) => s.split(' ').map(fold).join(' ')),
);

/** A thumbs up, an OK hand, folded hands, a tick, a smile: a thanks in Teams, sent alone. */
const THANKS_EMOJI = /^(?:[\s!.]|\u{1F44D}|\u{1F44C}|\u{1F64F}|\u{2705}|\u{2714}|\u{1F642}|\u{1F60A}|\u{1F600}|\u{1F44F}|\u{263A}|\u{FE0F}|[\u{1F3FB}-\u{1F3FF}])+$/u;

/** Whether a sentence is only a thanks or an acknowledgement. */
export function isCourtesy(said: string): boolean {
  // The longest is "thank you very much" and a few emoji: a longer sentence is a question (read on every turn).
  if (said.length > 40) return false;
  if (THANKS_EMOJI.test(said) && /[^\s!.]/u.test(said)) return true;
  const words = fold(said).split(/[^\p{L}]+/u).filter(Boolean);
  return words.length > 0 && words.length <= 5 && COURTESIES.has(words.join(' '));
}

/** What a thanks offers next: the questions asked most. */
const NEXT = ['Are we over?', 'Overview', 'What should we buy?'];

/** "You're welcome", and three questions to ask next. */
export function welcomeCard(): ViewOf<'choice'> {
  return choiceCard("You're welcome", 'Anything else? For example:', NEXT.map((text) => ({ title: text, verb: 'ask' as const, text })));
}
