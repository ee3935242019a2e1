/** The extension every shard named by a `model.safetensors.index.json` must carry. */
export const SHARD_EXTENSION = '.safetensors';

/**
 * Windows device names, which open a device instead of a file whatever the extension
 * (`NUL.safetensors`), so a shard must not be called that.
 */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * Why a shard name from an index is unsafe to resolve next to the index, or null when it is a plain
 * basename ending in `.safetensors`. Shard names are attacker-controlled text that tools join to a
 * directory (MediaPipe #6278, huggingface.js #2026, huggingface_hub #4033), so anything that could
 * leave the folder or name something other than a regular file there is refused.
 */
export function unsafeShardNameReason(name: string): string | null {
  if (name.length === 0) {
    return 'the shard name is empty';
  }
  if (name.includes('/') || name.includes('\\')) {
    return 'the shard name contains a path separator (/ or \\); it must be a bare file name';
  }
  if (name.includes('..')) {
    return 'the shard name contains ".."';
  }
  if (name.includes(':')) {
    return 'the shard name contains ":" (a drive letter, URL scheme or alternate data stream)';
  }
  for (let i = 0; i < name.length; i += 1) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      return 'the shard name contains a control character';
    }
  }
  if (!name.endsWith(SHARD_EXTENSION) || name.length === SHARD_EXTENSION.length) {
    return `the shard name does not end in "${SHARD_EXTENSION}"`;
  }
  const stem = name.slice(0, name.indexOf('.') < 0 ? name.length : name.indexOf('.'));
  if (WINDOWS_DEVICE_NAME.test(stem)) {
    return 'the shard name is a reserved Windows device name';
  }
  return null;
}
