import { TaxObligationKind } from '../entities/tax-obligation';

export interface CadastralInformation {
  transferorPersonalNumber: string;
  transfereePersonalNumber: string;
  parcel: { id: string; area: number; usePurpose: string };
  transaction: { type: 'TRANSFER' | 'GIFT' | 'INHERITANCE'; contractValue: number };
  exemptionGrounds?: string | null;
}

export interface AssessedLine {
  kind: TaxObligationKind;
  amount: number;
  payer: 'transferor' | 'transferee';
}

export type Assessment = { ok: true; lines: AssessedLine[] } | { ok: false; reasons: string[]; missingItems: string[] };

/** Registration fee 0.5 % (Decree 10/2022); personal income tax 2 % of a transfer, 10 % of a gift or inheritance above 10 million. */
export const REGISTRATION_FEE_RATE = 0.005;
export const TRANSFER_INCOME_TAX_RATE = 0.02;
export const GIFT_INCOME_TAX_RATE = 0.1;
export const GIFT_INCOME_TAX_ALLOWANCE = 10_000_000;

/** The financial obligations of a land transaction, from the land office's cadastral information sheet. */
export function assessLandTransaction(info: CadastralInformation): Assessment {
  const { type, contractValue } = info.transaction;
  const exempt = type !== 'TRANSFER' && Boolean(info.exemptionGrounds);
  if (contractValue <= 0 && !exempt) {
    return {
      ok: false,
      reasons: [type === 'TRANSFER' ? 'Chưa kê khai giá chuyển nhượng' : 'Chưa kê khai giá trị tài sản nhận tặng cho, thừa kế'],
      missingItems: [type === 'TRANSFER' ? 'Hợp đồng chuyển nhượng có công chứng ghi giá' : 'Tờ khai lệ phí trước bạ có giá trị tài sản'],
    };
  }
  const registrationFee = exempt ? 0 : Math.round(contractValue * REGISTRATION_FEE_RATE);
  const incomeTax = exempt ? 0
    : type === 'TRANSFER' ? Math.round(contractValue * TRANSFER_INCOME_TAX_RATE)
    : Math.max(0, Math.round((contractValue - GIFT_INCOME_TAX_ALLOWANCE) * GIFT_INCOME_TAX_RATE));
  return {
    ok: true,
    lines: [
      { kind: TaxObligationKind.REGISTRATION_FEE, amount: registrationFee, payer: 'transferee' },
      { kind: TaxObligationKind.PERSONAL_INCOME_TAX, amount: incomeTax, payer: type === 'TRANSFER' ? 'transferor' : 'transferee' },
    ],
  };
}
