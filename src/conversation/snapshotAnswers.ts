import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { TenantService } from '../tenant/tenantService';
import type { CardView } from '../cards/render';
import type { Question, QuestionKind } from './question';

/**
 * Answers kept per snapshot: a question whose answer is the tenant's (or an upload's)
 * analysis alone gives the same view every time it is asked of the same snapshot, in
 * whatever words, so it is built once (the view of an environment or a findings page is
 * most of a warm answer after the card: docs/performance.md, "Conversations"). A new
 * snapshot starts afresh; kept views are shared, never changed.
 */

/** Kinds answered from the analysis alone: no clock, no store, no file offered, no reading started. */
const FROM_THE_SNAPSHOT = new Set<QuestionKind>(['overview', 'over', 'environment', 'why', 'misclassified', 'app', 'user', 'advice', 'ranking', 'buyBefore', 'isNormal', 'spend', 'unclear']);
/** Questions kept per snapshot; a full set starts again (typed "did you mean" sentences are many). */
const KEPT_PER_SNAPSHOT = 1_000;

export class SnapshotAnswers {
  private readonly kept = new WeakMap<AnalyzedTenant, Map<string, CardView>>();

  constructor(private readonly tenant: Pick<TenantService, 'cached' | 'upload'>) {}

  /** The view kept for this question on the snapshot it will be answered from, or the one `build` gives (kept when that snapshot is at hand now). */
  async answer(question: Question, upload: string | undefined, build: () => Promise<CardView>): Promise<CardView> {
    const snapshot = FROM_THE_SNAPSHOT.has(question.kind) ? (upload ? this.tenant.upload(upload) : this.tenant.cached()) : null;
    if (!snapshot) return build();
    let views = this.kept.get(snapshot);
    if (!views) this.kept.set(snapshot, (views = new Map()));
    const key = JSON.stringify(question);
    const known = views.get(key);
    if (known) return known;
    const view = await build();
    if (views.size >= KEPT_PER_SNAPSHOT) views.clear();
    views.set(key, view);
    return view;
  }
}
