import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { CommitField } from './fields.tsx';

/**
 * The app-wide "Render farm" setting: a redis:// or rediss:// URL sends the render queue to `vmp worker`s; empty
 * renders on this computer. The core checks the URL (its message is shown here) and only ever sends it back with
 * the password as ***; committing that unchanged keeps the stored password.
 */
export function FarmSetting() {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .call('app.getSettings', {})
      .then((s) => live && setUrl(s.farmUrl))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, []);
  if (url === undefined) return null;
  const commit = async (value: string) => {
    try {
      const next = await api().call('app.updateSettings', { farmUrl: value.trim() || null });
      setUrl(next.farmUrl);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  // An error is about the text that was refused: once the field holds what is stored again, it no longer applies.
  const clearStale = (e: { target: EventTarget }) => {
    if (error && (e.target as HTMLInputElement).value.trim() === (url ?? '')) setError(null);
  };
  return (
    <div className="field-group" data-testid="farm-setting" onChangeCapture={clearStale} onBlurCapture={clearStale}>
      <CommitField
        label="Render farm"
        value={url ?? ''}
        placeholder="redis://host:6379 (empty: this computer)"
        hint={
          url
            ? 'Outputs render on the farm’s workers (vmp worker); output folders must be on the shared folder.'
            : 'Empty: outputs render on this computer.'
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
