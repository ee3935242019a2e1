import { describe, expect, it } from 'vitest';
import { describeFileKind, describeUnsupported } from './unsupported-files';

describe('describeUnsupported', () => {
  it('says what each file is and what ckptscope reads instead', () => {
    const text = describeUnsupported(['ckpt/pytorch_model.bin', 'model.Q4_K_M.gguf', 'notes.txt']);
    expect(text).toContain('pytorch_model.bin is a PyTorch pickle checkpoint');
    expect(text).toContain('model.Q4_K_M.gguf is a GGUF (llama.cpp) model');
    expect(text).toContain('notes.txt is a text file');
    expect(text).toContain('ckptscope reads .safetensors files');
    expect(text).toContain('safe_serialization=True');
  });

  it('lists a few names and counts the rest', () => {
    const text = describeUnsupported(['a.gguf', 'b.gguf', 'c.gguf', 'd.gguf', 'e.gguf']);
    expect(text).toContain('(and 2 more)');
    expect(text).not.toContain('d.gguf');
    expect(text).not.toContain('PyTorch');
  });

  it('names unknown kinds plainly', () => {
    expect(describeFileKind('weights.xyz')).toBeNull();
    expect(describeUnsupported(['weights.xyz'])).toMatch(/^weights\.xyz is not a checkpoint file:/);
    expect(describeUnsupported([])).toMatch(/^Nothing to open/);
    // An empty pick is what Chromium gives for a folder of symlinks (a Hugging Face snapshot).
    expect(describeUnsupported([])).toContain('Choose files…');
    expect(describeUnsupported(['weights.xyz'])).not.toContain('symlinks');
  });
});
