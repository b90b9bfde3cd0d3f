import { classifyApp } from '../../licensing/premium';
import type { App, BookedLicenseType, Environment, Launch, TenantSnapshot, User, UserLicense } from '../../licensing/snapshot';

/**
 * The embedded demo tenant: Contoso, built so that the forum question has its exact
 * numbers ("Contoso Sales (Prod)": 25 passes, 28 AppPass rows over 28 apps, 1 premium,
 * E5 users, not managed, "Per-app licensing" on) and every finding code appears at least once.
 * The rules added in late 2026 have their cases beside it: a default environment (R9's
 * older setting name), a Dataverse for Teams environment (R15), a developer environment
 * (R16), a guest (R17), a code app (R20), an app of grandfathered connectors (R7) and a
 * Dynamics 365 user outside their app's context (R6).
 * Deterministic: the same snapshot every time, so tests and screenshots are stable.
 */

export const DEMO_MONTH = '2026-11';

const FIRST_NAMES = [
  'adele.vance', 'alex.wilber', 'allan.deyoung', 'christie.cline', 'debra.berger', 'diego.siciliani', 'emily.braun',
  'enrico.cattaneo', 'grady.archie', 'henrietta.mueller', 'irvin.sayers', 'isaiah.langer', 'johanna.lorenz', 'joni.sherman',
  'lee.gu', 'lidia.holloway', 'lynne.robbins', 'megan.bowen', 'miriam.graham', 'nestor.wilke', 'patti.fernandez',
  'pradeep.gupta', 'raul.razo', 'sam.mendes', 'sofia.amaral', 'tom.baker', 'vera.lukic', 'wanda.okafor',
  'xavier.ortiz', 'yuki.tanaka', 'zoe.martin', 'bruno.costa', 'chloe.dubois', 'darius.novak', 'elif.yilmaz',
  'fatima.haddad', 'gustav.berg', 'hana.kim', 'ivan.petrov', 'julia.schmidt',
];

const STANDARD_SALES_APPS = [
  'Timesheet', 'Expense Tracker', 'Visit Planner', 'Lead Capture', 'Travel Requests', 'Meeting Notes', 'Price List Viewer',
  'Sales Contacts', 'Event Check-in', 'Sample Requests', 'Territory Map', 'Product Catalog', 'Quote Helper', 'Booth Signup',
  'Customer Feedback', 'Mileage Log', 'Team Directory', 'Deal Photos', 'Training Tracker', 'Asset Loans', 'Office Desk Booking',
  'Competitor Notes', 'Partner Contacts', 'Sales Kudos', 'Forecast Notes', 'Promo Calendar', 'Store Visits',
];

const ENV = {
  sales: '8f3c2a10-0000-4000-9000-00000000aa01',
  hr: '8f3c2a10-0000-4000-9000-00000000aa02',
  finance: '8f3c2a10-0000-4000-9000-00000000aa03',
  operations: '8f3c2a10-0000-4000-9000-00000000aa04',
  field: '8f3c2a10-0000-4000-9000-00000000aa05',
  personal: '8f3c2a10-0000-4000-9000-00000000aa06',
  huddle: '8f3c2a10-0000-4000-9000-00000000aa07',
};

/** A guest: Entra ID writes the home UPN with _ for @, then #EXT#@ the host tenant (R17). */
const GUEST = 'pat.lee_fabrikam.com#EXT#@contoso.onmicrosoft.com';

let appCounter = 0;
function appId(): string {
  appCounter++;
  return `3e9d0c2a-0000-4000-9000-${appCounter.toString(16).padStart(12, '0')}`;
}

const sharePoint = { name: 'SharePoint', tier: 'Standard' as const, custom: false, onPremises: false };
const outlook = { name: 'Office 365 Outlook', tier: 'Standard' as const, custom: false, onPremises: false };
const sql = { name: 'SQL Server', tier: 'Premium' as const, custom: false, onPremises: false };
const dataverse = { name: 'Microsoft Dataverse', tier: 'Premium' as const, custom: false, onPremises: false };

function canvas(name: string, environmentId: string, premium: boolean, overrides: Partial<App> = {}): App {
  return {
    id: appId(),
    name,
    environmentId,
    type: 'canvas',
    planClassification: premium ? 'Premium' : 'Standard',
    usesPremiumApi: premium,
    usesCustomApi: false,
    usesOnPremiseGateway: false,
    usesOnlyGrandfatheredPremiumApis: false,
    usesPcfExternalServiceUsage: false,
    connectors: premium ? [sharePoint, sql] : [sharePoint, outlook],
    canConsumeAppPass: true,
    ...overrides,
  };
}

