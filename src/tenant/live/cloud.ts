/**
 * Each Microsoft cloud's hosts and token audiences (PASSLENS_CLOUD), from one table, so
 * a base URL and the audience of its token can never come from two different clouds.
 *
 * Sources:
 * - Power Platform hosts and audiences: microsoft/terraform-provider-power-platform,
 *   internal/constants/constants.go (`*_BAPI_DOMAIN`, `*_POWERAPPS_SCOPE`,
 *   `*_POWERPLATFORM_API_SCOPE`, `*_OAUTH_AUTHORITY_URL`); internal/api/client.go
 *   `tryGetScopeFromURL` gives the BAP host and the Power Apps host the same Power Apps
 *   scope. Microsoft's PowerShell admin module agrees for the public cloud and DoD
 *   (Microsoft.PowerApps.RestClientModule.psm1, `Get-AudienceForHostName`:
 *   "api.bap.microsoft.com" = "https://service.powerapps.com/", "api.bap.appsplatform.us" =
 *   "https://service.apps.appsplatform.us/"); for GCC and GCC High it maps BAP to
 *   "https://gov.service.powerapps.us/" and "https://high.service.powerapps.us/" where the
 *   Terraform provider, the newer of the two, uses the values below.
 * - Graph hosts: learn.microsoft.com/graph/deployments ("Microsoft Graph and Graph Explorer
 *   service root endpoints"): GCC uses the global service; GCC High graph.microsoft.us;
 *   DoD dod-graph.microsoft.us; China microsoftgraph.chinacloudapi.cn. A Graph token's
 *   audience is the Graph host of its cloud (graph/sdks/national-clouds).
 * - Office 365 Management Activity API hosts (the audit log of GCC, GCC High and DoD):
 *   MicrosoftDocs/office-365-management-api, office-365-management-activity-api-reference.md,
 *   "Activity API operations" (Enterprise manage.office.com, GCC manage-gcc.office.com,
 *   GCC High manage.office365.us, DoD manage.protection.apps.mil); no China host is listed.
 *   A token for it is asked for the API's host as resource (troubleshooting-the-office-365-
 *   management-activity-api.md: resource "https://manage.office.com").
 * - Graph's audit log query API is offered in the global service only (microsoft-graph-
 *   docs-contrib, security-auditcoreroot-post-auditlogqueries.md, includes/global-only.md).
 */
export type CloudName = 'public' | 'usgov' | 'usgovhigh' | 'dod' | 'china';
export const CLOUD_NAMES: readonly CloudName[] = ['public', 'usgov', 'usgovhigh', 'dod', 'china'];

/** The APIs PassLens calls, each with its own base URL and token audience. */
export type ApiHost = 'bap' | 'powerapps' | 'powerplatform' | 'graph';

export interface Cloud {
  authorityHost: string;
  bapUrl: string;
  powerAppsUrl: string;
  powerPlatformUrl: string;
  graphUrl: string;
  /** The Office 365 Management Activity API; its token's audience is this origin. null: none documented. */
  officeManagementUrl: string | null;
  /** Graph's audit log query API answers in this cloud. */
  graphAuditLog: boolean;
  /** The resource each API's token is asked for (scope = audience + "/.default"). */
  audiences: Record<ApiHost, string>;
  /**
   * Domains of the file hosts a file dropped in Teams is fetched from and a findings file
   * PUT to (tenant/fileHosts.ts): SharePoint Online and OneDrive for Business, per
   * Microsoft 365's endpoint lists ("Microsoft 365 URLs and IP address ranges": worldwide
   * `<tenant>.sharepoint.com, <tenant>-my.sharepoint.com`, ID 31; 21Vianet `*.sharepoint.cn`,
   * ID 4). GCC has no endpoint list of its own: the endpoints web service's instances are
   * Worldwide, USGovGCCHigh, USGovDoD, China, so GCC is served from the worldwide one. None in
   * GCC High and DoD: "bots don't support sending and receiving files" there (Teams docs,
   * bots/how-to/bots-filesv4).
   */
  fileHosts: readonly string[];
}

