import type { CardView, LineAbove } from '../cards/render';
import type { EnvironmentReport } from '../licensing/report';
import { MONTH_NAMES, monthName } from '../licensing/months';
import type { Question } from './question';
import { WHERE_TO_CHANGE } from './changeAsked';
import { noSuchEnvironmentLine } from './unknownName';
import { TERMS_EXPLAINED } from './glossary';

/**
 * What a line above an answer says about how it answers what was asked, when that is not
 * plain from the card: a change asked that PassLens cannot make ("assign 5 more passes to
 * HR"), a name the tenant lacks ("is Marketing over?"), a month that is not the data's
 * ("are we over in October?"), what the words of its figures mean ("allocated vs booked"). Top first; the bot puts "from the files dropped here" above them.
 */
export function linesAbove(view: CardView, question: Pick<Question, 'monthSaid' | 'change' | 'nameNotKnown' | 'termsCompared'>, data: { month: string | null; environments: readonly EnvironmentReport[] } | null, upload?: string): CardView {
  if (view.card === 'error') return view;
  const { change, nameNotKnown, monthSaid, termsCompared } = question;
  // A choice card asks which one: no answer yet for a line to qualify, but a change is still not made.
  const answered = data && view.card !== 'choice';
  const lines = [
    change ? { text: WHERE_TO_CHANGE[change] } : null,
    answered && nameNotKnown ? noSuchEnvironmentLine(nameNotKnown, data.environments, view.card === 'overview') : null,
    answered && monthSaid ? monthLine(monthSaid, data.month, upload) : null,
    termsCompared ? { text: TERMS_EXPLAINED[termsCompared] } : null,
  ].filter((l): l is LineAbove => l !== null);
  return lines.length ? { ...view, linesAbove: [...(view.linesAbove ?? []), ...lines] } : view;
}

/**
 * Whose figures these are, asked of another month: of an earlier one, with the months side
 * by side a button away; of a later one ("this month" while the data is last month's), that
 * it is not in the data yet. Nothing when it is the data's month, or the data has none (its card says so).
 */
function monthLine(monthSaid: string, month: string | null, upload?: string): LineAbove | null {
  if (!month || month === monthSaid) return null;
  if (monthSaid > month) return { text: `${monthName(monthSaid)} is not in the data yet: these figures are for ${monthName(month)}, the latest month it has.` };
  const said = MONTH_NAMES[Number(monthSaid.slice(5)) - 1];
  return {
    text: `You asked about ${monthName(monthSaid)}: these figures are for ${monthName(month)}, the month the data is for.`,
    // Asked of the same data: an upload's trend from its files.
    button: { title: `Trend since ${said}`, data: { verb: 'ask', text: `trend since ${said}`, ...(upload ? { upload } : {}) } },
  };
}
