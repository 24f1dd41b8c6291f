import { type ReactNode, useEffect, useId, useState } from 'react';

/** Text/number field that edits locally and commits on blur or Enter, so each keystroke is not a host call. */
export function CommitField({
  label,
  value,
  onCommit,
  type = 'text',
  min,
  max,
  placeholder,
  hint,
  validate,
  suffix,
  disabled,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'number';
  min?: number;
  max?: number;
  placeholder?: string;
  hint?: ReactNode;
  validate?: (value: string) => string | null;
  suffix?: ReactNode;
  disabled?: boolean;
}) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  useEffect(() => setDraft(value), [value]);
  const error = validate?.(draft) ?? null;
  const commit = () => {
    if (draft === value) return;
    if (error) return;
    onCommit(draft);
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="field-row">
        <input
          id={id}
          className={error ? 'input is-invalid' : 'input'}
          type={type}
          inputMode={type === 'number' ? 'numeric' : undefined}
          value={draft}
          min={min}
          max={max}
          placeholder={placeholder}
          disabled={disabled}
          aria-invalid={!!error}
          aria-describedby={error || hint ? `${id}-note` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape' && draft !== value) {
              e.preventDefault();
              e.stopPropagation();
              setDraft(value);
            }
          }}
        />
        {suffix}
      </div>
      {error ? (
        <span id={`${id}-note`} className="field-error">
          {error}
        </span>
      ) : hint ? (
        <span id={`${id}-note`} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** Range input that shows its value live and commits when released. */
export function Slider({
  label,
  value,
  min,
  max,
  step,
  format,
  onCommit,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  format: (v: number) => string;
  onCommit: (value: number) => void;
}) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <div className="field slider">
      <div className="slider-head">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <output htmlFor={id} className="slider-value">
          {format(draft)}
        </output>
      </div>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={draft}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
    </div>
  );
}

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string; title?: string }>;
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="field">
      <legend className="field-label">{label}</legend>
      <div className="segmented">
        {options.map((o) => (
          <label key={o.value} className={value === o.value ? 'segment is-active' : 'segment'} title={o.title}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
