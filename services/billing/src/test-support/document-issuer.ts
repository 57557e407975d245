import type { Issuer } from '../modules/documents/domain/invoice-document';

/** The provider printed on the documents' unit tests (invoices and credit notes). */
export const TEST_ISSUER: Issuer = {
  name: 'Dhaka Net Ltd',
  billing_email: 'billing@dhakanet.example',
  billing_address_line1: 'House 12, Road 5',
  billing_address_line2: null,
  billing_city: 'Dhaka',
  billing_state: null,
  billing_postal_code: '1207',
  billing_country: 'BD',
  tax_id: 'BIN-0042',
};
