import type { User } from '../../licensing/snapshot';
import { licenseOfSku } from '../../licensing/licenseSkus';
import { AdminApi } from './adminApi';
import { GRAPH_SKUS_FIX, GRAPH_USERS_FIX, LiveApiError } from './errors';
import type { LiveSettings } from '../../config';
import { graphUsersUrl, subscribedSkusUrl } from './endpoints';

export interface GraphUsers {
  /** null when the SKUs could not be read: users without license facts would read as unlicensed */
  list: User[] | null;
  /** Entra object id (lower case) to UPN, to join entitlement insight's `userId` */
  upnById: Map<string, string>;
}

export async function readUsers(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<GraphUsers | null> {
  let partOf: Map<string, string>;
  try {
    const skus = await api.all<{ skuId: string; skuPartNumber: string }>('graph', subscribedSkusUrl(settings));
    partOf = new Map(skus.map((s) => [s.skuId.toLowerCase(), s.skuPartNumber]));
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`User licenses could not be read (Graph /subscribedSkus answered ${e.status ?? 'no answer'}${e.code ? `, ${e.code}` : ''}). ${GRAPH_SKUS_FIX} Per-user coverage is inferred from PerUser bookings meanwhile.`);
    // Users are still worth reading: they name the users of the usage API.
    try {
      return toUsers(await graphUsers(api, settings), null);
    } catch {
      return null;
    }
  }
  try {
    return toUsers(await graphUsers(api, settings), partOf);
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`Users could not be read (Graph /users answered ${e.status ?? 'no answer'}${e.code ? `, ${e.code}` : ''}). ${GRAPH_USERS_FIX} Per-user coverage is inferred from PerUser bookings meanwhile.`);
    return null;
  }
}

type GraphUser = { id: string; userPrincipalName: string; displayName?: string; assignedLicenses?: { skuId: string }[] };

function graphUsers(api: AdminApi, settings: LiveSettings): Promise<GraphUser[]> {
  return api.all<GraphUser>('graph', graphUsersUrl(settings));
}

/** With no SKU names (partOf null) the users' licenses are unknown: the list then only names users, and carries no license facts. */
function toUsers(raw: GraphUser[], partOf: Map<string, string> | null): GraphUsers {
  const upnById = new Map(raw.map((u) => [u.id.toLowerCase(), u.userPrincipalName.toLowerCase()]));
  if (!partOf) return { list: null, upnById };
  const list = raw.map((u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName.toLowerCase(),
    displayName: u.displayName,
    licenses: [...new Set((u.assignedLicenses ?? []).map((l) => licenseOfSku(partOf.get(l.skuId.toLowerCase()) ?? '')))].filter((l) => l !== 'Other'),
  }));
  return { list, upnById };
}
