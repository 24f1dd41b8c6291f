import { z } from 'zod';

// Share links (#21): a presigned download link of an output, from the farm storage setting's bucket.

const Id = z.string().min(1).max(64);

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, description: string) {
  return { input, output, description };
}

/** S3 presigned links live at most 7 days. */
export const MAX_SHARE_SECONDS = 7 * 24 * 3600;

export const ShareLink = z.object({
  url: z.string(),
  /** Storage key the file was put under (shared/<content hash>/<file name>). */
  key: z.string(),
  expiresAt: z.iso.datetime(),
  /** False when the same file was already there. */
  uploaded: z.boolean(),
});
export type ShareLink = z.infer<typeof ShareLink>;

export const shareMethods = {
  'share.outputLink': method(
    z.object({
      outputId: Id,
      expiresInSeconds: z.number().int().min(60).max(MAX_SHARE_SECONDS).optional(),
    }),
    ShareLink,
    'Upload a completed output to the farm storage bucket (once) and return a download link that expires (default 7 days).',
  ),
};
