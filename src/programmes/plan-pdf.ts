import { Inject, Injectable, Logger } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ProgrammeErrorCode } from './programmes.errors.js';

/** Chromium's flags for a headless, offline render (as the accessibility tests launch it). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Renders the programme document's HTML page to PDF with headless Chromium (through
 * playwright-core): the PDF is the printable page itself, so the three formats cannot drift apart,
 * and Chromium lays out tables, Swedish characters and page breaks as browsers print them. Without
 * Chromium at CHROMIUM_PATH the PDF answers 503 PROGRAMME_PDF_UNAVAILABLE (the other formats work).
 */
@Injectable()
export class PlanPdfRenderer {
  private readonly logger = new Logger(PlanPdfRenderer.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async render(html: string): Promise<Buffer> {
    const executablePath = this.config.chromiumPath;
    if (!fs.existsSync(executablePath)) throw this.unavailable(`no Chromium at ${executablePath}`);
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-pdf-'));
    let context: BrowserContext | undefined;
    try {
      // Loaded on first use: playwright-core is large, and only this format needs it.
      const { chromium } = await import('playwright-core');
      context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS, offline: true }).catch((error: unknown) => {
        throw this.unavailable(error instanceof Error ? error.message.split('\n')[0] : String(error));
      });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return Buffer.from(await page.pdf({ printBackground: true, preferCSSPageSize: true }));
    } finally {
      await context?.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  }

  private unavailable(reason: string): AppError {
    this.logger.warn(`programme PDF unavailable: ${reason}`);
    return new AppError(503, ProgrammeErrorCode.PDF_UNAVAILABLE, 'The PDF cannot be made on this server (no headless Chromium); the json, xlsx and html formats work');
  }
}
