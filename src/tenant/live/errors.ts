/**
 * Failures of the live tenant readers, in words an admin can act on: which
 * registration or permission is missing and how to grant it. Never the secret.
 */
export type ApiName = 'bap' | 'powerapps' | 'powerplatform' | 'graph' | 'token';

export class LiveApiError extends Error {
  constructor(
    message: string,
    readonly api: ApiName,
    readonly status: number | null,
    readonly action: string,
  ) {
    super(message);
    this.name = 'LiveApiError';
  }
}

const API_TITLE: Record<ApiName, string> = {
  bap: 'the Power Platform admin API (api.bap.microsoft.com)',
  powerapps: 'the Power Apps admin API (api.powerapps.com)',
  powerplatform: 'the Power Platform API (api.powerplatform.com)',
  graph: 'Microsoft Graph',
  token: 'Microsoft Entra ID sign-in',
};

const REGISTER =
  'A Power Platform admin registers the app once as a management app: `pac admin create-service-principal --application-id <PASSLENS_CLIENT_ID>` ' +
  '(or PowerShell New-PowerAppManagementApp -ApplicationId <PASSLENS_CLIENT_ID>).';
const GRAPH =
  'In Entra ID > App registrations > PassLens > API permissions, add the Microsoft Graph application permission LicenseAssignment.Read.All (or User.Read.All) and grant admin consent.';

export function accessError(api: ApiName, status: number, detail: string): LiveApiError {
  const action = api === 'graph' ? GRAPH : REGISTER;
  return new LiveApiError(`${API_TITLE[api]} answered ${status}${detail ? ` (${detail})` : ''}: PassLens's app registration may not read it.`, api, status, action);
}

export function signInError(status: number | null, code: string, description: string): LiveApiError {
  const aadsts = /AADSTS\d+/.exec(description)?.[0];
  if (code === 'invalid_client' || aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222') {
    return new LiveApiError(
      `Sign-in failed: the tenant reader's credential was refused${aadsts ? ` (${aadsts})` : ''}; the client secret is wrong or expired, or the certificate is not registered.`,
      'token',
      status,
      'Create a new client secret (or upload the certificate) in Entra ID > App registrations > PassLens > Certificates & secrets, and update PASSLENS_CLIENT_SECRET or PASSLENS_CLIENT_CERTIFICATE_PATH.',
    );
  }
  if (aadsts === 'AADSTS700016' || code === 'unauthorized_client') {
    return new LiveApiError(`Sign-in failed${aadsts ? ` (${aadsts})` : ''}: no app with PASSLENS_CLIENT_ID in tenant PASSLENS_TENANT_ID.`, 'token', status, 'Check PASSLENS_CLIENT_ID and PASSLENS_TENANT_ID against Entra ID > App registrations.');
  }
  return new LiveApiError(`Sign-in failed (${code || 'error'}${aadsts ? `, ${aadsts}` : ''}).`, 'token', status, 'Check the tenant reader settings (PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and its credential).');
}
