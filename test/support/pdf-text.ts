import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** What a PDF's text layer says, page by page, as pdf.js extracts it (copy-paste, search). */
export interface PdfText {
  pages: string[];
  /** The document information dictionary (Title, CreationDate...). */
  info: Record<string, unknown>;
}

export function pdfText(bytes: Buffer): PdfText {
  const out = execFileSync(process.execPath, [join(__dirname, 'pdf-text-extract.mjs')], {
    input: bytes,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as PdfText;
}

/** Every page's text in one string. */
export const allText = (bytes: Buffer): string => pdfText(bytes).pages.join('\n');
