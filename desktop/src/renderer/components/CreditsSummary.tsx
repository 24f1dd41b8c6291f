import { formatCount } from '../lib/format.ts';
import { useLicensing } from '../stores/licensing.ts';

/** The plan header's credit count: what the render will be charged; an unlicensed render is charged nothing. */
export function CreditsSummary({ cost }: { cost: number }) {
  const credits = useLicensing((s) => s.credits);
  if (credits && !credits.licensed) {
    return (
      <span data-testid="plan-cost" title="Unlicensed: outputs carry a watermark and nothing is charged.">
        free (unlicensed)
      </span>
    );
  }
  return (
    <span data-testid="plan-cost">
      <strong>{formatCount(cost)}</strong> credit{cost === 1 ? '' : 's'}
    </span>
  );
}
