import type { ViewOf } from '../cards/render';
import type { SetupCheck } from '../tenant/live/doctor';

/**
 * "check setup" as a card: the same checks `passlens doctor --live` prints, one row per
 * source with its status, Microsoft's status and error code, and the fix.
 */
// Red where something is refused; the rest in the theme's text colour (yellow and light green read poorly on light themes).
const COLOR = { ok: 'Default', refused: 'Attention', 'not available': 'Default' } as const;

export function setupCard(check: SetupCheck | null): ViewOf<'setup'> {
  if (!check) {
    return {
      card: 'setup',
      data: {
        title: 'Setup check',
        subtitle: 'demo tenant',
        summary: 'PassLens runs on the embedded demo tenant: there is no live setup to check.',
        summaryColor: 'Default',
        checks: [],
        note: 'To read your own tenant, follow "One-time admin steps (live data)" in the README, set PASSLENS_TENANT_ID, PASSLENS_CLIENT_ID and a credential, and ask "check setup" again.',
      },
    };
  }
  return {
    card: 'setup',
    data: {
      title: 'Setup check',
      subtitle: `tenant ${check.tenantId} · cloud ${check.cloud} · ${check.checkedAt.slice(0, 16).replace('T', ' ')} UTC`,
      summary: check.summary,
      summaryColor: check.exitCode === 2 ? 'Attention' : 'Default',
      checks: check.checks.map((c) => ({
        status: c.status,
        // Not needed (another source gives the same): not in red, which asks for action.
        color: c.notNeeded ? 'Default' : COLOR[c.status],
        title: c.title,
        detail: c.status === 'ok' ? c.detail : `${[c.httpStatus, c.errorCode].filter((x) => x !== null).join(' ')}${c.httpStatus !== null || c.errorCode ? ': ' : ''}${c.detail}`,
        fix: c.status === 'ok' ? '' : (c.fix ?? ''),
      })),
      note: 'The same check runs in a terminal: npx passlens doctor --live.',
    },
  };
}
