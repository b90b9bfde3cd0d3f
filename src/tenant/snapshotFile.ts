import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { BOOKED_LICENSE_TYPES, type TenantSnapshot } from '../licensing/snapshot';

/**
 * Snapshots on disk: a whole tenant in one JSON file, so an analysis can be repeated,
 * shared with a colleague or attached to a support ticket. Validated on the way in,
 * because a hand-edited file should fail with the path of the bad field, not later.
 */

const license = z.enum(['PowerAppsPremium', 'PowerAppsPerApp', 'D365Enterprise', 'D365Professional', 'M365E3', 'M365E5', 'O365E3', 'O365E5', 'Other']);

const snapshotSchema = z.object({
  generatedAt: z.string(),
  tenantName: z.string().optional(),
  sources: z.array(z.object({ kind: z.enum(['demo', 'csv', 'snapshot', 'live', 'manual', 'auditLog']), description: z.string() }).passthrough()),
  environments: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      environmentType: z.enum(['Default', 'Production', 'Sandbox', 'Trial', 'Developer', 'Teams', 'SubscriptionBasedTrial']).nullable().optional(),
      managed: z.boolean().nullable(),
      payAsYouGo: z.boolean().nullable(),
      allocatedPasses: z.number().int().nonnegative().nullable(),
      dataError: z.string().optional(),
    }),
  ),
  apps: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string(),
        environmentId: z.string().min(1),
        type: z.enum(['canvas', 'model-driven', 'code']),
        planClassification: z.enum(['Standard', 'Premium']).nullable(),
        usesPremiumApi: z.boolean(),
        usesCustomApi: z.boolean(),
        usesOnPremiseGateway: z.boolean(),
        usesOnlyGrandfatheredPremiumApis: z.boolean().optional(),
        usesPcfExternalServiceUsage: z.boolean().optional(),
        connectors: z.array(z.object({ name: z.string(), tier: z.enum(['Standard', 'Premium']), custom: z.boolean(), onPremises: z.boolean() })),
        canConsumeAppPass: z.boolean().nullable(),
      }),
    )
    .nullable(),
  users: z
    .array(z.object({ userPrincipalName: z.string().min(1), displayName: z.string().optional(), id: z.string().optional(), licenses: z.array(license) }))
    .nullable(),
  launches: z.array(
    z.object({
      userPrincipalName: z.string().min(1),
      appId: z.string().min(1),
      appName: z.string().optional(),
      environmentId: z.string().min(1),
      environmentName: z.string().optional(),
      month: z.string().regex(/^\d{4}-\d{2}$/).nullable(),
      licenseType: z.enum(BOOKED_LICENSE_TYPES as [string, ...string[]]).nullable(),
      reportedPremium: z.boolean().nullable(),
      line: z.number().int().optional(),
    }),
  ),
  usageUnknown: z.string().optional(),
  bookingsUnknown: z.string().optional(),
});

export class SnapshotFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFileError';
  }
}

export function parseSnapshot(json: string, origin: string): TenantSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new SnapshotFileError(`${origin} is not valid JSON (${(e as Error).message}). Save a snapshot with "passlens snapshot --out FILE".`);
  }
  const result = snapshotSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SnapshotFileError(`${origin} is not a PassLens snapshot: ${issues.join('; ')}.`);
  }
  return result.data as TenantSnapshot;
}

export async function readSnapshotFile(path: string): Promise<TenantSnapshot> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new SnapshotFileError(`Cannot read snapshot ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  return parseSnapshot(text, path);
}

/** Written to a temporary file and renamed, so a crash never leaves half a snapshot. */
export async function writeSnapshotFile(path: string, snapshot: TenantSnapshot): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(snapshot, null, 2)}\n`, 'utf8');
  await fs.rename(temp, path);
}
