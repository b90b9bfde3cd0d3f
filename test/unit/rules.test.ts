import assert from 'node:assert/strict';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { findingWords } from '../../src/licensing/findings';
import type { EnvironmentReport, Finding, LicensingReport } from '../../src/licensing/report';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { confidenceLabel, RULES, type RuleId } from '../../src/licensing/rules';
import { KNOWN_LIMITS } from '../../src/licensing/limits';
import { helpCard } from '../../src/conversation/helpCard';
import { TenantBuilder } from '../support/tenantBuilder';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { digestCard } from '../../src/digest/digestCard';
import { renderMarkdown, renderText } from '../../src/cli/reportText';

/**
 * One row per rule of shared/design/licensing.md: the smallest tenant that the rule
 * decides, what PassLens decides there, and the confidence label the rule carries.
 * A rule the data cannot show decides "known limit": the help card must list it.
 */
interface RuleCase {
  rule: RuleId;
  name: string;
  inputs: () => TenantSnapshot;
  decision: (report: LicensingReport) => string;
  expected: string;
  label: string;
}

const env = (r: LicensingReport, name = 'E'): EnvironmentReport => r.environments.find((e) => e.name === name)!;
const codes = (e: EnvironmentReport): string => e.findings.map((f) => `${f.code}/${f.rule}`).join(' ');
const finding = (r: LicensingReport, code: string): Finding | undefined => r.environments.flatMap((e) => e.findings).find((f) => f.code === code);
const knownLimit = (rule: RuleId) => (): string => {
  const limits = helpCard('asked').data.limits;
  return limits.some((l) => l.endsWith(`(${rule})`)) ? 'known limit on the help card' : 'not listed';
};
const empty = (): TenantSnapshot => new TenantBuilder().env('E').build();

