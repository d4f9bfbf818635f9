/**
 * compareVersions: the next version is applied, an older or equal one is a duplicate, and one that
 * skips a version is a gap.
 */
import { compareVersions } from './version';

describe('compareVersions', () => {
  it('applies the first version (0) when there is no replica yet', () => {
    expect(compareVersions(undefined, 0)).toBe('apply');
  });

  it('applies the next version', () => {
    expect(compareVersions(3, 4)).toBe('apply');
  });

  it('calls the same version a duplicate', () => {
    expect(compareVersions(4, 4)).toBe('duplicate');
  });

  it('calls an older version a duplicate', () => {
    expect(compareVersions(4, 2)).toBe('duplicate');
  });

  it('calls a version that skips one a gap', () => {
    expect(compareVersions(4, 6)).toBe('gap');
  });

  it('calls an update without a replica a gap (the create has not arrived)', () => {
    expect(compareVersions(undefined, 1)).toBe('gap');
  });
});
