import { RULES, type Confidence, type RuleId } from './rules';
import type { Finding, FindingCode, Prices, Severity } from './report';
import { money, plural } from './wording';
import { LICENSE_NAMES } from './licenseSkus';
import { compareText } from './names';

/**
 * One builder per finding code: the words an admin reads. Each states what was seen,
 * which rule explains it and how sure that rule is, and the one thing to do next.
 */

interface EnvFacts {
  id: string;
  name: string;
  managed: boolean | null;
  payAsYouGo: boolean | null;
  allocatedPasses: number | null;
}

/** What a finding says, apart from its facts: written when first read (LazyFinding). */
interface FindingWords {
  evidence: string[];
  explanation: string;
  fix: string;
}

type FindingFacts = Pick<Finding, 'appId' | 'appName' | 'userPrincipalName' | 'count'>;

/**
 * A finding whose facts (code, rule, subject, count) are set when it is made and whose
 * words are written when first read. A large tenant has over 100,000 findings and a
 * card or a page shows a handful: on the million-row bench, writing every word up front
 * was a quarter of the analysis and 70 MB of heap, which the bot keeps between questions.
 * JSON.stringify writes the words (toJSON).
 */
class LazyFinding implements Finding {
  readonly confidence: Confidence;
  readonly environmentId: string;
  readonly appId?: string;
  readonly appName?: string;
  readonly userPrincipalName?: string;
  readonly count?: number;
  #say: (() => FindingWords) | null;
  #words: FindingWords | null = null;

  constructor(
    readonly code: FindingCode,
    readonly rule: RuleId,
    readonly severity: Severity,
    env: EnvFacts,
    facts: FindingFacts,
    say: () => FindingWords,
  ) {
    this.confidence = RULES[rule].confidence;
    this.environmentId = env.id;
    // Only the facts a finding has, so its keys are what they were as a plain object.
    if (facts.appId !== undefined) this.appId = facts.appId;
    if (facts.appName !== undefined) this.appName = facts.appName;
    if (facts.userPrincipalName !== undefined) this.userPrincipalName = facts.userPrincipalName;
    if (facts.count !== undefined) this.count = facts.count;
    this.#say = say;
  }

  get evidence(): string[] {
    return this.words().evidence;
  }

  get explanation(): string {
    return this.words().explanation;
  }

  get fix(): string {
    return this.words().fix;
  }

  toJSON(): Finding {
    const { code, rule, confidence, severity, environmentId, appId, appName, userPrincipalName, count, evidence, explanation, fix } = this;
    return { code, rule, confidence, severity, environmentId, appId, appName, userPrincipalName, count, evidence, explanation, fix };
  }

  private words(): FindingWords {
    if (!this.#words) {
      this.#words = this.#say!();
      this.#say = null;
    }
    return this.#words;
  }
}

function finding(code: FindingCode, rule: RuleId, severity: Severity, env: EnvFacts, facts: FindingFacts, say: () => FindingWords): Finding {
  return new LazyFinding(code, rule, severity, env, facts, say);
}

export function sampleText(label: string, values: readonly (string | number)[], total: number): string {
  const more = total > values.length ? `, and ${total - values.length} more` : '';
  return `${label}: ${values.join(', ')}${more}`;
}

export interface StandardAppBooked {
  appId: string;
  appName: string;
  count: number;
  canConsumeAppPass: boolean | null;
  premiumBasis: 'inventory' | 'report';
  reasons: string[];
  users: string[];
  lines: number[];
}

