import { analyzeMonths, type MonthlyFigures } from '../licensing/months';
import type { LicensingReport, Prices } from '../licensing/report';
import type { ManagedRequirement } from './csv/adminReports';
import { withManagedEvidence } from './reportSet';
import type { TenantData } from './tenantData';

/**
 * A tenant's data with its analysis: what every answer reads (chat cards, trend, digest,
 * findings file, CLI), and what the bot keeps of its tenant and of each upload. The data
 * stays beside the report for what the report does not hold: licenses, the tenant's name,
 * a user's launches (`ledger.launchesOf`), and the launches an upload builds on.
 */
export interface AnalyzedTenant extends TenantData {
  report: LicensingReport;
  /** Each month's figures per environment, up to the report's month (figures only, no rows). */
  monthly: MonthlyFigures;
  /** When the data was read: the cards' "data from". */
  fetchedAt: Date;
  /** Set for an upload: the id its cards' buttons carry (TenantService.upload). */
  uploadId?: string;
}

export interface TenantAnalysisOptions {
  fetchedAt: Date;
  prices?: Prices;
  /** YYYY-MM; default: the latest month in the usage. */
  month?: string;
  /** Called after each earlier month's analysis (analyzeMonths). */
  betweenMonths?: () => void;
}

/** Analyses the data's month (and the months before it, as figures); a report set's Managed Environments report becomes evidence on the report. */
export function analyzeTenant(data: TenantData & { managedRequired?: readonly ManagedRequirement[] }, options: TenantAnalysisOptions): AnalyzedTenant {
  const { fetchedAt } = options;
  const { report, monthly } = analyzeMonths(data.inventory, data.ledger, { month: options.month, prices: options.prices, generatedAt: fetchedAt.toISOString(), betweenMonths: options.betweenMonths });
  return { inventory: data.inventory, ledger: data.ledger, launches: data.launches, report: withManagedEvidence(report, data.managedRequired ?? []), monthly, fetchedAt };
}
