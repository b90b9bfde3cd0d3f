import assert from 'node:assert/strict';
import { readAuditRecord } from '../../src/launches/auditRecord';

/** The payloads of shared/design/payloads/audit, as the design note gives them (copied here so the repository stands alone). */
const graphRecord = {
  id: '5a9b1d52-0f0e-4c43-9d3b-7a2a6e0c0001',
  createdDateTime: '2026-11-01T08:14:02Z',
  operation: 'LaunchPowerApp',
  userPrincipalName: 'jane@contoso.com',
  auditData: {
    '@odata.type': '#microsoft.graph.security.powerPlatformAdministratorActivityRecord',
    CreationTime: '2026-11-01T08:14:02',
    Id: '5a9b1d52-0f0e-4c43-9d3b-7a2a6e0c0001',
    Operation: 'LaunchPowerApp',
    RecordType: 256,
    UserKey: '4b6f8d2e-1111-4a2b-9c3d-000000000001',
    UserType: 2,
    Workload: 'PowerPlatform',
    UserId: 'Jane@Contoso.com',
    PropertyCollection: [
      { Name: 'powerplatform.analytics.resource.power_app.display_name', Value: 'Timesheet' },
      { Name: 'powerplatform.analytics.resource.power_app.id', Value: 'a0000001-0000-4000-9000-000000000002' },
      { Name: 'powerplatform.analytics.resource.environment.name', Value: 'Contoso Sales (Prod)' },
      { Name: 'powerplatform.analytics.resource.environment.id', Value: 'd1f0a2b3-0001-4000-9000-000000000001' },
      { Name: 'enduser.id', Value: '4b6f8d2e-1111-4a2b-9c3d-000000000001' },
      { Name: 'enduser.principal_name', Value: 'jane@contoso.com' },
      { Name: 'enduser.role', Value: 'Admin' },
    ],
  },
};

describe('audit records read as launches (both shapes, tolerant names)', () => {
  it('RecordType 256 in a Graph auditLogRecord: app, environment, user, time (UTC without zone)', () => {
    const r = readAuditRecord(graphRecord);
    assert.equal(r.kind, 'launch');
    if (r.kind !== 'launch') return;
    assert.deepEqual(r.launch, {
      recordId: '5a9b1d52-0f0e-4c43-9d3b-7a2a6e0c0001',
      at: '2026-11-01T08:14:02.000Z',
      environmentId: 'd1f0a2b3-0001-4000-9000-000000000001',
      appId: 'a0000001-0000-4000-9000-000000000002',
      appName: 'Timesheet',
      userObjectId: '4b6f8d2e-1111-4a2b-9c3d-000000000001',
      userPrincipalName: 'jane@contoso.com',
    });
  });

  it('an app id given as a resource path is its last segment; names in other case and only in JsonPropertiesCollection; a top-level EnvironmentId', () => {
    const r = readAuditRecord({
      Id: 'x1',
      CreationTime: '2026-11-02T10:00:00',
      Operation: 'launchpowerapp',
      EnvironmentId: 'default-7a1e0c55-3b2d-4c1a-9f00-0000000c0de0',
      UserId: 'ann@contoso.com',
      JsonPropertiesCollection: JSON.stringify([{ Name: 'PowerPlatform.Analytics.Resource.Power_App.Id', Value: '/providers/Microsoft.PowerApps/apps/B0000001-0000-4000-9000-000000000003' }]),
    });
    assert.equal(r.kind, 'launch');
    if (r.kind !== 'launch') return;
    assert.equal(r.launch.appId, 'b0000001-0000-4000-9000-000000000003');
    assert.equal(r.launch.environmentId, 'default-7a1e0c55-3b2d-4c1a-9f00-0000000c0de0');
    assert.equal(r.launch.userPrincipalName, 'ann@contoso.com');
  });

  it('legacy RecordType 45: the app in AppName, the environment from the app inventory', () => {
    const legacy = { CreationTime: '2025-02-03T09:30:11', Id: 'l45', Operation: 'LaunchPowerApp', RecordType: 45, Workload: 'PowerApps', UserId: 'jane@contoso.com', UserKey: '4b6f8d2e-1111-4a2b-9c3d-000000000001', AppName: 'a0000001-0000-4000-9000-000000000002', AdditionalInfo: 'undocumented' };
    assert.equal(readAuditRecord(legacy).kind, 'malformed', 'without an inventory there is no environment');
    const r = readAuditRecord(legacy, (app) => (app === 'a0000001-0000-4000-9000-000000000002' ? 'd1f0a2b3-0001-4000-9000-000000000001' : undefined));
    assert.equal(r.kind, 'launch');
    if (r.kind === 'launch') assert.equal(r.launch.environmentId, 'd1f0a2b3-0001-4000-9000-000000000001');
  });

  it('other operations are skipped, not malformed; malformed records are named, never thrown', () => {
    assert.equal(readAuditRecord({ ...graphRecord.auditData, Operation: 'PublishPowerApp' }).kind, 'other');
    for (const bad of [null, 42, 'text', [], {}, { Operation: 'LaunchPowerApp' }, { Operation: 'LaunchPowerApp', Id: 'a', CreationTime: 'never' }, { auditData: '{not json' }, { ...graphRecord.auditData, PropertyCollection: 'not an array' }]) {
      const r = readAuditRecord(bad);
      assert.equal(r.kind, 'malformed', JSON.stringify(bad));
    }
  });

  it('the role and user type of the launcher are never a filter', () => {
    const r = readAuditRecord({ ...graphRecord.auditData, UserType: 2 });
    assert.equal(r.kind, 'launch');
  });
});