export function standardAppBookedAsPass(env: EnvFacts, app: StandardAppBooked): Finding {
  const evidence = (): string[] => {
    const lines = [
      `${plural(app.count, 'launch', 'launches')} of "${app.appName}" booked as AppPass in ${env.name}`,
      app.premiumBasis === 'inventory'
        ? `App inventory: ${app.reasons.join('; ')}`
        : 'The report marks the app IsPremium = false (no app inventory loaded to confirm)',
      `canConsumeAppPass (Auto assign per app passes): ${app.canConsumeAppPass === null ? 'unknown' : app.canConsumeAppPass}`,
      `Managed Environment: ${env.managed === null ? 'unknown' : env.managed ? 'yes' : 'no'}`,
    ];
    if (app.users.length) lines.push(sampleText('Users', app.users, app.count));
    if (app.lines.length) lines.push(sampleText('Report lines', app.lines, app.count));
    return lines;
  };
  const facts = { appId: app.appId, appName: app.appName, count: app.count };
  if (env.managed === true) {
    return finding('STANDARD_APP_BOOKED_AS_PASS', 'R8', 'info', env, facts, () => ({
      evidence: evidence(),
      explanation: `"${app.appName}" is a standard app, but ${env.name} is a Managed Environment: there every user of any app needs a standalone license, and Microsoft 365 rights do not count. These ${plural(app.count, 'booking')} are correct.`,
      fix: 'Nothing to switch off. Cover these users with passes allocated to this environment or with per-user licenses, or turn Managed Environment off if you do not need its features.',
    }));
  }
  if (app.canConsumeAppPass === true) {
    return finding('STANDARD_APP_BOOKED_AS_PASS', 'R9', 'action', env, facts, () => ({
      evidence: evidence(),
      explanation: `"${app.appName}" uses standard connectors only, so Microsoft 365 users need no pass for it (R7). Its "Auto assign per app passes" setting is on (canConsumeAppPass = true), and with passes allocated to ${env.name} its launches are booked as AppPass.${env.managed === null ? ` If ${env.name} is a Managed Environment, the bookings are correct instead (R8): check that first.` : ''}`,
      fix: `Open the app in Power Apps > Settings > Pass assignment and switch "Auto assign per app passes" off. From next month (consumption resets monthly) ${app.count === 1 ? 'its launch stops' : `these ${app.count} launches stop`} taking passes.`,
    }));
  }
  return finding('STANDARD_APP_BOOKED_AS_PASS', 'R11', 'warning', env, facts, () => ({
    evidence: evidence(),
    explanation: `"${app.appName}" looks standard, yet ${plural(app.count, 'launch', 'launches')} are booked as AppPass. Microsoft documents two causes: a Managed Environment (R8) and the app's auto-assign setting (R9). ${env.managed === false ? `${env.name} is not managed` : `Whether ${env.name} is managed is unknown`}, and auto-assign is ${app.canConsumeAppPass === false ? 'off' : 'not known'}. Beyond these two, how such launches are booked is not documented.`,
    fix: `Check, in this order: is ${env.name} a Managed Environment (admin center > Environments)? Is "Auto assign per app passes" on for the app (Settings > Pass assignment)? If both are no, open a Microsoft support ticket with the evidence above.`,
  }));
}

export function premiumUserBookedAsPass(env: EnvFacts, upn: string, count: number, basis: 'licenses' | 'report', licenses: string[]): Finding {
  return finding('PREMIUM_USER_BOOKED_AS_PASS', 'R6', 'action', env, { userPrincipalName: upn, count }, () => ({
    evidence: [
      `${plural(count, 'launch', 'launches')} by ${upn} booked as AppPass in ${env.name}`,
      basis === 'licenses'
        ? `Licenses: ${licenses.map((l) => LICENSE_NAMES[l as keyof typeof LICENSE_NAMES] ?? l).join(', ')}`
        : `The report books ${upn} under PerUser for other apps, so a per-user license exists (no license data loaded to confirm)`,
    ],
    explanation: `${upn} has a per-user license (Power Apps Premium or Dynamics 365 Enterprise), which needs no pass, yet ${plural(count, 'pass is', 'passes are')} booked for them in ${env.name}. That is double licensing.`,
    fix: 'Check the per-user license was assigned before the launch (passes are taken at the first launch in a month). If it was, the passes free up next month; if it happens again next month, open a support ticket with this evidence.',
  }));
}

export function overage(env: EnvFacts, booked: number, allocated: number, misbooked: number, movesIn: { from: string; passes: number }[], prices: Prices): Finding {
  const over = booked - allocated;
  return finding('OVERAGE', 'R5', 'action', env, { count: over }, () => {
    const evidence = [`${env.name}: ${allocated} passes allocated, ${booked} launches booked as AppPass`];
    const steps: string[] = [];
    if (misbooked > 0 && env.managed !== true) {
      evidence.push(`${misbooked} of the ${booked} are standard apps booked as AppPass (see STANDARD_APP_BOOKED_AS_PASS)`);
      steps.push(`switch off auto-assign on the standard apps (frees ${misbooked}${misbooked >= over ? ', which ends the overage' : ''})`);
    }
    for (const m of movesIn) steps.push(`move ${plural(m.passes, 'idle pass', 'idle passes')} from ${m.from}`);
    steps.push(`allocate ${plural(over, 'more pass', 'more passes')} (${money(over * prices.perAppPass, prices)}/month at list price; the per-app pass is end of sale since January 2026, renewals only, R13) or license the heaviest users per user (R14)`);
    return {
      evidence,
      explanation: `${env.name} has ${booked} launches booked as AppPass against ${allocated} allocated passes: ${over} over. Passes are not a hard cap, so the launches worked; Microsoft tolerates occasional overage but expects you to adjust your purchase.`,
      fix: `Do the first that applies: ${steps.join('; or ')}.`,
    };
  });
}

