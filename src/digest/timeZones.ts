import timezoneSoft from 'timezone-soft';

/**
 * A time zone as people write it, to an IANA name: "Europe/Berlin", "CET", "PST",
 * "New York", "London", "eastern". IANA names and cities come from the runtime's own
 * tz database (Intl); abbreviations and informal names from timezone-soft.
 */

const IANA_CITIES: Map<string, string> = new Map(
  Intl.supportedValuesOf('timeZone').map((zone) => [zone.split('/').pop()!.replace(/_/g, ' ').toLowerCase(), zone]),
);

/** Zones whose name is also an abbreviation but that keep one offset all year (IANA "EST" is UTC-5 in July too). */
function observesDaylightSaving(zone: string): boolean {
  const offset = (month: number) => new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date(Date.UTC(2026, month, 15))).find((p) => p.type === 'timeZoneName')?.value;
  return offset(0) !== offset(6);
}

function ianaName(words: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: words }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The IANA zone that `words` names, or null. */
export function resolveTimeZone(words: string): string | null {
  const said = words.trim().replace(/\s+time$/i, '').trim();
  if (!said) return null;
  const iana = ianaName(said);
  // "UTC", "Europe/Berlin", "CET" (which follows the EU's summer time) as written; a fixed-offset "EST" means New York time to its writer.
  if (iana && (said.includes('/') || /^(utc|gmt|z)$/i.test(said) || observesDaylightSaving(iana))) return iana;
  const city = IANA_CITIES.get(said.toLowerCase());
  if (city) return city;
  const informal = timezoneSoft(said)[0];
  if (!informal) return iana;
  // "CEST" is summer time of the zone IANA calls "CET"; a Berliner reads "CET" better than tz-soft's first pick, "Europe/Madrid".
  const standard = informal.standard?.abbr ? ianaName(informal.standard.abbr) : null;
  if (standard && observesDaylightSaving(standard)) return standard;
  return ianaName(informal.iana) ?? iana;
}
