import { QuestionReader } from '../../../src/conversation/understanding';
import type { Question } from '../../../src/conversation/question';
import type { TenantNames } from '../../../src/conversation/tenantNames';
import type { AnalyzedTenant } from '../../../src/tenant/analyzedTenant';
import { TenantService } from '../../../src/tenant/tenantService';
import { buildDemoTenant } from '../../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../../src/licensing/prices';

/** What the corpus tests read with: the real reader, trained, and the demo tenant's analysis and names. */
export interface DemoReading {
  reader: QuestionReader;
  view: AnalyzedTenant;
  names: TenantNames;
}

export async function demoReading(): Promise<DemoReading> {
  const reader = await QuestionReader.train();
  const view = await new TenantService(async () => buildDemoTenant(), { ttlMs: 60_000, prices: LIST_PRICES }).get();
  return { reader, view, names: reader.namesOf(view) };
}

/**
 * The one mapping from a Question to the answer it gets, where two kinds give the same
 * card (router.ts): "are we over in HR?" and "why ... in HR?" are answered by HR's
 * environment card, the same answer as "how is HR doing"; the findings file ("export")
 * is the kind exportFindings. Nothing else is mapped.
 */
export function answerKind(question: Question): string {
  if ((question.kind === 'over' || question.kind === 'why') && question.environment && !('page' in question && question.page !== undefined)) return 'environment';
  if (question.kind === 'exportFindings') return 'export';
  return question.kind;
}
