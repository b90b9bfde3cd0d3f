/**
 * A schedule as people say it, in the words the schedule reader (digest/schedule.ts)
 * reads: "every monday morning" is 08:00 (the digest's default hour), "fridays after
 * lunch" 13:00, "thursday afternoons at 2" 14:00, "every tuesday 9" 09:00, "um halb
 * zehn" 09:30, "9 Uhr Berliner Zeit", "Zeitzone Berlin" and "heure de Paris" the cities'
 * zones, "6am Pacific" Pacific time.
 */

/** City names as German and French write them, to the tz database's English city. */
const CITIES: Record<string, string> = { bruxelles: 'Brussels', londres: 'London', vienne: 'Vienna', wien: 'Vienna', zürich: 'Zurich', genève: 'Zurich', genf: 'Zurich', lisbonne: 'Lisbon', varsovie: 'Warsaw', prag: 'Prague', rom: 'Rome' };
const HAS_CLOCK = /\b\d{1,2}\s*(:\d{2}|h\d{0,2}\b|am\b|pm\b|uhr\b)/i;
const DAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s?|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?';

/** Hours said in words, after "at", "um", "à" or before "o'clock", "Uhr", "heures": the hour's figure. */
const HOUR_WORDS: Record<string, number> = {};
for (const [i, words] of ['one eins un une', 'two zwei deux', 'three drei trois', 'four vier quatre', 'five fünf fuenf cinq', 'six sechs', 'seven sieben sept', 'eight acht huit', 'nine neun neuf', 'ten zehn dix', 'eleven elf onze', 'twelve zwölf zwoelf douze'].entries()) {
  for (const w of words.split(' ')) HOUR_WORDS[w] = i + 1;
}
const HOUR = `(\\d{1,2}|${Object.keys(HOUR_WORDS).join('|')})`;
const hourOf = (h: string): number => HOUR_WORDS[h.toLowerCase()] ?? Number(h);

/** "halb zehn" (9:30), "half past nine", "viertel nach neun", "neuf heures et demie", "at nine", "um neun Uhr": the clock's figures. */
function hoursInWords(said: string): string {
  return said
    .replace(new RegExp(`\\bhalb\\s+${HOUR}\\b`, 'giu'), (_, h: string) => `${(hourOf(h) + 11) % 12 || 12}:30`)
    .replace(new RegExp(`\\b(?:half\\s+past|halb\\s+nach)\\s+${HOUR}\\b`, 'giu'), (_, h: string) => `${hourOf(h)}:30`)
    .replace(new RegExp(`\\b(?:quarter\\s+past|viertel\\s+nach)\\s+${HOUR}\\b`, 'giu'), (_, h: string) => `${hourOf(h)}:15`)
    .replace(new RegExp(`\\b(?:quarter\\s+to|viertel\\s+vor)\\s+${HOUR}\\b`, 'giu'), (_, h: string) => `${(hourOf(h) + 11) % 12 || 12}:45`)
    .replace(new RegExp(`\\b${HOUR}\\s+heures?\\s+et\\s+demie\\b`, 'giu'), (_, h: string) => `${hourOf(h)}:30`)
    .replace(new RegExp(`\\b(at|um|à)\\s+(${Object.keys(HOUR_WORDS).join('|')})\\b`, 'giu'), (_, at: string, h: string) => `${at} ${hourOf(h)}:00`)
    .replace(new RegExp(`\\b(${Object.keys(HOUR_WORDS).join('|')})\\s+(o'clock|uhr|heures?)\\b`, 'giu'), (_, h: string) => `${hourOf(h)}:00`);
}

export function scheduleInWords(said: string): string {
  let text = hoursInWords(said)
    // "Zeitzone Berlin", "time zone: London", "fuseau horaire de Paris": that city's time.
    .replace(/\b(?:zeitzone|time\s?zone|fuseau\s+horaire)\s*:?\s*(?:de\s+|d')?(\p{Lu}\p{L}+)(?![\p{L}/])/giu, (_, city: string) => `${CITIES[city.toLowerCase()] ?? city} time`)
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

/** Whether a sentence names a day or a time of day: of several sentences, the one that says when. */
export function saysWhen(said: string): boolean {
  return new RegExp(`\\b(${DAY})\\b`, 'iu').test(said) || HAS_CLOCK.test(hoursInWords(said));
}