export function unusedPasses(env: EnvFacts, unused: number, allocated: number, booked: number, movesOut: { to: string; passes: number }[]): Finding {
  return finding('UNUSED_PASSES', 'R2', 'info', env, { count: unused }, () => ({
    evidence: [`${env.name}: ${allocated} passes allocated, ${booked} launches booked as AppPass this month`],
    explanation: `${plural(unused, 'pass', 'passes')} allocated to ${env.name} ${unused === 1 ? 'was' : 'were'} not used this month. A pass covers only the environment it is allocated to.`,
    fix: movesOut.length
      ? `Move them where they are short: ${movesOut.map((m) => `${m.passes} to ${m.to}`).join(', ')} (admin center > Licensing > Power Apps > Manage capacity).`
      : 'No environment is short of passes: lower the allocation here or reduce the quantity at renewal.',
  }));
}

export function uncoveredPremiumUse(env: EnvFacts, app: { appId: string; appName: string; reasons: string[]; rule: RuleId }, count: number, users: string[], bookedAs: string[]): Finding {
  return finding('UNCOVERED_PREMIUM_USE', app.rule, 'action', env, { appId: app.appId, appName: app.appName, count }, () => ({
    evidence: [
      `${plural(count, 'user')} launched "${app.appName}" booked as ${bookedAs.join('/')} with no pass, per-user license or pay-as-you-go`,
      sampleText('Users', users, count),
      `Passes allocated to ${env.name}: ${env.allocatedPasses ?? 'unknown'}`,
    ],
    explanation: `${app.rule === 'R8' ? `${env.name} is a Managed Environment, where every app needs a standalone license` : `"${app.appName}" is premium (${app.reasons.join('; ')})`}, so Microsoft 365 rights do not cover it, yet ${plural(count, 'user')} used it without a pass or per-user license. This is unlicensed use.`,
    fix: `Allocate ${plural(count, 'pass', 'passes')} to ${env.name} and switch on "Auto assign per app passes" for the app, or license these users per user, or link ${env.name} to a pay-as-you-go billing policy.`,
  }));
}

export function premiumFlagMismatch(env: EnvFacts, app: { appId: string; appName: string; premium: boolean; reasons: string[]; rule: RuleId }, count: number): Finding {
  const reported = app.premium ? 'not premium' : 'premium';
  return finding('PREMIUM_FLAG_MISMATCH', app.rule, 'warning', env, { appId: app.appId, appName: app.appName, count }, () => ({
    evidence: [`The report marks ${plural(count, 'launch', 'launches')} of "${app.appName}" as ${reported}`, `App inventory: ${app.reasons.join('; ')}`],
    explanation: `The Active users report says "${app.appName}" is ${reported}, but its inventory says it is ${app.premium ? 'premium' : 'standard'}. The report's IsPremium flag can lag behind connector changes; PassLens uses the inventory.`,
    fix: app.premium
      ? 'Treat the app as premium: its users need a pass or a per-user license. If a connector was removed recently, re-save and publish the app so the classification refreshes.'
      : 'Treat the app as standard. If it recently lost a premium connector, publish it again so the report catches up.',
  }));
}

export function paygIgnoresPasses(env: EnvFacts, allocated: number, movesOut: { to: string; passes: number }[]): Finding {
  return finding('PAYG_IGNORES_PASSES', 'R10', 'action', env, { count: allocated }, () => ({
    evidence: [`${env.name} is linked to a pay-as-you-go billing policy`, `${allocated} passes are allocated to it`],
    explanation: `${env.name} bills app use through pay-as-you-go, which ignores per-app passes: the ${plural(allocated, 'pass', 'passes')} allocated here cover nobody.`,
    fix: movesOut.length
      ? `Move them: ${movesOut.map((m) => `${m.passes} to ${m.to}`).join(', ')}; then set the allocation here to 0.`
      : 'Set the allocation here to 0 and use the passes in an environment without a billing policy.',
  }));
}

/** `environments`: where the user needs passes, in any order. */
export function cheaperPerUser(env: EnvFacts, upn: string, passes: number, environments: readonly string[], prices: Prices): Finding {
  const perApp = passes * prices.perAppPass;
  return finding('CHEAPER_PER_USER', 'R14', 'info', env, { userPrincipalName: upn, count: passes }, () => ({
    evidence: [`${upn} needs ${passes} passes this month in ${[...environments].sort(compareText).join(', ')}`, `${passes} x ${money(prices.perAppPass, prices)} = ${money(perApp, prices)} vs Power Apps Premium ${money(prices.perUserPremium, prices)}`],
    explanation: `${upn} needs ${passes} passes across environments (passes count per environment). A per-user license would cover every app for ${money(prices.perUserPremium, prices)} instead of ${money(perApp, prices)} a month.`,
    fix: `Assign ${upn} a Power Apps Premium license; the ${passes} passes free up next month for other users.`,
  }));
}
