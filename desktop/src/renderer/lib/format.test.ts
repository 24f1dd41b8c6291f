import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatEta,
  formatPercent,
  formatRelativeTime,
  plural,
} from './format.ts';

describe('formatDuration', () => {
  it('keeps tenths for short clips', () => {
    expect(formatDuration(0)).toBe('0:00.0');
    expect(formatDuration(4.46)).toBe('0:04.5');
    expect(formatDuration(9.94)).toBe('0:09.9');
  });
  it('rounds to seconds above ten seconds, and shows hours', () => {
    expect(formatDuration(9.97)).toBe('0:10');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
  it('shows a dash for unknown values', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });
});

describe('formatEta', () => {
  it('is coarse', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(0.4)).toBe('almost done');
    expect(formatEta(12.1)).toBe('13 s left');
    expect(formatEta(150)).toBe('3 min left');
    expect(formatEta(7200)).toBe('2 h left');
    expect(formatEta(5400)).toBe('1 h 30 min left');
  });
});

describe('formatBytes', () => {
  it('uses 1000-based units with one decimal under ten', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(25_000_000)).toBe('25 MB');
    expect(formatBytes(2.4e12)).toBe('2.4 TB');
    expect(formatBytes(undefined)).toBe('–');
  });
});

describe('formatPercent, formatCount, plural', () => {
  it('floors percentages so 100 % means done', () => {
    expect(formatPercent(0.999)).toBe('99 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(2)).toBe('100 %');
    expect(formatPercent(Number.NaN)).toBe('0 %');
  });
  it('groups thousands and switches to exponent for huge counts', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(3.2e21)).toBe('3.2e+21');
    expect(plural(1, 'clip')).toBe('1 clip');
    expect(plural(2, 'clip')).toBe('2 clips');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 0, 10, 12);
  it('reads naturally', () => {
    expect(formatRelativeTime(now - 10_000, now)).toBe('just now');
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatRelativeTime(now - 30 * 3_600_000, now)).toBe('yesterday');
    expect(formatRelativeTime(now - 3 * 86_400_000, now)).toBe('3 days ago');
    expect(formatRelativeTime(now - 30 * 86_400_000, now)).toMatch(/2025/);
  });
});
