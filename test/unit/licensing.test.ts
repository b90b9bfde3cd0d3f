import assert from 'node:assert/strict';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { findingWords } from '../../src/licensing/findings';
import type { EnvironmentReport, FindingCode, LicensingReport } from '../../src/licensing/report';
import { FINDING_CODES } from '../../src/licensing/report';
import { confidenceLabel, RULES, weakestLevel, type RuleId } from '../../src/licensing/rules';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import { forumCase, TenantBuilder } from '../support/tenantBuilder';
import { LICENSE_NAMES, licenseOfSku } from '../../src/licensing/licenseSkus';

function env(report: LicensingReport, name: string): EnvironmentReport {
  const e = report.environments.find((x) => x.name === name);
  assert.ok(e, `environment ${name} in report`);
  return e;
}

function codes(e: EnvironmentReport): string[] {
  return e.findings.map((f) => `${f.code}/${f.rule}`);
}

describe('licensing engine', () => {
  describe('the forum case (25 allocated, 28 AppPass rows over 28 apps, 1 premium)', () => {
    it('not managed: overage 3, only the premium app needs a pass, 27 standard apps explained by auto-assign (R9)', () => {
      const e = env(analyzeSnapshot(forumCase(false)), 'Sales');
      assert.equal(e.allocatedPasses, 25);
      assert.equal(e.bookedAsAppPass, 28);
      assert.equal(e.requiredPasses, 1);
      assert.equal(e.overage, 3);
      assert.equal(e.unusedPasses, 0);
      const standard = e.findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS');
      assert.equal(standard.length, 27);
      for (const f of standard) {
        assert.equal(f.rule, 'R9');
        assert.equal(confidenceLabel(f.confidence), 'D (default on) / F (booking, API field)');
        // One name for the setting (Microsoft's, about-powerapps-perapp), in the fix and the evidence; the default environment's older label nowhere outside it; the API field in the evidence.
        assert.match(findingWords(f).fix, /switch "Per-app licensing" off\./);
        assert.ok(findingWords(f).evidence.includes('The app\'s "Per-app licensing" setting: the admin API reports it as canConsumeAppPass = true'), findingWords(f).evidence.join('\n'));
        assert.doesNotMatch(JSON.stringify(findingWords(f)), /Auto assign per app passes/);
      }
      const over = e.findings.find((f) => f.code === 'OVERAGE')!;
      assert.equal(over.count, 3);
      assert.equal(over.rule, 'R5');
      assert.match(findingWords(over).fix, /switch "Per-app licensing" .*off on the standard apps \(frees 27, which ends the overage\)/);
      assert.match(findingWords(over).explanation, /not a hard cap/);
    });

    it('managed: all 28 are correct bookings (R8), overage 3, no setting to switch off', () => {
      const e = env(analyzeSnapshot(forumCase(true)), 'Sales');
      assert.equal(e.requiredPasses, 28);
      assert.equal(e.overage, 3);
      const standard = e.findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS');
      assert.equal(standard.length, 27);
      assert.ok(standard.every((f) => f.rule === 'R8' && confidenceLabel(f.confidence) === 'D (requirement, dates) / F (booking)'));
      assert.ok(standard.every((f) => /correct/.test(findingWords(f).explanation)));
      const over = e.findings.find((f) => f.code === 'OVERAGE')!;
      assert.doesNotMatch(findingWords(over).fix, /Per-app licensing/);
      assert.match(findingWords(over).fix, /allocate 3 more passes/);
    });
  });

  describe('each finding code on a small tenant', () => {
    it('STANDARD_APP_BOOKED_AS_PASS falls back to R11 (uncertain) when neither managed nor auto-assign explains it', () => {
      const s = new TenantBuilder().env('E', { allocatedPasses: 5 }).app('Std', 'E', { canConsumeAppPass: false }).launches_('Std', 2, 'AppPass').build();
      const f = env(analyzeSnapshot(s), 'E').findings.find((x) => x.code === 'STANDARD_APP_BOOKED_AS_PASS')!;
      assert.equal(f.rule, 'R11');
      assert.equal(confidenceLabel(f.confidence), 'U');
      assert.equal(f.count, 2);
      assert.match(findingWords(f).fix, /support ticket/);
    });

    it('PREMIUM_USER_BOOKED_AS_PASS: a Power Apps Premium user booked as AppPass (R6); Dynamics 365 users outside their app\'s context are correct bookings, not double licensing', () => {
      const s = new TenantBuilder()
        .env('E', { allocatedPasses: 5 })
        .app('P', 'E', { premium: true })
        .user('p@contoso.com', 'PowerAppsPremium')
        .user('d@contoso.com', 'D365Enterprise')
        .user('pro@contoso.com', 'D365Professional')
        .launch('p@contoso.com', 'P', 'AppPass')
        .launch('d@contoso.com', 'P', 'AppPass')
        .launch('pro@contoso.com', 'P', 'AppPass')
        .build();
      const e = env(analyzeSnapshot(s), 'E');
      const users = e.findings.filter((f) => f.code === 'PREMIUM_USER_BOOKED_AS_PASS').map((f) => f.userPrincipalName);
      assert.deepEqual(users, ['p@contoso.com']);
      assert.equal(e.requiredPasses, 2, 'D365 Enterprise and Professional cover only their own app\'s context: both still need a pass');
      const f = e.findings.find((x) => x.code === 'PREMIUM_USER_BOOKED_AS_PASS')!;
      assert.match(findingWords(f).explanation, /up to 7 days[\s\S]*double licensing/, 'lag (R21) is named before double licensing');
    });

    it('a PerUser or PayAsYouGo row is Microsoft\'s statement the launch was covered: a Dynamics 365 Enterprise user booked so needs no pass (R6, R10)', () => {
      const s = new TenantBuilder()
        .env('E', { allocatedPasses: 5 })
        .app('P', 'E', { premium: true })
        .user('d@contoso.com', 'D365Enterprise')
        .user('m@contoso.com', 'D365Enterprise')
        .launch('d@contoso.com', 'P', 'PerUser')
        .launch('m@contoso.com', 'P', 'PayAsYouGo')
        .launches_('P', 2, 'AppPass')
        .build();
      const e = env(analyzeSnapshot(s), 'E');
      assert.equal(e.bookedAsAppPass, 2);
      assert.equal(e.requiredPasses, 2, 'the two AppPass users need a pass; the PerUser and pay-as-you-go rows do not');
      assert.ok(!e.findings.some((f) => f.code === 'UNCOVERED_PREMIUM_USE'));
      const zero = new TenantBuilder().env('Z', { allocatedPasses: 0 }).app('P', 'Z', { premium: true }).user('d@contoso.com', 'D365Enterprise').launch('d@contoso.com', 'P', 'PerUser').launches_('P', 1, 'Other').build();
      const z = env(analyzeSnapshot(zero), 'Z');
      assert.equal(z.launchesAtZeroAllocation, 1, 'only the launch with no covering row would have been blocked');
      assert.equal(z.requiredPasses, 1);
    });

    it('PREMIUM_USER_BOOKED_AS_PASS is inferred from PerUser bookings when no license data is loaded', () => {
      const s = new TenantBuilder()
        .env('E', { allocatedPasses: 5 })
        .app('P', 'E', { premium: true })
        .app('Q', 'E', { premium: true })
        .launch('p@contoso.com', 'P', 'PerUser')
        .launch('p@contoso.com', 'Q', 'AppPass')
        .noUsers()
        .build();
      const f = env(analyzeSnapshot(s), 'E').findings.find((x) => x.code === 'PREMIUM_USER_BOOKED_AS_PASS')!;
      assert.ok(findingWords(f).evidence.some((x) => /under PerUser/.test(x)));
    });

    it('OVERAGE and UNUSED_PASSES, with idle passes moved to where they are short (R5, R2)', () => {
      const s = new TenantBuilder()
        .env('Short', { allocatedPasses: 2 })
        .env('Idle', { allocatedPasses: 10 })
        .app('P', 'Short', { premium: true })
        .app('Q', 'Idle', { premium: true })
        .launches_('P', 5, 'AppPass')
        .launches_('Q', 1, 'AppPass')
        .build();
      const r = analyzeSnapshot(s);
      assert.equal(env(r, 'Short').overage, 3);
      assert.equal(env(r, 'Idle').unusedPasses, 9);
      assert.match(findingWords(env(r, 'Short').findings.find((f) => f.code === 'OVERAGE')!).fix, /move 3 idle passes from Idle/);
      assert.match(findingWords(env(r, 'Idle').findings.find((f) => f.code === 'UNUSED_PASSES')!).fix, /3 to Short/);
      assert.deepEqual(r.advice.moves.map((m) => [m.fromEnvironmentName, m.toEnvironmentName, m.passes, m.coversOverage]), [['Idle', 'Short', 3, true]]);
    });

    it('UNCOVERED_PREMIUM_USE: premium launches with no pass, per-user license or PAYG (R7, R12)', () => {
      const s = new TenantBuilder()
        .env('E', { allocatedPasses: 0 })
        .app('P', 'E', { premium: true })
        .app('MD', 'E', { type: 'model-driven', premium: false, connectors: [] })
        .launches_('P', 3, 'M365')
        .launches_('MD', 2, 'Other')
        .build();
      const e = env(analyzeSnapshot(s), 'E');
      const found = e.findings.filter((f) => f.code === 'UNCOVERED_PREMIUM_USE');
      assert.deepEqual(found.map((f) => [f.appName, f.rule, f.count]), [['P', 'R7', 3], ['MD', 'R12', 2]]);
      assert.equal(e.requiredPasses, 5);
    });

    it('allocation 0 with premium launches: explained as blocked (R5), never as overage', () => {
      const s = new TenantBuilder().env('Zero', { allocatedPasses: 0 }).app('P', 'Zero', { premium: true }).launches_('P', 2, 'AppPass').launches_('P', 1, 'Other', 'x').build();
      const e = env(analyzeSnapshot(s), 'Zero');
      assert.equal(e.overage, 0);
      assert.equal(e.launchesAtZeroAllocation, 3);
      assert.ok(!e.findings.some((f) => f.code === 'OVERAGE'));
      const f = e.findings.find((x) => x.code === 'LAUNCHES_AT_ZERO_ALLOCATION')!;
      assert.equal(f.rule, 'R5');
      assert.match(findingWords(f).explanation, /should have been blocked: they are not overage/);
      assert.match(findingWords(f).explanation, /trial[\s\S]*7 days[\s\S]*another month|trial[\s\S]*month when passes were still allocated/);
    });

    it('UNCOVERED_PREMIUM_USE in a managed environment cites R8 for standard apps', () => {
      const s = new TenantBuilder().env('M', { managed: true }).app('S', 'M').launches_('S', 2, 'M365').build();
      const f = env(analyzeSnapshot(s), 'M').findings.find((x) => x.code === 'UNCOVERED_PREMIUM_USE')!;
      assert.equal(f.rule, 'R8');
    });

    it('PREMIUM_FLAG_MISMATCH: the report flag disagrees with the inventory', () => {
      const s = new TenantBuilder()
        .env('E', { allocatedPasses: 5 })
        .app('Custom', 'E', { usesCustomApi: true, connectors: [{ name: 'Telematics', tier: 'Premium', custom: true, onPremises: false }] })
        .launch('a@contoso.com', 'Custom', 'AppPass', { reportedPremium: false })
        .launch('b@contoso.com', 'Custom', 'AppPass', { reportedPremium: true })
        .build();
      const f = env(analyzeSnapshot(s), 'E').findings.find((x) => x.code === 'PREMIUM_FLAG_MISMATCH')!;
      assert.equal(f.count, 1);
      assert.ok(findingWords(f).evidence.some((x) => /custom connector "Telematics"/.test(x)));
    });

    it('PAYG_IGNORES_PASSES: passes allocated to a pay-as-you-go environment (R10); nothing required there', () => {
      const s = new TenantBuilder().env('Payg', { payAsYouGo: true, allocatedPasses: 5 }).app('P', 'Payg', { premium: true }).launches_('P', 4, 'PayAsYouGo').build();
      const e = env(analyzeSnapshot(s), 'Payg');
      assert.equal(e.requiredPasses, 0);
      assert.deepEqual(codes(e), ['PAYG_IGNORES_PASSES/R10']);
    });

    it('CHEAPER_PER_USER: more than 4 passes across environments (R14); exactly 4 is equal, not flagged', () => {
      const b = new TenantBuilder().env('A', { allocatedPasses: 10 }).env('B', { allocatedPasses: 10 });
      for (let i = 0; i < 3; i++) b.app(`A${i}`, 'A', { premium: true }).app(`B${i}`, 'B', { premium: true });
      for (let i = 0; i < 3; i++) b.launch('heavy@contoso.com', `A${i}`, 'AppPass');
      for (let i = 0; i < 2; i++) b.launch('heavy@contoso.com', `B${i}`, 'AppPass');
      for (let i = 0; i < 2; i++) b.launch('four@contoso.com', `A${i}`, 'AppPass').launch('four@contoso.com', `B${i}`, 'AppPass');
      const r = analyzeSnapshot(b.build());
      const all = r.environments.flatMap((e) => e.findings).filter((f) => f.code === 'CHEAPER_PER_USER');
      assert.deepEqual(all.map((f) => [f.userPrincipalName, f.count, f.environmentId]), [['heavy@contoso.com', 5, 'env-1']]);
      const four = r.advice.perUser.find((u) => u.userPrincipalName === 'four@contoso.com')!;
      assert.equal(four.cheaper, 'equal');
      assert.ok(r.advice.actions.some((a) => a.rule === 'R14' && a.monthlySaving === 5));
    });
  });

  describe('advice: the Premium volume tier, the break-evens and moving off passes (R13, R14)', () => {
    it('states the break-evens at the configured prices, the volume tier included', () => {
      const list = analyzeSnapshot(forumCase(false)).advice.notes.join(' ');
      assert.match(list, /Premium at \$20 is cheaper than \$5 passes for a user who needs more than 4 passes \(equal at 4\); at the volume tier \(\$12, 2,000\+ new licenses\) more than 2 passes/);
      assert.match(list, /Pay-as-you-go at \$10 per user per app and Premium break even at 2 apps per user/);
      assert.match(list, /End of sale \(R13[\s\S]*moving off passes/);
      const own = analyzeSnapshot(forumCase(false), { prices: { ...LIST_PRICES, perUserPremiumVolume: 15 } }).advice.notes.join(' ');
      assert.match(own, /at the volume tier \(\$15, 2,000\+ new licenses\) more than 3 passes \(equal at 3\)/);
    });

    it('compares each environment\'s passes with pay-as-you-go and Premium, and suggests moving off passes where the meter costs less', () => {
      const s = new TenantBuilder().env('Idle', { allocatedPasses: 20 }).app('P', 'Idle', { premium: true }).launches_('P', 3, 'AppPass').build();
      const advice = analyzeSnapshot(s).advice;
      assert.deepEqual(advice.alternatives.map((a) => [a.environmentName, a.passesCost, a.payAsYouGoCost, a.usersNeedingPasses, a.premiumCost, a.premiumVolumeCost]), [['Idle', 100, 30, 3, 60, 36]]);
      const move = advice.actions.find((a) => a.rule === 'R13')!;
      assert.equal(move.title, 'Move Idle off passes to pay-as-you-go');
      assert.equal(move.monthlySaving, 70);
    });

    it('never suggests pay-as-you-go from a managed environment\'s figures, where the meter\'s Microsoft 365 exemption is unknown (R10)', () => {
      const s = new TenantBuilder().env('M', { managed: true, allocatedPasses: 20 }).app('S', 'M').launches_('S', 2, 'AppPass').build();
      const advice = analyzeSnapshot(s).advice;
      assert.equal(advice.alternatives[0].payAsYouGoUpperBound, true);
      assert.ok(!advice.actions.some((a) => a.rule === 'R13'));
    });
  });

  describe('missing data is said, never guessed', () => {
    it('unknown allocation gives null figures and says how to supply it', () => {
      const s = new TenantBuilder().env('E', { allocatedPasses: null }).app('P', 'E', { premium: true }).launches_('P', 2, 'AppPass').build();
      const e = env(analyzeSnapshot(s), 'E');
      assert.equal(e.overage, null);
      assert.equal(e.unusedPasses, null);
      assert.ok(e.unknowns.some((u) => /--allocated "E=N"/.test(u)));
    });

    it('unknown managed status makes required passes null and gives both values', () => {
      const s = new TenantBuilder().env('E', { managed: null, allocatedPasses: 5 }).app('S', 'E').app('P', 'E', { premium: true }).launches_('S', 3, 'AppPass').launches_('P', 1, 'AppPass').build();
      const e = env(analyzeSnapshot(s), 'E');
      assert.equal(e.requiredPasses, null);
      assert.ok(e.unknowns.some((u) => /required passes are 1 if it is not, 4 if it is \(R8\)/.test(u)), e.unknowns.join('\n'));
    });

    it('no inventory and no IsPremium column: premium status unknown, required null', () => {
      const s = new TenantBuilder().env('E', { allocatedPasses: 5 }).app('X', 'E').launch('a@contoso.com', 'X', 'AppPass', { reportedPremium: null }).noInventory().build();
      const e = env(analyzeSnapshot(s), 'E');
      assert.equal(e.requiredPasses, null);
      assert.ok(e.unknowns.some((u) => /no premium classification/.test(u)));
    });

    it('no inventory: standard status from the report flag, and the finding says so', () => {
      const s = new TenantBuilder().env('E', { allocatedPasses: 5 }).app('X', 'E').launch('a@contoso.com', 'X', 'AppPass', { reportedPremium: false }).noInventory().build();
      const f = env(analyzeSnapshot(s), 'E').findings.find((x) => x.code === 'STANDARD_APP_BOOKED_AS_PASS')!;
      assert.ok(findingWords(f).evidence.some((x) => /IsPremium = false \(no app inventory/.test(x)));
      assert.equal(f.rule, 'R11');
    });

    it('no usage source answered: every launch figure is null, what is known stays', () => {
      const demo = buildDemoTenant();
      const r = analyzeSnapshot({ ...demo, launches: [], usageUnknown: 'the usage API refused PassLens (403)' });
      assert.equal(r.usageUnknown, 'the usage API refused PassLens (403)');
      assert.deepEqual([r.totals.bookedAsAppPass, r.totals.overage, r.totals.unusedPasses, r.totals.requiredPasses], [null, null, null, null]);
      assert.equal(r.environments.length, demo.environments.length);
      for (const e of r.environments) {
        const seed = demo.environments.find((x) => x.id === e.id)!;
        assert.deepEqual([e.allocatedPasses, e.managed, e.payAsYouGo], [seed.allocatedPasses, seed.managed, seed.payAsYouGo]);
        assert.deepEqual([e.bookedAsAppPass, e.requiredPasses, e.overage, e.unusedPasses, e.activeUsers, e.launches], [null, null, null, null, null, null]);
        assert.ok(e.unknowns.some((u) => /booked and needed .* unknown/.test(u)), e.unknowns.join('\n'));
        // Only a finding that needs no launches: passes allocated to a pay-as-you-go environment (R10).
        for (const f of e.findings) assert.equal(f.code, 'PAYG_IGNORES_PASSES');
        const apps = (demo.apps ?? []).filter((a) => a.environmentId === e.id);
        assert.equal(e.apps.length, apps.length);
        for (const a of e.apps) assert.deepEqual([a.users, a.bookedAsAppPass, a.requiredPasses], [null, null, null]);
      }
      assert.ok(r.environments.some((e) => e.findings.length > 0), 'the demo has passes in a pay-as-you-go environment');
      assert.deepEqual(r.advice.moves, []);
    });
  });

  describe('license labels from Graph SKU part numbers', () => {
    it('names Office 365 and Microsoft 365 plans apart, keeps PROJECT plans out of Professional, and calls a per-app SKU on a user a mis-assignment', () => {
      assert.deepEqual(
        ['SPE_E5', 'SPE_E3', 'ENTERPRISEPREMIUM', 'ENTERPRISEPACK', 'DYN365_PROJECT_OPERATIONS', 'D365_SALES_PRO', 'DYN365_TEAM_MEMBERS', 'POWERAPPS_PER_APP_NEW'].map(licenseOfSku),
        ['M365E5', 'M365E3', 'O365E5', 'O365E3', 'D365Enterprise', 'D365Professional', 'D365Professional', 'PowerAppsPerApp'],
      );
      assert.equal(LICENSE_NAMES.O365E5, 'Office 365 E5');
      assert.match(LICENSE_NAMES.PowerAppsPerApp, /mis-assignment/);
      // A per-app SKU on a user covers nothing (R6 counts only per-user licenses).
      const s = new TenantBuilder().env('E', { allocatedPasses: 0 }).app('P', 'E', { premium: true }).launch('a@contoso.com', 'P', 'M365').build();
      s.users = [{ userPrincipalName: 'a@contoso.com', licenses: ['PowerAppsPerApp', 'O365E5'] }];
      assert.equal(analyzeSnapshot(s).users[0].coveredPerUser, false);
    });
  });

  describe('rules as data', () => {
    it('has R1 to R21, each with statement, confidence and sources (none only where nothing is documented)', () => {
      const ids = Object.keys(RULES);
      assert.deepEqual(ids, Array.from({ length: 21 }, (_, i) => `R${i + 1}`));
      for (const r of Object.values(RULES)) {
        assert.ok(r.statement.length > 20 && (r.sources.length > 0 || weakestLevel(r.confidence) === 'uncertain'), r.id);
        assert.ok(r.confidence.length > 0 && r.confidence.every((p) => ['documented', 'field', 'uncertain'].includes(p.level)));
      }
    });

    it('every finding carries the confidence of its rule', () => {
      const r = analyzeSnapshot(buildDemoTenant());
      for (const f of r.environments.flatMap((e) => e.findings)) assert.equal(f.confidence, RULES[f.rule as RuleId].confidence);
    });
  });

  describe('the demo tenant', () => {
    const report = analyzeSnapshot(buildDemoTenant());

    it('has the forum case as Contoso Sales (Prod)', () => {
      const e = env(report, 'Contoso Sales (Prod)');
      assert.deepEqual([e.allocatedPasses, e.bookedAsAppPass, e.requiredPasses, e.overage, e.managed], [25, 28, 1, 3, false]);
      assert.equal(e.apps.filter((a) => (a.bookedAsAppPass ?? 0) > 0).length, 28);
      assert.equal(e.apps.filter((a) => (a.bookedAsAppPass ?? 0) > 0 && a.premium).length, 1);
    });

    it('shows every finding code at least once (but the audit log\'s own, test/unit/launchUsage.test.ts)', () => {
      const seen = new Set<FindingCode>(report.environments.flatMap((e) => e.findings.map((f) => f.code)));
      assert.deepEqual([...FINDING_CODES].filter((c) => !seen.has(c) && c !== 'STANDARD_APP_EXPECTED_AS_PASS'), []);
    });

    it('every finding, of every code, is plain data: a spread, a structured clone or a JSON round trip says the same words', () => {
      for (const f of report.environments.flatMap((e) => e.findings)) {
        const words = findingWords(f);
        assert.ok(words.explanation.length > 20 && words.fix.length > 10 && words.evidence.length > 0, f.code);
        assert.deepEqual(findingWords({ ...f }), words, f.code);
        assert.deepEqual(findingWords(structuredClone(f)), words, f.code);
        assert.deepEqual(findingWords(JSON.parse(JSON.stringify(f)) as typeof f), words, f.code);
      }
    });

    it('a Dynamics 365 user outside their app\'s context is a correct booking, not double licensing (R6)', () => {
      const hr = env(report, 'Contoso HR (Managed)');
      const d365 = report.users.find((u) => u.licenses?.includes('D365Enterprise'))!;
      assert.ok(d365.bookedAsAppPass > 0, 'the D365 user is booked as AppPass');
      assert.ok(!hr.findings.some((f) => f.code === 'PREMIUM_USER_BOOKED_AS_PASS' && f.userPrincipalName === d365.userPrincipalName));
      assert.equal(d365.passesNeeded, 1);
    });

    it('the managed environment explains R8 with the February 2027 date, and standard apps elsewhere name "Per-app licensing"', () => {
      const managed = env(report, 'Contoso HR (Managed)').findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS');
      assert.ok(managed.length > 0 && managed.every((f) => f.rule === 'R8' && /June 2026[\s\S]*February 2027/.test(findingWords(f).explanation) && !/switch "Per-app licensing" off\./.test(findingWords(f).fix)));
      const sales = env(report, 'Contoso Sales (Prod)').findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS');
      assert.ok(sales.every((f) => f.rule === 'R9' && /switch "Per-app licensing" off/.test(findingWords(f).fix)));
    });

    it('ranks the auto-assign fix as the biggest saving', () => {
      assert.match(report.advice.actions[0].title, /Switch "Per-app licensing" off on 27 standard apps in Contoso Sales/);
      assert.ok(report.advice.notes.some((n) => /end of sale/.test(n)));
    });
  });
});
