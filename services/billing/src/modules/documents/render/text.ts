import type { Font as FontkitFont, GlyphRun } from 'fontkit';
import { documentFonts, type FontName } from './fonts';
import { scriptRuns, type ScriptRun } from './script-runs';

/**
 * One line of mixed Latin and Bengali text. Latin runs are ordinary PDF text (Noto Sans). A
 * Bengali run is drawn twice: its shaped glyphs (fontkit applies the conjuncts and moves vowel
 * signs such as ি before their consonant) as outlines, and beneath them the same words as
 * transparent text in logical order. Text drawn shaped would be extracted in visual order
 * ("রিহম" for "রহিম") by pdftotext, pdf.js and copy-paste alike; the transparent layer makes
 * every extractor read what was written.
 */

/** Registered names in every document: a font per face, and the Bengali text layer's. */
export const PDF_FONTS: Record<FontName | 'bengaliText', string> = {
  latin: 'latin',
  latinBold: 'latin-bold',
  bengali: 'bengali',
  bengaliBold: 'bengali-bold',
  bengaliText: 'bengali-text',
};

/** Noto Sans's ascent: every run of a line sits on the baseline a Latin run would. */
const LATIN_ASCENT = 1.069;

export interface LineStyle {
  size: number;
  bold?: boolean;
  color?: string;
  /** Width available; a longer line is set smaller until it fits (never below 5 pt). */
  width?: number;
  align?: 'left' | 'right';
}

/** The part of a pdfkit document the drawing uses (pdfkit's own type is wider). */
type Doc = PDFKit.PDFDocument;

interface Measured extends ScriptRun {
  width: number;
}

function bengaliFace(bold: boolean | undefined): FontkitFont {
  const fonts = documentFonts();
  return (bold ? fonts.bengaliBold : fonts.bengali).face;
}

/**
 * Bengali runs shaped once and kept (a process-wide, bounded map): a run is measured and then
 * drawn, and names and descriptions recur across a tenant's invoices. Shaping is most of a
 * render's time; the result depends on the text and face only, so the bytes stay the same.
 */
const SHAPED_LIMIT = 5000;
const shapedRuns = new Map<string, GlyphRun>();

function shaped(text: string, bold: boolean | undefined): GlyphRun {
  const key = `${bold ? 'b' : 'r'}${text}`;
  let run = shapedRuns.get(key);
  if (!run) {
    if (shapedRuns.size >= SHAPED_LIMIT) shapedRuns.clear();
    run = bengaliFace(bold).layout(text);
    shapedRuns.set(key, run);
  }
  return run;
}

function measure(doc: Doc, run: ScriptRun, style: LineStyle, size: number): number {
  if (run.script === 'bengali') {
    return (shaped(run.text, style.bold).advanceWidth * size) / bengaliFace(style.bold).unitsPerEm;
  }
  doc.font(style.bold ? PDF_FONTS.latinBold : PDF_FONTS.latin).fontSize(size);
  return doc.widthOfString(run.text);
}

function drawBengali(
  doc: Doc,
  text: string,
  x: number,
  top: number,
  size: number,
  style: LineStyle,
) {
  const face = bengaliFace(style.bold);
  const scale = size / face.unitsPerEm;
  const baseline = top + LATIN_ASCENT * size;
  const run = shaped(text, style.bold);
  let pen = x;
  run.glyphs.forEach((glyph, i) => {
    const at = run.positions[i]!;
    const outline = glyph.path.toSVG();
    if (outline) {
      doc
        .save()
        .translate(pen + at.xOffset * scale, baseline - at.yOffset * scale)
        .scale(scale, -scale)
        .path(outline)
        .fill(style.color ?? '#111111')
        .restore();
    }
    pen += at.xAdvance * scale;
  });
  // the words as written, invisible, on the same baseline
  doc.font(PDF_FONTS.bengaliText);
  const textTop = baseline - (face.ascent / face.unitsPerEm) * size;
  doc.fontSize(size).fillOpacity(0).text(text, x, textTop, { lineBreak: false });
  doc.fillOpacity(1);
}

/** Draws one line at (x, top); answers its width as drawn. */
export function drawLine(doc: Doc, text: string, x: number, top: number, style: LineStyle): number {
  const runs = scriptRuns(text);
  let size = style.size;
  const widths = (at: number): Measured[] =>
    runs.map((run) => ({ ...run, width: measure(doc, run, style, at) }));
  let measured = widths(size);
  let total = measured.reduce((sum, r) => sum + r.width, 0);
  if (style.width !== undefined && total > style.width && total > 0) {
    size = Math.max(5, Math.floor(((size * style.width) / total) * 10) / 10);
    measured = widths(size);
    total = measured.reduce((sum, r) => sum + r.width, 0);
  }
  let pen = style.align === 'right' && style.width !== undefined ? x + style.width - total : x;
  // a smaller size keeps the line's baseline where the full size would have put it
  const top2 = top + LATIN_ASCENT * (style.size - size);
  for (const run of measured) {
    if (run.script === 'bengali') {
      drawBengali(doc, run.text, pen, top2, size, style);
    } else {
      doc
        .font(style.bold ? PDF_FONTS.latinBold : PDF_FONTS.latin)
        .fontSize(size)
        .fillColor(style.color ?? '#111111')
        .text(run.text, pen, top2, { lineBreak: false });
    }
    pen += run.width;
  }
  return total;
}
