import type { CardView, LineAbove, ViewOf } from '../cards/render';
import { UploadTooLargeError } from '../tenant/uploadLimits';
import { errorCard } from './choiceCard';
import type { UploadSetNote } from '../cards/views';
import { monthName } from '../licensing/months';
import { REPORT_TITLES } from '../tenant/csv/adminReports';
import { CsvFormatError } from '../tenant/csv/activeUsersCsv';
import type { DropOutcome, OpenSet, Refusal } from '../tenant/uploadWindow';
import { UploadsBusyError, UploadSetTooLargeError } from '../tenant/uploadWindow';
import { describeFailure } from './failures';

/**
 * What the answer to a drop says of the set it analysed (tenant/uploadWindow.ts): the
 * files combined, what replaced what, what was refused and why, until when another file
 * joins, and how to start over.
 */

/** The overview of a drop, with the set's notes; refusals join the card's warnings. */
export function withUploadNotes(view: CardView, outcome: DropOutcome, windowMinutes: number, timezone?: string): CardView {
  if (view.card !== 'overview') return view;
  return { ...view, data: { ...view.data, upload: uploadSetNote(outcome, windowMinutes, timezone), sourceNotes: [...refusalNotes(outcome.refused), ...view.data.sourceNotes] } };
}

export function uploadSetNote(outcome: DropOutcome, windowMinutes: number, timezone?: string): UploadSetNote {
  const at = (d: Date) => clock(d, timezone);
  const names = outcome.used.map((k) => k.name);
  const notes = [
    names.length > 1
      ? `One analysis of the ${names.length} files dropped here since ${at(outcome.startedAt)}: ${names.join(', ')}.`
      : `The analysis of ${names[0] ?? 'the file'} alone.`,
    `A report dropped here before ${at(outcome.endsAt)} (${windowMinutes} minutes after the last one) joins ${names.length > 1 ? 'them' : 'it'}; a report dropped again replaces the earlier one. "New upload" starts over.`,
    ...outcome.replaced.map((r) => `${r.by} replaced the ${r.name} dropped at ${at(r.droppedAt)} (${replacedWhy(r)}): nothing is counted twice.`),
  ];
  if (outcome.expiredEarlier) notes.push(`The files dropped before were more than ${windowMinutes} minutes ago and are forgotten: this is a new set.`);
  return { notes };
}

/** A question is a sentence or two: the words the button asks again are bounded so the card stays under Teams' size limit (cards/render.ts). */
const MAX_WORDS_ASKED_AGAIN = 1000;

/** The line over a typed question's answer from the chat's open set, with a button that asks the tenant the same words. */
export function uploadSourceLine(open: OpenSet, said: string, timezone?: string): LineAbove {
  const files = open.files.length > 1 ? `the ${open.files.length} files dropped here (${open.files.join(', ')})` : `${open.files[0]}, dropped here,`;
  return {
    text: `From ${files} until ${clock(open.endsAt, timezone)}, not the tenant.`,
    // A button carries no upload id unless its card answered from one: these words go to the tenant.
    button: { title: 'Ask the tenant instead', data: { verb: 'ask', text: said.slice(0, MAX_WORDS_ASKED_AGAIN) } },
  };
}

export function refusalNotes(refused: readonly Refusal[]): string[] {
  return refused.map((r) => `${r.name} was not used: ${refusalReason(r.error)} The other files are analysed as before.`);
}

/** A refusal that is not the file's fault (a download, the bot's disk): worth a line in the log for whoever runs PassLens. */
export function isRefusalOfTheBot(error: Error): boolean {
  return !(error instanceof CsvFormatError || error instanceof UploadSetTooLargeError);
}

/** Why a file was refused, in words the admin can act on. */
export function refusalReason(error: Error): string {
  if (!isRefusalOfTheBot(error) || error instanceof UploadsBusyError) return error.message;
  // A system call's error (ENOSPC, EACCES...) is the bot's own disk, not the download.
  const code = (error as NodeJS.ErrnoException).syscall ? (error as NodeJS.ErrnoException).code : undefined;
  if (code) return `PassLens could not keep it on its disk (${code}). Drop it again; if it keeps failing, tell whoever runs PassLens.`;
  return `it could not be downloaded (${describeFailure(error).message}) Drop it again.`;
}

function replacedWhy(r: DropOutcome['replaced'][number]): string {
  if (r.name.toLowerCase() === r.by.toLowerCase()) return 'the same file name';
  if (r.kind !== 'activeUsers') return `a newer ${REPORT_TITLES[r.kind]} report`;
  return r.months.length ? `the same ${REPORT_TITLES.activeUsers} report for ${r.months.map(monthName).join(', ')}` : `the same ${REPORT_TITLES.activeUsers} report`;
}

/** "15:32" in the asker's zone where Teams tells it, else "15:32 UTC". */
function clock(d: Date, timezone?: string): string {
  try {
    if (timezone) return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(d);
  } catch {
    // An unknown zone name: UTC, said as such.
  }
  return `${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * Nothing could be combined: why the (first) file was refused, and the others' reasons
 * below. An error card repeats nothing the request carried (docs/security.md): the files
 * are counted, never named, even where a reason quoted a name (withoutNames).
 */
export function refusedUploadCard(refused: readonly Refusal[], dropped: readonly { name: string }[]): ViewOf<'error'> {
  const view = refusalCard(refused);
  const hide = (text: string) => withoutNames(text, dropped.map((f) => f.name));
  return { ...view, data: { ...view.data, message: hide(view.data.message), action: hide(view.data.action), details: view.data.details.map(hide) } };
}

function refusalCard(refused: readonly Refusal[]): ViewOf<'error'> {
  const [first] = refused;
  const details = refused.slice(1).map((r, i) => `File ${i + 2} of ${refused.length} was not used either: ${refusalReason(r.error)}`);
  const e = first.error;
  if (e instanceof UploadTooLargeError || e instanceof UploadSetTooLargeError) {
    return errorCard('That file is too large to analyse in chat', e.message, 'Run "npx passlens analyze --csv FILE" on your machine (see the README): it reads files of any size.', details);
  }
  if (e instanceof UploadsBusyError) {
    return errorCard('PassLens is holding too many uploads right now', e.message, 'Drop it again in a few minutes, or run "npx passlens analyze --csv FILE" on your machine.', details);
  }
  if (e instanceof CsvFormatError) {
    return errorCard('I could not read that CSV file', e.message, 'Download the report again from the admin center (Licensing > Power Apps > Download reports) and send it unchanged.', details);
  }
  // Logged with the other refusals in answerUpload.
  const failure = describeFailure(e);
  return errorCard('I could not download that file', failure.message, 'Send the file again; if it keeps failing, run "passlens analyze --csv FILE" on your machine.', details);
}

/** `text` with each of `names` (quoted or not) put as "the file": an error card never repeats a file name. */
export function withoutNames(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of [...names].filter(Boolean).sort((a, b) => b.length - a.length)) out = out.split(`"${name}"`).join('the file').split(name).join('the file');
  return out;
}
