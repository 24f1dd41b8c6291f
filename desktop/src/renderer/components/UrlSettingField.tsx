import type { ReactNode } from 'react';
import { type UrlSettingKey, useUrlSetting } from '../lib/use-url-setting.ts';
import { CommitField } from './fields.tsx';

interface Props {
  setting: UrlSettingKey;
  /** What an empty field sends (the core clears farmUrl/farmStorageUrl with null, notifyUrl with ''). */
  send: null | '';
  testId: string;
  label: string;
  placeholder: string;
  hint: (url: string | null) => ReactNode;
  /** The refused-value message goes once the field holds what is stored again (it no longer applies). */
  clearStaleError?: boolean;
  /** Told the stored value once loaded and after each commit. */
  children?: (url: string | null) => ReactNode;
}

/** One app-wide URL setting as a field: loaded, committed on Enter/blur, the core's message for a refused value. */
export function UrlSettingField({ setting, send, testId, label, placeholder, hint, clearStaleError, children }: Props) {
  const { url, error, setError, commit } = useUrlSetting(setting, { send });
  if (url === undefined) return null;
  const clearStale = (e: { target: EventTarget }) => {
    if (error && (e.target as HTMLInputElement).value.trim() === (url ?? '')) setError(null);
  };
  const stale = clearStaleError ? { onChangeCapture: clearStale, onBlurCapture: clearStale } : {};
  return (
    <div className="field-group" data-testid={testId} {...stale}>
      <CommitField
        label={label}
        value={url ?? ''}
        placeholder={placeholder}
        hint={hint(url)}
        onCommit={(v) => void commit(v)}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {children?.(url)}
    </div>
  );
}
