import PDFDocument from 'pdfkit';
import type { DocumentMark, DocumentModel, DocumentParty } from '../domain/document-model';
import { documentFonts } from './fonts';
import { drawLine, PDF_FONTS } from './text';

/**
 * A document model drawn as an A4 PDF (pdfkit): the issuer (logo, name, address, tax id), the
 * recipient, the facts, the lines table (repeated header on each page), totals, notes, and the
 * mark across every page. Deterministic: the file's dates and id come from `model.stamp`, fonts
 * are embedded as subsets whose names derive from fixed ids, so the same model and logo give the
 * same bytes.
 */

export interface Logo {
  bytes: Buffer;
}

const PAGE = { width: 595.28, height: 841.89, margin: 42 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const ROW_HEIGHT = 18;
const FOOTER_TOP = PAGE.height - PAGE.margin - 12;
const MUTED = '#555555';
const RULE = '#cccccc';

const MARK_COLORS: Record<DocumentMark, string> = {
  DRAFT: '#888888',
  PAID: '#1a7f37',
  VOID: '#c62828',
};

type Doc = PDFKit.PDFDocument;

function drawParty(
  doc: Doc,
  heading: string | null,
  party: DocumentParty,
  x: number,
  top: number,
  width: number,
): number {
  let y = top;
  if (heading) {
    drawLine(doc, heading, x, y, { size: 8, color: MUTED, width });
    y += 12;
  }
  drawLine(doc, party.name, x, y, { size: heading ? 11 : 14, bold: true, width });
  y += heading ? 15 : 19;
  for (const line of party.lines) {
    drawLine(doc, line, x, y, { size: 9, color: MUTED, width });
    y += 12;
  }
  return y;
}

/** Logo (when it decodes) at the top left, the issuer under it; title and facts on the right. */
function drawHeader(doc: Doc, model: DocumentModel, logo: Logo | null): number {
  const left = PAGE.margin;
  let y = PAGE.margin;
  if (logo) {
    try {
      doc.image(logo.bytes, left, y, { fit: [140, 56] });
      y += 64;
    } catch {
      // a logo pdfkit cannot decode is left out rather than failing the document
    }
  }
  const leftBottom = drawParty(doc, null, model.issuer, left, y, CONTENT_WIDTH * 0.55);
  const rightX = PAGE.margin + CONTENT_WIDTH * 0.55;
  const rightWidth = CONTENT_WIDTH * 0.45;
  drawLine(doc, model.title, rightX, PAGE.margin, {
    size: 22,
    bold: true,
    width: rightWidth,
    align: 'right',
  });
  let factsY = PAGE.margin + 34;
  for (const [label, value] of model.facts) {
    drawLine(doc, label, rightX, factsY, { size: 9, color: MUTED, width: rightWidth * 0.45 });
    drawLine(doc, value, rightX + rightWidth * 0.45, factsY, {
      size: 9,
      width: rightWidth * 0.55,
      align: 'right',
    });
    factsY += 13;
  }
  const partiesBottom = Math.max(leftBottom, factsY) + 14;
  const recipientBottom = drawParty(
    doc,
    model.recipientHeading,
    model.recipient,
    left,
    partiesBottom,
    CONTENT_WIDTH * 0.6,
  );
  return recipientBottom + 16;
}

function columnXs(model: DocumentModel): { x: number; width: number }[] {
  let x = PAGE.margin;
  return model.columns.map((c) => {
    const at = { x, width: c.width * CONTENT_WIDTH };
    x += at.width;
    return at;
  });
}

function drawTableHeader(doc: Doc, model: DocumentModel, top: number): number {
  doc.rect(PAGE.margin, top, CONTENT_WIDTH, ROW_HEIGHT).fill('#f0f0f0');
  columnXs(model).forEach((col, i) => {
    const c = model.columns[i]!;
    drawLine(doc, c.label, col.x + 4, top + 4, {
      size: 8.5,
      bold: true,
      width: col.width - 8,
      align: c.align,
    });
  });
  return top + ROW_HEIGHT;
}

/** Rows, a new page (header repeated) when the next row would reach the footer. */
function drawRows(doc: Doc, model: DocumentModel, top: number): number {
  let y = drawTableHeader(doc, model, top);
  const cols = columnXs(model);
  for (const row of model.rows) {
    if (y + ROW_HEIGHT > FOOTER_TOP - 8) {
      doc.addPage();
      y = drawTableHeader(doc, model, PAGE.margin);
    }
    row.forEach((cell, i) => {
      const col = cols[i]!;
      drawLine(doc, cell, col.x + 4, y + 4, {
        size: 9,
        width: col.width - 8,
        align: model.columns[i]!.align,
      });
    });
    doc
      .moveTo(PAGE.margin, y + ROW_HEIGHT)
      .lineTo(PAGE.margin + CONTENT_WIDTH, y + ROW_HEIGHT)
      .lineWidth(0.5)
      .stroke(RULE);
    y += ROW_HEIGHT;
  }
  return y + 10;
}

/** Starts a new page when `height` more would reach the footer. */
function room(doc: Doc, y: number, height: number): number {
  if (y + height <= FOOTER_TOP - 8) return y;
  doc.addPage();
  return PAGE.margin;
}

function drawTotals(doc: Doc, model: DocumentModel, top: number): number {
  let y = room(doc, top, model.totals.length * 15);
  const x = PAGE.margin + CONTENT_WIDTH * 0.55;
  const width = CONTENT_WIDTH * 0.45;
  for (const t of model.totals) {
    const style = { size: t.strong ? 10.5 : 9.5, bold: t.strong };
    drawLine(doc, t.label, x, y, { ...style, width: width * 0.45 });
    drawLine(doc, t.value, x + width * 0.45, y, { ...style, width: width * 0.55, align: 'right' });
    y += 15;
  }
  return y + 12;
}

/** A note's text in lines of at most the content's width (words kept whole). */
function wrap(doc: Doc, text: string, width: number): string[] {
  doc.font(PDF_FONTS.latin).fontSize(9);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && doc.widthOfString(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function drawNotes(doc: Doc, model: DocumentModel, top: number): void {
  let y = top;
  for (const note of model.notes) {
    const lines = wrap(doc, note.text, CONTENT_WIDTH);
    y = room(doc, y, 14 + lines.length * 12);
    drawLine(doc, note.title, PAGE.margin, y, { size: 9.5, bold: true });
    y += 14;
    for (const line of lines) {
      drawLine(doc, line, PAGE.margin, y, { size: 9, width: CONTENT_WIDTH });
      y += 12;
    }
    y += 8;
  }
}

/** On every page: the mark across it and "reference · page n of m" at the foot. */
function drawPageFurniture(doc: Doc, model: DocumentModel): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    drawLine(
      doc,
      `${model.reference} · page ${i - start + 1} of ${count}`,
      PAGE.margin,
      FOOTER_TOP,
      {
        size: 8,
        color: MUTED,
        width: CONTENT_WIDTH,
        align: 'right',
      },
    );
    if (model.mark) {
      const cx = PAGE.width / 2;
      const cy = PAGE.height / 2;
      doc
        .save()
        .rotate(-35, { origin: [cx, cy] })
        .fillOpacity(0.18);
      drawLine(doc, model.mark, cx - 220, cy - 60, {
        size: 110,
        bold: true,
        color: MARK_COLORS[model.mark],
        width: 440,
        align: 'right',
      });
      doc.fillOpacity(1).restore();
    }
  }
}

export async function renderPdf(model: DocumentModel, logo: Logo | null = null): Promise<Buffer> {
  const fonts = documentFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: model.stamp.title,
      Subject: model.stamp.subject,
      Producer: 'Ledgerline',
      Creator: 'Ledgerline',
      CreationDate: model.stamp.at,
      ModDate: model.stamp.at,
    },
  });
  // pdfkit takes a parsed fontkit face as it takes a file (its types only list files)
  const register = (name: string, face: unknown) => doc.registerFont(name, face as Buffer);
  register(PDF_FONTS.latin, fonts.latin.face);
  register(PDF_FONTS.latinBold, fonts.latinBold.face);
  register(PDF_FONTS.bengaliText, fonts.bengaliText.face);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  let y = drawHeader(doc, model, logo);
  y = drawRows(doc, model, y);
  y = drawTotals(doc, model, y);
  drawNotes(doc, model, y);
  drawPageFurniture(doc, model);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
