import { useUrlSetting } from '../lib/use-url-setting.ts';
import { CommitField } from './fields.tsx';

/**
 * The app-wide "Render farm" setting: a redis:// or rediss:// URL sends the render queue to `vmp worker`s; empty
 * renders on this computer. The core checks the URL (its message is shown here) and only ever sends it back with
 * the password as ***; committing that unchanged keeps the stored password.
 */
export function FarmSetting() {
  const { url, error, setError, commit } = useUrlSetting('farmUrl', { send: null });
  if (url === undefined) return null;
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
