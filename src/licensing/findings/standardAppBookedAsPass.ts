import type { Finding } from '../report';
import type { RuleId } from '../rules';
import { plural } from '../wording';
import { finding, sampleText, type EnvFacts, type FindingWords } from './finding';

/**
 * STANDARD_APP_BOOKED_AS_PASS: a standard app's launches booked as AppPass. R8 when the
 * environment is managed (the bookings are correct), R9 when the app's per-app setting
 * is on, else R11 (undocumented). Its words, one app's and a group's, are all here.
 */

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

interface Detail {
  env: EnvFacts;
  app: StandardAppBooked;
}

/**
 * R9: the app setting's one name wherever an admin reads it. Microsoft's page
 * (about-powerapps-perapp, 2025-05-29, https://learn.microsoft.com/power-platform/admin/about-powerapps-perapp,
 * "Set up apps to use per app plans") names it so: "Under Per-app licensing, change the
 * toggle to On"; its note: "In the default environment, go to app settings > Pass Assignment
 * and set the Auto assign per app passes toggle to Yes". That older label is said once,
 * beside a fix in the default environment (perAppSettingWhere), so the admin finds it there.
 * The API field (canConsumeAppPass) is evidence, not the setting's name.
 */
export const PER_APP_SETTING = '"Per-app licensing"';

/** Where the default environment shows the setting (its older label). */
export const PER_APP_SETTING_IN_DEFAULT = 'in the default environment: Settings > Pass assignment > "Auto assign per app passes"';

/** That, for an app of the default environment; empty elsewhere. */
function defaultEnvironmentLabel(env: Pick<EnvFacts, 'environmentType'>): string {
  return env.environmentType === 'Default' ? PER_APP_SETTING_IN_DEFAULT : '';
}

/** The same, in parentheses after the setting's name in a fix. */
export function perAppSettingWhere(env: Pick<EnvFacts, 'environmentType'>): string {
  const label = defaultEnvironmentLabel(env);
  return label ? ` (${label})` : '';
}

/** The evidence line: the setting by its name (and `where`, perAppSettingWhere, where no fix says it), and what the admin API reports for it. */
export function perAppSettingEvidence(canConsumeAppPass: boolean | null, where = ''): string {
  return `The app's ${PER_APP_SETTING} setting${where}: the admin API reports it as canConsumeAppPass = ${canConsumeAppPass === null ? 'unknown' : canConsumeAppPass}`;
}

/** R8 in one sentence: who qualifies in a Managed Environment, and Microsoft's dates. */
export const MANAGED_LICENSES =
  'every user of any app, standard ones included, needs Power Apps Premium, Power Automate Premium, Dynamics 365 Enterprise, a per-app pass allocated to that environment or the pay-as-you-go per-app meter (trials count); Microsoft 365 rights do not count. Microsoft shows notices from June 2026 and blocks unlicensed users from February 2027';

/** R8: in a Managed Environment the fix is licensing, never the per-app setting. */
function managedFix(env: Pick<EnvFacts, 'name' | 'environmentType'>): string {
  return `Do not switch ${PER_APP_SETTING} off here: these users would be unlicensed, and blocked from February 2027. Cover them with passes allocated to ${env.name}, per-user licenses or the pay-as-you-go meter; an auto-claim policy may already give them Premium at launch.`;
}

/** R9's fix where managed status is unknown: switching off in a Managed Environment would unlicense its users (R8). */
export function confirmNotManaged(env: Pick<EnvFacts, 'name' | 'managed'>): string {
  return env.managed === null ? `First confirm ${env.name} is not a Managed Environment (admin center > Environments): there, never switch it off (R8). ` : '';
}

export function standardAppBookedAsPass(env: EnvFacts, app: StandardAppBooked): Finding {
  const [rule, severity] = env.managed === true ? (['R8', 'info'] as const) : app.canConsumeAppPass === true ? (['R9', 'action'] as const) : (['R11', 'warning'] as const);
  return finding('STANDARD_APP_BOOKED_AS_PASS', rule, severity, env, { appId: app.appId, appName: app.appName, count: app.count }, { env, app } satisfies Detail);
}

