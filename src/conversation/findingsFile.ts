import type { ViewOf } from '../cards/render';
import { oneLine, shortened } from '../cards/cardText';
import { findingsCsv } from '../export/findingsCsv';
import type { EnvironmentReport, LicensingReport } from '../licensing/report';

/**
 * "send me this as an Excel file": the findings CSV of one environment or all, offered as a
 * file in Teams' personal chat (the only place a bot may send one); elsewhere, where to get it.
 */

/** The findings CSV of one environment or all, and its file name: passlens-findings-<environment>-<month>.csv. */
export function findingsFileOf(report: LicensingReport, env: EnvironmentReport | null): { name: string; description: string; text: string; rows: number } {
  const environments = env ? [env] : report.environments;
  // Short enough for a OneDrive file name and the consent card's size; the file itself holds the full names.
  const slug = shortened((env?.name ?? 'all-environments').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''), 60).replace('\u2026', '-') || 'environment';
  return {
    name: `passlens-findings-${slug}-${report.month ?? 'all'}.csv`,
    description: `PassLens findings${env ? ` for ${shortened(oneLine(env.name), 100)}` : ''}, ${report.month ?? 'whole period'}: one row per finding`,
    text: findingsCsv(report, environments),
    rows: environments.reduce((n, e) => n + e.findings.length, 0),
  };
}

/** What the chat says of the file: accept the card below, or where the file can be had instead. */
export function whereTheFileGoes(file: { name: string; rows: number }, chat: { offered: boolean; localChat: boolean; upload: boolean }): ViewOf<'subscription'> {
  const cli = `npx passlens analyze ${chat.upload ? '--csv FILE' : '--live'} --format csv > findings.csv`;
  if (chat.offered) return messageCard('Your findings file', `Accept the file card below to save ${file.name} (${file.rows} findings) to your OneDrive; it opens in Excel.`);
  if (chat.localChat) return messageCard('This chat cannot receive files', `The findings are a CSV file, which Excel opens. The local Playground has no file downloads: run "${cli}"${chat.upload ? '' : ' (--demo for the demo tenant)'} in a terminal, or press the button in Teams' personal chat with PassLens.`);
  return messageCard('Downloads come in the personal chat', `The findings are a CSV file, which Excel opens. Teams lets PassLens send files only in its personal chat with you: press the button there, or run "${cli}" in a terminal.`);
}

function messageCard(title: string, message: string): ViewOf<'subscription'> {
  return { card: 'subscription', data: { title, message, facts: [] } };
}
