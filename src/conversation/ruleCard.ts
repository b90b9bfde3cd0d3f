import type { ViewOf } from '../cards/render';
import type { LinkFact } from '../cards/views';
import { confidenceWords, RULES, type RuleId } from '../licensing/rules';
import type { RuleSource, SourceKind } from '../licensing/ruleSources';

/**
 * "what's R9?", "explain R13", "was bedeutet R8": every finding and fix names its rule
 * ("R9, D (default on) / F (booking, API field)"), so an admin asks what it is. Said alone
 * or with a few words, the rule's number is the question.
 */
const RULE_NAMED = /\bR(\d{1,2})\b/g;
const HAS_RULE = /\bR\d{1,2}\b/;

/** The rule a short sentence asks about ("what's R9?"), if it names exactly one that exists. */
export function ruleAsked(said: string): RuleId | null {
  // Read on every turn: most sentences name no rule, and are left at one test.
  if (!HAS_RULE.test(said)) return null;
  const named = [...said.matchAll(RULE_NAMED)].map((m) => `R${Number(m[1])}`);
  if (named.length !== 1 || !(named[0] in RULES) || said.split(/\s+/).length > 6) return null;
  return named[0] as RuleId;
}

/** The rule as licensing.md states it: what it says, how well it is known, and where from. */
export function ruleCard(id: RuleId): ViewOf<'answer'> {
  const rule = RULES[id];
  return {
    card: 'answer',
    data: {
      title: `${rule.id}: ${rule.title}`,
      subtitle: 'A licensing rule PassLens applies',
      answer: rule.statement,
      answerColor: 'Default',
      facts: [{ title: 'Confidence', value: confidenceWords(rule.confidence) }],
      links: sourceRows(rule.sources),
      itemsTitle: '',
      items: [],
      note: `Every finding names the rule behind it, and its confidence: D documented by Microsoft, F field reports, U not documented. "Why we think so" on an answer shows the evidence. Ask about any rule by its number, R1 to R${Object.keys(RULES).length}.`,
      buttons: [{ title: 'Are we over?', text: 'Are we over?' }],
    },
  };
}

const GROUPS: [SourceKind, string][] = [
  ['microsoft', "Microsoft's pages"],
  ['field', 'Field reports'],
];

/**
 * One row a source, Microsoft's pages first, then field reports: the page's title as its
 * link (Teams renders markdown links in a fact's value: "Format cards in Teams",
 * https://learn.microsoft.com/microsoftteams/platform/concepts/cards/cards-format), a
 * report with no public page in words. The group is named on its first row only.
 */
function sourceRows(sources: readonly RuleSource[]): LinkFact[] {
  if (sources.length === 0) return [{ title: 'Sources', text: 'none: nobody has documented this', url: '', after: '' }];
  return GROUPS.flatMap(([kind, label]) =>
    sources
      .filter((s) => s.kind === kind)
      .map((s, i) => ({ title: i === 0 ? label : '', text: s.title, url: s.url ?? '', after: s.part || s.about ? ` (${[s.part, s.about].filter(Boolean).join('; ')})` : '' })),
  );
}
