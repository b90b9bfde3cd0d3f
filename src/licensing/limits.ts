import type { RuleId } from './rules';

/**
 * What the rules say that no source PassLens reads can show: the help card and the README
 * list these, so an admin knows which answers to check by hand.
 */
export interface KnownLimit {
  rule: RuleId;
  text: string;
}

export const KNOWN_LIMITS: readonly KnownLimit[] = [
  {
    rule: 'R18',
    text: 'Power Pages: the Active users report does not mark website rows (its columns are not documented) and no app-only API reports who visited a site, so a site booked as AppPass counts as an app.',
  },
  {
    rule: 'R19',
    text: 'Flows run in an app\'s context: no source says which flows a user ran, so flows are not counted.',
  },
  {
    rule: 'R6',
    text: 'Dynamics 365 in context: no source says whether an app runs in the context of a licensed Dynamics 365 app, so a Dynamics 365 user\'s AppPass row is taken as a correct booking. Power Automate Premium (which counts in Managed Environments) is not read.',
  },
  {
    rule: 'R15',
    text: 'Dataverse for Teams: the data does not say whether an app ran inside Teams or in a browser.',
  },
  {
    rule: 'R8',
    text: 'Trials and auto-claim policies: trial licenses and Premium licenses handed out by an auto-claim policy show only once Microsoft Graph lists them.',
  },
];
