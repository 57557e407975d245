/**
 * A document as the renderer draws it, whatever it is (an invoice today, a credit note later):
 * every string final, every amount already formatted. The renderer only lays it out.
 */
export interface DocumentParty {
  name: string;
  /** Address lines, then tax id and e-mail, as printed (empty ones left out). */
  lines: string[];
}

export type DocumentMark = 'DRAFT' | 'PAID' | 'VOID';

export interface DocumentColumn {
  label: string;
  /** Share of the table's width. */
  width: number;
  align: 'left' | 'right';
}

export interface DocumentModel {
  /** "INVOICE", "CREDIT NOTE". */
  title: string;
  /** The document's number, or what stands for it (the file name too). */
  reference: string;
  issuer: DocumentParty;
  /** "Bill to" and the customer. */
  recipientHeading: string;
  recipient: DocumentParty;
  /** Label and value pairs beside the parties: number, dates, status. */
  facts: [string, string][];
  columns: DocumentColumn[];
  rows: string[][];
  /** Label, value; `strong` ones in bold (the total, the balance due). */
  totals: { label: string; value: string; strong?: boolean }[];
  /** Titled paragraphs under the totals (payment instructions, remarks). */
  notes: { title: string; text: string }[];
  /** Drawn across every page: a draft, a paid or a void invoice. */
  mark: DocumentMark | null;
  /**
   * What makes the file: its dates (creation and modification) and its metadata come from the
   * document's own last change, never the clock, so the same input gives the same bytes.
   */
  stamp: { at: Date; title: string; subject: string };
}
