/**
 * A schedule as people say it, in the words the schedule reader (digest/schedule.ts)
 * reads: "every monday morning" is 08:00 (the digest's default hour), "fridays after
 * lunch" 13:00, "thursday afternoons at 2" 14:00, "every tuesday 9" 09:00, "9 Uhr
 * Berliner Zeit" and "heure de Paris" the cities' zones, "6am Pacific" Pacific time.
 */

/** City names as German and French write them, to the tz database's English city. */
const CITIES: Record<string, string> = { bruxelles: 'Brussels', londres: 'London', vienne: 'Vienna', wien: 'Vienna', zürich: 'Zurich', genève: 'Zurich', genf: 'Zurich', lisbonne: 'Lisbon', varsovie: 'Warsaw', prag: 'Prague', rom: 'Rome' };
const HAS_CLOCK = /\b\d{1,2}\s*(:\d{2}|h\d{0,2}\b|am\b|pm\b|uhr\b)/i;
const DAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s?|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?';

export function scheduleInWords(said: string): string {
  let text = said
    // "Berliner Zeit": the city's zone; "heure de Paris", "Paris time".
    .replace(/\b(\p{L}+)er\s+Zeit\b/giu, (_, city: string) => `${CITIES[city.toLowerCase()] ?? city} time`)
    .replace(/\bheure\s+(?:de|d')\s*(\p{L}+)/giu, (_, city: string) => `${CITIES[city.toLowerCase()] ?? city} time`)
    .replace(/\b(pacific|eastern|central|mountain)\b(?!\s+time)/gi, '$1 time');
  for (const [city, english] of Object.entries(CITIES)) text = text.replace(new RegExp(`\\b${city}\\s+time\\b`, 'gi'), `${english} time`);
  // "afternoons at 2": an afternoon hour.
  text = text.replace(/\b(afternoons?|nachmittags?|apr[eè]s-midi)\b([^\d]{0,12})\b(1[01]?|[2-9])\b(?!\s*(:|am|pm|h\b|uhr))/i, (_, part: string, gap: string, h: string) => `${part}${gap}${Number(h) + 12}:00`);
  // "every tuesday 9", "mondays at 9", "um 9": a bare hour beside a day.
  text = text.replace(new RegExp(`\\b(${DAY})(\\s+(?:at|um|à|a)?\\s*)(\\d{1,2})\\b(?!\\s*(:|am|pm|h\\b|uhr|\\.\\d))`, 'giu'), (_, day: string, gap: string, h: string) => (Number(h) <= 23 ? `${day}${gap}${h}:00` : `${day}${gap}${h}`));
  if (!HAS_CLOCK.test(text)) {
    // In place of the words: the reader takes the first time it finds, and reads "morning" as 06:00.
    text = text
      .replace(/\b(after|nach)\s+(the\s+|dem\s+|der\s+)?(lunch|mittagessen|mittagspause)\b|\bapr[eè]s\s+le\s+d[ée]jeuner\b/i, ' 13:00 ')
      .replace(/\b(mornings?|morgens|vormittags?|matin|matins)\b/i, ' 8:00 ');
  }
  return text;
}
