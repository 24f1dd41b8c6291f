import { useId, useState } from 'react';
import { type PromptRequest, useDialog } from '../stores/dialog.ts';
import { Modal } from './Modal.tsx';

/** Renders whichever confirm/prompt the dialog store holds. */
export function DialogHost() {
  const open = useDialog((s) => s.open);
  if (!open) return null;
  const settle = (value: boolean | string | null) => {
    useDialog.setState({ open: null });
    if (open.kind === 'confirm') open.resolve(value === true);
    else open.resolve(typeof value === 'string' ? value : null);
  };
  if (open.kind === 'confirm') {
    const { request } = open;
    return (
      <Modal
        title={request.title}
        onClose={() => settle(false)}
        className="modal-small"
        footer={
          <>
            <button type="button" className="button" onClick={() => settle(false)}>
              Cancel
            </button>
            <button
              type="button"
              className={request.danger ? 'button danger' : 'button primary'}
              // biome-ignore lint/a11y/noAutofocus: the confirm button is the expected focus in a confirmation.
              autoFocus
              onClick={() => settle(true)}
            >
              {request.confirmLabel}
            </button>
          </>
        }
      >
        <p className="modal-message">{request.message}</p>
      </Modal>
    );
  }
  return <PromptDialog key={open.request.title} request={open.request} settle={settle} />;
}

function PromptDialog({ request, settle }: { request: PromptRequest; settle: (value: string | null) => void }) {
  const [value, setValue] = useState(request.initial);
  const id = useId();
  const max = request.maxLength ?? 120;
  const valid = value.trim().length > 0 && value.trim().length <= max;
  return (
    <Modal title={request.title} onClose={() => settle(null)} className="modal-small">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) settle(value.trim());
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor={id}>
            {request.label}
          </label>
          <input
            id={id}
            className="input"
            value={value}
            maxLength={max}
            aria-invalid={!valid}
            aria-describedby={valid ? undefined : `${id}-error`}
            // biome-ignore lint/a11y/noAutofocus: the only field of a prompt.
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
            onChange={(e) => setValue(e.target.value)}
          />
          {!valid ? (
            <span id={`${id}-error`} className="field-error">
              {request.label} must be 1–{max} characters.
            </span>
          ) : null}
        </div>
        <div className="modal-footer">
          <button type="button" className="button" onClick={() => settle(null)}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!valid}>
            {request.confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
