import type { App, Environment, TenantInventory, TenantSnapshot } from './snapshot';
import type { AppUsage, EnvironmentReport, Finding, LicensingReport, Prices } from './report';
import { classifyApp } from './premium';
import * as F from './findings';
import { compareText } from './names';
import { LIST_PRICES } from './prices';
import { planAdvice, planPassMoves } from './advice';
import type { UsageIndex } from '../usage/usageIndex';
import { UsageLedger } from '../usage/usageLedger';
import { AppCatalog, matchEnvironments } from './inventoryMatch';
import { tallyUsage, userFacts } from './usageTally';
import { environmentFigures, tenantTotals } from './figures';
import { compareFindings, environmentReport } from './environmentReport';
import { rankUsers } from './userRanking';

/**
 * The licensing analysis, job by job: match the usage to the inventory, tally each
 * (user, app) pair (usageTally.ts, which asks passNeed.ts), the figures per environment
 * (figures.ts), the findings (environmentReport.ts, words in findings/), users ranked for
 * R14 (userRanking.ts), and the advice (advice.ts).
 */

export interface AnalysisOptions {
  /** YYYY-MM; default: the latest month in the usage. */
  month?: string | null;
  prices?: Prices;
  generatedAt?: string;
}

export function analyzeSnapshot(snapshot: TenantSnapshot, options: AnalysisOptions = {}): LicensingReport {
  return analyze(snapshot, new UsageLedger().addAll(snapshot.launches), options);
}

/**
 * One month's environments, each with its figures and findings (sorted by name), and the
 * tallies they came from: what the report is built from, and all that a month's figures
 * need, so earlier months in a trend skip the users and the advice (months.ts).
 */
export function analyzeEnvironments(inventory: TenantInventory, usage: UsageIndex, options: AnalysisOptions = {}) {
  const prices = options.prices ?? LIST_PRICES;
  const months = usage.months();
  const month = options.month ?? months.at(-1) ?? null;
  const matched = matchEnvironments(inventory.environments, usage);
  const catalog = new AppCatalog(inventory.apps);
  const users = userFacts(inventory, usage);
  const tally = tallyUsage(usage, month, matched, catalog, users);
  // No usage source answered: an empty usage means "not known", never "no launches".
  const usageUnknown = inventory.usageUnknown ?? null;
  const bookingsUnknown = usageUnknown === null && inventory.bookingsUnknown !== undefined;

  // Figures first, so findings can point idle passes at the environments short of them.
  // Launches read for part of the month (audit log days missing): need is a lower bound, idle an upper one.
  const partial = bookingsUnknown && inventory.launchesIncomplete !== undefined;
  const figures = tally.environments.map((t) => environmentFigures(t, usageUnknown, bookingsUnknown, partial));
  const moves = planPassMoves(tally.environments.map((t, i) => ({ id: t.env.id, name: t.env.name, overage: figures[i].overage ?? 0, idle: figures[i].idle })));
  const context = { usage, users, month, moves, prices, bookedAs: tally.bookedAs, bookingsUnknown, statedBookings: bookingsUnknown ? (inventory.bookedByEnvironment ?? null) : null, partial };
  const environments = tally.environments.map((t, i) =>
    usageUnknown !== null ? environmentWithoutUsage({ ...t.env, payAsYouGo: t.payAsYouGo }, month, inventory.apps ?? [], figures[i].unknowns) : environmentReport(t, figures[i], context),
  );
  environments.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  return { prices, months, month, matched, users, tally, usageUnknown, moves, environments };
}

export function analyze(inventory: TenantInventory, usage: UsageIndex, options: AnalysisOptions = {}): LicensingReport {
  const { prices, months, month, matched, users, tally, usageUnknown, moves, environments } = analyzeEnvironments(inventory, usage, options);
  const userReports = rankUsers(usage, tally.users, users, matched.environments, new Map(environments.map((e) => [e.id, e])), prices);

  // R13: distinct users needing a pass per environment, for the cost of moving them to Premium.
  const usersPerOrdinal = tally.users.passesByEnvironment.usersPerEnvironment(matched.environments.length);
  const usersNeedingPasses = new Map(matched.environments.map((e, ordinal) => [e.id, usersPerOrdinal[ordinal]]));

  for (const e of environments) e.findings.sort(compareFindings);
  return {
    generatedAt: options.generatedAt ?? inventory.generatedAt,
    month,
    months,
    sources: inventory.sources,
    usageUnknown,
    ...(inventory.bookingsUnknown !== undefined && usageUnknown === null ? { bookingsUnknown: inventory.bookingsUnknown } : {}),
    ...(inventory.launchesIncomplete !== undefined && inventory.bookingsUnknown !== undefined && usageUnknown === null ? { launchesIncomplete: inventory.launchesIncomplete } : {}),
    totals: tenantTotals(environments),
    environments,
    users: userReports,
    advice: planAdvice(environments, userReports, moves, prices, usersNeedingPasses),
  };
}

/** An environment when no usage source answered: what is known without launches, and its apps from the inventory. */
function environmentWithoutUsage(env: Environment, month: string | null, inventoryApps: readonly App[], unknowns: string[]): EnvironmentReport {
  const findings: Finding[] = [];
  if (env.payAsYouGo === true && env.allocatedPasses !== null && env.allocatedPasses > 0) findings.push(F.paygIgnoresPasses(env, env.allocatedPasses, []));
  const apps = inventoryApps
    .filter((app) => app.environmentId.toLowerCase() === env.id.toLowerCase())
    .map((app): AppUsage => {
      const verdict = classifyApp(app);
      return {
        appId: app.id,
        appName: app.name,
        type: app.type,
        premium: verdict.premium,
        premiumBasis: 'inventory',
        premiumReasons: verdict.reasons,
        canConsumeAppPass: app.canConsumeAppPass,
        users: null,
        bookedAsAppPass: null,
        requiredPasses: null,
        bookedAs: {},
      };
    })
    .sort((x, y) => compareText(x.appName, y.appName) || compareText(x.appId, y.appId));
  return {
    id: env.id,
    name: env.name,
    month,
    environmentType: env.environmentType ?? null,
    managed: env.managed,
    payAsYouGo: env.payAsYouGo,
    allocatedPasses: env.allocatedPasses,
    launchesAtZeroAllocation: null,
    bookedAsAppPass: null,
    requiredPasses: null,
    overage: null,
    unusedPasses: null,
    activeUsers: null,
    launches: null,
    findings,
    unknowns,
    apps,
  };
}
