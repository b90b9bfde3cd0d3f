import { KNOWN_LIMITS } from '../licensing/limits';
import type { ViewOf } from '../cards/render';

export const EXAMPLE_QUESTIONS = [
  'Are we over?',
  'How many passes does Sales Prod use?',
  'Why are standard apps booked as AppPass in Contoso Sales?',
  'Which apps are misclassified?',
  'Explain app Timesheet',
  'What does jane@contoso.com consume?',
  'What should we buy?',
  'What do our passes cost?',
  'Refresh',
  'Check setup',
];

/** The help card, as a welcome when PassLens is installed or as the answer to "help". */
export function helpCard(occasion: 'welcome' | 'asked'): ViewOf<'help'> {
  const welcome = occasion === 'welcome';
  return {
    card: 'help',
    data: {
      title: welcome ? 'Hi, I am PassLens' : 'What I can answer',
      intro:
        'I explain, environment by environment, how your per-app passes are used: where you are over, where passes sit idle, which apps are booked against their classification, and what to do.',
      examples: EXAMPLE_QUESTIONS,
      moreTitle: 'More: files, digest, limits',
      csvHint: 'You can also drop the Active users CSV (admin center > Licensing > Power Apps > Download reports) into our personal chat and I will analyse it; reports dropped within 15 minutes of each other (other months, All licensed users) are analysed together.',
      limits: KNOWN_LIMITS.map((l) => `${l.text} (${l.rule})`),
      digestHint: 'In a channel, mention me and ask for the weekly digest in your own words ("@PassLens keep this channel posted every Friday at 16:00 Europe/Berlin"); "status", "digest now" and "unsubscribe" manage it. I also understand the common questions in German and French.',
      buttons: [
        { title: 'Are we over?', text: 'Are we over?' },
        { title: 'Misclassified apps', text: 'Which apps are misclassified?' },
        { title: 'What should we buy?', text: 'What should we buy?' },
        { title: 'Overview', text: 'overview' },
      ],
    },
  };
}

/** How to have PassLens analyse the Active users CSV. */
export function uploadHelpCard(): ViewOf<'help'> {
  return {
    card: 'help',
    data: {
      title: 'Analysing the Active users CSV',
      limits: [],
      moreTitle: 'More',
      intro: 'I can analyse the Active users report as Microsoft exports it, per environment, exactly as I answer for the tenant itself.',
      examples: [
        'In the Power Platform admin center, open Licensing > Power Apps and choose Download reports.',
        'Download the Active users report (a .csv file) and keep it unchanged.',
        'Drop the file into our personal chat: I answer with the overview of that file, and its buttons answer from it for an hour.',
        'Drop the other months, the All licensed users report or the Managed Environments report within 15 minutes of the last one and I analyse them together; say "new upload" to start over.',
      ],
      csvHint: 'On your own machine, "npx passlens analyze --csv FILE" gives the same analysis as text, JSON or Markdown.',
      digestHint: 'For 15 minutes after the last drop, questions you type here answer from the files too; each such answer has a button to ask the tenant instead.',
      buttons: [{ title: 'Overview of the tenant', text: 'overview' }],
    },
  };
}
