import type { ExpectedBookings } from './report';
import { bound, plural, show } from './wording';

/**
 * An environment's expected bookings in one line, the same for the CLI, the cards and the
 * digest: always called expected, with the standard apps with Per-app licensing on that
 * they rest on (R9, field reports), never as Microsoft's booking.
 */
export function expectedBookingsLine(x: ExpectedBookings, e: { launchesComplete?: false } = {}): string {
  const apps = x.apps.slice(0, 3).map((a) => `"${a.appName}" ${a.launches}`);
  const more = x.apps.length > 3 ? ` and ${x.apps.length - 3} more` : '';
  const reason = x.byPerAppLicensing > 0 ? ` + ${x.byPerAppLicensing} of standard apps with Per-app licensing on (${apps.join(', ')}${more}; R9, field reports)` : '';
  const overage = x.overage ? `; expected over by ${bound(x.overage, 'at least', e)}` : '';
  // Part of the month read: every figure here counts the days read, so each is "at least".
  const least = e.launchesComplete === false ? 'at least ' : '';
  return `Expected bookings (from the audit log, not Microsoft's booking): ${bound(x.passes, 'at least', e, (n) => plural(n, 'pass', 'passes'))} = ${least}${show(x.byNeed)} needed${reason}${overage}.`;
}