export const CLOUDS: Record<CloudName, Cloud> = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    bapUrl: 'https://api.bap.microsoft.com',
    powerAppsUrl: 'https://api.powerapps.com',
    powerPlatformUrl: 'https://api.powerplatform.com',
    graphUrl: 'https://graph.microsoft.com',
    officeManagementUrl: 'https://manage.office.com',
    graphAuditLog: true,
    audiences: {
      bap: 'https://service.powerapps.com',
      powerapps: 'https://service.powerapps.com',
      powerplatform: 'https://api.powerplatform.com',
      graph: 'https://graph.microsoft.com',
    },
    fileHosts: ['sharepoint.com'],
  },
  // GCC: Terraform USGOV_*; Entra ID and Graph of the global service.
  usgov: {
    authorityHost: 'https://login.microsoftonline.com',
    bapUrl: 'https://gov.api.bap.microsoft.us',
    powerAppsUrl: 'https://gov.api.powerapps.us',
    powerPlatformUrl: 'https://api.gov.powerplatform.microsoft.us',
    graphUrl: 'https://graph.microsoft.com',
    officeManagementUrl: 'https://manage-gcc.office.com',
    graphAuditLog: false,
    audiences: {
      bap: 'https://service.powerapps.us',
      powerapps: 'https://service.powerapps.us',
      powerplatform: 'https://api.gov.powerplatform.microsoft.us',
      graph: 'https://graph.microsoft.com',
    },
    fileHosts: ['sharepoint.com'],
  },
  // GCC High: Terraform USGOVHIGH_* (its Power Platform API host is api.appsplatform.us, as the constant says).
  usgovhigh: {
    authorityHost: 'https://login.microsoftonline.us',
    bapUrl: 'https://high.api.bap.microsoft.us',
    powerAppsUrl: 'https://high.api.powerapps.us',
    powerPlatformUrl: 'https://api.appsplatform.us',
    graphUrl: 'https://graph.microsoft.us',
    officeManagementUrl: 'https://manage.office365.us',
    graphAuditLog: false,
    audiences: {
      bap: 'https://high.service.apps.appsplatform.us',
      powerapps: 'https://high.service.apps.appsplatform.us',
      powerplatform: 'https://api.appsplatform.us',
      graph: 'https://graph.microsoft.us',
    },
    fileHosts: [],
  },
  // DoD: Terraform USDOD_*.
  dod: {
    authorityHost: 'https://login.microsoftonline.us',
    bapUrl: 'https://api.bap.appsplatform.us',
    powerAppsUrl: 'https://api.apps.appsplatform.us',
    powerPlatformUrl: 'https://api.appsplatform.us',
    graphUrl: 'https://dod-graph.microsoft.us',
    officeManagementUrl: 'https://manage.protection.apps.mil',
    graphAuditLog: false,
    audiences: {
      bap: 'https://service.apps.appsplatform.us',
      powerapps: 'https://service.apps.appsplatform.us',
      powerplatform: 'https://api.appsplatform.us',
      graph: 'https://dod-graph.microsoft.us',
    },
    fileHosts: [],
  },
  // Operated by 21Vianet: Terraform CHINA_*.
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    bapUrl: 'https://api.bap.partner.microsoftonline.cn',
    powerAppsUrl: 'https://api.powerapps.cn',
    powerPlatformUrl: 'https://api.powerplatform.partner.microsoftonline.cn',
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    officeManagementUrl: null,
    graphAuditLog: false,
    audiences: {
      bap: 'https://service.powerapps.cn',
      powerapps: 'https://service.powerapps.cn',
      powerplatform: 'https://api.powerplatform.partner.microsoftonline.cn',
      graph: 'https://microsoftgraph.chinacloudapi.cn',
    },
    fileHosts: ['sharepoint.cn'],
  },
};
