import { fold } from './tenantNames';

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

/** Whether a sentence is only a thanks or an acknowledgement. */
export function isCourtesy(said: string): boolean {
  const words = fold(said).split(/[^\p{L}]+/u).filter(Boolean);
  return words.length > 0 && words.length <= 5 && COURTESIES.has(words.join(' '));
}
