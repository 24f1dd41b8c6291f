import type { PlanPreview } from '@vmp/shared/api';

/**
 * Files a render makes, as the credits count them: combinations × placements (PlanPreview.files), or one per
 * combination. Every "Render N" button shows this number.
 */
export function filesOf(preview: Pick<PlanPreview, 'count' | 'files'> | null | undefined): number {
  return preview ? (preview.files ?? preview.count) : 0;
}
