import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { ViewOf } from '../cards/render';
import { monthName } from '../licensing/months';
import { plural, utcMinute } from '../licensing/wording';
import { subtitle } from './findingItems';

/**
 * A question about how old the figures are ("is the data up to date?", "how fresh is this",
 * "when did you last read the tenant?", "sind die Zahlen aktuell?", "les données sont-elles
 * à jour ?"), told by its words before the classifier: a trained kind of its own moved 59
 * readings of 1,536 phrasings and cost phrasings of the blind sets, and "mets à jour"
 * (update) is the refresh. A sentence that asks for a fresh read is the refresh, not this.
 */
const AGE_ASKED = new RegExp(
  [
    String.raw`\bup[\s-]to[\s-]date\b`,
    String.raw`\bhow (fresh|old|recent|current|stale)\b`,
    String.raw`\bwhen (did|do|will) you (last |next )?(read|fetch|pull|refresh|update|sync)\w*`,
    String.raw`\bwhen (was|were) (the|this|these|that|those) (data|numbers?|figures?|report)\b`,
    String.raw`\b(last|latest) (refresh|refreshed|update|updated|read|fetch|fetched|sync|synced)\b`,
    String.raw`\breal[\s-]?time\b`,
    String.raw`\b(is|are) (this|these|that|those|the) (data|numbers|figures) (live|current|cached|from today)\b`,
    String.raw`\bis (this|that|it) (live|cached)\b`,
    String.raw`\bhow often do you (read|refresh|update|fetch|sync|check|look|pull)`,
    String.raw`\bwie oft (liest|aktualisierst|lädst) du\b`,
    String.raw`à quelle fréquence`,
    String.raw`\b(sind|ist) (die|das|diese) (daten|zahlen)? ?(aktuell|live|von heute)\b`,
    String.raw`\bwie (aktuell|alt|frisch) (sind|ist)\b`,
    String.raw`\bvon wann (sind|ist|stammen)\b`,
    String.raw`\bzuletzt (gelesen|aktualisiert|geladen|abgerufen)\b`,
    String.raw`\b(sont|est)[\s-](elles|ils|ce) (bien )?à jour\b`,
    String.raw`\bde quand (datent|date)\b`,
    String.raw`\btemps réel\b`,
    String.raw`\bdernière (mise à jour|lecture|actualisation)\b`,
  ].join('|'),
  'i',
);
/** Asking for a fresh read ("update them", "mets à jour", "neu laden"): the refresh. */
const READ_AGAIN = /\b(refresh|reload|re-?read|re-?fetch|resync|sync again|fetch (it|them|the \w+) again|update (it|them|the (data|numbers|figures))|mets à jour|actualise|rafraîchi|aktualisier|neu (laden|lesen|abrufen))/i;

/** "those numbers are from yesterday, can you update them": a fresh read asked, in words the classifier missed. */
export function readAgainAsked(said: string): boolean {
  return READ_AGAIN.test(said) && !HOW_OFTEN.test(said);
}

/** "how often do you refresh?": how often it reads, not a request to read. */
const HOW_OFTEN = /\bhow often\b|\bwie oft\b|à quelle fréquence/i;

/** Whether a sentence asks how old the figures are (and not for a fresh read). */
export function ageAsked(said: string): boolean {
  // Read on every turn: the long pattern only for sentences of a question's length.
  return said.length <= 160 && AGE_ASKED.test(said) && !readAgainAsked(said);
}

/**
 * "is the data up to date?", "how old are these figures?": when PassLens read the tenant,
 * which month its figures are for, what it read them from, what it could not read, and
 * when it reads again, with a button that reads now. Answered from the figures the other
 * answers use, never by reading again to find out.
 */
export function dataAgeCard(tenant: AnalyzedTenant, now: Date, maxAgeMs: number): ViewOf<'answer'> {
  const { report } = tenant;
  const readAt = utcMinute(tenant.fetchedAt);
  const age = ago(now.getTime() - tenant.fetchedAt.getTime());
  const month = report.month ? monthName(report.month) : null;
  const launches =
    report.usageUnknown !== null
      ? `not known: ${report.usageUnknown.replace(/\.$/, '')}`
      : report.launchesIncomplete
        ? `read in part: ${report.launchesIncomplete.replace(/\.$/, '')}`
        : month
          ? `read for all of ${month}`
          : 'read';
  const every = plural(Math.round(maxAgeMs / 60_000), 'minute');
  return {
    card: 'answer',
    data: {
      title: 'How fresh the figures are',
      subtitle: subtitle(tenant),
      answer: `Read ${age}; ${month ? `the figures are for ${month}, the latest month in the data` : 'no month: the data holds no launches'}.`,
      answerColor: 'Default',
      facts: [
        { title: 'Read at', value: `${readAt} (${age})` },
        { title: 'Launches', value: launches },
        { title: 'Read again', value: `when a question comes once the figures are over ${every} old, or now with "Read again now"` },
      ],
      itemsTitle: '',
      items: [],
      // Microsoft's side lags too (R21): a fresh read does not show a license assigned this morning.
      note: 'Microsoft\'s own data lags: a per-user license assigned in the last few days can take up to 7 days to show in its exports (R21).',
      buttons: [
        { title: 'Read again now', text: 'refresh' },
        { title: 'Overview', text: 'overview' },
      ],
    },
  };
}

/** "4 minutes ago", "just now", "2 hours ago". */
function ago(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}
