import type { Output } from '@vmp/shared/api';
import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { plural } from '../lib/format.ts';

type Preflight = NonNullable<Output['preflight']>;

const RULE_LABEL: Record<Preflight['problems'][number]['rule'], string> = {
  duration: 'Duration',
  canvas: 'Canvas',
  frameRate: 'Frame rate',
  constantFrameRate: 'Constant frame rate',
  videoCodec: 'Video codec',
  videoProfile: 'H.264 profile',
  pixelFormat: 'Pixel format',
  audio: 'Audio',
  audioCodec: 'Audio codec',
  audioSampleRate: 'Sample rate',
  audioChannels: 'Channels',
  audioBitrate: 'Audio bitrate',
  moovFirst: 'Index (moov)',
  fileSize: 'File size',
  loudness: 'Loudness',
  truePeak: 'True peak',
  safeZone: 'Safe zone',
};

const shown = (v: string | number | null) => (v === null ? '—' : String(v));

/**
 * An output's pre-flight against its placement: "ok", or "N problems" whose list (rule, value, limit) opens on
 * hover, on focus (Tab to it) and on Enter/Space, and closes on Escape. The list is drawn over the page, so the
 * card's clipping never cuts it.
 */
export function PreflightBadge({ preflight, name }: { preflight: Preflight; name: string }) {
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<{ left: number; top?: number; bottom?: number } | null>(null);
  const ref = useRef<HTMLButtonElement>(null);
  const id = useId();
  const count = preflight.problems.length;
  const show = () => {
    const r = ref.current?.getBoundingClientRect();
    if (r) {
      const left = Math.max(8, Math.min(r.left, window.innerWidth - 328));
      // Below the badge when there is room, else above it (cards sit at the bottom of the window too).
      setAt(
        window.innerHeight - r.bottom > 240
          ? { left, top: r.bottom + 6 }
          : { left, bottom: window.innerHeight - r.top + 6 },
      );
    }
    setOpen(true);
  };
  const label = preflight.ok ? 'ok' : plural(count, 'problem');
  return (
    <>
      <button
        ref={ref}
        type="button"
        className={`pill preflight-badge ${preflight.ok ? 'pill-ok' : 'pill-warning'}`}
        data-testid="preflight-badge"
        aria-label={`Pre-flight for ${preflight.placement} of ${name}: ${label}`}
        aria-expanded={open}
        aria-describedby={open ? id : undefined}
        onMouseEnter={show}
        onMouseLeave={() => setOpen(false)}
        onFocus={show}
        onBlur={() => setOpen(false)}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        {preflight.ok ? '✓' : '!'} {preflight.placement} {label}
      </button>
      {open && at
        ? createPortal(
            <div id={id} role="tooltip" className="preflight-popover" data-testid="preflight-problems" style={at}>
              <strong>
                {name} · {preflight.placement}
              </strong>
              {count === 0 ? (
                <p>Passes every check of {preflight.placement}.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Value</th>
                      <th scope="col">Limit</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preflight.problems.map((p) => (
                      <tr key={`${p.rule}:${p.message}`} title={p.message}>
                        <th scope="row">{RULE_LABEL[p.rule]}</th>
                        <td>{shown(p.value)}</td>
                        <td>{shown(p.limit)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {preflight.problems.map((p) => (
                <p key={`m:${p.rule}:${p.message}`} className="preflight-message">
                  {p.message}
                </p>
              ))}
              {preflight.skipped.length ? (
                <p className="muted">
                  Not checked: {preflight.skipped.map((s) => `${s.rule} (${s.reason})`).join('; ')}
                </p>
              ) : null}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
