/**
 * What a person typed, as a question PassLens can answer. Plain questions, not only
 * commands: "how many passes does Sales Prod use", "are we over?", "explain app
 * Timesheet", "what does jane@contoso.com consume". Names are left as text here and
 * resolved forgivingly against the tenant by the answers.
 */

export type Intent =
  | { kind: 'help' }
  | { kind: 'refresh' }
  | { kind: 'overview' }
  | { kind: 'over'; text: string }
  | { kind: 'misclassified'; environment?: string }
  | { kind: 'advice' }
  | { kind: 'app'; name: string }
  | { kind: 'user'; upn: string }
  | { kind: 'environment'; name: string; focus: 'passes' | 'why'; text: string }
  | { kind: 'subscribe'; schedule: string }
  | { kind: 'unsubscribe' }
  | { kind: 'digestNow' }
  | { kind: 'digestStatus' };

/** Words that carry the question, not a name: removed before names are matched. */
const FILLER = new Set(
  (
    'how many much passes pass does do did is are am we our the a an of in for to on at by with use uses used using consume consumes consuming ' +
    'why standard apps app booked booking bookings book as apppass apppasses appass per environment env environments explain show tell me about ' +
    'what whats which please can you could would give list report status get see check licensing licenses license count counted being getting ' +
    'there here this that it its and or vs versus premium over allocated allocation required need needs'
  ).split(' '),
);

export function normalizeQuestion(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseIntent(raw: string): Intent {
  const text = normalizeQuestion(raw);
  const lower = text.toLowerCase();
  if (!lower || /^(help|\?|hi|hello|hey|what can you do|commands|menu)\b/.test(lower)) return { kind: 'help' };
  const subscribe = /^subscribe\b\s*(.*)$/i.exec(text);
  if (subscribe) return { kind: 'subscribe', schedule: subscribe[1] };
  if (/^(unsubscribe|stop( the)? digest)\b/.test(lower)) return { kind: 'unsubscribe' };
  if (/^(digest( now)?|preview( the)? digest|send( the)? digest)\b/.test(lower)) return { kind: 'digestNow' };
  if (/^(status|digest status|subscription)\b/.test(lower)) return { kind: 'digestStatus' };
  if (/^(refresh|reload|update)\b|\brefresh( the)? data\b|\bfetch again\b/.test(lower)) return { kind: 'refresh' };
  const email = /[\w.+'-]+@[\w-]+(\.[\w-]+)+/.exec(text);
  if (email) return { kind: 'user', upn: email[0].toLowerCase() };
  if (/\b(what should we buy|should we buy|buy|advice|advise|recommend\w*|save money|savings|cheaper|cost|optimi[sz]e)\b/.test(lower)) return { kind: 'advice' };
  const app = /\b(?:explain|show|about|check)?\s*(?:the\s+)?app\s+["“]?(.+?)["”]?\s*\??$/i.exec(text);
  if (app && !/^(pass|passes)\b/i.test(app[1])) return { kind: 'app', name: app[1].trim() };
  if (/\b(misclassif\w*|wrongly|mismatch\w*|flagged wrong|wrong flag)\b/.test(lower)) {
    const rest = leftoverName(lower.replace(/\b(misclassif\w*|wrongly|mismatch\w*|flagged|wrong|flag)\b/g, ' '));
    return rest ? { kind: 'misclassified', environment: rest } : { kind: 'misclassified' };
  }
  if (/\b(are we over|over\s*\??$|overage|overused|over the limit|compliant|compliance|exceed\w*)\b/.test(lower)) return { kind: 'over', text };
  if (/^(overview|summary|tenant|all|everything|dashboard|report)\b/.test(lower)) return { kind: 'overview' };
  const name = leftoverName(lower);
  if (!name) return { kind: 'overview' };
  const focus = /\bwhy\b|\bstandard\b|\bbooked\b/.test(lower) ? 'why' : 'passes';
  return { kind: 'environment', name, focus, text };
}

function leftoverName(lower: string): string {
  return lower
    .replace(/[?!.,:;"“”]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !FILLER.has(w))
    .join(' ')
    .trim();
}
