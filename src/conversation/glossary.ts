import type { RuleId } from '../licensing/rules';

/**
 * "what is an app pass?", "what does AppPass mean?", "what's a managed environment?",
 * "per app vs per user?": the words of licensing an admin meets on the cards and in the
 * admin center, each answered by the rule that says what it is (ruleCard.ts). Only a
 * sentence that asks what a term is, and names nothing else: "what is premium in Sales
 * Prod?" is a question about Sales Prod's apps.
 */
const TERMS: readonly [RegExp, RuleId][] = [
  // "AppPass", one word: the report's booking of a launch against a pass.
  [/^(the |an )?(report'?s )?apppass( bookings?| column| numbers?| figures?| counts?| entries| rows?)?( in (the|our) (active users )?report)?$/i, 'R3'],
  [/^(a |the )?(per[\s-]?app )?(pass|passes)$/i, 'R1'],
  [/^(a |an |the )?per[\s-]?app( pass| plan| license| licence)?s?$/i, 'R1'],
  [/^(a |an |the )?app(?:[\s-]?pass(es)?|[\s-]pas)$/i, 'R1'],
  [/^(a |an |the )?(premium|standard)( app| apps| connector| connectors)?$/i, 'R7'],
  [/^(a |an |the )?(per[\s-]?app licensing( setting)?|auto[\s-]?assign( per[\s-]?app passes)?|pass assignment)$/i, 'R9'],
  [/^(a |an |the )?(pay[\s-]?as[\s-]?you[\s-]?go|payg|billing polic(y|ies))$/i, 'R10'],
  [/^(a |an |the )?managed environments?$/i, 'R8'],
  [/^(an |the )?overage$/i, 'R5'],
  [/^(an |the )?(allocation|capacity add[\s-]?ons?)$/i, 'R2'],
  [/^(a |the )?(premium per user|per[\s-]?user( license| licence| plan)?)$/i, 'R14'],
  [/^dataverse for teams$/i, 'R15'],
  [/^(a |an |the )?model[\s-]?driven apps?$/i, 'R12'],
  [/^(a |an |the )?code apps?$/i, 'R20'],
  [/^(a |the )?guests?( users?)?$/i, 'R17'],
];

/** "what is X", "what's X", "what does X mean", "define X", "explain X", "I'm confused about X", "was ist X", "qu'est-ce qu'(un|une) X": X. */
const WHAT_IS = /^(?:(?:so |ok |and )?(?:what(?:'s| is| are|s)|what does|define|meaning of|explain|i'?m confused (?:about|by)|i am confused (?:about|by)|i (?:don'?t|do not) (?:understand|get)|was (?:ist|sind|bedeutet)|qu'est[\s-]ce (?:que |qu'))\s*)(.+?)(?:\s+(?:mean|means|exactly|again|bedeutet|signifie))?\s*[?.!]?$/i;
/** An article before the term, in English, German or French. */
const ARTICLE = /^(?:a|an|the|ein|eine|einen|der|die|das|un|une|le|la|les)\s+|^l'/i;
/** "per app vs per user", "difference between per app and per user": R14. */
const VERSUS = /\bper[\s-]?app\b.*\b(vs\.?|versus|or|and|oder|ou)\b.*\bper[\s-]?user\b|\bper[\s-]?user\b.*\b(vs\.?|versus|or|and|oder|ou)\b.*\bper[\s-]?app\b/i;
const COMPARED = /^(what(?:'s| is) the )?difference|^(per[\s-]?app|per[\s-]?user)\b|\bunterschied\b|\bdiff[ée]rence\b/i;

/** The rule that says what a term asked about is, if the sentence asks only that. */
export function termAsked(said: string): RuleId | null {
  // Read on every turn: a definition question is short.
  // Of plainText's output: trimmed, its spaces single.
  if (said.length > 80) return null;
  if (VERSUS.test(said) && COMPARED.test(said)) return 'R14';
  const term = WHAT_IS.exec(said)?.[1].replace(/["“”]/g, '').replace(ARTICLE, '').trim();
  if (!term) return null;
  return TERMS.find(([pattern]) => pattern.test(term))?.[1] ?? null;
}

/**
 * "do guests need a pass?", "do I need a pass for a SharePoint list app?", "what happens if
 * we go over?", "will users be blocked if we run out of passes?": a question of a rule, not
 * of the tenant's figures, answered by the rule (ruleCard.ts). Read once the tenant's names
 * are found: "does Timesheet need a pass?" names an app, and is the app's question.
 */
const NEEDS = /\b(do|does|will|would|must|is|are)\b[^.?!]{0,40}\b(need|needs|require|requires|take|takes|consume|consumes|use|uses|use up|count against)\b[^.?!]{0,30}\b(a |an |the )?(pass|passes|app pass|licen[cs]es?|premium)\b|\b(pass|passes|licen[cs]e)\b[^.?!]{0,10}\b(needed|required)\b[^.?!]{0,20}\bfor\b/i;
/** What the question is about, and the rule that says whether it needs one. */
const NEEDED_FOR: readonly [RegExp, RuleId][] = [
  [/\bguests?\b|\bexternal users?\b|\bb2b\b/i, 'R17'],
  [/\bmodel[\s-]?driven\b/i, 'R12'],
  [/\bcode apps?\b/i, 'R20'],
  [/\bpower pages\b|\bportals?\b|\bwebsites?\b/i, 'R18'],
  [/\bflows?\b|\bpower automate\b/i, 'R19'],
  [/\bdataverse for teams\b|\binside teams\b|\bin teams\b/i, 'R15'],
  [/\bmanaged environments?\b/i, 'R8'],
  [/\bpay[\s-]?as[\s-]?you[\s-]?go\b|\bbilling polic/i, 'R10'],
  [/\bdev(eloper)? environments?\b|\bdefault environment\b|\btrial environments?\b/i, 'R16'],
  [/\bsharepoint\b|\bstandard (apps?|connectors?)\b|\b(microsoft|office) 365\b|\bm365\b|\bo365\b|\be[35] (users?|licen[cs]es?)\b/i, 'R7'],
  [/\bdynamics\b|\bd365\b/i, 'R6'],
];
/** "what happens if we go over?", "will users be blocked when passes run out?": R5. */
const OVER_WHAT_THEN = /\bwhat happens\b[^.?!]{0,30}\b(go over|over the|exceed|run out|overage|no passes|zero passes|0 passes)|\b(blocked|stop working|cut off|lose access|locked out|denied)\b[^.?!]{0,40}\b(run out|go over|exceed|over the allocation|no passes|zero passes|0 passes|overage)|\b(run out|go over|exceed)\b[^.?!]{0,40}\b(blocked|stop working|cut off|lose access|locked out)\b/i;

/** "when will Microsoft start blocking?", "what happens in February 2027?", "when does enforcement start?": the Managed Environments' dates (R8: notices from June 2026, blocking from February 2027). */
const ENFORCEMENT = /\bwhen (will|does|do|is|are) (microsoft|they|it|ms)\b[^.?!]{0,20}\b(start|begin)?\s*(block|enforc)\w*|\b(start|begin)s? (blocking|enforc\w*)\b|\b(what happens|was passiert|que se passe-t-il)\b[^.?!]{0,20}\b(in |im |en )?(feb(ruary)?|februar|février|june|juni|juin)\s+(2026|2027)(?![\p{L}\p{N}])|\benforcement\b[^.?!]{0,20}\b(start|begin|date|when)\b|\bwhen\b[^.?!]{0,20}\benforcement\b|\bwann\b[^.?!]{0,20}\b(blockiert|sperrt)\b|\bquand\b[^.?!]{0,20}\bbloqu\w*/iu;

/** "how do I allocate passes?", "can I reassign passes between environments?": where passes are given and moved (R2), naming no environment. */
const HOW_TO_ALLOCATE = /\b(how|where)\s+(do|can|to|should)\s+(i|we|you)?\s*(allocate|assign|reassign|move|transfer)\b[^.?!]{0,30}\bpass(es)?\b|\bcan (i|we) (reassign|move|transfer|reallocate)\s+pass(es)?\s+between\b/i;

const WHY = /\b(why|how come|warum|wieso|pourquoi)\b/i;

/** The rule a question of a rule asks about, if the sentence asks one (and names nothing of the tenant). */
export function ruleQuestion(said: string): RuleId | null {
  if (said.length > 120) return null;
  if (OVER_WHAT_THEN.test(said)) return 'R5';
  if (ENFORCEMENT.test(said)) return 'R8';
  if (HOW_TO_ALLOCATE.test(said)) return 'R2';
  // "why does it need a pass?" asks why the tenant's booking is so: the reasons, not the rule.
  if (!NEEDS.test(said) || WHY.test(said)) return null;
  return NEEDED_FOR.find(([about]) => about.test(said))?.[1] ?? null;
}

/**
 * "what's the difference between allocated and booked?", "allocated vs booked", "was ist
 * der Unterschied zwischen zugewiesen und gebucht?", "what does needed mean?": the words of every card's figures, and
 * of the report that contradicts a purchase (25 allocated, 28 under AppPass). No rule says
 * both, so the answer is the tenant's own figures (the overview) with a line that says what
 * each word means and the rules behind them.
 */
export type TermsCompared = 'allocatedBooked';
const ALLOCATED = String.raw`(?:allocated|allocation|assigned passes|zugewiesen\w*|zuweisung|allou[ée]s?)`;
const BOOKED = String.raw`(?:booked|booking|bookings|apppass|gebucht\w*|buchung\w*|comptabilis[ée]s?|réservés?)`;
const BOTH = new RegExp(String.raw`\b${ALLOCATED}\b.*\b${BOOKED}\b|\b${BOOKED}\b.*\b${ALLOCATED}\b`, 'i');
/** Asked as a difference, or what the words mean: "Does that mean we're over?" and "booked vs allocated for HR" ask for figures, not words. */
const SIDE_BY_SIDE = /\b(?:difference|different|differ|unterschied\w*|unterscheid\w*)\b|différence|diff[ée]rent|\bmean\W*$|\bbedeut\w*\W*$|signifi\w*\W*$/i;
/** The two words alone, side by side: "allocated vs booked?". */
const ALONE = new RegExp(String.raw`^\W*(?:${ALLOCATED}|${BOOKED})(?:\s+pass(?:es)?)?\s+(?:vs\.?|versus|or|and|oder|ou)\s+(?:${ALLOCATED}|${BOOKED})(?:\s+pass(?:es)?)?\W*$`, 'i');

/** One of the three figures every card leads with, asked what it is: "what does needed mean?", "how is needed calculated?", "define booked" ("what's needed?" asks what to buy). */
const FIGURE = String.raw`(?:the\s+)?["“]?(?:needed|booked|allocated|passes needed|needed passes)["”]?`;
const ONE_FIGURE = new RegExp(String.raw`^(?:(?:what(?:'s| is| are| does| do)|how (?:is|are))\s+${FIGURE}(?:\s+(?:figure|number))?\s+(?:mean|means|calculated|computed|counted)|(?:define|explain)\s+${FIGURE}(?:\s+(?:figure|number))?)\s*\??$`, 'i');

export function termsCompared(said: string): TermsCompared | null {
  if (said.length > 120) return null;
  return (BOTH.test(said) && (SIDE_BY_SIDE.test(said) || ALONE.test(said))) || ONE_FIGURE.test(said) ? 'allocatedBooked' : null;
}

/** What each word means, with the rules behind it: the line above the answer. */
export const TERMS_EXPLAINED: Record<TermsCompared, string> = {
  allocatedBooked:
    'Allocated: the passes the admin center gives an environment (R2). Booked: the launches the Active users report shows as AppPass this month, one per user, app and environment (R3). Booked can run above allocated and the launches still work (R5); standard apps are booked too while their "Per-app licensing" setting is on, though Microsoft 365 users need no pass for them (R9, R7). Needed: what the rules say the launches require.',
};
