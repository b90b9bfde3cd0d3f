import { BOOKED_LICENSE_TYPES, type BookedLicenseType } from '../licensing/snapshot';

/** The flags of a usage row, and of a pair, which merges the flags of its rows. */
export const LICENSE_BIT: Record<BookedLicenseType, number> = Object.fromEntries(
  BOOKED_LICENSE_TYPES.map((t, i) => [t, 1 << i]),
) as Record<BookedLicenseType, number>;
// A row's flags fit a byte (the log and the pairs keep one per row): a bit per license type, then the report's two.
export const REPORTED_PREMIUM = 1 << BOOKED_LICENSE_TYPES.length;
export const REPORTED_STANDARD = REPORTED_PREMIUM << 1;
if (REPORTED_STANDARD > 0xff) throw new Error('usage flags no longer fit a byte: widen RowLog.flags and PairList.flags');

/** Decoders for the flags of a pair. */
export const PairFlags = {
  APP_PASS: LICENSE_BIT.AppPass,
  PER_USER: LICENSE_BIT.PerUser,
  PAY_AS_YOU_GO: LICENSE_BIT.PayAsYouGo,
  /** any license type: a pair without one comes from a source that does not say what was charged (the audit log) */
  BOOKED: (1 << BOOKED_LICENSE_TYPES.length) - 1,
  bookedTypes(flags: number): BookedLicenseType[] {
    return BOOKED_LICENSE_TYPES.filter((t) => (flags & LICENSE_BIT[t]) !== 0);
  },
  reportedPremium(flags: number): boolean {
    return (flags & REPORTED_PREMIUM) !== 0;
  },
  reportedStandard(flags: number): boolean {
    return (flags & REPORTED_STANDARD) !== 0;
  },
};
