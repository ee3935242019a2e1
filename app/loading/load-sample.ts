import type { NamedFile } from '../../workers/scan.worker';

interface SampleManifest {
  readonly name: string;
  readonly files: readonly string[];
}

/** Where `npm run build:sample` puts the bundled sample, relative to the page. */
const SAMPLE_BASE = './sample/';

/** Fetches the bundled sample checkpoint from the app's own origin and hands it over as Files. */
export async function loadSample(): Promise<{ files: NamedFile[]; label: string }> {
  const response = await fetch(`${SAMPLE_BASE}manifest.json`);
  if (!response.ok) {
    throw new Error(
      `the sample checkpoint is missing (${response.status}); run npm run build:sample`,
    );
  }
  const manifest = (await response.json()) as SampleManifest;
  const files = await Promise.all(
    manifest.files.map(async (name) => {
      const r = await fetch(`${SAMPLE_BASE}${encodeURIComponent(name)}`);
      if (!r.ok) {
        throw new Error(`sample file ${name}: HTTP ${r.status}`);
      }
      const blob = await r.blob();
      return { name: `sample/${name}`, file: new File([blob], name) };
    }),
  );
  return { files, label: manifest.name };
}
