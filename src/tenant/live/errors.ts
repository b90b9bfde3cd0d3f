/**
 * Failures of the live tenant readers, in words an admin can act on: which
 * registration or permission is missing and how to grant it. Never the secret.
 */
export type ApiName = 'bap' | 'powerapps' | 'powerplatform' | 'graph' | 'officeManagement' | 'token';

export class LiveApiError extends Error {
  constructor(
    message: string,
    readonly api: ApiName,
    readonly status: number | null,
    readonly action: string,
    /** Microsoft's error code (`error.code` of the body, or the AADSTS number of a sign-in), when it sent one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'LiveApiError';
  }
}

const API_TITLE: Record<ApiName, string> = {
  bap: 'the Power Platform admin API (BAP)',
  powerapps: 'the Power Apps admin API',
  powerplatform: 'the Power Platform API',
  graph: 'Microsoft Graph',
  officeManagement: 'the Office 365 Management Activity API',
  token: 'Microsoft Entra ID sign-in',
};

/**
 * Registering an existing app registration as a Power Platform management app: `pac admin
 * application register` (pac CLI reference, "pac admin application register"); `pac admin
 * create-service-principal` creates a new app instead. PowerShell: New-PowerAppManagementApp.
 */
export const REGISTER_FIX =
  'A Power Platform admin registers the app once as a management app: `pac admin application register --application-id <PASSLENS_CLIENT_ID>` ' +
  '(or PowerShell `New-PowerAppManagementApp -ApplicationId <PASSLENS_CLIENT_ID>`).';

/** Graph application permissions: /subscribedSkus needs LicenseAssignment.Read.All, /users needs User.Read.All; Directory.Read.All covers both (Graph permissions reference). */
export const GRAPH_SKUS_FIX =
  'In Entra ID > App registrations > PassLens > API permissions, add the Microsoft Graph application permission LicenseAssignment.Read.All (or Directory.Read.All) and grant admin consent.';
export const GRAPH_USERS_FIX =
  'In Entra ID > App registrations > PassLens > API permissions, add the Microsoft Graph application permission User.Read.All (or Directory.Read.All) and grant admin consent.';

export function accessError(api: ApiName, status: number, code: string, action?: string): LiveApiError {
  return new LiveApiError(
    `${API_TITLE[api]} answered ${status}${code ? ` (${code})` : ''}: PassLens's app registration may not read it.`,
    api,
    status,
    action ?? (api === 'graph' ? `${GRAPH_SKUS_FIX} ${GRAPH_USERS_FIX}` : REGISTER_FIX),
    code || null,
  );
}

export function signInError(status: number | null, code: string, description: string): LiveApiError {
  const aadsts = /AADSTS\d+/.exec(description)?.[0] ?? null;
  const errorCode = aadsts ?? (code || null);
  if (code === 'invalid_client' || aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222') {
    return new LiveApiError(
      `Sign-in failed: the tenant reader's credential was refused${aadsts ? ` (${aadsts})` : ''}; the client secret is wrong or expired, or the certificate is not registered.`,
      'token',
      status,
      'Create a new client secret (or upload the certificate) in Entra ID > App registrations > PassLens > Certificates & secrets, and update PASSLENS_CLIENT_SECRET or PASSLENS_CLIENT_CERTIFICATE_PATH.',
      errorCode,
    );
  }
  if (aadsts === 'AADSTS700016' || code === 'unauthorized_client') {
    return new LiveApiError(`Sign-in failed${aadsts ? ` (${aadsts})` : ''}: no app with PASSLENS_CLIENT_ID in tenant PASSLENS_TENANT_ID.`, 'token', status, 'Check PASSLENS_CLIENT_ID and PASSLENS_TENANT_ID against Entra ID > App registrations.', errorCode);
  }
  // AADSTS500011 / invalid_resource: the audience asked for is no service principal of this tenant's cloud.
  if (aadsts === 'AADSTS500011' || code === 'invalid_resource') {
    return new LiveApiError(
      `Sign-in failed${aadsts ? ` (${aadsts})` : ''}: Entra ID does not know the resource PassLens asked a token for.`,
      'token',
      status,
      'Set PASSLENS_CLOUD to the tenant\'s cloud (public, usgov, usgovhigh, dod or china); the token audiences come from it.',
      errorCode,
    );
  }
  return new LiveApiError(`Sign-in failed (${code || 'error'}${aadsts ? `, ${aadsts}` : ''}).`, 'token', status, 'Check the tenant reader settings (PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and its credential).', errorCode);
}
