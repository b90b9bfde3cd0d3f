import type { ViewOf } from '../cards/render';
import { nextRun, subscribeSaying, type DigestSchedule } from './schedule';
import type { Subscription } from './subscriptions';

/** The cards that answer subscribe, unsubscribe and status. */

export function formatIn(date: Date, timezone: string): string {
  return `${new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date)} ${timezone}`;
}

/** Why the schedule is in its zone, in the confirmation. */
const ZONE_FROM = {
  said: 'as you said',
  teams: 'your time zone in Teams',
  default: 'Teams did not send your time zone',
} as const;

export function subscribedCard(schedule: DigestSchedule, now: Date, subscription: 'new' | 'resumed'): ViewOf<'subscription'> {
  const reactivated = subscription === 'resumed';
  return {
    card: 'subscription',
    data: {
      title: reactivated ? 'Digest resumed' : 'Subscribed to the weekly digest',
      message: `I will post the per-app pass digest in this conversation ${schedule.description}. To use another time zone, say "${subscribeSaying(schedule, schedule.timezone === 'Europe/Berlin' ? 'America/New_York' : 'Europe/Berlin')}" (an IANA name, a city or an abbreviation such as CET).`,
      facts: [
        { title: 'Schedule', value: schedule.description },
        { title: 'Time zone', value: schedule.zoneFrom ? `${schedule.timezone} (${ZONE_FROM[schedule.zoneFrom]})` : schedule.timezone },
        { title: 'Next post', value: formatIn(nextRun(schedule, now), schedule.timezone) },
      ],
    },
  };
}

export function unsubscribedCard(outcome: 'stopped' | 'nothing to stop'): ViewOf<'subscription'> {
  const existed = outcome === 'stopped';
  return {
    card: 'subscription',
    data: {
      title: existed ? 'Unsubscribed' : 'Nothing to unsubscribe',
      message: existed ? 'I will no longer post the weekly digest here. Say "subscribe" to start again.' : 'This conversation had no digest subscription.',
      facts: [],
    },
  };
}

export function statusCard(sub: Subscription | undefined, now: Date): ViewOf<'subscription'> {
  if (!sub) {
    return { card: 'subscription', data: { title: 'No digest here', message: 'Say "subscribe" (optionally "every monday 8:00 Europe/Berlin") to get the weekly digest in this conversation.', facts: [] } };
  }
  const facts = [
    { title: 'Schedule', value: sub.schedule.description },
    { title: 'State', value: sub.active ? 'active' : `inactive: ${sub.inactiveReason ?? 'unsubscribed'}` },
    { title: 'Last post', value: sub.lastPostAt ? formatIn(new Date(sub.lastPostAt), sub.schedule.timezone) : 'none yet' },
    { title: 'Last error', value: sub.lastError ? `${formatIn(new Date(sub.lastError.at), sub.schedule.timezone)}: ${sub.lastError.message}` : 'none' },
  ];
  if (sub.active) facts.push({ title: 'Next post', value: formatIn(nextRun(sub.schedule, now), sub.schedule.timezone) });
  return { card: 'subscription', data: { title: 'Weekly digest status', message: `Subscribed by ${sub.createdBy} on ${sub.createdAt.slice(0, 10)}.`, facts } };
}
