import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';

export type UrlSettingKey = 'farmUrl' | 'notifyUrl' | 'farmStorageUrl';

/**
 * One app-wide URL setting (Render farm, Notify when done): read once, committed through app.updateSettings (empty:
 * `empty.send`: farmUrl clears with null, notifyUrl with ''), the core's message for a refused value kept until the next commit. `url` is undefined while loading.
 */
export function useUrlSetting(key: UrlSettingKey, empty: { send: null | '' }) {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .call('app.getSettings', {})
      .then((s) => live && setUrl(s[key] ?? null))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [key]);
  const commit = async (value: string) => {
    try {
      const next = await api().call('app.updateSettings', { [key]: value.trim() || empty.send });
      setUrl(next[key] ?? null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return { url, error, setError, commit };
}
