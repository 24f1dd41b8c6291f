import { UrlSettingField } from './UrlSettingField.tsx';

/**
 * The app-wide "Notify when done" setting: a webhook the core POSTs a summary to when a job ends (Slack's format for
 * hooks.slack.com); empty: none. The core checks the URL and its message is shown here.
 */
export function NotifySetting() {
  return (
    <UrlSettingField
      setting="notifyUrl"
      send=""
      testId="notify-setting"
      label="Notify when done"
      placeholder="https://hooks.slack.com/services/… (empty: no webhook)"
      hint={() => 'When a job ends, a summary (videos made and failed, credits, time, folder) is posted to this URL.'}
    />
  );
}
