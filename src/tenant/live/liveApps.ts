import type { App, ConnectorUse } from '../../licensing/snapshot';
import { AdminApi } from './adminApi';
import type { LiveSettings } from '../../config';
import { appsUrl } from './endpoints';

interface AdminApp {
  name: string;
  appType?: string;
  properties?: {
    displayName?: string;
    appType?: string;
    appPlanClassification?: string;
    usesPremiumApi?: boolean;
    usesCustomApi?: boolean;
    usesOnPremiseGateway?: boolean;
    // Both in public admin-apps payloads: the Terraform provider's powerapps data source
    // fixtures and pnp/cli-microsoft365's `pa app list` output.
    usesOnlyGrandfatheredPremiumApis?: boolean;
    usesPcfExternalServiceUsage?: boolean;
    canConsumeAppPass?: boolean;
    connectionReferences?: Record<string, { displayName?: string; apiTier?: string; isCustomApiConnection?: boolean; isOnPremiseConnection?: boolean }>;
  };
}

export async function readApps(api: AdminApi, settings: LiveSettings, envId: string): Promise<App[]> {
  const raw = await api.all<AdminApp>('powerapps', appsUrl(settings, envId));
  return raw.map((a) => {
    const p = a.properties ?? {};
    // appType: ClassicCanvasApp, CustomCanvasPage (Terraform provider fixtures), CodeApp (what
    // `pac code push` writes for a code app: power.config.json "appType": "CodeApp").
    const appType = (a.appType ?? p.appType ?? '').toLowerCase();
    const type = appType.includes('model') ? 'model-driven' : appType === 'codeapp' ? 'code' : 'canvas';
    const connectors: ConnectorUse[] = Object.values(p.connectionReferences ?? {}).map((c) => ({
      name: c.displayName ?? 'connector',
      tier: c.apiTier === 'Premium' ? 'Premium' : 'Standard',
      custom: Boolean(c.isCustomApiConnection),
      onPremises: Boolean(c.isOnPremiseConnection),
    }));
    return {
      id: a.name,
      name: p.displayName ?? a.name,
      environmentId: envId,
      type,
      planClassification: p.appPlanClassification === 'Premium' ? 'Premium' : p.appPlanClassification === 'Standard' ? 'Standard' : null,
      usesPremiumApi: Boolean(p.usesPremiumApi),
      usesCustomApi: Boolean(p.usesCustomApi),
      usesOnPremiseGateway: Boolean(p.usesOnPremiseGateway),
      usesOnlyGrandfatheredPremiumApis: Boolean(p.usesOnlyGrandfatheredPremiumApis),
      usesPcfExternalServiceUsage: Boolean(p.usesPcfExternalServiceUsage),
      connectors,
      canConsumeAppPass: typeof p.canConsumeAppPass === 'boolean' ? p.canConsumeAppPass : null,
    };
  });
}
