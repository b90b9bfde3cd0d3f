import { Cron } from 'croner';
import * as chrono from 'chrono-node';
import { resolveTimeZone } from './timeZones';

/**
 * When a channel's digest is posted: "every monday 8:00 Europe/Berlin", "mondays at 9",
 * "each Tuesday 7am New York time", "weekly on fridays 16:00 CET", kept as a cron
 * expression and an IANA time zone; croner computes the next time, daylight saving
 * included. chrono-node reads the day and time (English, German, French), timeZones.ts
 * the zone.
 */
export interface DigestSchedule {
  cron: string;
  timezone: string;
  description: string;
  /** Where the zone came from, for the confirmation: the sentence, the asker's Teams client, or neither (UTC). Absent on subscriptions stored before it was kept. */
  zoneFrom?: 'said' | 'teams' | 'default';
}

export const DEFAULT_SCHEDULE: DigestSchedule = { cron: '0 8 * * 1', timezone: 'UTC', description: 'every Monday at 08:00 UTC' };

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DEFAULT_HOUR = 8;

export class ScheduleError extends Error {}

interface ZoneMention {
  zone: string;
  said: string;
}

/** The time zone a sentence names, and the words that named it; an IANA-looking name that is not one is an error. */
function zoneMentioned(text: string): ZoneMention | null {
  const iana = /\b[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+/.exec(text);
  if (iana) {
    const zone = resolveTimeZone(iana[0]);
    if (!zone) throw new ScheduleError(`"${iana[0]}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York, or an abbreviation such as CET or EST.`);
    return { zone, said: iana[0] };
  }
  // "New York time", "London time", "eastern time": the longest run of words before "time" that names a zone.
  const before = /((?:[A-Za-z]+\s+){1,3})time\b/i.exec(text);
  if (before) {
    const words = before[1].trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const zone = resolveTimeZone(words.slice(i).join(' '));
      if (zone) return { zone, said: `${words.slice(i).join(' ')} time` };
    }
  }
  for (const m of text.matchAll(/\b[A-Z]{2,5}\b/g)) {
    if (/^(AM|PM)$/.test(m[0])) continue;
    const zone = resolveTimeZone(m[0]);
    if (zone) return { zone, said: m[0] };
  }
  const city = /\bin\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)/.exec(text);
  if (city) {
    const zone = resolveTimeZone(city[1]);
    if (zone) return { zone, said: city[0] };
  }
  return null;
}

