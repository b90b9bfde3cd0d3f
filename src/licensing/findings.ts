/** One builder per finding code, each in the file named after it with its words beside it. */
export { standardAppBookedAsPass, standardAppsTitle, standardAppsWords, PER_APP_SETTING, PER_APP_SETTING_IN_DEFAULT, perAppSettingWhere, confirmNotManaged, passesFreedBySettingOff, MANAGED_LICENSES, type StandardAppBooked } from './findings/standardAppBookedAsPass';
export { standardAppExpectedAsPass, standardAppsExpectedWords } from './findings/standardAppExpectedAsPass';
export { premiumUserBookedAsPass } from './findings/premiumUserBookedAsPass';
export { overage } from './findings/overage';
export { unusedPasses } from './findings/unusedPasses';
export { uncoveredPremiumUse } from './findings/uncoveredPremiumUse';
export { premiumFlagMismatch } from './findings/premiumFlagMismatch';
export { paygIgnoresPasses } from './findings/paygIgnoresPasses';
export { cheaperPerUser } from './findings/cheaperPerUser';
export { launchesAtZeroAllocation } from './findings/launchesAtZeroAllocation';
export { teamsEnvironment } from './findings/teamsEnvironment';
export { developerEnvironment } from './findings/developerEnvironment';
export { guestUsers } from './findings/guestUsers';
export { codeAppUse } from './findings/codeAppUse';
export { findingWords } from './findings/words';
export { sampleText, type EnvFacts, type FindingWords } from './findings/finding';
