import { CheckpointError } from '../format/errors';
import type { SafetensorsHeader } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';

/** At most this many duplicate names are quoted in a refusal message. */
const MAX_NAMES_QUOTED = 5;

function quoteNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_QUOTED).map((n) => JSON.stringify(n));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Why a valid file must still not be repaired (safetensors-rules.md §7-§8), or null. Duplicate
 * tensor names or `__metadata__` keys are a parser differential (TOB-SFTN-7): readers disagree on
 * which entry wins, so such files are report-only. A header that was not checked for duplicates, or
 * that was read from a file of another size, is refused too.
 */
export function repairRefusal(
  source: ByteSource,
  header: SafetensorsHeader,
): CheckpointError | null {
  const refuse = (detail: string): CheckpointError =>
    new CheckpointError('RepairRefused', source.name, `${detail}; this file is report-only`);
  if (header.duplicateTensorNames === undefined || header.duplicateMetadataKeys === undefined) {
    return refuse('the header was not checked for duplicate keys (read it with readHeader)');
  }
  if (header.duplicateTensorNames.length > 0) {
    return refuse(
      `the header names tensor ${quoteNames(header.duplicateTensorNames)} more than once and readers disagree on which entry wins`,
    );
  }
  if (header.duplicateMetadataKeys.length > 0) {
    return refuse(
      `__metadata__ holds key ${quoteNames(header.duplicateMetadataKeys)} more than once and readers disagree on which value wins`,
    );
  }
  if (header.fileSize !== source.size) {
    return refuse(
      `the header was read from a file of ${header.fileSize} bytes but this one has ${source.size} (did it change?)`,
    );
  }
  return null;
}
