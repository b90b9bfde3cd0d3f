import type { EnvironmentReport, ExpectedBookings } from './report';
import { neededUnknownWhy } from './figures';
import { bound, plural } from './wording';

/**
 * An environment's expected bookings in one line, the same for the CLI, the cards and the
 * digest: always called expected, with the standard apps with Per-app licensing on that
 * they rest on (R9, field reports), never as Microsoft's booking.
 */
export function expectedBookingsLine(x: ExpectedBookings, e: Pick<EnvironmentReport, 'launchesComplete' | 'name' | 'managed' | 'apps'>): string {
  const apps = x.apps.slice(0, 3).map((a) => `"${a.appName}" ${a.launches}`);
  const more = x.apps.length > 3 ? ` and ${x.apps.length - 3} more` : '';
  const onApps = `${x.byPerAppLicensing} of standard apps with Per-app licensing on (${apps.join(', ')}${more}; R9, field reports)`;
  const reason = x.byPerAppLicensing > 0 ? ` + ${onApps}` : '';
  // The need not known (managed status or classification): no figure to add to, so none is said, never "at least unknown".
  if (x.byNeed === null) return `Expected bookings (from the audit log, not Microsoft's booking): not known yet, as the passes needed are not known yet (${neededUnknownWhy(e)})${reason ? `; besides the need, ${onApps}` : ''}.`;
  const overage = x.overage ? `; expected over by ${bound(x.overage, 'at least', e)}` : '';
  // Part of the month read: every figure here counts the days read, so each is "at least".
  const least = e.launchesComplete === false ? 'at least ' : '';
  return `Expected bookings (from the audit log, not Microsoft's booking): ${bound(x.passes, 'at least', e, (n) => plural(n, 'pass', 'passes'))} = ${least}${x.byNeed} needed${reason}${overage}.`;
}
