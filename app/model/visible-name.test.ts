import { describe, expect, it } from 'vitest';
import { hasInvisible, visibleName } from './visible-name';

describe('visibleName', () => {
  it('shows a right-to-left override instead of obeying it', () => {
    expect(visibleName('bidi\u202Egnp.exe')).toBe('bidi⟨U+202E⟩gnp.exe');
    expect(hasInvisible('bidi\u202Egnp.exe')).toBe(true);
  });

  it('shows zero-width characters, the BOM and controls', () => {
    expect(visibleName('a\u200Bb\u200Dc\uFEFFd\u0007e\u2066f')).toBe(
      'a⟨U+200B⟩b⟨U+200D⟩c⟨U+FEFF⟩d⟨U+0007⟩e⟨U+2066⟩f',
    );
  });

  it('leaves ordinary names, non-Latin letters and emoji alone', () => {
    for (const name of ['model.layers.0.mlp.down_proj.weight', '模型.权重', 'émoji🙂.w']) {
      expect(visibleName(name)).toBe(name);
      expect(hasInvisible(name)).toBe(false);
    }
  });
});
