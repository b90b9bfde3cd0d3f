import { RULES, type RuleId } from '../rules';
import type { Finding, FindingCode, Severity } from '../report';
import type { Environment } from '../snapshot';

/**
 * What every finding builder shares. A finding is a plain object: its facts (code,
 * rule, subject, count) and, in `detail`, what its words are written from. The words
 * themselves are written by findingWords (./words.ts), when an output asks for them.
 */

/** The facts of an environment that findings speak of. */
export type EnvFacts = Pick<Environment, 'id' | 'name' | 'environmentType' | 'managed' | 'payAsYouGo' | 'allocatedPasses'>;

/** What a finding says: its title, what was seen, why, and the one thing to do next. */
export interface FindingWords {
  title: string;
  evidence: string[];
  explanation: string;
  fix: string;
}

type Subject = Pick<Finding, 'appId' | 'appName' | 'userPrincipalName' | 'count'>;

export function finding<D>(code: FindingCode, rule: RuleId, severity: Severity, env: EnvFacts, subject: Subject, detail: D): Finding<D> {
  const f: Finding<D> = { code, rule, confidence: RULES[rule].confidence, severity, environmentId: env.id, detail };
  // Only the facts a finding has: its keys are the same whoever built it.
  if (subject.appId !== undefined) f.appId = subject.appId;
  if (subject.appName !== undefined) f.appName = subject.appName;
  if (subject.userPrincipalName !== undefined) f.userPrincipalName = subject.userPrincipalName;
  if (subject.count !== undefined) f.count = subject.count;
  return f;
}

/** Just the environment facts findings speak of (not a whole report). */
export function envFacts(env: EnvFacts): EnvFacts {
  const { id, name, environmentType, managed, payAsYouGo, allocatedPasses } = env;
  return environmentType === undefined ? { id, name, managed, payAsYouGo, allocatedPasses } : { id, name, environmentType, managed, payAsYouGo, allocatedPasses };
}

export function sampleText(label: string, values: readonly (string | number)[], total: number): string {
  const more = total > values.length ? `, and ${total - values.length} more` : '';
  return `${label}: ${values.join(', ')}${more}`;
}
