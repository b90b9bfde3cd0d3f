import { RULES, type Confidence, type RuleId } from './rules';
import type { Finding, FindingCode, Prices, Severity } from './report';
import { money, plural } from './wording';
import type { EnvironmentType } from './snapshot';
import { LICENSE_NAMES } from './licenseSkus';
import { compareText } from './names';

/**
 * One builder per finding code: the words an admin reads. Each states what was seen,
 * which rule explains it and how sure that rule is, and the one thing to do next.
 */

export interface EnvFacts {
  id: string;
  name: string;
  environmentType?: EnvironmentType | null;
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

/**
 * R9: what the app setting is called where the admin will look for it. Only the default
 * environment still shows the older "Pass assignment > Auto assign per app passes".
 */
export function perAppSettingName(env: Pick<EnvFacts, 'environmentType'>): string {
  if (env.environmentType === 'Default') return '"Pass assignment > Auto assign per app passes" (the default environment\'s name for "Per-app licensing")';
  if (env.environmentType) return '"Per-app licensing"';
  return '"Per-app licensing" (in the default environment: "Pass assignment > Auto assign per app passes")';
}

/** R8 in one sentence: who qualifies in a Managed Environment, and Microsoft's dates. */
export const MANAGED_LICENSES =
  'every user of any app, standard ones included, needs Power Apps Premium, Power Automate Premium, Dynamics 365 Enterprise, a per-app pass allocated to that environment or the pay-as-you-go per-app meter (trials count); Microsoft 365 rights do not count. Microsoft shows notices from June 2026 and blocks unlicensed users from February 2027';

/** R8: in a Managed Environment the fix is licensing, never the per-app setting. */
function managedFix(env: Pick<EnvFacts, 'name' | 'environmentType'>): string {
  return `Do not switch ${perAppSettingName(env)} off here: these users would be unlicensed, and blocked from February 2027. Cover them with passes allocated to ${env.name}, per-user licenses or the pay-as-you-go meter; an auto-claim policy may already give them Premium at launch.`;
}

/** R9's fix where managed status is unknown: switching off in a Managed Environment would unlicense its users (R8). */
export function confirmNotManaged(env: Pick<EnvFacts, 'name' | 'managed'>): string {
  return env.managed === null ? `First confirm ${env.name} is not a Managed Environment (admin center > Environments): there, never switch it off (R8). ` : '';
}

/** R8, R9 and R11 words for many standard apps of one environment at once (the grouped card item). */
export function standardAppsWords(rule: RuleId, env: Pick<EnvFacts, 'name' | 'managed' | 'environmentType'>, apps: number): { explanation: string; fix: string } | null {
  const setting = perAppSettingName(env);
  if (rule === 'R8') {
    return {
      explanation: `${env.name} is a Managed Environment: ${MANAGED_LICENSES}. These bookings are correct (that they are booked as AppPass is a field report).`,
      fix: managedFix(env),
    };
  }
  if (rule === 'R9') {
    return {
      explanation: `These ${apps} apps use standard connectors only, so Microsoft 365 users need no pass for them (R7). Their ${setting} setting is on (the admin API reports canConsumeAppPass = true; on by default for apps created after 1 Oct 2020 once passes are allocated), and their launches are booked as AppPass.`,
      fix: `${confirmNotManaged(env)}In Power Apps, open each app > Settings and switch ${setting} off. From next month these launches stop taking passes.`,
    };
  }
  return null;
}

export function standardAppBookedAsPass(env: EnvFacts, app: StandardAppBooked): Finding {
  const setting = perAppSettingName(env);
  const evidence = (): string[] => {
    const lines = [
      `${plural(app.count, 'launch', 'launches')} of "${app.appName}" booked as AppPass in ${env.name}`,
      app.premiumBasis === 'inventory'
        ? `App inventory: ${app.reasons.join('; ')}`
        : 'The report marks the app IsPremium = false (no app inventory loaded to confirm)',
      `canConsumeAppPass ("Per-app licensing"): ${app.canConsumeAppPass === null ? 'unknown' : app.canConsumeAppPass}`,
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
      explanation: `"${app.appName}" is a standard app, but ${env.name} is a Managed Environment: ${MANAGED_LICENSES}. These ${plural(app.count, 'booking')} are correct (that they are booked as AppPass is a field report).`,
      fix: managedFix(env),
    }));
  }
  if (app.canConsumeAppPass === true) {
    return finding('STANDARD_APP_BOOKED_AS_PASS', 'R9', 'action', env, facts, () => ({
      evidence: evidence(),
      explanation: `"${app.appName}" uses standard connectors only, so Microsoft 365 users need no pass for it (R7). Its ${setting} setting is on (canConsumeAppPass = true; on by default for apps created after 1 Oct 2020 once passes are allocated), and with passes allocated to ${env.name} its launches are booked as AppPass.${env.managed === null ? ` If ${env.name} is a Managed Environment, the bookings are correct instead (R8): check that first.` : ''}`,
      fix: `${confirmNotManaged(env)}Open the app in Power Apps > Settings and switch ${setting} off. From next month (consumption resets monthly) ${app.count === 1 ? 'its launch stops' : `these ${app.count} launches stop`} taking passes.`,
    }));
  }
  return finding('STANDARD_APP_BOOKED_AS_PASS', 'R11', 'warning', env, facts, () => ({
    evidence: evidence(),
    explanation: `"${app.appName}" looks standard, yet ${plural(app.count, 'launch', 'launches')} are booked as AppPass. Microsoft documents two causes: a Managed Environment (R8) and the app's ${setting} setting (R9). ${env.managed === false ? `${env.name} is not managed` : `Whether ${env.name} is managed is unknown`}, and the setting is ${app.canConsumeAppPass === false ? 'off' : 'not known'}. Beyond these two, how such launches are booked is not documented.`,
    fix: `Check, in this order: is ${env.name} a Managed Environment (admin center > Environments)? Is ${setting} on for the app (Power Apps > the app > Settings)? If both are no, open a Microsoft support ticket with the evidence above.`,
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
    explanation:
      basis === 'licenses'
        ? `${upn} has Power Apps Premium (per user), which needs no pass, yet ${plural(count, 'pass is', 'passes are')} booked for them in ${env.name}. First rule out lag (R21): a per-user license can take up to 7 days to show in exports (24 hours with group-based assignment), and launches before it showed are booked as passes. If the license was in place all month, this is double licensing.`
        : `${upn} is booked under PerUser for other apps, yet ${plural(count, 'pass is', 'passes are')} booked for them in ${env.name}. If that per-user license is Power Apps Premium, first rule out lag (R21: up to 7 days in exports, 24 hours with group-based assignment), then this is double licensing; if it is Dynamics 365, it covers only its own app's context (R6) and these bookings are correct.`,
    fix: 'Check when the per-user license was assigned (passes are taken at the first launch in a month). If it was before the month began, the passes free up next month; if it happens again next month, open a support ticket with this evidence.',
  }));
}

