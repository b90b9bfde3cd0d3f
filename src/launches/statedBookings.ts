import type { Launch, TenantInventory } from '../licensing/snapshot';

/**
 * Microsoft's own bookings beside launches from the audit log. The log says who launched
 * which app, never which license Microsoft charged; the one live source that can state
 * AppPass bookings is the Power Platform API's entitlement insight (REST reference,
 * licensing/entitlement-insight/get-tenant-users: per user and environment `consumed` as of
 * a date, no app), read by src/tenant/live/entitlementUsage.ts as one AppPass booking per
 * unit. Microsoft documents no AppPass entitlement for it and a field report saw app-only
 * calls refused (403), so in most tenants it says nothing and bookings stay null; where it
 * does answer for the month, its figure per environment is shown as booked, and the
 * expected bookings stay labelled expected.
 */

/** Why bookings are only known per environment: TenantInventory.bookingsUnknown when entitlement insight stated them. */
export const BOOKINGS_PER_ENVIRONMENT =
  "the unified audit log says who launched which app, not which license Microsoft charged: passes booked per environment (bookedAsAppPass) are Microsoft's figure from the Power Platform API's entitlement insight; per app and per user they are unknown (the Active users report has them)";

/**
 * The inventory with Microsoft's bookings of `month` per environment, when the usage API's
 * launches (AppPass, per user and environment) cover that month; unchanged otherwise (no
 * row of the month is not "nothing booked": the source may have answered for another month).
 */
export function withStatedBookings(inventory: TenantInventory, usageApi: readonly Launch[], month: string): TenantInventory {
  const booked = usageApi.filter((l) => l.licenseType === 'AppPass' && l.month === month);
  if (!booked.length) return inventory;
  // Tenant-wide per entitlement: an environment it lists no consumption in booked none.
  const byEnvironment: Record<string, number> = Object.fromEntries(inventory.environments.map((e) => [e.id, 0]));
  for (const l of booked) byEnvironment[l.environmentId] = (byEnvironment[l.environmentId] ?? 0) + 1;
  const note = `Passes booked per environment in ${month}: Microsoft's figure from entitlement insight (Power Platform API); which apps they are for is not in it.`;
  const [live, ...rest] = inventory.sources;
  const sources = live?.kind === 'live' ? [{ ...live, warnings: [...(live.warnings ?? []), note] }, ...rest] : inventory.sources;
  return { ...inventory, sources, bookingsUnknown: BOOKINGS_PER_ENVIRONMENT, bookedByEnvironment: byEnvironment };
}