const PARTS_OF_DAY = /\b(morning|afternoon|evening|noon|midday|night|vormittag|nachmittag|morgens|abends|mittag|matin|après-midi|apres-midi|soir|midi)\b/i;
/** Words chrono reads as "this very moment", which say nothing about a weekly slot. */
const NOT_A_SLOT = /^(now|today|tonight|tomorrow|yesterday|jetzt|heute|morgen|maintenant|aujourd'hui|demain)$/i;

/** chrono reads "friday", not "fridays": the plural is how people say "every". */
function singularDays(text: string): string {
  return text.replace(/\b(mon|tues|wednes|thurs|fri|satur|sun)days\b/gi, '$1day').replace(/\b(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s\b/gi, '$1').replace(/\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s\b/gi, '$1');
}

/** A part of a weekly slot a sentence may leave out. */
export type SchedulePart = 'day' | 'time';

/**
 * The weekly slot a sentence names; what it leaves out comes from the default (Monday,
 * 08:00, and `timezone`, the asker's own zone where Teams says it, else UTC).
 */
export function parseSchedule(text: string, options: { timezone?: string } = {}): DigestSchedule {
  return readSchedule(text, options).schedule;
}

/** The weekly slot a sentence names (parseSchedule), and the parts it left to the defaults. */
export function readSchedule(text: string, options: { timezone?: string } = {}): { schedule: DigestSchedule; unsaid: SchedulePart[] } {
  const clock = /\b(\d{1,2})[:.h](\d{2})\b/.exec(text);
  if (clock && (Number(clock[1]) > 23 || Number(clock[2]) > 59)) throw new ScheduleError(`${clock[0]} is not a time of day. Say for example "every monday 8:00 Europe/Berlin".`);
  // "every someday": a day that is none; said rather than quietly replaced by the default.
  for (const every of text.matchAll(/\b(?:every|each|jeden|jede|chaque)\s+(\p{L}+)/giu)) {
    const day = singularDays(every[1]);
    const isDay = /^(week|weeks|woche|semaine|morning|afternoon|evening)$/i.test(day) || [chrono.en, chrono.de, chrono.fr].some((p) => p.parse(day).some((r) => r.start.isCertain('weekday')));
    if (!isDay) throw new ScheduleError(`I could not read "${every[0]}" as a weekly time. Say for example "subscribe every monday 8:00 Europe/Berlin".`);
  }
  const mention = zoneMentioned(text);
  const teamsZone = options.timezone ? resolveTimeZone(options.timezone) : null;
  const timezone = mention?.zone ?? teamsZone ?? 'UTC';
  const zoneFrom = mention ? 'said' : teamsZone ? 'teams' : 'default';
  const words = singularDays(mention ? text.replace(mention.said, ' ') : text);
  let weekday: number | undefined;
  let hour: number | undefined;
  let minute: number | undefined;
  for (const parser of [chrono.en, chrono.de, chrono.fr]) {
    for (const found of parser.parse(words, new Date(Date.UTC(2026, 0, 1)))) {
      if (NOT_A_SLOT.test(found.text.trim())) continue;
      const s = found.start;
      weekday ??= s.isCertain('weekday') ? s.get('weekday') ?? undefined : undefined;
      if (hour === undefined && s.isCertain('hour')) {
        hour = s.get('hour') ?? undefined;
        minute = s.get('minute') ?? 0;
      }
      if (hour === undefined && weekday !== undefined && PARTS_OF_DAY.test(found.text)) {
        hour = s.get('hour') ?? undefined;
        minute = 0;
      }
    }
    if (weekday !== undefined && hour !== undefined) break;
  }
  const unsaid: SchedulePart[] = [...(weekday === undefined ? ['day' as const] : []), ...(hour === undefined ? ['time' as const] : [])];
  return { schedule: weeklySlot(weekday ?? 1, hour ?? DEFAULT_HOUR, minute ?? 0, timezone, zoneFrom), unsaid };
}

function weeklySlot(day: number, hour: number, minute: number, timezone: string, zoneFrom: DigestSchedule['zoneFrom']): DigestSchedule {
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return { cron: `${minute} ${hour} * * ${day}`, timezone, description: `every ${DAY_NAMES[day]} at ${hh}:${mm} ${timezone}`, ...(zoneFrom ? { zoneFrom } : {}) };
}

/** The cron of a weekly slot as weeklySlot writes it: minute, hour, weekday. */
const WEEKLY_SLOT = /^(\d+) (\d+) \* \* (\d)$/;

/**
 * A schedule said again in part ("move it to fridays", "at 9 instead"): the day or time it
 * does not say stay those of the current schedule. With no zone named, a zone named before
 * stays; else the asker's own zone from Teams, as for a first subscription; else the current.
 */
export function keepingUnsaid(said: DigestSchedule, unsaid: readonly SchedulePart[], current: DigestSchedule): DigestSchedule {
  const now = WEEKLY_SLOT.exec(current.cron);
  const next = WEEKLY_SLOT.exec(said.cron);
  // Only slots PassLens wrote ("m h * * d"); anything else is replaced whole.
  if (!now || !next) return said;
  const [minute, hour] = unsaid.includes('time') ? [now[1], now[2]] : [next[1], next[2]];
  const day = unsaid.includes('day') ? now[3] : next[3];
  const zone = said.zoneFrom === 'said' || (said.zoneFrom === 'teams' && current.zoneFrom !== 'said') ? said : current;
  return weeklySlot(Number(day), Number(hour), Number(minute), zone.timezone, zone.zoneFrom);
}

/** What to say to keep a schedule's day and time in another zone: "subscribe every monday 8:00 Europe/Berlin". */
export function subscribeSaying(schedule: DigestSchedule, zone: string): string {
  const [minute, hour, , , day] = schedule.cron.split(' ');
  return `subscribe every ${DAY_NAMES[Number(day)].toLowerCase()} ${hour}:${minute.padStart(2, '0')} ${zone}`;
}

export function nextRun(schedule: DigestSchedule, after: Date): Date {
  const next = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).nextRun(after);
  if (!next) throw new ScheduleError(`No next time for ${schedule.description}.`);
  return next;
}

/** The scheduled time at or before `now`: the period a digest run belongs to. */
export function currentPeriod(schedule: DigestSchedule, now: Date): Date | null {
  const cron = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
  const previous = cron.previousRuns(1, new Date(now.getTime() + 1000))[0];
  return previous ?? null;
}