export function overage(env: EnvFacts, booked: number, allocated: number, misbooked: number, movesIn: { from: string; passes: number }[], prices: Prices): Finding {
  const over = booked - allocated;
  return finding('OVERAGE', 'R5', 'action', env, { count: over }, () => {
    const evidence = [`${env.name}: ${allocated} passes allocated, ${booked} launches booked as AppPass`];
    const steps: string[] = [];
    if (misbooked > 0 && env.managed !== true) {
      evidence.push(`${misbooked} of the ${booked} are standard apps booked as AppPass (see STANDARD_APP_BOOKED_AS_PASS)`);
      const when = env.managed === null ? ', after confirming this is not a Managed Environment (R8)' : '';
      steps.push(`switch ${perAppSettingName(env)} off on the standard apps${when} (frees ${misbooked}${misbooked >= over ? ', which ends the overage' : ''})`);
    }
    for (const m of movesIn) steps.push(`move ${plural(m.passes, 'idle pass', 'idle passes')} from ${m.from}`);
    steps.push(`license the heaviest users per user or move this environment to pay-as-you-go (R14), or allocate ${plural(over, 'more pass', 'more passes')} (${money(over * prices.perAppPass, prices)}/month at list price, where your channel still sells them: end of sale for new customers in some channels since January 2026, R13)`);
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
    explanation: `${app.rule === 'R8' ? `${env.name} is a Managed Environment, where every app needs a standalone license (R8)` : `"${app.appName}" is premium (${app.reasons.join('; ')})`}, so Microsoft 365 rights do not cover it, yet ${plural(count, 'user')} used it without a pass or per-user license.${env.allocatedPasses === 0 ? ` With no passes allocated to ${env.name}, Microsoft blocks such launches (R5): see LAUNCHES_AT_ZERO_ALLOCATION for what that means for this data.` : ' This is unlicensed use.'}`,
    fix: `License these users per user, or allocate ${plural(count, 'pass', 'passes')} to ${env.name} with ${perAppSettingName(env)} on for the app, or link ${env.name} to a pay-as-you-go billing policy.`,
  }));
}