export function standardAppBookedAsPassWords(f: Finding): FindingWords {
  const title = `Standard app "${f.appName}" booked as AppPass (${plural(f.count ?? 0, 'launch', 'launches')})`;
  const { env, app } = f.detail as Detail;
  const setting = PER_APP_SETTING;
  const lines = [
    `${plural(app.count, 'launch', 'launches')} of "${app.appName}" booked as AppPass in ${env.name}`,
    app.premiumBasis === 'inventory'
      ? `App inventory: ${app.reasons.join('; ')}`
      : 'The report marks the app IsPremium = false (no app inventory loaded to confirm)',
    perAppSettingEvidence(app.canConsumeAppPass),
    `Managed Environment: ${env.managed === null ? 'unknown' : env.managed ? 'yes' : 'no'}`,
  ];
  if (app.users.length) lines.push(sampleText('Users', app.users, app.count));
  if (app.lines.length) lines.push(sampleText('Report lines', app.lines, app.count));
  const evidence = lines;
  if (f.rule === 'R8') {
    return {
      title,
      evidence,
      explanation: `"${app.appName}" is a standard app, but ${env.name} is a Managed Environment: ${MANAGED_LICENSES}. These ${plural(app.count, 'booking')} are correct (that they are booked as AppPass is a field report).`,
      fix: managedFix(env),
    };
  }
  if (f.rule === 'R9') {
    return {
      title,
      evidence,
      explanation: `"${app.appName}" uses standard connectors only, so Microsoft 365 users need no pass for it (R7). Its ${setting} setting is on (canConsumeAppPass = true; on by default for apps created after 1 Oct 2020 once passes are allocated), and with passes allocated to ${env.name} its launches are booked as AppPass.${env.managed === null ? ` If ${env.name} is a Managed Environment, the bookings are correct instead (R8): check that first.` : ''}`,
      fix: `${confirmNotManaged(env)}Open the app in Power Apps > Settings and switch ${setting} off${perAppSettingWhere(env)}. From next month (consumption resets monthly) ${app.count === 1 ? 'its launch stops' : `these ${app.count} launches stop`} taking passes.`,
    };
  }
  return {
    title,
    evidence,
    explanation: `"${app.appName}" looks standard, yet ${plural(app.count, 'launch', 'launches')} are booked as AppPass. Microsoft documents two causes: a Managed Environment (R8) and the app's ${setting} setting (R9). ${env.managed === false ? `${env.name} is not managed` : `Whether ${env.name} is managed is unknown`}, and the setting is ${app.canConsumeAppPass === false ? 'off' : 'not known'}. Beyond these two, how such launches are booked is not documented.`,
    fix: `Check, in this order: is ${env.name} a Managed Environment (admin center > Environments)? Is ${setting} on for the app (Power Apps > the app > Settings${defaultEnvironmentLabel(env) ? `; ${defaultEnvironmentLabel(env)}` : ''})? If both are no, open a Microsoft support ticket with the evidence above.`,
  };
}

/** The grouped card item's title: many standard apps of one environment at once. */
export function standardAppsTitle(apps: number, launches: number): string {
  return `${apps} standard apps booked as AppPass (${plural(launches, 'launch', 'launches')})`;
}

/** R8, R9 and R11 words for many standard apps of one environment at once (the grouped card item). */
export function standardAppsWords(rule: RuleId, env: Pick<EnvFacts, 'name' | 'managed' | 'environmentType'>, apps: number): { explanation: string; fix: string } | null {
  const setting = PER_APP_SETTING;
  if (rule === 'R8') {
    return {
      explanation: `${env.name} is a Managed Environment: ${MANAGED_LICENSES}. These bookings are correct (that they are booked as AppPass is a field report).`,
      fix: managedFix(env),
    };
  }
  if (rule === 'R9') {
    return {
      explanation: `These ${apps} apps use standard connectors only, so Microsoft 365 users need no pass for them (R7). Their ${setting} setting is on (the admin API reports canConsumeAppPass = true; on by default for apps created after 1 Oct 2020 once passes are allocated), and their launches are booked as AppPass.`,
      fix: `${confirmNotManaged(env)}In Power Apps, open each app > Settings and switch ${setting} off${perAppSettingWhere(env)}. From next month these launches stop taking passes.`,
    };
  }
  return null;
}

/** Passes freed next month by switching the per-app setting off on the standard apps that have it on (R9). */
export function passesFreedBySettingOff(findings: readonly Finding[]): { apps: number; passes: number } {
  const r9 = findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS' && f.rule === 'R9');
  return { apps: r9.length, passes: r9.reduce((s, f) => s + (f.count ?? 0), 0) };
}
