import type { Clip } from '@vmp/shared/api';
import type { CaptionCue } from '@vmp/shared/media';
import { useRef, useState } from 'react';
import { formatDuration } from '../lib/format.ts';
import { cueTimeText, parseCueTime } from '../lib/text.ts';
import { useText } from '../stores/text.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { Icon } from './Icon.tsx';
import { Modal } from './Modal.tsx';

interface Row {
  key: number;
  start: string;
  end: string;
  text: string;
}

let nextKey = 1;
const rowsOf = (cues: readonly CaptionCue[] = []): Row[] =>
  cues.map((c) => ({ key: nextKey++, start: cueTimeText(c.start), end: cueTimeText(c.end), text: c.text }));

/** What is wrong with a row, or null. */
function rowError(row: Row): string | null {
  const start = parseCueTime(row.start);
  const end = parseCueTime(row.end);
  if (start === undefined) return 'Start: write a time like 0:01.500.';
  if (end === undefined) return 'End: write a time like 0:02.000.';
  if (end <= start) return 'The cue must end after it starts.';
  if (!row.text.trim()) return 'Write the caption text, or remove the cue.';
  return null;
}

/** What saving does to a row past the clip's end (as importing a file or `vmp mix` does: cut, or left out), or null. */
function rowNote(row: Row, length: number | undefined): string | null {
  const start = parseCueTime(row.start);
  const end = parseCueTime(row.end);
  if (length === undefined || start === undefined || end === undefined) return null;
  if (start >= length) return `Starts after the clip ends (${cueTimeText(length)}): it will be left out.`;
  if (end > length + 1e-3) return `Runs past the clip's end (${cueTimeText(length)}): it will be cut there.`;
  return null;
}

/** Host of the cue editor: shows it for the clip the text store names. */
export function CaptionsDialogHost() {
  const clipId = useText((s) => s.captionsClipId);
  const clip = useWorkspace((s) => s.detail?.clips.find((c) => c.id === clipId));
  if (!clip) return null;
  return <CaptionsDialog key={`${clip.id}:${JSON.stringify(clip.captions ?? [])}`} clip={clip} />;
}

function CaptionsDialog({ clip }: { clip: Clip }) {
  const [rows, setRows] = useState(() => rowsOf(clip.captions));
  const fileInput = useRef<HTMLInputElement>(null);
  const length = clip.info?.duration;
  const errors = rows.map((r) => rowError(r));
  const valid = errors.every((e) => e === null);
  const close = () => useText.getState().closeCaptions();
  const edit = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    const last = rows.length ? parseCueTime(rows[rows.length - 1]!.end) : 0;
    const start = Math.min(last ?? 0, Math.max(0, (length ?? 1) - 0.5));
    const end = Math.min(start + 1, length ?? start + 1);
    setRows((rs) => [...rs, { key: nextKey++, start: cueTimeText(start), end: cueTimeText(end), text: '' }]);
  };
  const save = async () => {
    if (!valid) return;
    const cues = rows.map((r) => ({ start: parseCueTime(r.start)!, end: parseCueTime(r.end)!, text: r.text.trim() }));
    if (await useText.getState().setCaptions(clip.id, cues)) close();
  };
  return (
    <Modal
      title={`Captions · ${clip.name}`}
      onClose={close}
      className="modal-captions"
      footer={
        <>
          <button type="button" className="button" onClick={() => fileInput.current?.click()}>
            <Icon name="upload" size={14} /> Import .srt / .vtt
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!valid} onClick={() => void save()}>
            Save captions
          </button>
        </>
      }
    >
      <input
        ref={fileInput}
        type="file"
        accept=".srt,.vtt"
        hidden
        data-testid="captions-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void useText.getState().importCaptions(clip.id, file);
        }}
      />
      <p className="muted">
        Burned in during their times in every output that uses this clip
        {length !== undefined ? ` (${formatDuration(length)} long)` : ''}. Times as m:ss.mmm.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No captions. Add a cue or import a subtitle file.</p>
      ) : (
        <ol className="cue-list" aria-label="Caption cues">
          {rows.map((row, i) => (
            <li key={row.key} className="cue-row" data-testid="cue-row">
              <input
                className="input cue-time"
                aria-label={`Cue ${i + 1} start`}
                value={row.start}
                onChange={(e) => edit(row.key, { start: e.target.value })}
              />
              <span aria-hidden="true">→</span>
              <input
                className="input cue-time"
                aria-label={`Cue ${i + 1} end`}
                value={row.end}
                onChange={(e) => edit(row.key, { end: e.target.value })}
              />
              <textarea
                className="input cue-text"
                aria-label={`Cue ${i + 1} text`}
                rows={1}
                value={row.text}
                onChange={(e) => edit(row.key, { text: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                    e.preventDefault();
                    void save();
                  }
                }}
              />
              <button
                type="button"
                className="icon-button small danger"
                aria-label={`Remove cue ${i + 1}`}
                onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
              >
                <Icon name="trash" size={14} />
              </button>
              {errors[i] ? (
                <span className="field-error cue-error" role="alert">
                  {errors[i]}
                </span>
              ) : rowNote(row, length) ? (
                <span className="field-hint cue-error" data-testid="cue-note">
                  {rowNote(row, length)}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <div className="cue-actions">
        <button type="button" className="button small" onClick={add}>
          <Icon name="plus" size={14} /> Add cue
        </button>
        {rows.length ? (
          <button type="button" className="button small danger" onClick={() => setRows([])}>
            Remove all
          </button>
        ) : null}
      </div>
    </Modal>
  );
}