/**
 * `source`: 'report' when the report's IsPremium disagrees with the inventory's signals,
 * 'label' when the inventory's own appPlanClassification still says Standard for an app
 * whose grandfathered premium connectors lost their extension (R7).
 */
export function premiumFlagMismatch(env: EnvFacts, app: { appId: string; appName: string; premium: boolean; reasons: string[]; rule: RuleId }, count: number, source: 'report' | 'label'): Finding {
  const reported = app.premium ? 'not premium' : 'premium';
  const grandfathered = app.reasons.some((r) => r.startsWith('usesOnlyGrandfatheredPremiumApis'));
  const grandfatherWords = grandfathered ? ' Its premium connectors were "grandfathered" (before Oct 2019), and that extension ended on 1 Oct 2024 (R7): they now need a premium license like any other.' : '';
  const publishWords = 'Premium labels update only when the app is published again (R21).';
  return finding('PREMIUM_FLAG_MISMATCH', app.rule, 'warning', env, { appId: app.appId, appName: app.appName, count }, () => ({
    evidence:
      source === 'report'
        ? [`The report marks ${plural(count, 'launch', 'launches')} of "${app.appName}" as ${reported}`, `App inventory: ${app.reasons.join('; ')}`]
        : [`appPlanClassification is Standard; ${plural(count, 'user')} launched "${app.appName}" this month`, `App inventory: ${app.reasons.join('; ')}`],
    explanation:
      source === 'report'
        ? `The Active users report says "${app.appName}" is ${reported}, but its inventory says it is ${app.premium ? 'premium' : 'standard'}. ${publishWords}${grandfatherWords} PassLens uses the inventory.`
        : `"${app.appName}" is labelled Standard, but it uses only grandfathered premium connectors.${grandfatherWords} ${publishWords} PassLens treats it as premium.`,
    fix: app.premium
      ? 'Treat the app as premium: its users need a pass or a per-user license. Publish the app again so its label and the report catch up.'
      : 'Treat the app as standard. If it recently lost a premium connector, publish it again so the report catches up.',
  }));
}

/** R5: with 0 passes allocated, launches that need a pass are blocked, so these rows are not overage. */
export function launchesAtZeroAllocation(env: EnvFacts, launches: number, bookedAsAppPass: number, unlicensed: number): Finding {
  return finding('LAUNCHES_AT_ZERO_ALLOCATION', 'R5', 'warning', env, { count: launches }, () => ({
    evidence: [
      `${env.name}: 0 passes allocated; ${plural(launches, 'launch', 'launches')} this month that need a pass or were booked as one`,
      `${bookedAsAppPass} booked as AppPass, ${unlicensed} with no pass, per-user license or pay-as-you-go`,
    ],
    explanation: `No passes are allocated to ${env.name}, and with allocation 0 Microsoft blocks launches that need a pass and disables the per-app setting (R5, documented). So these ${plural(launches, 'launch', 'launches')} should have been blocked: they are not overage. In the data this usually means a trial license covered the users (trials count), a license assigned recently that the export does not show yet (up to 7 days, R21), or a report from a month when passes were still allocated here.`,
    fix: `Check the users' licenses (trials, recent assignments) and the month the report covers. If they need these apps, license them per user, allocate passes to ${env.name}, or link it to a pay-as-you-go billing policy; otherwise nothing is owed.`,
  }));
}

