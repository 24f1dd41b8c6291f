import { useUrlSetting } from '../lib/use-url-setting.ts';
import { CommitField } from './fields.tsx';

/**
 * The app-wide "Notify when done" setting: a webhook the core POSTs a summary to when a job ends (Slack's format for
 * hooks.slack.com); empty: none. The core checks the URL and its message is shown here.
 */
export function NotifySetting() {
  const { url, error, commit } = useUrlSetting('notifyUrl', { send: '' });
  if (url === undefined) return null;
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
