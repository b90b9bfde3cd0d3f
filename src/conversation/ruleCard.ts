import type { ViewOf } from '../cards/render';
import { confidenceWords, RULES, type RuleId } from '../licensing/rules';

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
      facts: [
        { title: 'Confidence', value: confidenceWords(rule.confidence) },
        { title: 'Source', value: rule.source },
      ],
      itemsTitle: '',
      items: [],
      note: 'Every finding names the rule behind it, and its confidence: D documented by Microsoft, F field reports, U not documented. "Why we think so" on an answer shows the evidence. All the rules: docs/rules.md.',
      buttons: [{ title: 'Are we over?', text: 'Are we over?' }],
    },
  };
}
