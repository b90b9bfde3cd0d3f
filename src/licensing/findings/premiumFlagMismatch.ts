import type { Finding } from '../report';
import type { RuleId } from '../rules';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/**
 * PREMIUM_FLAG_MISMATCH: the report's or the label's premium status disagrees with the
 * inventory's signals. `source`: 'report' when the report's IsPremium disagrees with the
 * inventory's signals, 'label' when the inventory's own appPlanClassification still says
 * Standard for an app whose grandfathered premium connectors lost their extension (R7).
 */

export function premiumFlagMismatch(env: EnvFacts, app: { appId: string; appName: string; premium: boolean; reasons: string[]; rule: RuleId }, count: number, source: 'report' | 'label'): Finding {
  return finding('PREMIUM_FLAG_MISMATCH', app.rule, 'warning', env, { appId: app.appId, appName: app.appName, count }, [env, app, count, source] satisfies Parameters<typeof premiumFlagMismatch>);
}

export function premiumFlagMismatchWords(f: Finding): FindingWords {
  const [_env, app, count, source] = f.detail as Parameters<typeof premiumFlagMismatch>;
  // 'label': no report is involved (an answer from the audit log has none); the app's own label disagrees with its connectors.
  const title = source === 'report' ? `"${f.appName}": the report and the inventory disagree` : `"${f.appName}": labelled Standard, premium by its connectors`;
  const reported = app.premium ? 'not premium' : 'premium';
  const grandfathered = app.reasons.some((r) => r.startsWith('usesOnlyGrandfatheredPremiumApis'));
  const grandfatherWords = grandfathered ? ' Its premium connectors were "grandfathered" (before Oct 2019), and that extension ended on 1 Oct 2024 (R7): they now need a premium license like any other.' : '';
  const publishWords = 'Premium labels update only when the app is published again (R21).';
  return {
    title,
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
  };
}
