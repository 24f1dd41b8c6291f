import { useEffect } from 'react';
import { useShareStorage } from '../lib/share-storage.ts';
import { useUrlSetting } from '../lib/use-url-setting.ts';
import { CommitField } from './fields.tsx';

/**
 * The render farm's bucket (s3://bucket/prefix), next to the farm URL: with it, farm jobs need no shared folder
 * (clips go to the bucket once, outputs come back into the output folder), and the gallery can make share links.
 * Endpoint and credentials come from the AWS variables of the machine, never from here.
 */
export function FarmStorageSetting() {
  const { url, error, setError, commit } = useUrlSetting('farmStorageUrl', { send: null });
  // The gallery's Share link follows the setting.
  useEffect(() => {
    if (url !== undefined) useShareStorage.setState({ url });
  }, [url]);
  if (url === undefined) return null;
  const clearStale = (e: { target: EventTarget }) => {
    if (error && (e.target as HTMLInputElement).value.trim() === (url ?? '')) setError(null);
  };
  return (
    <div
      className="field-group"
      data-testid="farm-storage-setting"
      onChangeCapture={clearStale}
      onBlurCapture={clearStale}
    >
      <CommitField
        label="Render farm storage"
        value={url ?? ''}
        placeholder="s3://bucket/prefix (empty: the shared folder)"
        hint={
          url
            ? 'Farm workers started with vmp worker --storage (same URL) read clips from and put outputs in this bucket; no shared folder. Share links point here.'
            : 'Empty: farm outputs go through the shared folder; no share links.'
        }
        onCommit={(v) => void commit(v)}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
