// What the page's browser tests share: the page built into a temporary folder (with what a test
// serves beside it), served on 127.0.0.1, and Debian's Chromium, headless, with a profile of its own.
// ENVIRONMENT.md's flags; --enable-unsafe-webgpu gives SwiftShader's software WebGPU adapter.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the tests' screenshots go. */
export const shots = join(webDir, '..', '..', '.test-results', 'web');
const FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ServedPage {
  tmp: string;
  outDir: string;
  baseUrl: string;
  close(): Promise<void>;
}

/** Builds the page into a temporary folder, lets `fill(outDir)` add files beside it, and serves it. */
export async function servePage(prefix: string, fill: (outDir: string) => Promise<void>): Promise<ServedPage> {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const outDir = join(tmp, 'dist');
  await build({ root: webDir, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  await fill(outDir);
  const server: PreviewServer = await preview({ root: webDir, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  mkdirSync(shots, { recursive: true });
  return {
    tmp,
    outDir,
    baseUrl: server.resolvedUrls!.local[0]!,
    close: async () => {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A fresh headless Chromium (its own profile under `tmp`), with or without WebGPU, and a page in it. */
export async function openBrowser(tmp: string, webgpu = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
    acceptDownloads: true,
  });
  return { context, page: await context.newPage() };
}
