import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectInputs } from './collect-inputs';
import { EXIT_INVALID } from './scan-command';
import { terminalSafe } from './terminal-text';
import { startViewServer } from './view-server';
import type { ViewFile } from './view-server';

export const VIEW_USAGE = `Usage: ckptscope view PATH... [--no-open] [--port N]

Opens the files in the ckptscope app in your browser, served from this machine only
(http://127.0.0.1, a random token in the URL): the built app and, read-only, exactly the files
given. PATH is a .safetensors file, an index or a checkpoint folder, as for scan.
Without a browser (or with --no-open) the URL is printed: open it here or through an SSH port
forward (ssh -L PORT:127.0.0.1:PORT host). Ctrl-C stops the server.
`;

/** Where the built app is: beside the bundled CLI (dist/web), or CKPTSCOPE_WEB_DIR. */
export function appDirectory(): string | null {
  const candidates = [
    process.env.CKPTSCOPE_WEB_DIR,
    fileURLToPath(new URL('../web/', import.meta.url)),
    fileURLToPath(new URL('../dist/web/', import.meta.url)),
  ];
  return candidates.find((c) => c !== undefined && existsSync(`${c}/index.html`)) ?? null;
}

/** The command that opens a URL in the desktop's browser, or null where there is none. */
function browserCommand(): [string, string[]] | null {
  if (process.platform === 'darwin') {
    return ['open', []];
  }
  if (process.platform === 'win32') {
    return ['cmd', ['/c', 'start', '""']];
  }
  return process.env.DISPLAY !== undefined || process.env.WAYLAND_DISPLAY !== undefined
    ? ['xdg-open', []]
    : null;
}

function openBrowser(url: string): boolean {
  const command = browserCommand();
  if (command === null) {
    return false;
  }
  const child = spawn(command[0], [...command[1], url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
  return true;
}

/** `ckptscope view PATH...`: serves until Ctrl-C (SIGINT/SIGTERM), then exits 0. */
export async function runView(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'no-open': { type: 'boolean', default: false },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`ckptscope: ${(e as Error).message}\n\n${VIEW_USAGE}`);
    return EXIT_INVALID;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(VIEW_USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (positionals.length === 0 || !Number.isSafeInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `ckptscope: ${positionals.length === 0 ? 'view needs at least one PATH' : `--port takes 0..65535, not ${values.port}`}\n\n${VIEW_USAGE}`,
    );
    return EXIT_INVALID;
  }
  const appDir = appDirectory();
  if (appDir === null) {
    process.stderr.write('ckptscope: the built app is missing (run `npm run build`)\n');
    return EXIT_INVALID;
  }
  const { groups, problems, errors } = await collectInputs(positionals);
  for (const p of problems) {
    process.stderr.write(`ckptscope: ${terminalSafe(p.message)}\n`);
  }
  for (const e of errors) {
    process.stderr.write(`ckptscope: ${terminalSafe(e.message)}\n`);
  }
  const files: ViewFile[] = groups.flatMap((g) =>
    g.files.map((f) => ({ name: f.path, location: f.location })),
  );
  if (files.length === 0 || problems.length > 0) {
    return EXIT_INVALID;
  }
  const server = await startViewServer(files, appDir, port);
  const opened = !values['no-open'] && openBrowser(server.url);
  process.stdout.write(
    `ckptscope view: serving ${files.length} file${files.length === 1 ? '' : 's'} at\n  ${server.url}\n${opened ? 'Opened in your browser. ' : ''}Ctrl-C stops the server.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