export function buildDemoTenant(generatedAt = '2026-11-29T08:00:00.000Z'): TenantSnapshot {
  appCounter = 0;
  const upn = (i: number): string => `${FIRST_NAMES[i % FIRST_NAMES.length]}@contoso.com`;
  const environments: Environment[] = [
    { id: ENV.sales, name: 'Contoso Sales (Prod)', environmentType: 'Production', managed: false, payAsYouGo: false, allocatedPasses: 25 },
    { id: ENV.hr, name: 'Contoso HR (Managed)', environmentType: 'Production', managed: true, payAsYouGo: false, allocatedPasses: 10 },
    { id: ENV.finance, name: 'Finance (Pay-as-you-go)', environmentType: 'Production', managed: false, payAsYouGo: true, allocatedPasses: 5 },
    { id: ENV.operations, name: 'Operations', environmentType: 'Production', managed: false, payAsYouGo: false, allocatedPasses: 40 },
    { id: ENV.field, name: 'Field Service (Dev)', environmentType: 'Developer', managed: false, payAsYouGo: false, allocatedPasses: 0 },
    { id: ENV.personal, name: 'Personal Productivity (default)', environmentType: 'Default', managed: false, payAsYouGo: false, allocatedPasses: 2 },
    { id: ENV.huddle, name: 'Project Huddle (Teams)', environmentType: 'Teams', managed: false, payAsYouGo: false, allocatedPasses: 0 },
  ];
  const launches: Launch[] = [];
  const launch = (user: string, app: App, licenseType: BookedLicenseType, reportedPremium?: boolean): void => {
    const env = environments.find((e) => e.id === app.environmentId)!;
    launches.push({
      userPrincipalName: user,
      appId: app.id,
      appName: app.name,
      environmentId: env.id,
      environmentName: env.name,
      month: DEMO_MONTH,
      licenseType,
      reportedPremium: reportedPremium ?? classifyApp(app).premium,
    });
  };

  // Contoso Sales (Prod): the forum case. 27 standard apps with "Per-app licensing" on + 1 premium app,
  // one AppPass launch each by a different E5 user; 25 passes allocated.
  const salesApps = STANDARD_SALES_APPS.map((name) => canvas(name, ENV.sales, false));
  const dealDesk = canvas('Deal Desk', ENV.sales, true);
  salesApps.push(dealDesk);
  salesApps.forEach((app, i) => launch(upn(i), app, 'AppPass'));
  // The same E5 users also open standard apps whose "Per-app licensing" is off: booked as M365.
  const salesLibrary = canvas('Sales Library', ENV.sales, false, { canConsumeAppPass: false });
  salesApps.push(salesLibrary);
  for (let i = 0; i < 6; i++) launch(upn(i), salesLibrary, 'M365');

  // Contoso HR (Managed): standard apps booked as passes correctly (R8), and a Premium
  // per-user licensed user booked as AppPass anyway (R6, double licensing).
  const leave = canvas('Leave Requests', ENV.hr, false, { canConsumeAppPass: false });
  const onboarding = canvas('Onboarding Hub', ENV.hr, false, { canConsumeAppPass: false });
  const benefits: App = { ...canvas('Benefits Admin', ENV.hr, true), type: 'model-driven', connectors: [dataverse] };
  const hrApps = [leave, onboarding, benefits];
  for (let i = 0; i < 5; i++) launch(upn(i + 10), leave, 'AppPass');
  for (let i = 0; i < 3; i++) launch(upn(i + 15), onboarding, 'AppPass');
  launch('jane@contoso.com', leave, 'AppPass');
  launch('jane@contoso.com', benefits, 'PerUser');
  launch(upn(18), benefits, 'AppPass');

  // Finance (Pay-as-you-go): passes allocated to an environment that ignores them (R10).
  const budget = canvas('Budget Planner', ENV.finance, true);
  const invoices = canvas('Invoice Approvals', ENV.finance, false);
  for (let i = 0; i < 4; i++) launch(upn(i + 20), budget, 'PayAsYouGo');
  for (let i = 0; i < 3; i++) launch(upn(i + 24), invoices, 'M365');

  // Operations: 40 passes, 12 used (idle capacity); omar needs 5 passes (R14); Fleet Tracker
  // uses a custom connector but the report calls it standard (flag mismatch).
  const opsNames = ['Inventory Scanner', 'Safety Audit', 'Shift Planner', 'Maintenance Log', 'Parts Ordering'];
  const opsApps = opsNames.map((name) => canvas(name, ENV.operations, true));
  const fleet = canvas('Fleet Tracker', ENV.operations, false, {
    planClassification: 'Standard',
    usesCustomApi: true,
    connectors: [sharePoint, { name: 'Contoso Telematics (custom)', tier: 'Premium', custom: true, onPremises: false }],
  });
  opsApps.push(fleet);
  for (const app of opsApps.slice(0, 5)) launch('omar@contoso.com', app, 'AppPass');
  for (let i = 0; i < 4; i++) launch(upn(i + 28), opsApps[i], 'AppPass');
  for (let i = 0; i < 3; i++) launch(upn(i + 32), fleet, 'AppPass', false);
  // A code app (R20), run by Premium users, and an app of grandfathered premium connectors
  // still labelled Standard (R7) that the report calls standard too.
  const dispatch: App = { ...canvas('Dispatch Board', ENV.operations, false), type: 'code', planClassification: null, canConsumeAppPass: null };
  const legacy = canvas('Legacy Stock Count', ENV.operations, false, { usesOnlyGrandfatheredPremiumApis: true, connectors: [sharePoint, { ...sql, name: 'SQL Server (grandfathered)' }] });
  opsApps.push(dispatch, legacy);
  launch('jane@contoso.com', dispatch, 'PerUser');
  launch('kai@contoso.com', dispatch, 'PerUser');
  launch('kai@contoso.com', legacy, 'PerUser', false);

  // Field Service (Dev): a premium app used with no pass allocated and no per-user license.
  const route = canvas('Route Optimizer', ENV.field, true, { canConsumeAppPass: false });
  for (let i = 0; i < 4; i++) launch(upn(i + 35), route, i % 2 ? 'Other' : 'M365');

  // Personal Productivity (default): a standard app booked through the default environment's
  // "Pass assignment > Auto assign per app passes" (R9), and a guest on a premium app (R17).
  const helpDesk = canvas('Help Desk', ENV.personal, false);
  const badges = canvas('Visitor Badges', ENV.personal, true, { canConsumeAppPass: false });
  const personalApps = [helpDesk, badges];
  launch(upn(1), helpDesk, 'AppPass');
  launch(upn(2), helpDesk, 'AppPass');
  launch(GUEST, badges, 'Other');

  // Project Huddle (Teams): a Dataverse for Teams environment with standard apps (R15).
  const huddleNotes = canvas('Huddle Notes', ENV.huddle, false, { canConsumeAppPass: false });
  for (let i = 0; i < 3; i++) launch(upn(i + 3), huddleNotes, 'M365');

  const users: User[] = [];
  const licensed = (u: string, licenses: UserLicense[], displayName?: string): void => {
    users.push({ userPrincipalName: u, displayName: displayName ?? displayNameOf(u), licenses });
  };
  for (let i = 0; i < FIRST_NAMES.length; i++) licensed(upn(i), ['M365E5']);
  licensed('jane@contoso.com', ['M365E5', 'PowerAppsPremium'], 'Jane Doe');
  licensed('omar@contoso.com', ['M365E5'], 'Omar Haddad');
  licensed('kai@contoso.com', ['M365E5', 'PowerAppsPremium'], 'Kai Nakamura');
  licensed(GUEST, [], 'Pat Lee (Fabrikam, guest)');
  // Dynamics 365 covers apps only in its own app's context (R6): their AppPass booking in HR is correct.
  users.find((u) => u.userPrincipalName === upn(18))!.licenses = ['M365E5', 'D365Enterprise'];

  return {
    generatedAt,
    tenantName: 'Contoso (demo)',
    sources: [{ kind: 'demo', description: 'Embedded demo tenant (Contoso)' }],
    environments,
    apps: [...salesApps, ...hrApps, budget, invoices, ...opsApps, route, ...personalApps, huddleNotes],
    users,
    launches,
  };
}

function displayNameOf(upn: string): string {
  return upn
    .split('@')[0]
    .split('.')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join(' ');
}
