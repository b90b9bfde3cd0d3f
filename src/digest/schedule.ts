import { Cron } from 'croner';

/**
 * When a channel's digest is posted: "every monday 8:00 Europe/Berlin" and the like,
 * kept as a cron expression and an IANA time zone; croner computes the next time,
 * daylight saving included.
 */
export interface DigestSchedule {
  cron: string;
  timezone: string;
  description: string;
}

export const DEFAULT_SCHEDULE: DigestSchedule = { cron: '0 8 * * 1', timezone: 'UTC', description: 'every Monday at 08:00 UTC' };

const DAYS: Record<string, [number, string]> = {
  monday: [1, 'Monday'], mon: [1, 'Monday'],
  tuesday: [2, 'Tuesday'], tue: [2, 'Tuesday'],
  wednesday: [3, 'Wednesday'], wed: [3, 'Wednesday'],
  thursday: [4, 'Thursday'], thu: [4, 'Thursday'],
  friday: [5, 'Friday'], fri: [5, 'Friday'],
  saturday: [6, 'Saturday'], sat: [6, 'Saturday'],
  sunday: [0, 'Sunday'], sun: [0, 'Sunday'],
};

export class ScheduleError extends Error {}

/** Parses the words after "subscribe"; empty gives the default. */
export function parseSchedule(text: string): DigestSchedule {
  const t = text.trim().replace(/^(every|each|on)\s+/i, '');
  if (!t) return DEFAULT_SCHEDULE;
  const m = /^([a-z]+)(?:\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)?(?:\s+([A-Za-z_]+(?:\/[A-Za-z_+-]+)*))?$/i.exec(t);
  const day = m ? DAYS[m[1].toLowerCase()] : undefined;
  if (!m || !day) throw new ScheduleError(`I could not read "${text.trim()}" as a weekly time. Say for example "subscribe every monday 8:00 Europe/Berlin".`);
  let hour = m[2] ? Number(m[2]) : 8;
  const minute = m[3] ? Number(m[3]) : 0;
  if (m[4]?.toLowerCase() === 'pm' && hour < 12) hour += 12;
  if (m[4]?.toLowerCase() === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) throw new ScheduleError(`${m[2]}:${m[3] ?? '00'} is not a time of day.`);
  const timezone = m[5] ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(`"${timezone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.`);
  }
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return { cron: `${minute} ${hour} * * ${day[0]}`, timezone, description: `every ${day[1]} at ${hh}:${mm} ${timezone}` };
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
