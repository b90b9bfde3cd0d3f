import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, sampleText, type EnvFacts, type FindingWords } from './finding';
import { confirmNotManaged, PER_APP_SETTING, perAppSettingWhere } from './standardAppBookedAsPass';

/**
 * STANDARD_APP_EXPECTED_AS_PASS (R9, F): launches from the audit log, which does not say
 * what Microsoft charged, of a standard app with "Per-app licensing" on, by users with no
 * per-user license. Field reports see such launches booked as AppPass: an expectation,
 * the reason for an environment's expected bookings, never a booking.
 */

export interface StandardAppExpected {
  appId: string;
  appName: string;
  count: number;
  users: string[];
}

interface Detail {
  env: EnvFacts;
  app: StandardAppExpected;
}

export function standardAppExpectedAsPass(env: EnvFacts, app: StandardAppExpected): Finding {
  return finding('STANDARD_APP_EXPECTED_AS_PASS', 'R9', 'warning', env, { appId: app.appId, appName: app.appName, count: app.count }, { env, app } satisfies Detail);
}

export function standardAppExpectedAsPassWords(f: Finding): FindingWords {
  const { env, app } = f.detail as Detail;
  const setting = PER_APP_SETTING;
  return {
    title: `Standard app "${app.appName}" expected as AppPass (${plural(app.count, 'launch', 'launches')}, expected)`,
    evidence: [
      `"${app.appName}" uses standard connectors only and has ${setting} on (canConsumeAppPass = true)`,
      sampleText(`Launched this month, per the audit log, by ${plural(app.count, 'user')} with no per-user license`, app.users, app.count),
    ],
    explanation: `The audit log says who launched the app, not which license Microsoft charged. With ${setting} on, Microsoft is reported to book a standard app's launches as AppPass (R9: field reports, not documented), so ${app.count === 1 ? 'this launch is' : `these ${app.count} launches are`} expected to take passes in ${env.name}, though ${app.count === 1 ? 'it needs none' : 'none of them needs one'} (R7). Expected, not booked: the Active users report says what was booked.`,
    fix: `${confirmNotManaged(env)}Switch ${setting} off${perAppSettingWhere(env)} for "${app.appName}" so its launches stop taking passes; then check the next Active users report (Licensing > Power Apps > Download reports).`,
  };
}

/** Several such apps in one environment, as one item: how many, how many launches, and the one fix. */
export function standardAppsExpectedWords(env: EnvFacts, apps: number, launches: number): Omit<FindingWords, 'evidence'> {
  const setting = PER_APP_SETTING;
  return {
    title: `${apps} standard apps expected as AppPass (${plural(launches, 'launch', 'launches')}, expected)`,
    explanation: `The audit log says who launched these apps, not which license Microsoft charged. They use standard connectors only and have ${setting} on: Microsoft is reported to book such launches as AppPass (R9: field reports, not documented), so ${plural(launches, 'launch is', 'launches are')} expected to take passes in ${env.name}, though none needs one (R7). Expected, not booked.`,
    fix: `${confirmNotManaged(env)}Switch ${setting} off${perAppSettingWhere(env)} for these apps so their launches stop taking passes; then check the next Active users report.`,
  };
}
