import { MAX_SHARE_SECONDS } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { parseStorageUrl } from '../storage/keys.ts';
import type { AreaHandlers, CoreContext } from './context.ts';

/**
 * The "Render farm storage" setting as stored: null for empty, else an s3://bucket/prefix URL (the endpoint and
 * credentials stay in the AWS variables, never in the app database).
 */
export function checkFarmStorageUrl(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  const url = raw?.trim() ?? '';
  if (!url) return null;
  if (!url.startsWith('s3://')) {
    throw new ValidationError(`farmStorageUrl must be s3://bucket/prefix (got "${url}").`, { field: 'farmStorageUrl' });
  }
  parseStorageUrl(url, 'farmStorageUrl');
  return url;
}

/** share.*: presigned download links of outputs, through the farm storage bucket (storage/share.ts, as `vmp share`). */
export function shareHandlers(ctx: CoreContext): AreaHandlers<'share'> {
  return {
    async 'share.outputLink'({ outputId, expiresInSeconds }) {
      const url = ctx.settings().farmStorageUrl;
      if (!url) {
        throw new ValidationError(
          'Share links need a bucket: set Settings → Render farm → Storage to s3://bucket/prefix (credentials from the AWS variables).',
          { field: 'farmStorageUrl' },
        );
      }
      const output = ctx.store.outputs.get(outputId);
      if (output.status !== 'completed' || !output.path) {
        throw new ValidationError(`Output #${output.index + 1} is ${output.status}: there is no file to share yet.`, {
          outputId,
        });
      }
      // The S3 client loads on first use, not with the core.
      const [{ openStorage }, { shareFile }] = await Promise.all([
        import('../storage/index.ts'),
        import('../storage/share.ts'),
      ]);
      const link = await shareFile(
        openStorage(url, process.env, 'farmStorageUrl'),
        output.path,
        expiresInSeconds ?? MAX_SHARE_SECONDS,
      );
      return { ...link, expiresAt: link.expiresAt.toISOString() };
    },
  };
}
