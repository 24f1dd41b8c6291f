import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { useShareStorage } from '../lib/share-storage.ts';
import { useToasts } from '../stores/toasts.ts';
import { Icon } from './Icon.tsx';

/**
 * "Share link" on a finished output while the farm storage setting names a bucket: uploads it once (keyed by its
 * content) and copies a presigned download link valid 7 days (share.outputLink; `vmp share` does the same).
 */
export function ShareLinkButton({ outputId, name }: { outputId: string; name: string }) {
  const storage = useShareStorage((s) => s.url);
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => useShareStorage.getState().load(), []);
  if (!storage) return null;
  const share = async () => {
    setBusy(true);
    try {
      const made = await api().call('share.outputLink', { outputId });
      setLink(made.url);
      const copied = await navigator.clipboard?.writeText(made.url).then(
        () => true,
        () => false,
      );
      useToasts
        .getState()
        .push(
          'success',
          `${copied ? 'Link copied' : 'Link ready'}: ${name} can be downloaded until ${new Date(made.expiresAt).toLocaleString()}.`,
        );
    } catch (e) {
      useToasts.getState().push('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="icon-button small"
        aria-label={`Share link for ${name}`}
        title="Share link (7 days)"
        disabled={busy}
        onClick={() => void share()}
      >
        <Icon name="link" size={13} />
      </button>
      {link ? (
        <input
          className="share-link"
          readOnly
          aria-label={`Download link for ${name}`}
          value={link}
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
    </>
  );
}
