import type { BookedLicenseType } from '../licensing/snapshot';

/**
 * How usage sources spell license types, premium flags and dates: the Active users CSV
 * and the live usage API both say "AppPass" or "Per app", "true" or "Yes",
 * "2026-11-05T10:00:00Z" or "05.11.2026". Shared by every source, read once per spelling
 * where rows repeat them (SpellingCache).
 */

const LICENSE_VALUES: [RegExp, BookedLicenseType][] = [
  [/^(apppass|perapp|perapppass|powerappsperapp|apppasses)$/, 'AppPass'],
  [/^(peruser|premium|powerappspremium|powerappsperuser|perusertrial)$/, 'PerUser'],
  [/^(payasyougo|payg|paygo|meter|metered)$/, 'PayAsYouGo'],
  [/^(m365|microsoft365|office365|o365|seeded|seededlicense|e3|e5)$/, 'M365'],
];

/** Letters and digits only, lower case: "Per app" and "per-app" are one spelling. */
export function spellingKey(raw: string): string {
  return raw.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function licenseTypeOf(raw: string): BookedLicenseType {
  const k = spellingKey(raw);
  for (const [pattern, type] of LICENSE_VALUES) if (pattern.test(k)) return type;
  return 'Other';
}

/** true, false, null for blank, undefined for a value that is not a flag. */
export function premiumOf(raw: string): boolean | null | undefined {
  if (!raw) return null;
  const k = raw.toLowerCase();
  if (k === 'true' || k === 'yes' || k === '1' || k === 'y' || k === 'premium') return true;
  if (k === 'false' || k === 'no' || k === '0' || k === 'n' || k === 'standard') return false;
  return undefined;
}

/**
 * YYYY-MM from ISO dates (2026-11-05, 2026-11-05T10:00:00Z), YYYY-MM, DD.MM.YYYY, and
 * slashed dates, where a first part over 12 means day/month and otherwise month/day is
 * assumed (the admin center's US format). undefined = not a date.
 */
export function monthOf(raw: string): string | null | undefined {
  let m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[T ].*)?$/.exec(raw);
  if (m) return validMonth(m[1], m[2]);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(raw);
  if (m) return validMonth(m[3], m[2]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(raw);
  if (m) return Number(m[1]) > 12 ? validMonth(m[3], m[2]) : validMonth(m[3], m[1]);
  return undefined;
}

function validMonth(year: string, month: string): string | undefined {
  const n = Number(month);
  return n >= 1 && n <= 12 ? `${year}-${String(n).padStart(2, '0')}` : undefined;
}