/** R17: guests need a license from this tenant or their home tenant; PassLens sees only this one. */
export function guestUsers(env: EnvFacts, guests: number, sample: string[]): Finding {
  return finding('GUEST_USERS', 'R17', 'warning', env, { count: guests }, () => ({
    evidence: [sampleText(`Guests (#EXT# in the UPN) whose launches in ${env.name} need a license`, sample, guests)],
    explanation: `${plural(guests, 'guest')} ran apps in ${env.name} that need a license beyond Microsoft 365. A guest needs that license from your tenant or from their home tenant (with Dataverse: from the tenant that holds the data); licenses held in their home tenant are invisible here, so they may be covered. In a pay-as-you-go environment guests run without one.`,
    fix: `Ask the guests' organisations whether they license them; otherwise assign licenses here, allocate passes to ${env.name}, or link it to a pay-as-you-go billing policy.`,
  }));
}

/** R15: Dataverse for Teams environments. */
export function teamsEnvironment(env: EnvFacts, launches: number, premiumApps: string[]): Finding {
  return finding('TEAMS_ENVIRONMENT', 'R15', 'info', env, { count: launches }, () => ({
    evidence: [`${env.name} is a Dataverse for Teams environment (environmentSku Teams)`, premiumApps.length ? sampleText('Premium apps', premiumApps.slice(0, 5), premiumApps.length) : 'No premium app launched here this month'],
    explanation: `Apps in a Dataverse for Teams environment are covered by Microsoft 365 rights only when used inside Teams. Premium connectors there need a pass or Premium, and once the environment is upgraded to full Dataverse every user needs a standalone license.`,
    fix: premiumApps.length
      ? `Cover the users of ${premiumApps.length === 1 ? 'the premium app' : 'the premium apps'} with passes or Premium; plan licenses before upgrading ${env.name} to full Dataverse.`
      : `Nothing to license while the apps stay inside Teams with standard connectors; plan licenses before upgrading ${env.name} to full Dataverse.`,
  }));
}

/** R16: developer environments are for dev/test; add-ons cannot raise their capacity. */
export function developerEnvironment(env: EnvFacts, launches: number, users: number): Finding {
  return finding('DEVELOPER_ENVIRONMENT', 'R16', 'info', env, { count: users }, () => ({
    evidence: [`${env.name} is a developer environment (environmentSku Developer)`, `${plural(users, 'user')}, ${plural(launches, 'user-app launch', 'user-app launches')} this month; ${env.allocatedPasses ?? 'unknown'} passes allocated`],
    explanation: `Developer environments are for building and testing, not for production use, and add-ons cannot raise their capacity${(env.allocatedPasses ?? 0) > 0 ? ', so passes allocated here are likely doing nothing' : ''}. A managed developer environment needs premium licenses for its users.`,
    fix: `If ${plural(users, 'person uses', 'people use')} these apps for real work, move them to a production environment and license them there${(env.allocatedPasses ?? 0) > 0 ? '; move the passes allocated here to where they are needed' : ''}.`,
  }));
}

/** R20: code apps need Power Apps Premium; whether a pass covers one is not documented. */
export function codeAppUse(env: EnvFacts, app: { appId: string; appName: string }, users: number, bookedAsAppPass: number, unlicensedAs: string[]): Finding {
  return finding('CODE_APP_USE', 'R20', 'warning', env, { appId: app.appId, appName: app.appName, count: users }, () => ({
    evidence: [`"${app.appName}" is a code app (admin API appType CodeApp)`, `${plural(users, 'user')} this month, ${bookedAsAppPass} booked as AppPass${unlicensedAs.length ? `; others booked as ${unlicensedAs.join('/')}` : ''}`],
    explanation: `Microsoft documents that end users of code apps need Power Apps Premium; whether a per-app pass covers a code app is not documented${bookedAsAppPass > 0 ? `, so the ${plural(bookedAsAppPass, 'AppPass booking')} may not license ${bookedAsAppPass === 1 ? 'its user' : 'these users'}` : ''}.`,
    fix: `License the users of "${app.appName}" with Power Apps Premium (or ask Microsoft whether your passes cover it).`,
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
