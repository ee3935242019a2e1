import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export interface InMemoryFile {
  readonly name: string;
  readonly buffer: Buffer;
}

/** Owns every selector the end-to-end tests use (the DOM contract of the issues). */
export class AppPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.status).toHaveAttribute('data-state', 'idle');
  }

  get status(): Locator {
    return this.page.locator('[data-testid=scan-status]');
  }

  get fileInput(): Locator {
    return this.page.locator('[data-testid=drop-zone] input[type=file]');
  }

  async loadFiles(files: readonly InMemoryFile[] | readonly string[]): Promise<void> {
    if (typeof files[0] === 'string') {
      await this.fileInput.setInputFiles(files as string[]);
    } else {
      await this.fileInput.setInputFiles(
        (files as InMemoryFile[]).map((f) => ({
          name: f.name,
          mimeType: 'application/octet-stream',
          buffer: f.buffer,
        })),
      );
    }
  }

  /** A drop as the browser delivers it: a DataTransfer holding Files, dispatched on the drop zone. */
  async dropFiles(files: readonly InMemoryFile[]): Promise<void> {
    const payload = files.map((f) => ({ name: f.name, base64: f.buffer.toString('base64') }));
    const transfer = await this.page.evaluateHandle((items) => {
      const dt = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], item.name));
      }
      return dt;
    }, payload);
    const zone = this.page.locator('[data-testid=drop-zone]');
    await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
  }

  async openSample(): Promise<void> {
    await this.page.locator('[data-testid=open-sample]').click();
  }

  async waitForScan(state: 'done' | 'error' = 'done'): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', state, { timeout: 30_000 });
  }

  heatmapCells(): Locator {
    return this.page.locator('[data-testid=heatmap-cell]');
  }

  heatmapCell(layer: string | number, module: string): Locator {
    return this.page.locator(
      `[data-testid=heatmap-cell][data-layer="${layer}"][data-module="${module}"]`,
    );
  }

  async filterTensors(text: string): Promise<void> {
    await this.page.locator('[data-testid=tensor-filter]').fill(text);
  }

  tensorRow(name: string): Locator {
    return this.page.locator(`[data-testid=tensor-row][data-name="${name}"]`);
  }

  fileErrors(): Locator {
    return this.page.locator('[data-testid=file-error]');
  }
}
