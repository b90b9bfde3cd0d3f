import type { Environment, Launch } from '../../licensing/snapshot';
import { monthOf } from '../../usage/spellings';
import { AdminApi } from './adminApi';
import { LiveApiError } from './errors';
import type { LiveSettings } from '../../config';
import { insightUrl } from './endpoints';
import type { GraphUsers } from './graphUsers';

/** Where the usage figures come from when the API gives none: the admin center's download, read by PassLens. */
export const ACTIVE_USERS_REPORT_FIX =
  'Download the Active users report (Power Platform admin center > Licensing > Power Apps > Download reports) and analyse it: drop it into the chat with PassLens, or give it to the CLI with --csv FILE.';

/** A row of entitlement insight: `value[].users[]` (REST reference, get-tenant-users). */
interface InsightUser {
  userId?: string;
  environmentId?: string;
  consumed?: number;
  unit?: string;
  asOfDate?: string;
}

/** The name launches read from the usage API carry: the API does not say which app. */
export const UNNAMED_APP = 'an app the usage API does not name';

interface UsageInput {
  ids: string[];
  entitlementsAnswered: number;
  month: string;
  users: GraphUsers | null;
  byEnvId: Map<string, Environment>;
}

/**
 * Entitlement insight, tenant-wide, once per AppPass entitlement. It names a user (Entra
 * object id), an environment and how much was consumed as of a date, no app: each unit
 * consumed becomes one AppPass booking of that user there, under a numbered unnamed app,
 * so booked passes count right and nothing pretends to know the app.
 */
export async function readUsage(api: AdminApi, settings: LiveSettings, input: UsageInput): Promise<{ launches: Launch[]; unknown: string | null }> {
  if (!input.ids.length) {
    return {
      launches: [],
      unknown: input.entitlementsAnswered
        ? 'the Power Platform API lists no AppPass usage entitlement for this tenant (Microsoft documents none)'
        : 'the environment entitlements, which list the usage entitlements, could not be read',
    };
  }
  // The latest snapshot per user and environment: rows are entitlement snapshots as of a date.
  const latest = new Map<string, InsightUser>();
  for (const id of input.ids) {
    try {
      for await (const page of api.pages<{ users?: InsightUser[] }>('powerplatform', insightUrl(settings, id, input.month))) {
        for (const group of page) {
          for (const u of group.users ?? []) {
            if (!u.userId || !u.environmentId) continue;
            const key = `${u.userId.toLowerCase()}|${u.environmentId.toLowerCase()}`;
            const seen = latest.get(key);
            if (!seen || (u.asOfDate ?? '') > (seen.asOfDate ?? '')) latest.set(key, u);
          }
        }
      }
    } catch (e) {
      if (!(e instanceof LiveApiError)) throw e;
      return { launches: [], unknown: `Microsoft's usage API (entitlement insight) answered ${e.status ?? 'nothing'}${e.code ? ` (${e.code})` : ''} for app-only sign-in` };
    }
  }
  const launches: Launch[] = [];
  for (const u of latest.values()) {
    const env = input.byEnvId.get(u.environmentId!.toLowerCase());
    const upn = input.users?.upnById.get(u.userId!.toLowerCase()) ?? u.userId!.toLowerCase();
    const month = (u.asOfDate && monthOf(u.asOfDate)) || input.month;
    for (let k = 1; k <= Math.max(0, Math.floor(Number(u.consumed) || 0)); k++) {
      launches.push({
        userPrincipalName: upn,
        appId: `unnamed-app-${k}`,
        appName: `${UNNAMED_APP} (${k})`,
        environmentId: env?.id ?? u.environmentId!,
        environmentName: env?.name,
        month,
        licenseType: 'AppPass',
        reportedPremium: null,
      });
    }
  }
  return { launches, unknown: null };
}
