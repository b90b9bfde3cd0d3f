import { RowKey, type UsageRow } from './usageRow';
import type { BookedLicenseType, Launch } from '../licensing/snapshot';

/** A Launch (demo, snapshot, live) seen as a usage row. */
export class LaunchRow implements UsageRow {
  readonly user = new RowKey();
  readonly environment = new RowKey();
  readonly app = new RowKey();
  private launch!: Launch;

  of(launch: Launch): this {
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
    return this.launch.licenseType;
  }

  get reportedPremium(): boolean | null {
    return this.launch.reportedPremium;
  }

  get line(): number | undefined {
    return this.launch.line;
  }
}
