/**
 * One unified audit log record read as a launch, whichever shape it comes in.
 *
 * - RecordType 256, Workload "PowerPlatform" (since about March 2025): the launch is in
 *   `PropertyCollection`, an array of {Name, Value} strings (Power Platform docs,
 *   MicrosoftDocs/power-platform admin/activity-logging-auditing/activity-logs-power-apps.md,
 *   "Schema": `powerplatform.analytics.resource.power_app.id`, `…environment.id` (the
 *   default environment as `default-<tenant id>`), `…environment.name`, `enduser.id`,
 *   `enduser.principal_name`, `…resource.type` = `PowerApp`). Some exports repeat the pairs
 *   as a JSON string `JsonPropertiesCollection`, and some tools take the app id after the
 *   last `/` (a resource path), e.g. microsoft/coe-starter-kit's audit flows and public
 *   PowerShell that reads `…power_app.id`.SubString(LastIndexOf('/')+1): both are accepted.
 * - RecordType 45 `PowerAppsApp`, Workload "PowerApps" (before): the app id is `AppName`;
 *   the environment is not documented in it, so it comes from the app inventory, as the
 *   CoE Starter Kit's "Update Data (V2)" flow does (shared/design/payloads/audit/README.md).
 *
 * Names are looked up without regard to case or separators, and the role or user type of
 * the launcher is never a filter (an ordinary launch was seen as `enduser.role` "Admin",
 * `UserType` 2). Only `LaunchPowerApp` is a launch; anything else is skipped, not malformed.
 */

export const LAUNCH_OPERATION = 'LaunchPowerApp';

/** A launch as one record states it. */
export interface LaunchRecord {
  /** The record's `Id`: duplicates of one record share it. */
  recordId: string;
  /** ISO 8601 UTC, from `CreationTime` (UTC written without a zone). */
  at: string;
  environmentId: string;
  appId: string;
  appName?: string;
  userObjectId?: string;
  /** Lower case. */
  userPrincipalName: string;
}

export type RecordReading = { kind: 'launch'; launch: LaunchRecord } | { kind: 'other' } | { kind: 'malformed'; reason: string };

/** Where a legacy record's app lives, when the record does not say (the app inventory). */
export type EnvironmentOfApp = (appId: string) => string | undefined;

/** `Power_App.ID`, `powerAppId` and `power_app_id` are one name. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const scalar = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

/**
 * A record's names: its top-level fields, its PropertyCollection pairs and its
 * JsonPropertiesCollection, first one wins. A name is looked up as written first (what
 * every documented record has, with no string made per record), and only when that
 * misses, without regard to case or separators.
 */
class Fields {
  private loose: Map<string, string> | null = null;
  private readonly pairs: unknown[];

  constructor(private readonly record: Record<string, unknown>) {
    const pc = record.PropertyCollection ?? record.propertyCollection;
    this.pairs = Array.isArray(pc) ? pc : [];
  }

  get(name: string): string | undefined {
    const top = this.record[name];
    if (scalar(top)) return String(top);
    for (const pair of this.pairs) {
      const p = pair as Record<string, unknown> | null;
      if (p && p.Name === name && scalar(p.Value)) return String(p.Value);
    }
    return this.tolerant().get(squash(name));
  }

  private tolerant(): Map<string, string> {
    if (this.loose) return this.loose;
    const fields = new Map<string, string>();
    const add = (name: unknown, value: unknown) => {
      if (typeof name === 'string' && scalar(value) && !fields.has(squash(name))) fields.set(squash(name), String(value));
    };
    const collect = (pairs: unknown[]) => {
      for (const pair of pairs) {
        if (!pair || typeof pair !== 'object') continue;
        const p = pair as Record<string, unknown>;
        add(p.Name ?? p.name, p.Value ?? p.value);
      }
    };
    for (const [name, value] of Object.entries(this.record)) add(name, value);
    collect(this.pairs);
    const json = this.record.JsonPropertiesCollection ?? this.record.jsonPropertiesCollection;
    if (typeof json === 'string' && json.trim()) {
      try {
        const parsed: unknown = JSON.parse(json);
        if (Array.isArray(parsed)) collect(parsed);
        else if (parsed && typeof parsed === 'object') for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) add(name, value);
      } catch {
        // A JsonPropertiesCollection that does not parse adds nothing; the PropertyCollection may still say it all.
      }
    }
    return (this.loose = fields);
  }
}

