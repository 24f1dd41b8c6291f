import { UrlSettingField } from './UrlSettingField.tsx';

/**
 * The app-wide "Render farm" setting: a redis:// or rediss:// URL sends the render queue to `vmp worker`s; empty
 * renders on this computer. The core checks the URL (its message is shown here) and only ever sends it back with
 * the password as ***; committing that unchanged keeps the stored password.
 */
export function FarmSetting() {
  return (
    <UrlSettingField
      setting="farmUrl"
      send={null}
      testId="farm-setting"
      label="Render farm"
      placeholder="redis://host:6379 (empty: this computer)"
      hint={(url) =>
        url
          ? 'Outputs render on the farm’s workers (vmp worker); output folders must be on the shared folder.'
          : 'Empty: outputs render on this computer.'
      }
      clearStaleError
    />
  );
}
