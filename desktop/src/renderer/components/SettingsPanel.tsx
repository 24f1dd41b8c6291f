import { DEFAULT_NAME_TEMPLATE, OUTPUT_FORMATS, type OutputFormat } from '@vmp/shared/media';
import { api } from '../api/client.ts';
import { useApp } from '../stores/app.ts';
import { attempt } from '../stores/toasts.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { FarmSetting } from './FarmSetting.tsx';
import { FarmStorageSetting } from './FarmStorageSetting.tsx';
import { CommitField, Segmented, Slider } from './fields.tsx';
import { Icon } from './Icon.tsx';
import { NotifySetting } from './NotifySetting.tsx';
import { PlacementPicker } from './PlacementPicker.tsx';

const FORMAT_ORDER: OutputFormat[] = ['9:16', '1:1', '4:5', '16:9'];
const FORMAT_SHORT: Record<OutputFormat, string> = {
  '9:16': 'Reels, TikTok',
  '1:1': 'Feed',
  '4:5': 'Feed',
  '16:9': 'YouTube',
};

const intIn = (min: number, max: number, what: string) => (v: string) => {
  const n = Number(v);
  return v.trim() !== '' && Number.isInteger(n) && n >= min && n <= max
    ? null
    : `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`;
};

export function SettingsPanel() {
  const project = useWorkspace((s) => s.detail?.project);
  const nativeDialogs = useApp((s) => s.info?.capabilities.nativeDialogs ?? false);
  if (!project) return null;
  const s = project.settings;
  const update = useWorkspace.getState().updateSettings;
  const pickFolder = async () => {
    const dir = await attempt(() => api().call('dialog.pickFolder', {}));
    if (dir) await useWorkspace.getState().updateProject({ outputDir: dir });
  };
  return (
    <aside className="settings panel" aria-label="Render settings">
      <div className="panel-header">
        <h2>Settings</h2>
      </div>
      <div className="settings-scroll">
        <PlacementPicker />
        <fieldset className="field">
          <legend className="field-label">Format</legend>
          <div className="aspect-tiles">
            {FORMAT_ORDER.map((f) => (
              <label
                key={f}
                className={s.format === f ? 'aspect-tile is-active' : 'aspect-tile'}
                title={OUTPUT_FORMATS[f].label}
              >
                <input
                  type="radio"
                  name="format"
                  value={f}
                  checked={s.format === f}
                  onChange={() => void update({ format: f })}
                />
                <span className={`aspect-shape format-${f.replace(':', 'x')}`} aria-hidden="true" />
                <span className="aspect-name">{f}</span>
                <span className="aspect-use">{FORMAT_SHORT[f]}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <Segmented
          label="Fit"
          value={s.fit}
          onChange={(fit) => void update({ fit })}
          options={[
            { value: 'cover', label: 'Cover', title: 'Fill the frame and crop the edges' },
            { value: 'contain', label: 'Contain', title: 'Show the whole clip with black bars' },
            { value: 'blur', label: 'Blur', title: 'Show the whole clip over a blurred copy' },
          ]}
        />

        <Segmented
          label="Strategy"
          value={s.strategy}
          onChange={(strategy) => void update({ strategy })}
          options={[
            {
              value: 'fast',
              label: 'Fast',
              title: 'Each clip is encoded once; outputs are stitched without re-encoding',
            },
            { value: 'unique', label: 'Unique', title: 'Every output is re-encoded with small random variations' },
          ]}
        />
        <p className="field-hint">
          {s.strategy === 'fast'
            ? 'Fast: each clip is encoded once and outputs are stitched together. Best for large batches.'
            : 'Unique: every output gets subtle speed, zoom and colour variations so platforms see distinct files.'}
        </p>

        {s.strategy === 'unique' ? (
          <div className="field-group">
            <Slider
              label="Speed"
              value={s.variations.speed}
              min={0}
              max={3}
              step={0.5}
              format={(v) => `±${v} %`}
              onCommit={(speed) => void update({ variations: { speed } })}
            />
            <Slider
              label="Zoom"
              value={s.variations.zoom}
              min={0}
              max={4}
              step={0.5}
              format={(v) => `up to ${v} %`}
              onCommit={(zoom) => void update({ variations: { zoom } })}
            />
            <Slider
              label="Colour"
              value={s.variations.color}
              min={0}
              max={3}
              step={0.5}
              format={(v) => `±${v} %`}
              onCommit={(color) => void update({ variations: { color } })}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={s.variations.mirror}
                onChange={(e) => void update({ variations: { mirror: e.target.checked } })}
              />
              Mirror some outputs
            </label>
          </div>
        ) : null}

        <Segmented
          label="Audio"
          value={s.audio.mode}
          onChange={(mode) => void update({ audio: { mode } })}
          options={[
            { value: 'keep', label: 'Keep' },
            { value: 'mute', label: 'Mute' },
            { value: 'music', label: 'Music' },
          ]}
        />
        <Segmented
          label="Loudness"
          value={s.loudness}
          onChange={(loudness) => void update({ loudness })}
          options={[
            { value: 'normalize', label: 'Even out (−14 LUFS)' },
            { value: 'off', label: 'As recorded' },
          ]}
        />
        {s.audio.mode === 'music' ? (
          <div className="field-group">
            <CommitField
              label="Background music file"
              value={s.audio.musicPath ?? ''}
              placeholder="/path/to/music.mp3"
              onCommit={(v) => void update({ audio: { musicPath: v.trim() || null } })}
            />
            <Slider
              label="Music volume"
              value={s.audio.musicVolume}
              min={0}
              max={1}
              step={0.05}
              format={(v) => `${Math.round(v * 100)} %`}
              onCommit={(musicVolume) => void update({ audio: { musicVolume } })}
            />
            <Slider
              label="Clip volume"
              value={s.audio.clipVolume}
              min={0}
              max={1}
              step={0.05}
              format={(v) => `${Math.round(v * 100)} %`}
              onCommit={(clipVolume) => void update({ audio: { clipVolume } })}
            />
          </div>
        ) : null}

        <div className="field-pair">
          <CommitField
            label="Outputs"
            type="number"
            min={1}
            max={100000}
            value={s.count === undefined ? '' : String(s.count)}
            placeholder="All"
            hint={s.count === undefined ? 'Empty: every combination (up to 500)' : undefined}
            validate={(v) => (v.trim() === '' ? null : intIn(1, 100_000, 'Outputs')(v))}
            onCommit={(v) => void update({ count: v.trim() === '' ? null : Number(v) })}
          />
          <CommitField
            label="Seed"
            type="number"
            min={0}
            value={String(s.seed)}
            validate={intIn(0, 2 ** 31 - 1, 'Seed')}
            onCommit={(v) => void update({ seed: Number(v) })}
            suffix={
              <button
                type="button"
                className="icon-button"
                aria-label="Shuffle seed"
                title="Shuffle: a new random seed gives a different selection and order"
                onClick={() => void update({ seed: Math.floor(Math.random() * 2 ** 31) })}
              >
                <Icon name="shuffle" />
              </button>
            }
          />
        </div>

        {project.mode === 'auto' ? (
          <CommitField
            label="Clips per output"
            type="number"
            min={1}
            max={20}
            value={String(s.clipsPerOutput)}
            validate={intIn(1, 20, 'Clips per output')}
            onCommit={(v) => void update({ clipsPerOutput: Number(v) })}
          />
        ) : null}

        <CommitField
          label="File names"
          value={s.nameTemplate}
          placeholder={DEFAULT_NAME_TEMPLATE}
          validate={(v) => (v.trim() ? null : 'The name template must not be empty.')}
          hint={
            <>
              Placeholders: <code>{'{project}'}</code> <code>{'{index}'}</code> <code>{'{clips}'}</code>{' '}
              <code>{'{seed}'}</code> <code>{'{format}'}</code> <code>{'{text}'}</code>
            </>
          }
          onCommit={(v) => void update({ nameTemplate: v.trim() })}
        />

        {nativeDialogs ? (
          <div className="field">
            <span className="field-label">Output folder</span>
            <div className="field-row">
              <span className="path" title={project.outputDir}>
                {project.outputDir}
              </span>
              <button type="button" className="button small" onClick={() => void pickFolder()}>
                <Icon name="folder" size={14} /> Choose…
              </button>
            </div>
          </div>
        ) : (
          <CommitField
            label="Output folder (on the host)"
            value={project.outputDir}
            validate={(v) => (/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(v.trim()) ? null : 'Use an absolute folder path.')}
            onCommit={(v) => void useWorkspace.getState().updateProject({ outputDir: v.trim() })}
          />
        )}

        <FarmSetting />
        <FarmStorageSetting />
        <NotifySetting />
      </div>
    </aside>
  );
}