function pick(fields: Fields, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = fields.get(name)?.trim();
    if (v) return v;
  }
  return undefined;
}

/** A resource path (`/providers/…/apps/<id>`) names the app by its last segment. */
function lastSegment(value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

/** `2026-11-01T08:14:02` is UTC without its zone (Management Activity API schema, CreationTime). */
function utc(value: string): string | null {
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/**
 * Reads one record: the Graph `auditData` or one item of an Office 365 content blob. A
 * Graph auditLogRecord (its fields `operation`, `auditData`) is unwrapped first.
 */
export function readAuditRecord(raw: unknown, environmentOfApp?: EnvironmentOfApp): RecordReading {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'malformed', reason: 'not a JSON object' };
  let record = raw as Record<string, unknown>;
  const inner = record.auditData ?? record.AuditData;
  const outer = record;
  if (inner && typeof inner === 'object' && !Array.isArray(inner)) record = inner as Record<string, unknown>;
  else if (typeof inner === 'string') {
    try {
      record = JSON.parse(inner) as Record<string, unknown>;
    } catch {
      return { kind: 'malformed', reason: 'auditData is not JSON' };
    }
  }
  if (!record || typeof record !== 'object') return { kind: 'malformed', reason: 'auditData is not an object' };
  const fields = new Fields(record);
  const outerFields = record === outer ? fields : new Fields(outer);
  const operation = pick(fields, 'Operation', 'powerplatform.analytics.activity.name') ?? pick(outerFields, 'operation');
  if (!operation) return { kind: 'malformed', reason: 'no Operation' };
  if (operation.toLowerCase() !== LAUNCH_OPERATION.toLowerCase()) return { kind: 'other' };
  const recordId = pick(fields, 'Id') ?? pick(outerFields, 'id');
  if (!recordId) return { kind: 'malformed', reason: 'no Id' };
  const time = pick(fields, 'CreationTime') ?? pick(outerFields, 'createdDateTime');
  const at = time ? utc(time) : null;
  if (!at) return { kind: 'malformed', reason: 'no CreationTime' };
  const rawApp = pick(fields, 'powerplatform.analytics.resource.power_app.id', 'AppName', 'AppId');
  if (!rawApp) return { kind: 'malformed', reason: 'no app id' };
  const appId = lastSegment(rawApp).toLowerCase();
  if (!appId) return { kind: 'malformed', reason: 'no app id' };
  let environmentId = pick(fields, 'powerplatform.analytics.resource.environment.id', 'EnvironmentId', 'environment.id', 'EnvironmentName', 'powerplatform.analytics.resource.environment.name');
  // A name is not an id: the environment name is used only when it looks like one (a GUID or default-<GUID>).
  if (environmentId && !/^(default-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(lastSegment(environmentId))) {
    environmentId = pick(fields, 'powerplatform.analytics.resource.environment.id', 'EnvironmentId', 'environment.id');
  }
  environmentId = environmentId ? lastSegment(environmentId) : environmentOfApp?.(appId);
  if (!environmentId) return { kind: 'malformed', reason: 'no environment (not in the record, app not in the inventory)' };
  const upn = pick(fields, 'enduser.principal_name', 'UserId') ?? pick(outerFields, 'userPrincipalName', 'userId');
  if (!upn) return { kind: 'malformed', reason: 'no user' };
  const userObjectId = pick(fields, 'enduser.id') ?? (isGuid(pick(fields, 'UserKey')) ? pick(fields, 'UserKey') : undefined);
  const appName = pick(fields, 'powerplatform.analytics.resource.power_app.display_name', 'AppDisplayName');
  return {
    kind: 'launch',
    launch: {
      recordId,
      at,
      environmentId: environmentId.toLowerCase(),
      appId,
      ...(appName ? { appName } : {}),
      ...(userObjectId ? { userObjectId: userObjectId.toLowerCase() } : {}),
      userPrincipalName: upn.toLowerCase(),
    },
  };
}

function isGuid(value: string | undefined): boolean {
  return !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
