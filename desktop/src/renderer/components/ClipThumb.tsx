import type { Clip } from '@vmp/shared/api';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { Icon } from './Icon.tsx';

export function ClipThumb({ clip, className }: { clip: Clip; className?: string }) {
  const [failed, setFailed] = useState(false);
  const show = clip.hasThumbnail && !failed;
  return (
    <span className={`thumb ${className ?? ''}`}>
      {show ? (
        <img
          src={api().mediaUrl('thumbnail', clip.id)}
          alt=""
          loading="lazy"
          draggable={false}
          onError={() => setFailed(true)}
        />
      ) : (
        <Icon name="film" size={18} />
      )}
    </span>
  );
}

export function resolutionLabel(clip: Clip): string | null {
  const v = clip.info?.video;
  if (!v) return null;
  const short = Math.min(v.width, v.height);
  const named = short >= 2160 ? '4K' : short >= 1080 ? '1080p' : short >= 720 ? '720p' : null;
  return named ? `${named}${v.height > v.width ? ' ▯' : ''}` : `${v.width}×${v.height}`;
}
