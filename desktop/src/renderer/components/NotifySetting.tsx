import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { CommitField } from './fields.tsx';

/**
 * The app-wide "Notify when done" setting: a webhook the core POSTs a summary to when a job ends (Slack's format for
 * hooks.slack.com); empty: none. The core checks the URL and its message is shown here.
 */
export function NotifySetting() {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .call('app.getSettings', {})
      .then((s) => live && setUrl(s.notifyUrl ?? null))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, []);
  if (url === undefined) return null;
  const commit = async (value: string) => {
    try {
      const next = await api().call('app.updateSettings', { notifyUrl: value.trim() });
      setUrl(next.notifyUrl ?? null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="field-group" data-testid="notify-setting">
      <CommitField
        label="Notify when done"
        value={url ?? ''}
        placeholder="https://hooks.slack.com/services/… (empty: no webhook)"
        hint="When a job ends, a summary (videos made and failed, credits, time, folder) is posted to this URL."
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
