import { TAX_OFFICE } from './handoffs/handlers';

/**
 * Which agency (single window's agency code, as in officers' tokens) each tax office code is:
 * TAX_OFFICE_AGENCIES=99001=H99.THUE.00,99002=H99.THUE.02. Default: the demo province's tax office.
 */
export function taxOfficeAgencies(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const spec = env.TAX_OFFICE_AGENCIES || `${TAX_OFFICE.code}=H99.THUE.00`;
  const map = new Map<string, string>();
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [office, agency] = pair.split('=').map((p) => p.trim());
    if (!office || !agency) throw new Error(`TAX_OFFICE_AGENCIES: "${pair}" is not <tax office code>=<agency code>`);
    map.set(office, agency);
  }
  return map;
}

let cached: Map<string, string> | null = null;

/** The agency a tax office code belongs to, or null for an office this deployment does not know. */
export function agencyOfTaxOffice(taxOfficeCode: string): string | null {
  return (cached ??= taxOfficeAgencies()).get(taxOfficeCode) ?? null;
}
