import type { Finding, FindingCode } from '../report';
import type { FindingWords } from './finding';
import { standardAppBookedAsPassWords } from './standardAppBookedAsPass';
import { premiumUserBookedAsPassWords } from './premiumUserBookedAsPass';
import { standardAppExpectedAsPassWords } from './standardAppExpectedAsPass';
import { overageWords } from './overage';
import { unusedPassesWords } from './unusedPasses';
import { uncoveredPremiumUseWords } from './uncoveredPremiumUse';
import { premiumFlagMismatchWords } from './premiumFlagMismatch';
import { paygIgnoresPassesWords } from './paygIgnoresPasses';
import { cheaperPerUserWords } from './cheaperPerUser';
import { launchesAtZeroAllocationWords } from './launchesAtZeroAllocation';
import { teamsEnvironmentWords } from './teamsEnvironment';
import { developerEnvironmentWords } from './developerEnvironment';
import { guestUsersWords } from './guestUsers';
import { codeAppUseWords } from './codeAppUse';

const WORDS: Record<FindingCode, (f: Finding) => FindingWords> = {
  STANDARD_APP_BOOKED_AS_PASS: standardAppBookedAsPassWords,
  STANDARD_APP_EXPECTED_AS_PASS: standardAppExpectedAsPassWords,
  PREMIUM_USER_BOOKED_AS_PASS: premiumUserBookedAsPassWords,
  OVERAGE: overageWords,
  UNUSED_PASSES: unusedPassesWords,
  UNCOVERED_PREMIUM_USE: uncoveredPremiumUseWords,
  PREMIUM_FLAG_MISMATCH: premiumFlagMismatchWords,
  PAYG_IGNORES_PASSES: paygIgnoresPassesWords,
  CHEAPER_PER_USER: cheaperPerUserWords,
  LAUNCHES_AT_ZERO_ALLOCATION: launchesAtZeroAllocationWords,
  TEAMS_ENVIRONMENT: teamsEnvironmentWords,
  DEVELOPER_ENVIRONMENT: developerEnvironmentWords,
  GUEST_USERS: guestUsersWords,
  CODE_APP_USE: codeAppUseWords,
};

/**
 * The words of a finding (evidence, explanation, fix), written from its facts: the one
 * function every output (cards, CLI, digest, export) asks. Written on demand because a
 * large tenant has over 100,000 findings and an answer shows a handful
 * (docs/performance.md); each builder's words sit beside it, in the file named after it.
 */
export function findingWords(f: Finding): FindingWords {
  return WORDS[f.code](f);
}
