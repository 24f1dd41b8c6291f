import { useEffect } from 'react';
import { useShareStorage } from '../lib/share-storage.ts';
import { UrlSettingField } from './UrlSettingField.tsx';

/**
 * The render farm's bucket (s3://bucket/prefix), next to the farm URL: with it, farm jobs need no shared folder
 * (clips go to the bucket once, outputs come back into the output folder), and the gallery can make share links.
 * Endpoint and credentials come from the AWS variables of the machine, never from here.
 */
export function FarmStorageSetting() {
  return (
    <UrlSettingField
      setting="farmStorageUrl"
      send={null}
      testId="farm-storage-setting"
      label="Render farm storage"
      placeholder="s3://bucket/prefix (empty: the shared folder)"
      hint={(url) =>
        url
          ? 'Farm workers started with vmp worker --storage (same URL) read clips from and put outputs in this bucket; no shared folder. Share links point here.'
          : 'Empty: farm outputs go through the shared folder; no share links.'
      }
      clearStaleError
    >
      {(url) => <ShareStorageSync url={url} />}
    </UrlSettingField>
  );
}

/** The gallery's Share link follows the stored setting. */
function ShareStorageSync({ url }: { url: string | null }) {
  useEffect(() => {
    useShareStorage.setState({ url });
  }, [url]);
  return null;
}
