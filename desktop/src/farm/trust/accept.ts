import { UNLICENSED_WATERMARK } from '@vmp/shared/api';
import { describeIssues } from '@vmp/shared/errors';
import type { Jwks } from '@vmp/shared/http';
import type { FarmBatch } from '../payload.ts';
import { type JobTrust, openJob } from './envelope.ts';
import { FarmJobRefusedError } from './errors.ts';
import { StrictFarmBatch } from './job-schema.ts';

/**
 * A job as a worker may run it: signature checked, every value in the strict schema, and the watermark the
 * submitter's licence calls for (an unlicensed submitter's outputs carry it whatever the job says).
 */
export async function acceptFarmJob(
  data: unknown,
  trustedKeys: Jwks,
  now?: number,
): Promise<{ batch: FarmBatch; trust: JobTrust }> {
  const { payload, trust } = await openJob(data, trustedKeys, now);
  const parsed = StrictFarmBatch.safeParse(payload);
  if (!parsed.success) {
    throw new FarmJobRefusedError(
      'FARM_JOB_INVALID',
      `Refused this job: ${describeIssues(parsed.error.issues)}. A render job holds only values the app makes; submit it again from the app.`,
    );
  }
  const batch: FarmBatch = parsed.data;
  if (trust.licensed) return { batch, trust };
  const specs = batch.specs.map((spec) => ({
    ...spec,
    settings: { ...spec.settings, watermark: UNLICENSED_WATERMARK },
  }));
  return { batch: { ...batch, specs }, trust };
}
