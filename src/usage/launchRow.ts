import { RowKey, type UsageRow } from './usageRow';
import type { BookedLicenseType, Launch } from '../licensing/snapshot';

/**
 * What a row needs of a launch: a Launch (demo, snapshot, live), or a launch from the audit
 * log (src/launches/launch.ts AuditLaunch), which has no environment name, license type,
 * report flag or line: those read as unknown.
 */
export type LaunchOfRow = Pick<Launch, 'userPrincipalName' | 'appId' | 'appName' | 'environmentId' | 'month'> & Partial<Pick<Launch, 'environmentName' | 'licenseType' | 'reportedPremium' | 'line'>>;

/** A launch seen as a usage row. */
export class LaunchRow implements UsageRow {
  readonly user = new RowKey();
  readonly environment = new RowKey();
  readonly app = new RowKey();
  private launch!: LaunchOfRow;

  of(launch: LaunchOfRow): this {
    this.launch = launch;
    this.user.ofText(launch.userPrincipalName);
    this.environment.ofText(launch.environmentId);
    this.app.ofText(launch.appId);
    return this;
  }

  environmentId(): string {
    return this.launch.environmentId.trim();
  }

  environmentName(): string | undefined {
    return this.launch.environmentName || undefined;
  }

  appId(): string {
    return this.launch.appId.trim();
  }

  appName(): string | undefined {
    return this.launch.appName || undefined;
  }

  get month(): string | null {
    return this.launch.month;
  }

  get licenseType(): BookedLicenseType | null {
    return this.launch.licenseType ?? null;
  }

  get reportedPremium(): boolean | null {
    return this.launch.reportedPremium ?? null;
  }

  get line(): number | undefined {
    return this.launch.line;
  }
}