const CASES: RuleCase[] = [
  {
    rule: 'R1',
    name: 'one pass per user and app: one user on two premium apps needs two',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('A', 'E', { premium: true }).app('B', 'E', { premium: true }).launch('u@contoso.com', 'A', 'AppPass').launch('u@contoso.com', 'B', 'AppPass').build(),
    decision: (r) => `required ${env(r).requiredPasses}`,
    expected: 'required 2',
    label: 'D',
  },
  {
    rule: 'R2',
    name: 'passes belong to an environment: idle ones are moved to where launches exceed them',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).env('Short', { allocatedPasses: 1 }).app('A', 'E', { premium: true }).app('B', 'Short', { premium: true }).launches_('A', 1, 'AppPass').launches_('B', 3, 'AppPass').build(),
    decision: (r) => `${codes(env(r))}; moves ${r.advice.moves.map((m) => `${m.passes} ${m.fromEnvironmentName}>${m.toEnvironmentName}`).join(',')}`,
    expected: 'UNUSED_PASSES/R2; moves 2 E>Short',
    label: 'D',
  },
  {
    rule: 'R3',
    name: 'the unit is user x app x environment: the same app in two environments takes two passes',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).env('F', { allocatedPasses: 5 }).app('A', 'E', { premium: true, id: 'same-app' }).app('A2', 'F', { premium: true, id: 'same-app' }).launch('u@contoso.com', 'A', 'AppPass').launch('u@contoso.com', 'A2', 'AppPass').build(),
    decision: (r) => `passes ${r.users.find((u) => u.userPrincipalName === 'u@contoso.com')!.passesNeeded}`,
    expected: 'passes 2',
    label: 'D (unit) / F (first launch)',
  },
  {
    rule: 'R4',
    name: 'consumption resets monthly: last month\'s launch is not this month\'s pass',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('A', 'E', { premium: true }).launch('old@contoso.com', 'A', 'AppPass', { month: '2026-10' }).launch('new@contoso.com', 'A', 'AppPass').build(),
    decision: (r) => `${r.month}: booked ${env(r).bookedAsAppPass}`,
    expected: '2026-11: booked 1',
    label: 'D',
  },
  {
    rule: 'R5',
    name: 'beyond the allocation: overage, tolerated',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 2 }).app('A', 'E', { premium: true }).launches_('A', 3, 'AppPass').build(),
    decision: (r) => `${codes(env(r))}; overage ${env(r).overage}`,
    expected: 'OVERAGE/R5; overage 1',
    label: 'F (overage) / D (zero blocks)',
  },
  {
    rule: 'R5',
    name: 'allocation 0 with premium launches: blocked, never overage',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 0 }).app('A', 'E', { premium: true }).launches_('A', 2, 'AppPass').launches_('A', 1, 'M365', 'm').build(),
    decision: (r) => `${codes(env(r))}; overage ${env(r).overage}; should have been blocked ${env(r).launchesAtZeroAllocation}`,
    expected: 'LAUNCHES_AT_ZERO_ALLOCATION/R5 UNCOVERED_PREMIUM_USE/R7; overage 0; should have been blocked 3',
    label: 'F (overage) / D (zero blocks)',
  },
  {
    rule: 'R6',
    name: 'Premium per user booked as AppPass is flagged; a Dynamics 365 user outside context is a correct booking',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('A', 'E', { premium: true }).user('p@contoso.com', 'PowerAppsPremium').user('d@contoso.com', 'D365Enterprise').launch('p@contoso.com', 'A', 'AppPass').launch('d@contoso.com', 'A', 'AppPass').build(),
    decision: (r) => `${env(r).findings.filter((f) => f.userPrincipalName).map((f) => `${f.code}/${f.rule} ${f.userPrincipalName}`).join(' ')}; required ${env(r).requiredPasses}`,
    expected: 'PREMIUM_USER_BOOKED_AS_PASS/R6 p@contoso.com; required 1',
    label: 'D',
  },
  {
    rule: 'R7',
    name: 'Microsoft 365 covers standard apps only: a premium app without a license is uncovered',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('S', 'E').app('P', 'E', { premium: true }).launches_('S', 2, 'M365').launches_('P', 1, 'M365').build(),
    decision: (r) => `${codes(env(r))}; required ${env(r).requiredPasses}`,
    expected: 'UNCOVERED_PREMIUM_USE/R7 UNUSED_PASSES/R2; required 1',
    label: 'D',
  },
  {
    rule: 'R8',
    name: 'a Managed Environment: standard apps booked as AppPass are correct bookings, the 2027 date named',
    inputs: () => new TenantBuilder().env('E', { managed: true, allocatedPasses: 5 }).app('S', 'E').launches_('S', 2, 'AppPass').build(),
    decision: (r) => `${codes(env(r))}; ${/February 2027/.test(findingWords(finding(r, 'STANDARD_APP_BOOKED_AS_PASS')!).explanation) ? 'names Feb 2027' : 'no date'}; ${/Do not switch "Per-app licensing".* off here/.test(findingWords(finding(r, 'STANDARD_APP_BOOKED_AS_PASS')!).fix) ? 'never switch off' : 'switch off'}`,
    expected: 'STANDARD_APP_BOOKED_AS_PASS/R8 UNUSED_PASSES/R2; names Feb 2027; never switch off',
    label: 'D (requirement, dates) / F (booking)',
  },
  {
    rule: 'R9',
    name: 'not managed, "Per-app licensing" on: the fix names the setting by its one name, and in the default environment once where that shows it',
    inputs: () => new TenantBuilder().env('E', { environmentType: 'Default', allocatedPasses: 5 }).app('S', 'E').launches_('S', 1, 'AppPass').build(),
    decision: (r) => {
      const words = findingWords(finding(r, 'STANDARD_APP_BOOKED_AS_PASS')!);
      const said = JSON.stringify(words);
      const where = words.fix.includes('switch "Per-app licensing" off (in the default environment: Settings > Pass assignment > "Auto assign per app passes").') ? 'one name, where in the default environment' : 'other wording';
      return `${codes(env(r))}; ${where}; older label ${said.split('Auto assign per app passes').length - 1}x`;
    },
    expected: 'STANDARD_APP_BOOKED_AS_PASS/R9 UNUSED_PASSES/R2; one name, where in the default environment; older label 1x',
    label: 'D (default on) / F (booking, API field)',
  },
  {
    rule: 'R10',
    name: 'pay-as-you-go ignores passes: nothing required, the allocation is flagged',
    inputs: () => new TenantBuilder().env('E', { payAsYouGo: true, allocatedPasses: 3 }).app('P', 'E', { premium: true }).launches_('P', 2, 'PayAsYouGo').build(),
    decision: (r) => `${codes(env(r))}; required ${env(r).requiredPasses}`,
    expected: 'PAYG_IGNORES_PASSES/R10; required 0',
    label: 'D / U (noted)',
  },
  {
    rule: 'R11',
    name: 'neither managed nor the setting explains a standard app\'s booking: undocumented',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('S', 'E', { canConsumeAppPass: false }).launches_('S', 1, 'AppPass').build(),
    decision: (r) => codes(env(r)),
    expected: 'STANDARD_APP_BOOKED_AS_PASS/R11 UNUSED_PASSES/R2',
    label: 'U',
  },
  {
    rule: 'R12',
    name: 'a model-driven app is premium',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 0 }).app('MD', 'E', { type: 'model-driven', premium: true, usesPremiumApi: false, connectors: [] }).launches_('MD', 1, 'Other').build(),
    decision: (r) => codes(env(r)),
    expected: 'LAUNCHES_AT_ZERO_ALLOCATION/R5 UNCOVERED_PREMIUM_USE/R12',
    label: 'D',
  },
  {
    rule: 'R13',
    name: 'end of sale in some channels: the advice compares moving off passes',
    inputs: empty,
    decision: (r) => (r.advice.notes.some((n) => /End of sale \(R13/.test(n) && /moving off passes/.test(n)) ? 'end-of-sale note' : 'none'),
    expected: 'end-of-sale note',
    label: 'D (end of sale) / F (channels)',
  },
  {
    rule: 'R14',
    name: 'more than 4 passes: per user is cheaper',
    inputs: () => {
      const b = new TenantBuilder().env('E', { allocatedPasses: 10 });
      for (let i = 0; i < 5; i++) b.app(`A${i}`, 'E', { premium: true }).launch('heavy@contoso.com', `A${i}`, 'AppPass');
      return b.build();
    },
    decision: (r) => env(r).findings.filter((f) => f.code === 'CHEAPER_PER_USER').map((f) => `${f.code}/${f.rule} ${f.count}`).join(' '),
    expected: 'CHEAPER_PER_USER/R14 5',
    label: 'D (list prices, 2025-03)',
  },
  {
    rule: 'R15',
    name: 'a Dataverse for Teams environment is explained',
    inputs: () => new TenantBuilder().env('E', { environmentType: 'Teams' }).app('S', 'E', { canConsumeAppPass: false }).launches_('S', 2, 'M365').build(),
    decision: (r) => codes(env(r)),
    expected: 'TEAMS_ENVIRONMENT/R15',
    label: 'D',
  },
  {
    rule: 'R16',
    name: 'a developer environment in use is explained; a trial environment is named as unknown',
    inputs: () => new TenantBuilder().env('E', { environmentType: 'Developer' }).env('T', { environmentType: 'Trial' }).app('S', 'E', { canConsumeAppPass: false }).app('S2', 'T', { canConsumeAppPass: false }).launches_('S', 2, 'M365').launches_('S2', 1, 'M365').build(),
    decision: (r) => `${codes(env(r))}; trial: ${env(r, 'T').unknowns.some((u) => /R16, U/.test(u)) ? 'unknown named' : 'silent'}`,
    expected: 'DEVELOPER_ENVIRONMENT/R16; trial: unknown named',
    label: 'D / U (trial)',
  },
  {
    rule: 'R17',
    name: 'a guest (#EXT#) with no license here is named; their home tenant may license them',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('P', 'E', { premium: true }).launch('ann_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'P', 'Other').build(),
    decision: (r) => codes(env(r)),
    expected: 'UNCOVERED_PREMIUM_USE/R7 GUEST_USERS/R17 UNUSED_PASSES/R2',
    label: 'D',
  },
  { rule: 'R18', name: 'Power Pages rows cannot be told from app rows', inputs: empty, decision: knownLimit('R18'), expected: 'known limit on the help card', label: 'D' },
  { rule: 'R19', name: 'flows in an app\'s context are not in any source', inputs: empty, decision: knownLimit('R19'), expected: 'known limit on the help card', label: 'D' },
  {
    rule: 'R20',
    name: 'a code app (appType CodeApp) needs Power Apps Premium; a pass is not documented to cover it',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('Code', 'E', { type: 'code', planClassification: 'Premium' }).launches_('Code', 2, 'AppPass').build(),
    decision: (r) => `${codes(env(r))}; required ${env(r).requiredPasses}`,
    expected: 'CODE_APP_USE/R20 UNUSED_PASSES/R2; required 2',
    label: 'D / U',
  },
  {
    rule: 'R21',
    name: 'license lag before double licensing; a grandfathered app\'s label updates only on publish',
    inputs: () => new TenantBuilder().env('E', { allocatedPasses: 5 }).app('P', 'E', { premium: true }).app('G', 'E', { usesOnlyGrandfatheredPremiumApis: true }).user('p@contoso.com', 'PowerAppsPremium').launch('p@contoso.com', 'P', 'AppPass').launch('p@contoso.com', 'G', 'PerUser', { reportedPremium: null }).build(),
    decision: (r) => {
      const lag = /R21[\s\S]*up to 7 days[\s\S]*double licensing/.test(findingWords(finding(r, 'PREMIUM_USER_BOOKED_AS_PASS')!).explanation);
      const label = finding(r, 'PREMIUM_FLAG_MISMATCH');
      return `${lag ? 'lag first' : 'no lag'}; ${label && /published again \(R21\)/.test(findingWords(label).explanation) && /1 Oct 2024/.test(findingWords(label).explanation) ? 'label updates on publish' : 'no label finding'}`;
    },
    expected: 'lag first; label updates on publish',
    label: 'D',
  },
];

describe('the licensing rules, one case per rule', () => {
  it('covers every rule R1-R21', () => {
    assert.deepEqual([...new Set(CASES.map((c) => c.rule))], Object.keys(RULES));
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.name}`, () => {
      const report = analyzeSnapshot(c.inputs());
      assert.equal(c.decision(report), c.expected);
      assert.equal(confidenceLabel(RULES[c.rule].confidence), c.label);
      for (const f of report.environments.flatMap((e) => e.findings).filter((x) => x.rule === c.rule)) {
        assert.equal(confidenceLabel(f.confidence), c.label, `${f.code} shows its rule's label`);
      }
    });
  }

  it('every known limit cites a rule', () => {
    for (const l of KNOWN_LIMITS) assert.ok(RULES[l.rule], l.rule);
  });
});

describe('the corrected labels where rules are cited', () => {
  const report = analyzeSnapshot(buildDemoTenant());

  it('the digest cites each finding\'s and action\'s rule with its label, a split shown as such', () => {
    const { view } = digestCard(report, null, new Date('2026-11-30T08:00:00Z'));
    // The rules are evidence, behind "Why we think so": one line per finding and action shown.
    const data = view.data as { why: string[]; actions: string[] };
    assert.ok(data.why.some((l) => l.includes('R5 · Overage works; allocation 0 blocks · field reports, not documented (overage); documented by Microsoft (zero blocks)')), data.why.join('\n'));
    assert.equal(data.why.filter((l) => /\[R\d+, [DFU]/.test(l)).length, data.actions.length, data.why.join('\n'));
  });

  it('the CLI text and markdown cite the labels', () => {
    const text = [...renderText(report)].join('');
    assert.match(text, /OVERAGE \(3\) {2}\[R5, F \(overage\) \/ D \(zero blocks\)\]/);
    assert.match([...renderMarkdown(report)].join(''), /\(R8: Managed Environments need standalone licenses; D \(requirement, dates\) \/ F \(booking\)\)/);
  });
});
